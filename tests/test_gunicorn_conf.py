"""gunicorn.conf.py: the production server's settings, read as gunicorn reads them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _settings(**env) -> dict:
    script = (
        "import json, os, runpy\n"
        f"config = runpy.run_path({str(ROOT / 'gunicorn.conf.py')!r})\n"
        "names = ('workers', 'worker_class', 'threads', 'timeout', 'graceful_timeout', 'keepalive')\n"
        "print(json.dumps({name: config[name] for name in names} | {'cores': os.cpu_count()}))\n"
    )
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "DATABASE_URL", "PROXY_HOPS")
    }
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={**environ, **env}
    )
    return json.loads(result.stdout)


def test_the_stock_threaded_worker_one_process_per_core_and_at_least_two():
    for env in ({}, {"DATABASE_URL": "postgresql+psycopg://app@db.example/shopper", "PROXY_HOPS": "1"}):
        settings = _settings(**env)
        assert settings["worker_class"] == "gthread"
        assert settings["workers"] == max(2, settings["cores"])
        assert settings["threads"] == 4
        assert settings["timeout"] >= 30 and settings["graceful_timeout"] >= 30


def test_on_sqlite_behind_a_proxy_one_thread_per_process_so_writers_are_as_many_as_processes():
    """Without a proxy a connection waits on a thread for its request (tests/test_serving.py)."""
    for url in ("", "sqlite:////var/lib/shopper/shopper.db"):
        settings = _settings(DATABASE_URL=url, PROXY_HOPS="1")
        assert (settings["worker_class"], settings["threads"]) == ("gthread", 1)
        assert settings["workers"] == max(2, settings["cores"])
    assert (
        _settings(DATABASE_URL="sqlite:////var/lib/shopper/shopper.db", PROXY_HOPS="1", GUNICORN_THREADS="3")[
            "threads"
        ]
        == 3
    )


def test_web_concurrency_and_gunicorn_threads_change_processes_and_threads():
    settings = _settings(WEB_CONCURRENCY="5", GUNICORN_THREADS="8")
    assert (settings["workers"], settings["threads"]) == (5, 8)


def test_every_setting_is_one_gunicorn_knows():
    """A misspelt name in the file would be ignored by gunicorn without a word."""
    script = (
        "import runpy\n"
        "from gunicorn.config import Config\n"
        f"config = runpy.run_path({str(ROOT / 'gunicorn.conf.py')!r})\n"
        "known = Config().settings\n"
        "print(sorted(n for n in config if not n.startswith('_') and n not in known and n not in ('gc', 'os')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_worker_leaves_the_loaded_app_out_of_garbage_collections():
    """Its post_worker_init hook, called as gunicorn calls it once the worker has loaded the app."""
    script = (
        "import gc, runpy\n"
        "from app import create_app\n"
        "from config import TestConfig\n"
        "create_app(TestConfig)\n"
        "before = gc.get_freeze_count()\n"
        f"runpy.run_path({str(ROOT / 'gunicorn.conf.py')!r})['post_worker_init'](None)\n"
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    before, frozen, still_collected = map(int, result.stdout.split())
    assert before == 0
    assert frozen > 50_000 and still_collected < frozen / 10
