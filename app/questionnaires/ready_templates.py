"""The ready questionnaires a programme can start from: one JSON file per channel, in the import format.

They are checked with the import schema when first read; a broken file fails loudly (and in the tests),
never half-way through making a questionnaire.
"""

from functools import cache
from pathlib import Path

from app.questionnaires.exchange import parse

TEMPLATE_DIR = Path(__file__).parent / "templates_json"


@cache
def ready_templates() -> dict[str, dict]:
    """File stem -> checked content, e.g. ``"telephone_call"`` -> {"title": "Telephone call", ...}."""
    return {
        path.stem: parse(path.read_text(encoding="utf-8")) for path in sorted(TEMPLATE_DIR.glob("*.json"))
    }
