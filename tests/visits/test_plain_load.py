"""``load_plain`` (the plain report's quick load) and the ``SubmissionArgs`` schema agree on every input:
the same result, or both refuse (the quick load then steps aside and the schema gives the errors)."""

from datetime import datetime

import marshmallow as ma
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.visits.plain_load import load_plain
from app.visits.schemas import MAX_ID, SubmissionArgs

SCHEMA = SubmissionArgs()
PLAIN = {
    "uuid": "0b0c9d7e-3f55-4a5e-9d43-5d1f2d0b6a11",
    "assignment_id": 7,
    "kind": "visit",
    "questionnaire_id": 3,
    "questionnaire_version": 1,
    "started_at": "2026-11-20T10:00:00Z",
    "completed_at": "2026-11-20T11:20:00+01:00",
    "answers": {"greeted": True, "helpful": 4, "outcome": "resolved"},
    "notes": "Queue of three.",
}


def by_schema(raw):
    try:
        return ma.Schema.load(SCHEMA, raw)  # the schema alone, without the quick path
    except ma.ValidationError as error:
        return ("refused", error.messages)


def by_app(raw):
    try:
        return SCHEMA.load(raw)
    except ma.ValidationError as error:
        return ("refused", error.messages)


times = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda t: t.isoformat()),  # mostly before 2000 or after 2099
    st.datetimes(datetime(2000, 1, 2), datetime(2099, 12, 30), timezones=st.timezones()).map(
        lambda t: t.isoformat()
    ),
    st.datetimes().map(lambda t: t.isoformat()),  # naive: refused
    st.sampled_from(
        [
            "2026-11-20T10:00:00Z",
            "2026-11-20T10:00:00.5+02:00",
            "2026-11-20 10:00Z",
            "20261120T1000Z",
            "2026-11-20",
            "",
            "not a time",
            "2026-13-01T00:00:00Z",
            "9999-12-31T23:00:00-05:00",
            "0001-01-01T00:00:00+05:00",
            "1999-12-31T23:59:59Z",
            "2100-01-01T00:00:00Z",
        ]
    ),
    st.integers(),
    st.none(),
)
ids = st.one_of(
    st.integers(min_value=-2, max_value=MAX_ID + 2),
    st.sampled_from([1, MAX_ID, MAX_ID + 1, 0]),
    st.booleans(),
    st.floats(),
    st.text(max_size=3),
    st.none(),
)
uuids = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: u.hex),
    st.uuids().map(lambda u: f"{{{u}}}"),
    st.text(max_size=40),
    st.integers(),
    st.none(),
)
kinds = st.one_of(
    st.sampled_from(["visit", "call", "exit_interview", "email", "letter", "website", "Visit", ""]),
    st.integers(),
    st.none(),
)
answer_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.lists(st.one_of(st.text(max_size=3), st.floats()), max_size=3),
)
answers = st.one_of(
    st.dictionaries(st.text(max_size=62), answer_values, max_size=4),
    st.dictionaries(st.text(min_size=1, max_size=3), st.none(), min_size=499, max_size=502),
    st.lists(st.integers(), max_size=2),
    st.none(),
    st.text(max_size=3),
)
texts = st.one_of(
    st.text(max_size=5),
    st.sampled_from(["x" * 2_000, "x" * 2_001, "x" * 10_000, "x" * 10_001]),
    st.none(),
    st.integers(),
)
extras = {
    "evidence": st.just([]),
    "sent_at": st.one_of(st.none(), times),
    "replies": st.just([]),
    "call_log": st.none(),
    "unknown_field": st.integers(),
}
valid = {
    "uuid": st.uuids().map(str),
    "assignment_id": st.integers(1, MAX_ID),
    "kind": st.sampled_from(["visit", "call"]),
    "questionnaire_id": st.integers(1, MAX_ID),
    "questionnaire_version": st.integers(1, MAX_ID),
    "started_at": st.sampled_from(["2026-11-20T09:00:00+00:00", "2026-11-20T10:00:00.250Z"]),
    "completed_at": st.sampled_from(["2026-11-20T12:00:00+01:00", "2026-11-20T10:30:00.999999-03:30"]),
    "answers": st.dictionaries(st.text(min_size=1, max_size=60), answer_values, max_size=4),
    "notes": st.text(max_size=20),
    "commendation": st.text(max_size=20),
}
junk = {
    "uuid": uuids,
    "assignment_id": ids,
    "kind": kinds,
    "questionnaire_id": ids,
    "questionnaire_version": ids,
    "started_at": times,
    "completed_at": times,
    "answers": answers,
    "notes": texts,
    "commendation": texts,
}
# Half the time a valid value of another shape, half the time anything: many bodies stay plain and valid.
fields = {name: st.one_of(valid[name], junk[name]) for name in junk}


@st.composite
def bodies(draw):
    body = dict(PLAIN)
    for name in draw(st.sets(st.sampled_from(sorted(fields)), max_size=4)):
        body[name] = draw(fields[name])
    for name in draw(st.sets(st.sampled_from(sorted(fields)), max_size=1)):
        body.pop(name, None)
    for name in draw(st.sets(st.sampled_from(sorted(extras)), max_size=1)):
        body[name] = draw(extras[name])
    return body


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies())
@example(PLAIN)
@example({**PLAIN, "commendation": "", "notes": ""})
@example({**PLAIN, "answers": {"n": float("nan")}})
@example({**PLAIN, "completed_at": "2026-11-20T09:59:59Z"})
def test_the_quick_load_and_the_schema_agree(body):
    expected = by_schema(body)
    assert by_app(body) == expected
    plain = load_plain(body)
    if plain is not None:
        assert plain == expected


def test_a_plain_report_takes_the_quick_load():
    assert load_plain(PLAIN) == by_schema(PLAIN)
    assert load_plain({**PLAIN, "evidence": []}) is None  # not plain: the schema loads it


def test_the_generated_bodies_often_take_the_quick_load():
    """The property above means something only if many generated bodies are plain and valid."""
    taken = []

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(bodies())
    def count(body):
        taken.append(load_plain(body) is not None)

    count()
    # About one in ten is; a run once gave 26 of 300 even with derandomize, so the bar is one in twenty.
    assert sum(taken) >= len(taken) // 20
