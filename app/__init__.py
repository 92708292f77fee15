"""Service Shopper: the application factory."""

import os

from flask import Flask

from config import config_from_env


def create_app(config_class=None) -> Flask:
    config_class = config_class or config_from_env()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    from app.routing import Request

    app.request_class = Request
    from app.json_provider import OrjsonProvider

    app.json = OrjsonProvider(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "shopper.db")
    from app.database import engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    )

    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    register_template_helpers(app)
    if app.config.get("ENV_NAME") == "production":
        from app.security import refuse_unsafe_production

        refuse_unsafe_production(app)
    return app


def register_extensions(app):
    from app import (
        database,  # noqa: F401  (SQLite pragmas on connect)
        models,  # noqa: F401  (the whole schema, for Alembic)
    )
    from app.accounts.sessions import init_login
    from app.api.spec import api
    from app.extensions import csrf, db, limiter, migrate, talisman
    from app.routing import register_converters
    from app.security import init_security_headers

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    init_security_headers(app, talisman)
    api.init_app(app)
    register_converters(app, api)


def register_blueprints(app):
    from app.accounts.api import blp as accounts_api
    from app.accounts.routes import bp as accounts_pages
    from app.api.spec import api
    from app.assignments import register_planning_pages
    from app.assignments.api import blp as assignments_api
    from app.assignments.routes import bp as assignments_pages
    from app.main.routes import bp as main_pages
    from app.programmes.api import blp as programmes_api
    from app.programmes.routes import bp as programmes_pages
    from app.programmes.setup_routes import bp as setup_pages
    from app.questionnaires.api import blp as questionnaires_api
    from app.questionnaires.routes import bp as questionnaire_pages
    from app.recruitment.routes import bp as recruitment_pages
    from app.results import register as register_results
    from app.shopper_app.routes import bp as shopper_app_pages
    from app.visits.api import blp as visits_api

    for blueprint in (
        main_pages,
        accounts_pages,
        assignments_pages,
        programmes_pages,
        setup_pages,
        questionnaire_pages,
        recruitment_pages,
        shopper_app_pages,
    ):
        app.register_blueprint(blueprint)
    register_planning_pages(app)  # planning, phone bank and review (app/assignments/__init__.py)
    register_results(app)  # results pages, GET /api/v1/results and `flask results` (app/results/__init__.py)
    for blueprint in (accounts_api, assignments_api, questionnaires_api, programmes_api, visits_api):
        api.register_blueprint(blueprint, url_prefix="/api/v1")


def register_errors(app):
    from app.errors import register_errors as register

    register(app)


def register_template_helpers(app):
    from app.templating import register_template_helpers as register

    register(app)


def register_cli(app):
    from app.demo.cli import demo_command

    app.cli.add_command(demo_command)
