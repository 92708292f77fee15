"""gunicorn's settings for production and the demo.

gunicorn reads ``./gunicorn.conf.py`` by itself when started from the repository's
top folder (``scripts/run-demo``, the browser tests, ``bench/ingest.py``); the
command line still wins (``--workers 4``). ``WEB_CONCURRENCY`` sets the number of
worker processes, as on most hosting platforms.
"""

import gc
import os

# One process per core, each serving one request at a time on its main thread (app/serving.py). The
# app is CPU-bound: a process runs on one core at a time, under its GIL, and every process beyond what
# the cores can run costs CPU in switching between them, and on SQLite in reading again what the others
# wrote (each commit empties the other processes' SQLite page caches). On two cores, 2 processes took a
# report's PUT in 1.5-1.6 ms of CPU where 3 took 1.6-2.0, and answered 1,105-1,176 PUTs/s against
# 888-1,104, with PostgreSQL on the same two cores likewise (bench/README.md, session 10). Where the
# database is on another host and each request waits for its answers, more processes can cover the
# waiting: set WEB_CONCURRENCY. At least 2, so that one slow request (planning a wave takes seconds)
# never holds up every other. A slow client does not hold a process, because the proxy in front
# buffers requests (README).
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, os.cpu_count() or 1))
# gthread, with each request served on the worker's main thread rather than handed to a pool of one
# thread and back (app/serving.py): a fifth less CPU for a trivial request.
worker_class = "app.serving.MainThreadWorker"
threads = 1
# A request that runs longer ends its worker (gunicorn's default, as with its sync worker); the app's
# longest, planning a wave and imports, take seconds.
timeout = 30
# Phones sync in bursts: keep their connection for the next request of the burst.
keepalive = 5


def post_worker_init(worker):
    """Once a worker has loaded the app: its objects (a couple of hundred thousand: Flask, SQLAlchemy,
    the models) are set aside from the garbage collector, and it collects after 7,000 new objects
    rather than 700. Left as they were, each full collection walked every one of them, some 100 ms
    of one core at a time, and collections took a tenth of a sync's CPU (bench/README.md, "GC")."""
    gc.freeze()
    gc.set_threshold(7_000, 10, 10)
