"""Fixtures: a real database (SQLite file, or PostgreSQL from TEST_DATABASE_URL), the app, clients, sign-in.

The schema is built once per run with the real migrations; each test then
starts from empty tables.
"""
import os
import secrets

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.accounts.models import UserSession
from app.accounts.sessions import _digest
from app.extensions import db
from config import TestConfig


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    app = create_app(_config_for(url))
    with app.app_context():
        if _is_postgres(url):
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return url


def _config_for(url):
    return type("BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})


def _empty_all_tables():
    # DELETE, children first: on a few rows it is far quicker than PostgreSQL's TRUNCATE.
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


class RequestLikeClient(FlaskClient):
    """Each request gets its own app context, as under a real server.

    Tests hold an app context for the database; without this, Flask would
    reuse it for every request, and ``g`` (the signed-in user, the CSRF
    token) would leak from one request into the next. Afterwards the test's
    own session is expired, so it reads what the request committed.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def app(database_url):
    app = create_app(_config_for(database_url))
    app.test_client_class = RequestLikeClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def sign_in(client, user):
    """Sign ``user`` in on ``client`` without the cost of argon2 (the real sign-in has its own tests)."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_digest(token), user_id=user.id))
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def csrf_headers(client) -> dict:
    """The X-CSRFToken header the app would send, read from GET /api/v1/session."""
    response = client.get("/api/v1/session")
    return {"X-CSRFToken": response.get_json()["csrf_token"]}


@pytest.fixture
def world(app):
    from tests.factories import make_world

    return make_world()
