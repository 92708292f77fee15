"""gunicorn's settings for production and the demo.

gunicorn reads ``./gunicorn.conf.py`` by itself when started from the repository's
top folder (``scripts/run-demo``, the browser tests, ``bench/ingest.py``); the
command line still wins (``--workers 4``). ``WEB_CONCURRENCY`` sets the number of
worker processes, as on most hosting platforms.
"""
import os

# One process per core does the work (the app is CPU-bound: Python holds one core per process);
# threads let a process take the next request while one waits on the database or a slow client.
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"
threads = 4
# Phones sync in bursts: keep their connection for the next request of the burst.
keepalive = 5
