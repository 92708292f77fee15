"""gunicorn's settings for production and the demo.

gunicorn reads ``./gunicorn.conf.py`` by itself when started from the repository's
top folder (``scripts/run-demo``, the browser tests, ``bench/ingest.py``); the
command line still wins (``--workers 4``). ``WEB_CONCURRENCY`` sets the number of
worker processes, as on most hosting platforms, and ``GUNICORN_THREADS`` the threads
in each.
"""

import gc
import os

# One process per core, and at least 2: the app is mostly Python, and a process runs it on one core
# at a time (its GIL). Where the database is on another host and requests wait for it, more can pay.
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, os.cpu_count() or 1))

# gunicorn's stock threaded worker. Threads let one process serve a long streamed response (an export,
# a PDF), wait on a database answer, or wait for a connection's request (a browser's preconnection, a
# slow phone) while it still answers everyone else. Four: more add no CPU under the GIL, only
# contention, and four fit SQLAlchemy's default pool of five connections per process (so a process
# never waits for a connection of its own pool).
# But SQLite takes one writer at a time, and a writer that finds it busy sleeps in SQLite's busy handler
# between tries (1, 2, 5, 10… ms): with many requests writing at once some wait for seconds while the
# cores idle. Behind a proxy that hands on whole requests (PROXY_HOPS, README "Production layout") no
# connection waits on a thread for its request, so on SQLite there one thread per process keeps the
# writers as many as the processes; a long export then holds its own process, not the others.
worker_class = "gthread"
_on_sqlite = not os.environ.get("DATABASE_URL", "").startswith("postgresql")
_behind_proxy = int(os.environ.get("PROXY_HOPS") or 0) > 0
threads = int(os.environ.get("GUNICORN_THREADS") or (1 if _on_sqlite and _behind_proxy else 4))

# With gthread the worker's main loop tells the arbiter it is alive while its threads serve, so this is
# no limit on how long a request or a streamed response may run: it only ends a process whose main loop
# is stuck. A stopping worker (a deploy, a restart) gives requests under way graceful_timeout to finish.
timeout = 30
graceful_timeout = 30

# Phones sync in bursts: keep their connection for the next request of the burst.
keepalive = 5


def post_worker_init(worker):
    """Leave what loading the app made (some 200,000 objects: modules, mappers, the app) out of every
    garbage collection from now on. It lives as long as the process anyway, and a full collection that walks
    it lands on a request as a pause of tens of milliseconds (bench/README, "session 18")."""
    gc.freeze()
