"""Which language a request is answered in, as Flask-Babel's locale selector: the signed-in user's setting,
else the choice made on this browser (the language links, kept in a cookie), else the browser's
Accept-Language, else English."""

from flask import request
from flask_login import current_user

from app.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES

COOKIE = "language"


def select_locale() -> str:
    user_choice = getattr(current_user, "language", None) if current_user else None
    if user_choice in LANGUAGES:
        return user_choice
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE)
