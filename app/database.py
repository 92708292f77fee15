"""SQLite settings, fair turns for its writers (several gunicorn workers write to one file), and WAL
checkpoints away from those turns.

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

Checkpoints (copying the write-ahead log back into the database file, and
syncing it to disk) are what SQLite does at the end of whichever commit takes
the log past 1,000 pages, inside that writer's turn, while every other writer
waits. Here a thread in each process checkpoints every quarter second instead,
in PASSIVE mode, which never blocks a writer; SQLite's own checkpoint stays as
a backstop at 10,000 pages should that thread fall behind.
"""

import fcntl
import json
import logging
import os
import sqlite3
import threading
import time

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

BUSY_TIMEOUT_S = 10
CHECKPOINT_INTERVAL_S = 0.25
BACKSTOP_CHECKPOINT_PAGES = 10_000

log = logging.getLogger(__name__)


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
    cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_CHECKPOINT_PAGES}")
    path = cursor.execute("PRAGMA database_list").fetchone()[2]
    cursor.close()
    if path:  # a file, not ":memory:"
        connection_record.info["write_turns"] = WriteTurns.of(path)
        Checkpointer.start_for(path)


class Checkpointer:
    """A daemon thread per database file and process that checkpoints the WAL in PASSIVE mode, off every
    writer's turn. SQLite releases the GIL while it copies and syncs, so the process's requests go on."""

    _running: dict = {}  # (path, pid) -> Checkpointer
    _made = threading.Lock()

    @classmethod
    def start_for(cls, path: str) -> None:
        key = (path, os.getpid())  # after a fork the parent's thread is not in the child
        with cls._made:
            if key not in cls._running:
                cls._running[key] = checkpointer = cls(path)
                threading.Thread(target=checkpointer.run, name=f"checkpointer {path}", daemon=True).start()

    def __init__(self, path: str):
        self.path = path

    def run(self) -> None:
        connection = None
        last_error = None
        try:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA synchronous=NORMAL")
            while os.path.exists(self.path):  # a deleted file (a test's) ends the thread
                time.sleep(CHECKPOINT_INTERVAL_S)
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    last_error = None
                except sqlite3.Error as error:  # the backstop still checkpoints: say so (once) and go on
                    if str(error) != last_error:
                        log.warning("WAL checkpoint of %s failed: %s", self.path, error)
                    last_error = str(error)
        except sqlite3.Error as error:  # not opened: the file went (or its folder) before the thread began
            if os.path.exists(self.path):
                log.warning(
                    "WAL checkpoints of %s stopped: %s; SQLite's own at %d pages remain",
                    self.path,
                    error,
                    BACKSTOP_CHECKPOINT_PAGES,
                )
        finally:
            if connection is not None:
                connection.close()
            with Checkpointer._made:
                Checkpointer._running.pop((self.path, os.getpid()), None)


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
