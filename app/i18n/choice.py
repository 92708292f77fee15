"""Which language a request is answered in, as Flask-Babel's locale selector: a ``?lang=`` link (a signed-out
visitor's language link; remembered in a cookie by ``remember_link_choice``), else the signed-in user's
setting, else the choice made on this browser (the cookie), else the browser's Accept-Language, else English."""

from flask import request
from flask_login import current_user

from app.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES

COOKIE = "language"
ONE_YEAR = 365 * 24 * 3600


def select_locale() -> str:
    linked = request.args.get("lang")
    if linked in LANGUAGES:
        return linked
    user_choice = getattr(current_user, "language", None) if current_user else None
    if user_choice in LANGUAGES:
        return user_choice
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE)


def remember_link_choice(response):
    """After a request with ``?lang=``: keep it for this browser (a preference cookie, nothing stored)."""
    linked = request.args.get("lang")
    if linked in LANGUAGES and request.cookies.get(COOKIE) != linked:
        response.set_cookie(
            COOKIE, linked, max_age=ONE_YEAR, secure=request.is_secure, httponly=True, samesite="Lax"
        )
    return response
