"""SQLite as the app sets it up (app/database.py): WAL, a busy timeout, foreign keys; JSON by orjson.

Real SQLite files, real threads and a real second process.
"""

import json
import multiprocessing
import threading

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.database import engine_options, json_column_text


def _engine(path):
    engine = sa.create_engine(f"sqlite:///{path}", **engine_options("sqlite://", {}))
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"
        )
    return engine


def test_a_sqlite_file_is_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path):
    engine = _engine(tmp_path / "settings.db")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_threads_writing_at_once_all_get_through(tmp_path):
    """Each waits for the others in SQLite's busy handler: no "database is locked"."""
    path = tmp_path / "threads.db"
    engine = _engine(path)
    errors = []

    def write(n):
        try:
            for i in range(20):
                with Session(engine) as session:
                    session.execute(sa.text("SELECT count(*) FROM item"))
                    session.execute(sa.text("INSERT INTO item (name) VALUES (:name)"), {"name": f"{n}-{i}"})
                    session.commit()
        except Exception as error:  # noqa: BLE001  (collected, asserted below)
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM item").scalar() == 160
    engine.dispose()


def _hold_the_write_lock(path, started, release):
    engine = _engine(path)
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.exec_driver_sql("INSERT INTO item (name) VALUES ('first')")
        started.set()
        release.wait(10)
        connection.exec_driver_sql("COMMIT")
    engine.dispose()


def test_a_writer_waits_for_another_process_then_writes(tmp_path):
    path = tmp_path / "processes.db"
    _engine(path).dispose()
    context = multiprocessing.get_context("spawn")
    started, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_the_write_lock, args=(str(path), started, release))
    holder.start()
    try:
        assert started.wait(30)
        engine = _engine(path)
        threading.Timer(0.5, release.set).start()
        with Session(engine) as session:
            session.execute(sa.text("INSERT INTO item (name) VALUES ('second')"))
            session.commit()
        with engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT name FROM item ORDER BY id").scalars().all()
        assert names == ["first", "second"]
        engine.dispose()
    finally:
        release.set()
        holder.join(10)


def test_json_columns_are_written_by_orjson_as_the_standard_library_reads_them():
    value = {"a": [1, 2.5, None, True], "é": "ü", 3: "three"}
    assert json.loads(json_column_text(value)) == {"a": [1, 2.5, None, True], "é": "ü", "3": "three"}


def test_a_json_value_orjson_cannot_write_is_written_by_the_standard_library():
    assert json_column_text({"n": 2**70, 1: "one"}) == '{"n": 1180591620717411303424, "1": "one"}'
    assert json_column_text({"é": [1.5, None]}) == '{"é":[1.5,null]}'
