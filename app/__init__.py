"""Service Shopper: the application factory."""

import os

from flask import Flask

from config import config_from_env


def create_app(config_class=None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class or config_from_env())
    configure(app)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    if app.config.get("ENV_NAME") == "production":
        from app.security import refuse_unsafe_production

        refuse_unsafe_production(app)
    return app


def configure(app):
    """What the configuration implies: the request class, JSON, the default database, proxies."""
    from app.database import engine_options
    from app.json_provider import OrjsonProvider
    from app.routing import Request

    app.request_class = Request
    app.json = OrjsonProvider(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "shopper.db")
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    )
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app):
    from app import models  # noqa: F401  (the whole schema, for Alembic)
    from app.accounts.sessions import init_login
    from app.compression import init_compression
    from app.extensions import csrf, db, limiter, migrate
    from app.security import init_security_headers
    from app.static_assets import init_static_assets
    from app.templating import register_template_helpers

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
    init_compression(app)
    init_static_assets(app)
    init_login(app)
    init_security_headers(app)
    register_template_helpers(app)


def register_blueprints(app):
    """Each feature package registers its own pages and API."""
    from app import (
        accounts,
        assignments,
        audit,
        exports,
        i18n,
        main,
        partner_results,
        plans,
        programmes,
        questionnaires,
        recruitment,
        releases,
        results,
        retention,
        shopper_app,
        visits,
    )
    from app.api.spec import make_api
    from app.routing import register_converters

    api = make_api(app)
    register_converters(app, api)
    for feature in (
        i18n,
        main,
        accounts,
        programmes,
        questionnaires,
        assignments,
        visits,
        recruitment,
        results,
        releases,
        partner_results,
        shopper_app,
        exports,
        plans,
        retention,
        audit,
    ):
        feature.register(app, api)


def register_errors(app):
    from app.errors import register_errors as register

    register(app)


def register_cli(app):
    from app.demo.cli import demo_command

    app.cli.add_command(demo_command)
