"""Languages: English and Welsh for the shopper app and what a volunteer reads.

One gettext catalogue per language (``app/translations/<code>/LC_MESSAGES/messages.po``, compiled to ``.mo``)
holds every string: Flask-Babel translates pages with it, and the shopper app reads the same compiled catalogue
as JSON (``GET /app/messages/<code>.json``, cached with the shell). README, "Languages", says how to add a string.
"""

from flask import Blueprint

bp = Blueprint("i18n", __name__)


def register(app, api) -> None:
    from app.extensions import babel
    from app.i18n import routes  # noqa: F401  (its routes on ``bp``)
    from app.i18n.api import blp
    from app.i18n.choice import remember_link_choice, select_locale
    from app.i18n.cli import translations_cli
    from app.i18n.languages import LANGUAGES

    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    app.jinja_env.globals.update(languages=LANGUAGES, current_language=current_language, html_lang=html_lang)
    app.after_request(remember_link_choice)
    app.register_blueprint(bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
    app.cli.add_command(translations_cli)


def current_language() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "en")


def html_lang() -> str:
    from app.i18n.languages import HTML_LANG

    return HTML_LANG.get(current_language(), "en-GB")
