"""GET /app (the shell page), GET /app/shell.js (what the service worker must cache, and its version) and
GET /sw-classic.js (the worker for browsers without module service workers; /sw.js is served by app.main).

All are public and hold nothing about the user: the shell is cached on the
phone and works offline; who is signed in, the gate and the briefs come from
the API and IndexedDB.
"""

import json

from flask import Blueprint, Response, current_app, render_template, send_from_directory

from app.shopper_app.shell import STATIC_FILES, shell_urls, shell_version
from app.static_assets import module_import_map

bp = Blueprint("shopper_app", __name__)


@bp.get("/app")
def shell():
    import_map = module_import_map(name for name in STATIC_FILES if name.endswith(".js"))
    response = Response(render_template("shopper_app/shell.html", import_map=import_map))
    # The service worker refreshes its copy on each update; the browser's HTTP cache must not hold an old one.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/app/shell.js")
def shell_manifest():
    """Imported by /sw.js: a changed version here makes the browser install the new worker."""
    body = (
        "self.SHELL = "
        + json.dumps({"version": shell_version(current_app.static_folder), "urls": shell_urls()})
        + ";\n"
    )
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw-classic.js")
def classic_service_worker():
    """The shell-only worker for browsers without module service workers; from the root, so its scope is "/"."""
    response = send_from_directory(
        current_app.static_folder, "sw-classic.js", mimetype="text/javascript", max_age=0
    )
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
