"""What the service worker caches for the shell, and the version that names its cache bucket.

The version is a hash of the shell files' bytes (plus ``SHOPPER_APP_VERSION``
when a deployment wants to force one), so any change to a shell file gives
phones a new, complete cache bucket before the old one is dropped. Work on the
phone lives in IndexedDB, never in these buckets, so an update strands nothing.
"""
import hashlib
import os
from functools import lru_cache
from pathlib import Path

SHELL_PAGE = "/app"
# Static files of the shell, relative to app/static. Icons are cached too but counted apart in bench/app_shell.py.
STATIC_FILES = (
    "css/shopper-app.css",
    "js/register-sw.js",
    "js/shopper-app/main.js",
    "js/shopper-app/api.js",
    "js/shopper-app/store.js",
    "js/shopper-app/sync.js",
    "js/shopper-app/dom.js",
    "js/shopper-app/views.js",
    "js/shopper-app/gate.js",
    "js/shopper-app/capture.js",
    "js/shopper-app/photo.js",
    "icons/icon.svg",
    "icons/icon-192.png",
)


def shell_urls() -> list[str]:
    return [SHELL_PAGE, "/manifest.webmanifest"] + ["/static/" + name for name in STATIC_FILES]


@lru_cache(maxsize=4)
def _files_digest(static_folder: str) -> str:
    digest = hashlib.sha256()
    for name in STATIC_FILES + ("manifest.webmanifest",):
        digest.update(name.encode())
        digest.update((Path(static_folder) / name).read_bytes())
    template = Path(static_folder).parent / "templates" / "shopper_app" / "shell.html"
    digest.update(template.read_bytes())
    return digest.hexdigest()[:12]


def shell_version(static_folder: str) -> str:
    """The shell's cache version: its files' digest, and the deployment's own label if it sets one."""
    label = os.environ.get("SHOPPER_APP_VERSION", "").strip()
    digest = _files_digest(static_folder)
    return f"{digest}-{label}" if label else digest
