"""gunicorn.conf.py: the production server's settings, read as gunicorn reads them."""
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

