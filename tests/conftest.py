"""Fixtures: a real database (SQLite file, or PostgreSQL from TEST_DATABASE_URL), the app, clients, sign-in.

The schema is built once per run with the real migrations; each test then
starts from empty tables.

Each test module has an app of its own (building one costs more than most tests): ``app``
gives it to each test in an app context of its own, and afterwards empties the
tables, removes the session and resets the rate limits. A test must therefore
not change the app itself. One that changes ``app.config`` (even with
``monkeypatch``) or adds routes asks for ``own_app`` instead: a new app for
that test alone, which ``app``, ``client``, ``world`` and ``runner`` then use too::

    def test_a_small_limit(own_app, client):
        own_app.config["MAX_CONTENT_LENGTH"] = 1024

A test that changes the module's app configuration fails, naming ``own_app``.

``world`` (and the permission matrix's ``Cast.everyone()``) is copied into the
tables from the rows of the first one made (``RowTemplate``): a few inserts
instead of some twenty ORM objects per test. ``SHOPPER_TESTS=browser`` or
``not-browser`` keeps half of the suite (scripts/test runs the halves side by side).
"""

import contextlib
import dataclasses
import functools
import io
import os
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_static_digest import digester

from app import create_app
from app.accounts.models import UserSession
from app.accounts.sessions import _digest
from app.extensions import db, limiter
from app.static_assets import changed_since_compile
from config import TestConfig


def pytest_configure(config):
    """The static files' hashed copies, as a deployment has them (app/static_assets.py). scripts/test makes
    them before its runs start; a pytest run on its own makes them here when a file changed since."""
    folder = Path(__file__).parents[1] / "app" / "static"
    if changed_since_compile(folder):
        with contextlib.redirect_stdout(io.StringIO()):  # the library prints where it wrote
            digester.clean(str(folder), [], False, False)
            digester.compile(str(folder), str(folder), [], False, False)


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests
def pytest_collection_modifyitems(config, items):
    """``SHOPPER_TESTS=browser`` or ``not-browser`` keeps only that half (scripts/test runs them side by side)."""
    half = os.environ.get("SHOPPER_TESTS")
    if not half:
        return
    assert half in ("browser", "not-browser"), f"SHOPPER_TESTS={half!r}: browser or not-browser"
    keep, drop = [], []
    for item in items:
        (keep if (item.get_closest_marker("browser") is not None) == (half == "browser") else drop).append(
            item
        )
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


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
    # Only the tables that hold rows: most tests write to a handful of the forty-odd.
    with db.engine.begin() as connection:
        for _table, quoted in _occupied_tables(connection):
            connection.exec_driver_sql(f"DELETE FROM {quoted}")


def _occupied_tables(connection) -> list:
    """(table, its quoted name) of each table holding rows, children first: one query."""
    tables, query = _occupancy_query(connection.dialect)
    flags = connection.exec_driver_sql(query).one()
    return [table for table, occupied in zip(tables, flags, strict=False) if occupied]


@functools.cache
def _occupancy_query(dialect):
    quote = dialect.identifier_preparer.format_table
    tables = [(table, quote(table)) for table in reversed(db.metadata.sorted_tables)]
    return tables, "SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {quoted})" for _, quoted in tables)


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


def _new_app(database_url):
    app = create_app(_config_for(database_url))
    app.test_client_class = RequestLikeClient
    return app


@pytest.fixture(scope="module")
def module_app(database_url):
    """The app of one test module (building one costs more than most tests)."""
    app = _new_app(database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(request, database_url):
    """The app, in an app context for the test; empty tables, a new session and fresh rate limits afterwards."""
    own = "own_app" in request.fixturenames
    app = _new_app(database_url) if own else request.getfixturevalue("module_app")
    config_before = dict(app.config)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        limiter.reset()
        if own:
            db.engine.dispose()
    if not own and dict(app.config) != config_before:
        changed = sorted(
            k
            for k in config_before.keys() | app.config.keys()
            if config_before.get(k, _MISSING) != app.config.get(k, _MISSING)
        )
        app.config.clear()
        app.config.update(config_before)
        pytest.fail(
            f"the test changed the module's app config ({', '.join(changed)}): ask for own_app instead",
            pytrace=False,
        )


_MISSING = object()


@pytest.fixture
def own_app(app):
    """A new app for this one test, to change its config or add routes (``app`` and ``client`` are it too)."""
    return app


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


class RowTemplate:
    """What ``build()`` makes, made for real once, then copied back into the tables as rows.

    Most tests start from the same objects (``make_world`` alone is some twenty ORM inserts).
    The first ``make()`` on empty tables calls ``build`` and keeps every row it wrote; each
    later ``make()`` on empty tables inserts those rows again, one statement per table, and
    loads the objects by primary key, as ``build`` would have returned them (a model
    instance, a dataclass such as ``World``, or a dict of either). Where the tables already
    hold rows, ``make()`` simply calls ``build``.
    """

    def __init__(self, build):
        self.build = build
        self.rows = None  # [(table, [row, ...]), ...], parents first
        self.keys = None

    def make(self):
        return load_keys(self.copy_in())

    def copy_in(self):
        """Put the rows in; the keys ``load_keys`` turns into the objects."""
        if not _tables_are_empty():
            made = self.build()
            db.session.commit()
            return _keys_of(made)
        if self.rows is None:
            made = self.build()
            db.session.commit()
            self.keys = _keys_of(made)
            with db.engine.connect() as connection:
                self.rows = [
                    (table, rows)
                    for table in db.metadata.sorted_tables
                    if (
                        rows := [
                            dict(row)
                            for row in connection.execute(
                                sa.select(table).order_by(*table.primary_key.columns)
                            ).mappings()
                        ]
                    )
                ]
            return self.keys
        for table, rows in self.rows:
            db.session.execute(table.insert(), rows)
        db.session.commit()
        return self.keys


def _tables_are_empty() -> bool:
    return not _occupied_tables(db.session.connection())


def _keys_of(made):
    """``made`` with every model instance replaced by (its class, its primary key)."""
    if isinstance(made, dict):
        return {name: _keys_of(value) for name, value in made.items()}
    if dataclasses.is_dataclass(made):
        return (
            type(made),
            {field.name: _keys_of(getattr(made, field.name)) for field in dataclasses.fields(made)},
        )
    state = sa.inspect(made)
    return (state.mapper.class_, state.identity)


def load_keys(keys, lazy=False):
    """The objects ``keys`` (from ``_keys_of``) stand for, loaded in the current session.

    With ``lazy``, a dataclass's fields are loaded one by one when first read.
    """
    if isinstance(keys, dict):
        return {name: load_keys(value, lazy) for name, value in keys.items()}
    kind, key = keys
    if not dataclasses.is_dataclass(kind):
        return db.session.get(kind, key)
    if lazy:
        loaded = _lazy_dataclass(kind).__new__(_lazy_dataclass(kind))
        loaded._keys = key
        return loaded
    held = _load_at_once(key.values())  # noqa: F841  (the session's identity map holds them only weakly)
    return kind(**{name: load_keys(value) for name, value in key.items()})


def _load_at_once(keys):
    """One query per class for the objects of ``keys`` (the session's ``get`` then finds them)."""
    by_class = {}
    for kind, identity in keys:
        if not dataclasses.is_dataclass(kind) and len(identity) == 1:
            by_class.setdefault(kind, []).append(identity[0])
    return [
        db.session.scalars(sa.select(kind).where(sa.inspect(kind).primary_key[0].in_(ids))).all()
        for kind, ids in by_class.items()
        if len(ids) > 1
    ]


@functools.cache
def _lazy_dataclass(kind):
    def loader(name):
        return lambda self: load_keys(self._keys[name])

    return type(
        f"Lazy{kind.__name__}",
        (kind,),
        {field.name: functools.cached_property(loader(field.name)) for field in dataclasses.fields(kind)},
    )


def _make_world():
    from tests.factories import make_world

    return make_world()


WORLD = RowTemplate(_make_world)


@pytest.fixture
def world(app):
    """``tests.factories.make_world()``, copied from the rows of the first one (see ``RowTemplate``)."""
    return WORLD.make()
