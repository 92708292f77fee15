"""Static files under content-hashed names, cached for a year; their plain names stay revalidated.

``flask --app wsgi digest compile`` (Flask-Static-Digest) writes beside each file under app/static a copy
named with its MD5 (``css/app-<md5>.css``) and ``cache_manifest.json``; scripts/run-demo and scripts/test run
it, and so must a deployment after each release. Pages link through ``static_url_for``, which reads that
manifest: a changed file gets a new name, so the old one can be cached for good. Without a manifest (a
checkout nobody compiled) pages link the plain names, which are revalidated each time, and work the same.

The shopper app's ES modules import each other by their plain names (``./store.js``): the shell page maps
those names to the hashed ones with an import map, so the browser fetches and caches the hashed files.
"""

import logging
import re
from pathlib import Path

from flask import Flask, current_app, request, url_for
from flask_static_digest import FlaskStaticDigest
from flask_static_digest.digester import DIGESTED_FILE_REGEX

MANIFEST = "cache_manifest.json"
A_YEAR = 365 * 24 * 3600
_hashed_name = re.compile(DIGESTED_FILE_REGEX + r"\.\w+$")


def init_static_assets(app: Flask) -> None:
    app.extensions["static_digest"] = FlaskStaticDigest(app)  # one per app: it keeps the manifest it read
    _warn_if_stale(Path(app.static_folder))

    @app.after_request
    def cache_hashed_files_for_good(response):
        if request.endpoint == "static" and response.status_code == 200:
            if is_hashed_copy(request.view_args.get("filename", "")):
                response.cache_control.no_cache = None
                response.cache_control.public = True
                response.cache_control.max_age = A_YEAR
                response.cache_control.immutable = True
        return response


def static_url(filename: str) -> str:
    """The URL a page links for a static file: its hashed name when the manifest has one."""
    return current_app.extensions["static_digest"].static_url_for("static", filename=filename)


def module_import_map(filenames) -> dict:
    """An import map from each module's plain URL to its hashed one (only those that differ)."""
    imports = {}
    for name in filenames:
        plain, hashed = url_for("static", filename=name), static_url(name)
        if hashed != plain:
            imports[plain] = hashed
    return {"imports": imports}


def is_hashed_copy(name: str) -> bool:
    return bool(_hashed_name.search(name))


def changed_since_compile(folder: Path) -> list[str]:
    """Files under ``folder`` newer than its manifest (all of them when there is none)."""
    manifest = folder / MANIFEST
    compiled = manifest.stat().st_mtime if manifest.exists() else float("-inf")
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file()
        and path.name != MANIFEST
        and not is_hashed_copy(path.name)
        and path.stat().st_mtime > compiled
    )


def _warn_if_stale(folder: Path) -> None:
    """A file changed since the last compile would be linked as it was then: say so at start."""
    if not (folder / MANIFEST).exists():
        return
    changed = changed_since_compile(folder)
    if changed:
        logging.getLogger(__name__).warning(
            "app/static changed since `flask digest compile` (%s): pages link the copies of the last compile; "
            "compile again",
            ", ".join(changed[:5]),
        )
