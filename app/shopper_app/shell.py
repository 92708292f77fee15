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

from app.i18n.catalogue import mo_path
from app.i18n.languages import LANGUAGES
from app.static_assets import static_url

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
    "js/shopper-app/calllog.js",
    "js/shopper-app/correspondence.js",
    "js/shopper-app/channels.js",
    "js/shopper-app/decisions.js",
    "js/shopper-app/signout.js",
    "js/shopper-app/i18n.js",
    "js/shopper-app/labels.js",
    "js/shopper-app/statement.js",
    "icons/icon.svg",
    "icons/icon-192.png",
)
# Linked by /manifest.webmanifest (a static file itself) under its plain name, so cached under that name.
PLAIN_NAMED = ("icons/icon-192.png",)
# The service worker's own scripts: not cached as shell files (the browser keeps a worker's scripts itself), but
# part of the version, so that a change to any of them reaches phones as a new worker with a new, complete bucket.
WORKER_FILES = ("sw.js", "sw-shell.js", "sw-classic.js")


# The app's strings in each language (app/i18n): cached with the shell, so a language works offline too.
MESSAGE_URLS = tuple(f"/app/messages/{code}.json" for code in LANGUAGES)


def shell_urls() -> list[str]:
    """The URLs the shell page fetches: the static files under their hashed names, as the page links them."""
    return [SHELL_PAGE, "/manifest.webmanifest", *MESSAGE_URLS] + [
        "/static/" + name if name in PLAIN_NAMED else static_url(name) for name in STATIC_FILES
    ]


@lru_cache(maxsize=4)
def _files_digest(static_folder: str) -> str:
    digest = hashlib.sha256()
    for name in STATIC_FILES + WORKER_FILES + ("manifest.webmanifest",):
        digest.update(name.encode())
        digest.update((Path(static_folder) / name).read_bytes())
    template = Path(static_folder).parent / "templates" / "shopper_app" / "shell.html"
    digest.update(template.read_bytes())
    for code in LANGUAGES:  # a changed translation is a new shell, so phones fetch the new catalogue
        if mo_path(code).exists():
            digest.update(mo_path(code).read_bytes())
    return digest.hexdigest()[:12]


def shell_version(static_folder: str) -> str:
    """The shell's cache version: its files' digest, and the deployment's own label if it sets one."""
    label = os.environ.get("SHOPPER_APP_VERSION", "").strip()
    digest = _files_digest(static_folder)
    return f"{digest}-{label}" if label else digest
