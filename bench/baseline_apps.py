"""The two yardsticks of the ingest benchmark (``bench/ingest.py``), served by the same gunicorn settings as the app.

``hello``: a bare Flask app whose one route answers ``{"status": "ok"}`` — what any
request through Flask and gunicorn costs at the least.

``insert``: a bare Flask app that takes a JSON body and stores it with one
``sqlite3`` INSERT and a commit per request, on a SQLite file in WAL mode with
``synchronous=NORMAL`` (the app's own pragmas, ``app/database.py``) — what one
write per request costs without the app's sign-in, checks and ORM. The file is
``BENCH_SQLITE_FILE``; every thread keeps its own connection.
"""

import json
import os
import sqlite3
import threading

from flask import Flask, request

hello = Flask("hello")


@hello.get("/healthz")
def hello_healthz():
    return {"status": "ok"}


insert = Flask("insert")
_local = threading.local()


def _connection() -> sqlite3.Connection:
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = sqlite3.connect(os.environ["BENCH_SQLITE_FILE"], timeout=10)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS report (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, body TEXT)"
        )
        connection.commit()
        _local.connection = connection
    return connection


@insert.get("/healthz")
def insert_healthz():
    _connection()
    return {"status": "ok"}


@insert.put("/api/v1/submissions/<uuid>")
def insert_report(uuid):
    body = request.get_json()
    connection = _connection()
    cursor = connection.execute("INSERT INTO report (uuid, body) VALUES (?, ?)", (uuid, json.dumps(body)))
    connection.commit()
    return {"id": cursor.lastrowid, "uuid": uuid}, 201
