"""The catalogues: every string the code marks has its Welsh (a new one fails here until it is translated),
with the same placeholders, compiled into the .mo that pages and the shopper app read."""

import re
from pathlib import Path

from app.i18n.catalogue import mo_path
from app.i18n.extract import APP_FOLDER, TRANSLATED, compiled, extract_template, read_catalogue, untranslated
from app.static_assets import is_hashed_copy

PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")


def _ids(catalogue):
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}


def test_every_marked_string_has_its_welsh():
    marked = _ids(extract_template())
    assert len(marked) > 300  # the shopper app, the sign-up, the gate and the account pages
    for code in TRANSLATED:
        catalogue = read_catalogue(code)
        missing = sorted(marked - _ids(catalogue))
        assert not missing, (
            f"not in the {code} catalogue (run `flask --app wsgi translations update`): {missing}"
        )
        assert not untranslated(catalogue), f"untranslated in {code}: {untranslated(catalogue)}"


def test_translations_keep_every_placeholder():
    for code in TRANSLATED:
        for message in read_catalogue(code):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            wanted = set(PLACEHOLDER.findall(ids[-1]))
            for string in strings:
                assert set(PLACEHOLDER.findall(string)) == wanted, (message.id, string)


def test_the_compiled_catalogues_are_current():
    for code in TRANSLATED:
        assert mo_path(code).read_bytes() == compiled(code), (
            f"run `flask --app wsgi translations compile` ({code})"
        )


def test_extraction_misses_no_call_in_the_shopper_app():
    """A t("…") the extractor cannot see (inside a template literal, or nested in another call) would stay
    English for ever: every literal t()/tn() in the app's code must be in the catalogue."""
    marked = _ids(extract_template())
    called = set()
    for path in sorted(Path(APP_FOLDER, "static/js/shopper-app").glob("*.js")):
        if is_hashed_copy(path.name):
            continue
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("//"))
        called |= {(path.name, m) for m in re.findall(r'\btn?\("((?:[^"\\]|\\.)*)"', code)}
    assert {(name, text) for name, text in called if text not in marked} == set()
