"""SQLite settings, and fair turns for its writers: several gunicorn workers write to one file.

SQLite lets one writer at a time. Another that wants to write waits in SQLite's
busy handler, which sleeps and tries again with growing pauses of up to 100 ms,
so a writer that has waited long can lose, again and again, to one that has
just arrived. Under a burst of syncs that made one batch in twenty take a
second (bench/README.md). So writers to a file take turns in the order they
come: the threads of a process queue on a lock, the processes on an ``flock``
of a file beside the database. A turn starts with a transaction's first write
and ends when it commits or rolls back. SQLite's own locking still guards the
data: a writer that has not had its turn within the busy timeout goes on
without it, as it would without turns.
"""
import fcntl
import json
import os
import threading
import time

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

BUSY_TIMEOUT_S = 10


def json_column_text(value) -> str:
    """The text of a JSON column's value, by orjson: a sync writes six JSON values per report, and
    the standard library's encoder took a sixth of its time. Keys that are not strings become
    strings, as the standard library makes them."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # what orjson does not write (an integer beyond 64 bits): the standard library does
        return json.dumps(value)


def engine_options(database_uri: str, configured: dict) -> dict:
    """The engine's options: the configured ones, with orjson for JSON columns and, for SQLite, no
    ping before each checkout of the pool (a file on this machine has no connection to lose)."""
    options = {"json_serializer": json_column_text, "json_deserializer": orjson.loads, **configured}
    if database_uri.startswith("sqlite"):
        options.pop("pool_pre_ping", None)
    return options


@sa.event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once; the busy timeout makes a
    # second writer wait instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    path = cursor.execute("PRAGMA database_list").fetchone()[2]
    cursor.close()
    if path:  # a file, not ":memory:"
        connection_record.info["write_turns"] = WriteTurns.of(path)


class WriteTurns:
    """The queue of writers to one SQLite file, in this process and across processes."""

    _by_path: dict = {}
    _made = threading.Lock()
    _mine = threading.local()  # the WriteTurns whose turn this thread has

    @classmethod
    def of(cls, path: str) -> "WriteTurns":
        with cls._made:
            return cls._by_path.setdefault(path, cls(path))

    def __init__(self, path: str):
        self.lock_path = path + "-writers.lock"
        self.threads = threading.Lock()
        self.lock_file, self.pid = None, None

    def _file(self) -> int:
        if self.pid != os.getpid():  # opened in each process: an flock is held by an open file
            self.lock_file, self.pid = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        return self.lock_file

    def take(self) -> None:
        """Wait for this thread's turn, unless it has it already."""
        held = WriteTurns._mine.__dict__.setdefault("held", [])
        if self in held:
            return
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        if not self.threads.acquire(timeout=BUSY_TIMEOUT_S):
            return
        pause = 0.0005
        while True:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.threads.release()
                    return
                time.sleep(pause)  # only one thread per process waits here; the others queue on the lock
                pause = min(pause * 2, 0.002)
            except OSError:  # no lock file beside the database (a read-only folder): SQLite alone decides
                self.threads.release()
                return
        held.append(self)

    @staticmethod
    def end_mine() -> None:
        """End every turn this thread has (its transaction committed or rolled back)."""
        held = WriteTurns._mine.__dict__.get("held")
        while held:
            turns = held.pop()
            fcntl.flock(turns.lock_file, fcntl.LOCK_UN)
            turns.threads.release()


_READS = ("SELECT", "PRAGMA", "WITH")  # WITH: a read here; the app writes no CTE-led statements


@sa.event.listens_for(Engine, "before_cursor_execute")
def _take_turn_before_writing(connection, cursor, statement, parameters, context, executemany):
    turns = connection.info.get("write_turns")
    if turns is not None and not statement.lstrip()[:6].upper().startswith(_READS):
        turns.take()


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_rollback")
def _end_turn_after_transaction(session):
    WriteTurns.end_mine()


@sa.event.listens_for(Pool, "checkin")
def _end_turn_when_returned(dbapi_connection, connection_record):
    # A Core transaction (migrations, scripts) has committed or rolled back by the time its connection comes back.
    WriteTurns.end_mine()
