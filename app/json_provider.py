"""The app's JSON: responses written by orjson, and every body and file read with a depth limit.

A sync's answer is a hundred stored reports, and orjson writes JSON several times faster than the
standard library. The output keeps Flask's conventions: keys sorted, dates and times as Flask writes them
(HTTP dates, through Flask's own ``default``), anything else Flask's ``default`` knows. It differs only
where JSON allows it: text other than ASCII is written as UTF-8 rather than escaped, and a float in
exponent form is spelt as orjson spells it (``1e-05`` as ``0.00001``). A call that asks for formatting of
its own (an indent, in debug mode) goes to Flask's provider as before.

Reading (``loads``, which ``request.get_json``, the API's parser and the file imports all use) refuses
what is not JSON (NaN, Infinity) and JSON nested deeper than MAX_DEPTH: the standard library parses
about a thousand levels before a RecursionError, and everything after it that walks the value (the
text check, the content hash, orjson's writer at 255 levels) would fail sooner, as a server error.
"""

import json

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_COMPACT = {"separators": (",", ":")}
# Far beyond anything the app sends (a sync body is six levels deep) and within every later walk's reach.
MAX_DEPTH = 32
_CONTAINERS = (dict, list)


class TooDeep(json.JSONDecodeError):
    """JSON nested deeper than MAX_DEPTH (a ``json.JSONDecodeError``, as every reader already expects)."""

    def __init__(self, doc):
        super().__init__(f"nested deeper than {MAX_DEPTH} levels", doc if isinstance(doc, str) else "", 0)


def _not_json(name: str):
    # Python's json takes NaN, Infinity and -Infinity; JSON has no such values, and a NaN deep in an
    # answer would reach the content hash (allow_nan=False) as a server error.
    raise json.JSONDecodeError(f"{name} is not a JSON value", name, 0)


def _deeper_than(value, limit: int) -> bool:
    level = [value]
    for _ in range(limit):
        deeper = []
        for item in level:
            inner = item.values() if type(item) is dict else item
            deeper += [each for each in inner if isinstance(each, _CONTAINERS)]
        if not deeper:
            return False
        level = deeper
    return True


def loads(text: str | bytes):
    """Parse JSON text; ``json.JSONDecodeError`` for anything that is not JSON, ``TooDeep`` (one of them)
    for nesting beyond MAX_DEPTH. ``UnicodeDecodeError`` for bytes that are not UTF-8, as ``json.loads``."""
    try:
        value = json.loads(text, parse_constant=_not_json)
    except RecursionError:
        raise TooDeep(text) from None
    # Counting brackets is fast: a value with fewer than MAX_DEPTH of them cannot be that deep.
    if isinstance(value, _CONTAINERS) and _brackets(text) > MAX_DEPTH and _deeper_than(value, MAX_DEPTH):
        raise TooDeep(text)
    return value


def _brackets(text: str | bytes) -> int:
    if isinstance(text, str):
        return text.count("[") + text.count("{")
    return text.count(b"[") + text.count(b"{")


class OrjsonProvider(DefaultJSONProvider):
    def dumps(self, obj, **kwargs) -> str:
        if kwargs and kwargs != _COMPACT:
            return super().dumps(obj, **kwargs)
        try:
            return orjson.dumps(obj, default=self.default, option=_OPTIONS).decode()
        except orjson.JSONEncodeError:  # what orjson does not write (an integer beyond 64 bits): Flask's does
            return super().dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs):
        return loads(s) if not kwargs else super().loads(s, **kwargs)
