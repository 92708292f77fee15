"""gunicorn.conf.py: the production server's settings, read as gunicorn reads them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_each_worker_sets_the_loaded_app_aside_from_the_garbage_collector():
    """After ``post_worker_init`` the objects that exist (in a worker, the loaded app's) are frozen out of
    every collection, and a collection waits for 7,000 new objects."""
    script = (
        "import gc, runpy\n"
        f"config = runpy.run_path({str(ROOT / 'gunicorn.conf.py')!r})\n"
        "before = gc.get_freeze_count()\n"
        "config['post_worker_init'](None)\n"
        "print(before, gc.get_freeze_count() > before, gc.get_threshold())\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split(maxsplit=1) == ["0", "True (7000, 10, 10)\n"]


def _settings(**env) -> str:
    script = (
        "import os, runpy\n"
        f"config = runpy.run_path({str(ROOT / 'gunicorn.conf.py')!r})\n"
        "print(config['workers'], os.cpu_count(), config['threads'], config['worker_class'])\n"
    )
    environ = {key: value for key, value in os.environ.items() if key != "WEB_CONCURRENCY"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={**environ, **env}
    )
    return result.stdout.split()


def test_one_process_per_core_and_at_least_two_each_serving_on_its_main_thread_unless_web_concurrency_says_otherwise():
    workers, cores, threads, worker_class = _settings()
    assert int(workers) == max(2, int(cores))
    assert threads == "1" and worker_class == "app.serving.MainThreadWorker"
    assert _settings(WEB_CONCURRENCY="5")[0] == "5"
