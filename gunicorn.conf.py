"""gunicorn's settings for production and the demo.

gunicorn reads ``./gunicorn.conf.py`` by itself when started from the repository's
top folder (``scripts/run-demo``, the browser tests, ``bench/ingest.py``); the
command line still wins (``--workers 4``). ``WEB_CONCURRENCY`` sets the number of
worker processes, as on most hosting platforms.
"""
import gc
import os

# One process per core and one more, one thread each. The app is CPU-bound: each process runs on one
# core at a time, under its GIL, and every Python context beyond what the cores can run costs CPU in
# switching (the GIL's hand-over between a process's threads, the caches between processes): on two
# cores 3 x 1 took a PUT in 2.2 ms of CPU where 4 x 2 took 2.5, and passed more reports through sync
# (bench/README.md, "Workers"). The one more covers a process waiting on its database, or on SQLite's
# write turn (app/database.py). A slow client does not hold a thread, because the proxy in front
# buffers requests (README).
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = 1
# Phones sync in bursts: keep their connection for the next request of the burst.
keepalive = 5


def post_worker_init(worker):
    """Once a worker has loaded the app: its objects (a couple of hundred thousand: Flask, SQLAlchemy,
    the models) are set aside from the garbage collector, and it collects after 7,000 new objects
    rather than 700. Left as they were, each full collection walked every one of them, some 100 ms
    of one core at a time, and collections took a tenth of a sync's CPU (bench/README.md, "GC")."""
    gc.freeze()
    gc.set_threshold(7_000, 10, 10)
