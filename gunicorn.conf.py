"""gunicorn's settings for production and the demo.

gunicorn reads ``./gunicorn.conf.py`` by itself when started from the repository's
top folder (``scripts/run-demo``, the browser tests, ``bench/ingest.py``); the
command line still wins (``--workers 4``). ``WEB_CONCURRENCY`` sets the number of
worker processes, as on most hosting platforms.
"""
import gc
import os

# Two processes per core, two threads each. The app is CPU-bound (each process runs on one core at a time,
# under its GIL), and a gthread worker keeps every connection it accepts: a burst of phones connecting at
# once lands unevenly on the workers (the one awake first accepts most), and with one process per core the
# busier one decides the pace while the other core idles. Two per core smooth that out; two threads let
# a process take the next request while one waits on the database or a slow client. bench/README.md
# ("Workers") has the figures.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = 2
# Phones sync in bursts: keep their connection for the next request of the burst.
keepalive = 5


def post_worker_init(worker):
    """Once a worker has loaded the app: its objects (a couple of hundred thousand: Flask, SQLAlchemy,
    the models) are set aside from the garbage collector, and it collects after 7,000 new objects
    rather than 700. Left as they were, each full collection walked every one of them, some 100 ms
    of one core at a time, and collections took a tenth of a sync's CPU (bench/README.md, "GC")."""
    gc.freeze()
    gc.set_threshold(7_000, 10, 10)
