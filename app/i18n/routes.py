"""POST /language (a reader's choice of language) and GET /app/messages/<code>.json (the app's strings)."""

from urllib.parse import urlsplit

from flask import Response, abort, json, redirect, request
from flask_login import current_user

from app.extensions import db
from app.i18n import bp
from app.i18n.catalogue import app_catalogue
from app.i18n.choice import COOKIE, ONE_YEAR
from app.i18n.languages import LANGUAGES
from app.i18n.services import set_language


@bp.post("/language")
def choose_language():
    """The language links on every page: kept for this browser, and as a signed-in user's setting; back to
    the page they were on."""
    code = request.form.get("language", "")
    if code not in LANGUAGES:
        abort(400)
    # Back to the page the choice was made on, when it is this site's.
    parts = urlsplit(request.referrer or "/")
    same_site = not parts.netloc or parts.netloc == request.host
    target = (
        (parts.path + (f"?{parts.query}" if parts.query else ""))
        if same_site and parts.path.startswith("/")
        else "/"
    )
    if current_user.is_authenticated:
        set_language(current_user._get_current_object(), code)
        db.session.commit()
    response = redirect(target)
    response.set_cookie(
        COOKIE, code, max_age=ONE_YEAR, secure=request.is_secure, httponly=True, samesite="Lax"
    )
    return response


@bp.get("/app/messages/<code>.json")
def app_messages(code):
    """Public like the shell, and cached with it by the service worker (a new catalogue is a new shell version)."""
    if code not in LANGUAGES:
        abort(404)
    response = Response(json.dumps(app_catalogue(code)), mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"
    return response
