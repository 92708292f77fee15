"""Writers to a SQLite file take turns (app/database.py): one at a time, across threads and processes.

Real SQLite files and real processes; the turn is seen from outside through its
lock file, which the test process tries to lock itself.
"""

import fcntl
import multiprocessing
import os
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import database
from app.database import WriteTurns, engine_options, json_column_text


def _engine(path):
    engine = sa.create_engine(f"sqlite:///{path}", **engine_options("sqlite://", {}))
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"
        )
    return engine


def _turn_is_free(path) -> bool:
    descriptor = os.open(f"{path}-writers.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)


def test_a_turn_lasts_from_the_first_write_to_the_commit(tmp_path):
    path = tmp_path / "turns.db"
    engine = _engine(path)
    with Session(engine) as session:
        session.execute(sa.text("SELECT count(*) FROM item"))
        assert _turn_is_free(path)  # reading takes no turn
        session.execute(sa.text("INSERT INTO item (name) VALUES ('a')"))
        assert not _turn_is_free(path)
        session.commit()
        assert _turn_is_free(path)
    engine.dispose()


def test_a_rolled_back_write_ends_its_turn(tmp_path):
    path = tmp_path / "turns.db"
    engine = _engine(path)
    with Session(engine) as session:
        session.execute(sa.text("INSERT INTO item (name) VALUES ('a')"))
        session.commit()
        with pytest.raises(IntegrityError):
            session.execute(sa.text("INSERT INTO item (name) VALUES ('a')"))
        session.rollback()
        assert _turn_is_free(path)
    engine.dispose()


def test_threads_write_one_at_a_time(tmp_path):
    path = tmp_path / "turns.db"
    engine = _engine(path)
    inside, most_inside, lock = [0], [0], threading.Lock()

    def write(number):
        with Session(engine) as session:
            session.execute(sa.text("INSERT INTO item (name) VALUES (:name)"), {"name": f"n{number}"})
            with lock:
                inside[0] += 1
                most_inside[0] = max(most_inside[0], inside[0])
            time.sleep(0.02)  # still inside the write transaction
            with lock:
                inside[0] -= 1
            session.commit()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert most_inside[0] == 1
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM item")) == 8
    engine.dispose()


def _hold_a_turn(path, started, release):
    engine = _engine(path)
    with Session(engine) as session:
        session.execute(sa.text("INSERT INTO item (name) VALUES ('held')"))
        started.set()
        release.wait(timeout=30)
        session.commit()
    engine.dispose()


def test_another_process_waits_for_the_turn_then_writes(tmp_path):
    path = tmp_path / "turns.db"
    engine = _engine(path)  # the table is made before the other process holds the turn
    context = multiprocessing.get_context("fork")
    started, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_a_turn, args=(path, started, release))
    holder.start()
    try:
        assert started.wait(timeout=30)
        assert not _turn_is_free(path)
        threading.Timer(0.3, release.set).start()
        began = time.monotonic()
        with Session(engine) as session:
            session.execute(sa.text("INSERT INTO item (name) VALUES ('after')"))
            waited = time.monotonic() - began
            session.commit()
        assert 0.25 <= waited < 5  # it waited in its turn for the other process's commit
        with engine.connect() as connection:
            names = connection.scalars(sa.text("SELECT name FROM item ORDER BY id")).all()
        assert names == ["held", "after"]
        engine.dispose()
    finally:
        release.set()
        holder.join(timeout=30)
    assert holder.exitcode == 0


def test_a_writer_goes_on_without_its_turn_after_the_busy_timeout(tmp_path, monkeypatch):
    """A lock file held by something that never lets go must not stop the app: SQLite's locking still holds."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "turns.db"
    engine = _engine(path)
    stuck = os.open(f"{path}-writers.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(stuck, fcntl.LOCK_EX)
    try:
        with Session(engine) as session:
            session.execute(sa.text("INSERT INTO item (name) VALUES ('anyway')"))
            session.commit()
    finally:
        os.close(stuck)
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM item")) == 1
    engine.dispose()


def test_an_in_memory_database_has_no_turns():
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        assert connection.info.get("write_turns") is None
    engine.dispose()


def test_json_columns_are_written_by_orjson_as_the_standard_library_reads_them():
    import json

    value = {"a": [1, 2.5, None, True], "é": "ü", 3: "three"}
    assert json.loads(json_column_text(value)) == {"a": [1, 2.5, None, True], "é": "ü", "3": "three"}


def test_turns_of_one_file_are_shared():
    assert WriteTurns.of("/tmp/x.db") is WriteTurns.of("/tmp/x.db")


def test_a_writer_goes_on_without_turns_when_no_lock_file_can_be_made(tmp_path, monkeypatch):
    def no_file(self):
        raise PermissionError("read-only folder")

    path = tmp_path / "turns.db"
    engine = _engine(path)
    monkeypatch.setattr(WriteTurns, "_file", no_file)
    with Session(engine) as session:
        session.execute(sa.text("INSERT INTO item (name) VALUES ('anyway')"))
        session.commit()
    monkeypatch.undo()
    with Session(engine) as session:  # nothing left held: the next writer takes its turn at once
        session.execute(sa.text("INSERT INTO item (name) VALUES ('next')"))
        assert not _turn_is_free(path)
        session.commit()
    engine.dispose()


def test_a_json_value_orjson_cannot_write_is_written_by_the_standard_library():
    assert json_column_text({"n": 2**70, 1: "one"}) == '{"n": 1180591620717411303424, "1": "one"}'
    assert json_column_text({"é": [1.5, None]}) == '{"é":[1.5,null]}'


def test_the_log_is_checkpointed_off_the_writers_turns(tmp_path):
    """SQLite's own checkpoint waits for 10,000 pages of log; the checkpointer thread copies the log into the
    database file well before that, while no writer waits for it."""
    path = tmp_path / "checkpoints.db"
    engine = _engine(path)
    with engine.connect() as connection:
        assert (
            connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
            == database.BACKSTOP_CHECKPOINT_PAGES
        )
    size_before = path.stat().st_size
    with (
        engine.begin() as connection
    ):  # some 1,200 pages of 4 KB: past SQLite's usual 1,000, short of the backstop
        connection.exec_driver_sql(
            "INSERT INTO item (name) VALUES (?)", [(f"{number:06d}" + "x" * 4000,) for number in range(1200)]
        )
    deadline = time.monotonic() + 5
    while path.stat().st_size < size_before + 1200 * 4000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.stat().st_size >= size_before + 1200 * 4000  # the rows are in the database file itself
    engine.dispose()


def test_the_checkpointer_ends_with_its_database_file(tmp_path):
    path = tmp_path / "gone.db"
    engine = _engine(path)
    key = (str(path), os.getpid())
    assert key in database.Checkpointer._running
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    deadline = time.monotonic() + 5
    while key in database.Checkpointer._running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert key not in database.Checkpointer._running


def test_a_checkpointer_whose_database_cannot_be_opened_ends_quietly(tmp_path):
    """The file (here its folder) gone before the thread's first statement: the thread ends, with no error
    left unhandled in it, and a later engine on that path may start another."""
    path = str(tmp_path / "gone" / "never.db")
    key = (path, os.getpid())
    database.Checkpointer.start_for(path)
    deadline = time.monotonic() + 5
    while key in database.Checkpointer._running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert key not in database.Checkpointer._running
