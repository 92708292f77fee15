"""The yardstick of the ingest benchmark (``bench/ingest.py``), served by the same gunicorn settings as the app.

``hello``: a bare Flask app whose one route answers ``{"status": "ok"}`` — what any request through
Flask and gunicorn costs at the least, on this machine and in this run.
"""

from flask import Flask

hello = Flask("hello")


@hello.get("/healthz")
def hello_healthz():
    return {"status": "ok"}
