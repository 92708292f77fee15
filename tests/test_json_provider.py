"""The app's JSON responses (app/json_provider.py): the JSON Flask's own provider would write, written faster."""

import dataclasses
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider

from app.json_provider import OrjsonProvider


@dataclasses.dataclass
class Point:
    x: int
    label: str


VALUE = {
    "text": "Café – 5 ★ \u2028 <b>&'",
    "int": 12,
    "float": 0.1,
    "small": 1e-05,
    "none": None,
    "yes": True,
    "when": datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
    "day": date(2026, 11, 30),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "money": Decimal("10.50"),
    "point": Point(1, "a"),
    "errors": {0: ["first"], 3: ["fourth"]},
    "list": [{"b": 1, "a": 2}],
}


def test_the_same_json_as_flasks_provider_with_keys_in_order(app):
    ours, flasks = OrjsonProvider(app), DefaultJSONProvider(app)
    written = ours.dumps(VALUE, separators=(",", ":"))
    assert json.loads(written) == json.loads(flasks.dumps(VALUE, separators=(",", ":")))
    assert json.loads(written)["when"] == "Mon, 30 Nov 2026 12:00:00 GMT"  # Flask's HTTP date
    assert written.index('"a"') < written.index('"b"') and written.startswith('{"day"')


def test_the_app_answers_with_it_and_indents_in_debug_as_flask_does(app):
    assert isinstance(app.json, OrjsonProvider)
    with app.test_request_context():
        assert app.json.response(VALUE).get_data(as_text=True).endswith("}\n")
    indented = OrjsonProvider(app).dumps({"b": 1, "a": 2}, indent=2)
    assert indented == '{\n  "a": 2,\n  "b": 1\n}'


def test_what_orjson_cannot_write_goes_to_flasks_provider(app):
    assert json.loads(OrjsonProvider(app).dumps({"n": 2**70}, separators=(",", ":"))) == {"n": 2**70}


def test_reading_refuses_nesting_beyond_the_limit_and_what_is_not_json():
    import json as std_json

    import pytest

    from app.json_provider import MAX_DEPTH, TooDeep, loads

    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert loads(b'{"a": [{"b": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}]}') == {"a": [{"b": "[" * 36}]}
    for text in ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), '{"a":' * 50_000 + "1" + "}" * 50_000):
        with pytest.raises(TooDeep):
            loads(text)
    for text in ("NaN", "[Infinity]", "{'a': 1}"):
        with pytest.raises(std_json.JSONDecodeError):
            loads(text)


def test_get_json_reads_with_the_limit(app):
    with app.test_request_context(
        "/api/v1/x", data="[" * 2_000 + "]" * 2_000, content_type="application/json"
    ):
        from flask import request

        assert request.get_json(silent=True) is None
