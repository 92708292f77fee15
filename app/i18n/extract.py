"""Finding every string to translate, and keeping each language's catalogue up to date with them.

Pages and forms mark strings with ``_`` / ``gettext`` / ``ngettext`` (``_l`` for a form's lazy labels), the
shopper app's JS with ``t("…")`` and ``tn("one …", "{n} …", n)`` from ``i18n.js``. ``flask translations
update`` writes the new strings into every ``messages.po`` (untranslated), and ``compile`` makes the ``.mo``
files that pages and the app read; ``tests/i18n`` fails while any string lacks its Welsh.
"""

from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.i18n.catalogue import TRANSLATIONS, mo_path
from app.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES

APP_FOLDER = TRANSLATIONS.parent
PAGE_KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
JS_KEYWORDS = {"t": None, "tn": (1, 2), "tFor": (2,)}
SOURCES = (
    ([("**.py", "python"), ("templates/**.html", "jinja2")], PAGE_KEYWORDS),
    # Not the hashed copies of the modules (app/static_assets.py): the modules' own names have no hyphen.
    (
        [("static/js/shopper-app/*-*.js", "ignore"), ("static/js/shopper-app/**.js", "javascript")],
        JS_KEYWORDS,
    ),
)
TRANSLATED = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)


def po_path(code: str) -> Path:
    return TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"


def extract_template() -> Catalog:
    """Every string marked for translation in the app's code, templates and the shopper app."""
    template = Catalog(project="Service Shopper", fuzzy=False)
    for method_map, keywords in SOURCES:
        options = {pattern: {"trimmed": "true"} for pattern, method in method_map if method == "jinja2"}
        for filename, _lineno, message, comments, context in extract_from_dir(
            APP_FOLDER, method_map, options, keywords, comment_tags=("Translators:",)
        ):
            template.add(message, None, [(f"app/{filename}", None)], auto_comments=comments, context=context)
    return template


def read_catalogue(code: str) -> Catalog:
    with po_path(code).open("rb") as file:
        return read_po(file, locale=code)


def update() -> dict[str, int]:
    """Bring every translated language's ``messages.po`` up to date: new strings added untranslated, strings
    no longer in the code dropped. Answers how many each language still lacks."""
    template = extract_template()
    missing = {}
    for code in TRANSLATED:
        path = po_path(code)
        if path.exists():
            catalogue = read_catalogue(code)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue = Catalog(locale=code, project="Service Shopper", fuzzy=False)
        catalogue.update(template, no_fuzzy_matching=True, update_creation_date=False)
        with path.open("wb") as file:
            write_po(file, catalogue, width=0, sort_output=True, ignore_obsolete=True, include_lineno=False)
        missing[code] = len(untranslated(catalogue))
    return missing


def untranslated(catalogue: Catalog) -> list[str]:
    def lacks(message) -> bool:
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        return message.fuzzy or not all(strings)

    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id and lacks(m)]


def compiled(code: str) -> bytes:
    buffer = BytesIO()
    write_mo(buffer, read_catalogue(code))
    return buffer.getvalue()


def compile_all() -> None:
    for code in TRANSLATED:
        mo_path(code).write_bytes(compiled(code))
