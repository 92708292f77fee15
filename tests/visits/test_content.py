"""The content hash's JSON (app/visits/content.py): orjson's quick way writes exactly the standard library's."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.visits.content import canonical_json


def standard(content) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400)
@given(st.dictionaries(st.text(max_size=12), json_values, max_size=8))
def test_the_same_bytes_as_the_standard_library(content):
    try:
        expected = standard(content)
    except UnicodeEncodeError:  # half a surrogate pair: refused either way (app/text.py names the field)
        with pytest.raises(UnicodeEncodeError):
            canonical_json(content)
        return
    assert canonical_json(content) == expected


def test_text_that_the_two_could_spell_differently():
    for text in ["\x00\x1f\x7f", "\u2028\u2029", '"\\/', "é ☃ 😀", "\ud7ff\ue000\uffff", "</script>"]:
        content = {"answers": {text: text}, "notes": text}
        assert canonical_json(content) == standard(content)
    assert canonical_json({"n": 1e-05}) == b'{"n":1e-05}'  # orjson would write 0.00001
