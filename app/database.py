"""Engine settings: JSON columns by orjson, and SQLite set up for several processes at once.

SQLite lets one writer at a time. In WAL mode readers and that writer work side by side, and the busy
timeout makes a second writer wait for the first instead of failing with "database is locked".
"""

import json

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 10_000


def json_column_text(value) -> str:
    """A JSON column's text: orjson's, with keys that are not strings made strings as the standard
    library makes them; what orjson cannot write (an integer beyond 64 bits) by the standard library."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value)


def engine_options(database_uri: str, configured: dict) -> dict:
    """The engine's options: orjson for JSON columns, then the configured ones. SQLite needs no ping
    before each checkout: a file on this machine has no connection to lose."""
    options = {"json_serializer": json_column_text, "json_deserializer": orjson.loads, **configured}
    if database_uri.startswith("sqlite"):
        options.pop("pool_pre_ping", None)
    return options


@sa.event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
