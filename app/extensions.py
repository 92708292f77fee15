"""Unbound extension objects; ``create_app`` binds them."""

import flask_limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
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


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, without its before-request check on routes that no limit covers.

    That check looks for app-wide, default, blueprint and meta limits on every request. This app
    has none of them: only the sign-in views are limited, by decorator, and the decorator checks
    its limits itself (``app/accounts/limits.py``). So the check is skipped while there are none
    to find, and runs as before as soon as any is configured.
    """

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if in_middleware and not self._has_app_wide_limits():
            return None
        return super()._check_request_limit(callable_name, in_middleware)

    def _has_app_wide_limits(self) -> bool:
        manager = self.limit_manager
        return bool(
            manager.application_limits
            or manager.default_limits
            or manager._blueprint_limits
            or self._meta_limits
        )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
