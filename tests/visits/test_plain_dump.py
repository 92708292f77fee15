"""``dumper(schema)`` (the quick dump) gives what ``schema.dump`` gives: for the submission's canonical content
and its API answer on generated reports, and for every kind of field it formats itself or leaves to the
field."""

import enum
import uuid
from datetime import UTC, datetime, timedelta, timezone

import marshmallow as ma
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.visits.models import SubmissionKind, SubmissionState
from app.visits.plain_dump import dumper
from app.visits.schemas import SubmissionArgs, SubmissionSchema

ARGS = SubmissionArgs()
moments = st.datetimes(datetime(2000, 1, 2), datetime(2099, 12, 30), timezones=st.just(UTC))
answer_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
)
evidence = st.fixed_dictionaries(
    {
        "id": st.text(min_size=1, max_size=5),
        "kind": st.just("link"),
        "url": st.just("https://example.org/a"),
        "caption": st.text(max_size=5),
        "taken_at": st.one_of(st.none(), moments.map(lambda t: t.isoformat())),
    }
)
call_log = st.fixed_dictionaries(
    {
        "dialled_at": moments.map(lambda t: t.isoformat()),
        "seconds_to_answer": st.integers(0, 100),
        "recorded_message": st.just({"heard": False}),
        "outcome": st.just("redirected"),
    }
)


@st.composite
def loaded_reports(draw):
    """Reports as ``SubmissionArgs`` loads them (so as the app receives them), plain or not."""
    started = draw(moments)
    kind = draw(st.sampled_from(["visit", "call", "website", "exit_interview"]))
    body = {
        "uuid": str(draw(st.uuids())),
        "assignment_id": draw(st.integers(1, 2**31 - 1)),
        "kind": kind,
        "questionnaire_id": draw(st.integers(1, 9)),
        "questionnaire_version": draw(st.integers(1, 9)),
        "started_at": started.astimezone(timezone(timedelta(hours=draw(st.integers(-5, 5))))).isoformat(),
        "completed_at": (started + timedelta(seconds=draw(st.integers(0, 9999)))).isoformat(),
        "answers": draw(st.dictionaries(st.text(min_size=1, max_size=8), answer_values, max_size=4)),
    }
    for name, values in (
        ("notes", st.text(max_size=8)),
        ("commendation", st.text(max_size=8)),
        ("evidence", st.lists(evidence, max_size=2, unique_by=lambda e: e["id"])),
    ):
        if draw(st.booleans()):
            body[name] = draw(values)
    if kind == "call" and draw(st.booleans()):
        body["call_log"] = draw(call_log)
    return ARGS.load(body)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loaded_reports())
def test_the_canonical_content_is_the_schemas_dump(item):
    assert dumper(ARGS)(item) == ARGS.dump(item)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loaded_reports(), st.sampled_from(SubmissionState), st.lists(st.sampled_from(["late", "early"])))
def test_the_answer_is_the_schemas_dump(item, state, flags):
    values = {
        **item,
        "uuid": item["uuid"],  # stored as a UUID, answered as text
        "received_at": datetime(2026, 12, 1, 12, tzinfo=UTC),
        "revision": 1,
        "state": state,
        "flags": flags,
        "content_hash": "ab" * 32,
        "review_comment": "",
    }
    schema = SubmissionSchema()
    assert dumper(schema)(values) == schema.dump(values)


class Colour(enum.Enum):
    red = "r"


class Inner(ma.Schema):
    n = ma.fields.Integer()

    @ma.post_dump
    def mark(self, data, **kwargs):
        return {**data, "dumped": True}


class Shout(ma.fields.String):
    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.upper()


class Every(ma.Schema):
    text = ma.fields.String()
    as_text = ma.fields.Integer(as_string=True)
    number = ma.fields.Integer()
    by_name = ma.fields.Enum(Colour)
    by_value = ma.fields.Enum(Colour, by_value=True)
    typed_value = ma.fields.Enum(Colour, by_value=ma.fields.String)
    iso = ma.fields.DateTime()
    rfc = ma.fields.DateTime(format="rfc")
    plain_dict = ma.fields.Dict()
    typed_dict = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    shouted = Shout()
    shouted_list = ma.fields.List(Shout())
    nested = ma.fields.Nested(Inner, allow_none=True)
    nested_list = ma.fields.List(ma.fields.Nested(Inner))
    renamed = ma.fields.String(data_key="other")
    sourced = ma.fields.String(attribute="source")
    defaulted = ma.fields.String(dump_default="d")
    hidden = ma.fields.String(load_only=True)
    uuid = ma.fields.UUID()


def test_every_kind_of_field_dumps_as_the_schema_dumps_it():
    schema = Every()
    full = {
        "text": "t",
        "as_text": 3,
        "number": 4,
        "by_name": Colour.red,
        "by_value": Colour.red,
        "typed_value": Colour.red,
        "iso": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "rfc": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "plain_dict": {"a": [1]},
        "typed_dict": {"a": 1},
        "shouted": "quiet",
        "shouted_list": ["a", "b"],
        "nested": {"n": 1},
        "nested_list": [{"n": 2}],
        "renamed": "r",
        "source": "s",
        "hidden": "h",
        "uuid": uuid.UUID(int=5),
    }
    dump = dumper(schema)
    assert dump(full) == schema.dump(full)
    assert dump(full)["nested"] == {"n": 1, "dumped": True}  # the nested schema's own hook ran
    empty = {"nested": None, "nested_list": [], "shouted_list": [], "text": None, "iso": None}
    assert dump(empty) == schema.dump(empty)
    assert dump({}) == schema.dump({}) == {"defaulted": "d"}


def test_a_plain_report_is_dumped_without_marshmallow_for_its_plain_fields():
    item = ARGS.load(
        {
            "uuid": str(uuid.uuid4()),
            "assignment_id": 1,
            "kind": SubmissionKind.visit.value,
            "questionnaire_id": 1,
            "questionnaire_version": 1,
            "started_at": "2026-11-20T10:00:00Z",
            "completed_at": "2026-11-20T11:00:00Z",
            "answers": {"a": 1},
        }
    )
    calls = []
    fields = ARGS.dump_fields.values()
    originals = {field: field.serialize for field in fields}
    try:
        for field, original in originals.items():
            field.serialize = lambda *a, original=original, **k: calls.append(a[0]) or original(*a, **k)
        dumper(ARGS)(item)
    finally:
        for field in fields:
            del field.serialize
    assert calls == []
