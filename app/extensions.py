"""Unbound extension objects; ``create_app`` binds them."""

import flask
import flask_limiter
import flask_talisman
import flask_wtf.csrf
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter them later, including SQLite's batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Talisman(flask_talisman.Talisman):
    """flask-talisman, with the headers of a route that has no options of its own worked out once.

    Talisman rebuilds its options three times per request and joins the Content Security Policy
    from its parts on every response; for the app's routes (none sets per-view options, and no
    nonce is used) the result never changes. A route with its own options, or a policy with a
    nonce, is still worked out per request.
    """

    def init_app(self, app, **options):
        # Talisman keeps its options on itself, and the last app set up wins; so does this cache.
        self._default_options = None
        self._policy_strings = {}
        super().init_app(app, **options)

    def _get_local_options(self):
        view = flask.current_app.view_functions.get(flask.request.endpoint)
        if hasattr(view, "talisman_view_options"):
            return super()._get_local_options()
        if self._default_options is None:
            self._default_options = super()._get_local_options()
        return self._default_options

    def _parse_policy(self, policy):
        if getattr(flask.request, "csp_nonce", None):
            return super()._parse_policy(policy)
        key = id(policy)
        cached = self._policy_strings.get(key)
        if cached is None or cached[0] is not policy:
            cached = self._policy_strings[key] = (policy, super()._parse_policy(policy))
        return cached[1]


class CSRFProtect(flask_wtf.csrf.CSRFProtect):
    """Flask-WTF's CSRF protection, without asking for a form that a request cannot have.

    Flask-WTF looks for the token in ``request.form`` before the headers. werkzeug fills a form only
    from an urlencoded or multipart body; for any other request (the app's JSON API) asking for it still
    sets up werkzeug's form parsing of the body, to find nothing: some 80 µs of a report's upload, a
    twentieth of it (bench/README.md, session 9). Such a request's token can only be in a header, so
    that is where this looks; a form's is looked for as before.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def _get_csrf_token(self):
        if flask.request.mimetype in self.FORM_TYPES:
            return super()._get_csrf_token()
        for header_name in flask.current_app.config["WTF_CSRF_HEADERS"]:
            token = flask.request.headers.get(header_name)
            if token:
                return token
        return None


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = flask_limiter.Limiter(key_func=get_remote_address)  # configured by RATELIMIT_* (config.py)
talisman = Talisman()
