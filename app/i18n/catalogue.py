"""The compiled catalogue of one language as the shopper app reads it: ``{msgid: msgstr}`` (a plural as
``[forms]``), with the CLDR plural categories in gettext's order, so that the app picks a form with
``Intl.PluralRules`` and needs no expression evaluated."""

from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import read_mo

from app.i18n.languages import LANGUAGES

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# CLDR's order of plural categories, which is also the order of gettext's plural forms.
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


def mo_path(code: str) -> Path:
    return TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo"


@lru_cache(maxsize=len(LANGUAGES))
def app_catalogue(code: str) -> dict:
    """English is the source language: its catalogue is empty and the app shows each message as written."""
    tags = Locale.parse(code).plural_form.tags | {"other"}
    messages = {}
    path = mo_path(code)
    if path.exists():
        with path.open("rb") as file:
            for message in read_mo(file):
                strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
                if not message.id or not all(strings):
                    continue
                if isinstance(message.id, (tuple, list)):
                    messages[message.id[0]] = list(message.string)
                else:
                    messages[message.id] = message.string
    return {"language": code, "plural_categories": [c for c in CLDR_ORDER if c in tags], "messages": messages}
