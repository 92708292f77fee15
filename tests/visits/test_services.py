"""The receiving service and answer checks, called directly."""

import base64
from datetime import timedelta, timezone
from types import SimpleNamespace

import marshmallow as ma
import pytest
import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Channel, ContactPoint
from app.questionnaires.models import QuestionType
from app.visits import validation
from app.visits.content import canonical_content, content_hash, content_of
from app.visits.models import Submission
from app.visits.schemas import MAX_PHOTO_BYTES, SubmissionArgs
from app.visits.services import receive
from tests.factories import make_assignment, make_questionnaire, make_shopper
from tests.visits.payloads import submission_payload

load = SubmissionArgs().load
PHOTO = base64.b64encode(b"\xff\xd8\xff\xe0 a tiny jpeg").decode()


@pytest.fixture
def shopper(world):
    return make_shopper(world)


@pytest.fixture
def assignment(world, shopper):
    return make_assignment(world, shopper)


@pytest.fixture
def stub_assignment():
    """Enough of an assignment for a payload, without a database."""
    version = SimpleNamespace(questionnaire_id=1, number=1)
    return SimpleNamespace(id=1, questionnaire_version=version, channel=Channel.in_person)


@pytest.fixture
def email_assignment(world, shopper):
    point = ContactPoint(
        organisation=world.district,
        channel=Channel.email,
        name="North enquiries",
        locator="enquiries@north.example",
        service_areas=[world.waste],
    )
    version = make_questionnaire(world.programme, Channel.email)
    db.session.add(point)
    db.session.commit()
    return make_assignment(world, shopper, contact_point=point, version=version)


def test_hash_is_of_the_content_not_its_notation(stub_assignment):
    body = submission_payload(stub_assignment)
    started = load(body)["started_at"]
    in_paris = started.astimezone(timezone(timedelta(hours=1))).isoformat()
    assert content_hash(canonical_content(load(body))) == content_hash(
        canonical_content(load({**body, "started_at": in_paris, "notes": body["notes"]}))
    )
    assert content_hash(canonical_content(load(body))) != content_hash(
        canonical_content(load({**body, "notes": "other"}))
    )


def test_stored_row_rebuilds_the_hashed_content(email_assignment, shopper):
    sent = utcnow() - timedelta(days=3)
    body = submission_payload(
        email_assignment,
        kind="email",
        sent_at=sent.isoformat(),
        replies=[{"received_at": (sent + timedelta(days=2)).isoformat(), "summary": "Acknowledged"}],
        evidence=[
            {
                "id": "p1",
                "kind": "photo",
                "content_type": "image/jpeg",
                "data": PHOTO,
                "taken_at": sent.isoformat(),
            },
            {"id": "l1", "kind": "link", "url": "https://north.example/bins", "caption": "FAQ"},
        ],
        commendation="The duty officer explained the options clearly.",
    )
    [outcome] = receive(shopper, [load(body)])
    db.session.commit()
    assert outcome.status == 201
    db.session.expire_all()
    row = db.session.scalar(sa.select(Submission))
    version = email_assignment.questionnaire_version
    assert content_hash(content_of(row, version.questionnaire_id, version.number)) == row.content_hash
    assert outcome.submission["evidence"][0] == {
        "id": "p1",
        "kind": "photo",
        "content_type": "image/jpeg",
        "caption": "",
        "taken_at": row.evidence[0]["taken_at"],
        "size": len(base64.b64decode(PHOTO)),
    }
    assert [r["summary"] for r in row.replies] == ["Acknowledged"]


def test_a_report_is_stored_under_its_assignments_programme(assignment, shopper):
    """The review queue finds a programme's reports by this column alone."""
    receive(shopper, [load(submission_payload(assignment))])
    db.session.commit()
    stored = db.session.scalar(sa.select(Submission).where(Submission.assignment_id == assignment.id))
    assert stored.programme_id == assignment.wave.programme_id is not None


def test_first_capture_freezes_the_version_once(assignment, shopper):
    receive(shopper, [load(submission_payload(assignment))])
    db.session.commit()
    version = assignment.questionnaire_version
    db.session.refresh(version)
    frozen_at = version.frozen_at
    assert frozen_at is not None
    receive(shopper, [load(submission_payload(assignment))], now=utcnow() + timedelta(hours=1))
    db.session.commit()
    db.session.refresh(version)
    assert version.frozen_at == frozen_at


def test_flags_from_device_times(assignment, shopper):
    now = utcnow()
    skewed = submission_payload(
        assignment,
        started_at=(now + timedelta(hours=1)).isoformat(),
        completed_at=(now + timedelta(hours=2)).isoformat(),
    )
    [outcome] = receive(shopper, [load(skewed)], now=now)
    assert outcome.submission["flags"] == ["clock_skew"]

    ends, starts = assignment.window_ends_at, assignment.window_starts_at
    late = submission_payload(
        assignment,
        started_at=(ends - timedelta(hours=1)).isoformat(),
        completed_at=(ends + timedelta(minutes=1)).isoformat(),
    )
    early = submission_payload(
        assignment,
        started_at=(starts - timedelta(minutes=5)).isoformat(),
        completed_at=(starts + timedelta(minutes=5)).isoformat(),
    )
    outcomes = receive(shopper, [load(late), load(early)], now=ends + timedelta(hours=1))
    assert outcomes[0].submission["flags"] == ["late", "second_report"]
    assert outcomes[1].submission["flags"] == ["early", "second_report"]


def test_the_same_uuid_twice_in_one_batch(assignment, shopper):
    body = submission_payload(assignment)
    same, changed = load(body), load({**body, "notes": "changed"})
    outcomes = receive(shopper, [load(body), same, changed])
    assert [o.status for o in outcomes] == [201, 200, 409]
    assert outcomes[1].submission == outcomes[0].submission
    assert outcomes[2].code == "submission_conflict"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1


def test_email_shop_needs_sent_time_and_replies_after_it(email_assignment):
    body = submission_payload(email_assignment, kind="email")
    with pytest.raises(ma.ValidationError) as error:
        load(body)
    assert "sent_at" in error.value.messages
    sent = utcnow() - timedelta(days=1)
    early_reply = {
        **body,
        "sent_at": sent.isoformat(),
        "replies": [{"received_at": (sent - timedelta(hours=1)).isoformat()}],
    }
    with pytest.raises(ma.ValidationError) as error:
        load(early_reply)
    assert "replies" in error.value.messages


def test_visit_records_no_sending(stub_assignment):
    with pytest.raises(ma.ValidationError) as error:
        load(submission_payload(stub_assignment, sent_at=utcnow().isoformat()))
    assert "sent_at" in error.value.messages


@pytest.mark.parametrize(
    "item, field",
    [
        ({"id": "p", "kind": "photo", "content_type": "image/jpeg", "data": "not base64!"}, "data"),
        (
            {
                "id": "p",
                "kind": "photo",
                "content_type": "image/jpeg",
                "data": base64.b64encode(b"x" * (MAX_PHOTO_BYTES + 1)).decode(),
            },
            "data",
        ),
        ({"id": "p", "kind": "photo", "content_type": "image/gif", "data": PHOTO}, "content_type"),
        ({"id": "p", "kind": "photo", "content_type": "image/png", "data": PHOTO}, "data"),  # a JPEG
        (
            {
                "id": "p",
                "kind": "photo",
                "content_type": "image/jpeg",
                "data": base64.b64encode(b"<svg onload=alert(1)>").decode(),
            },
            "data",
        ),
        ({"id": "p", "kind": "photo", "data": PHOTO}, "content_type"),
        ({"id": "l", "kind": "link"}, "url"),
    ],
)
def test_evidence_is_bounded(stub_assignment, item, field):
    with pytest.raises(ma.ValidationError) as error:
        load(submission_payload(stub_assignment, evidence=[item]))
    assert field in error.value.messages["evidence"][0]


def test_naive_device_times_are_refused(stub_assignment):
    with pytest.raises(ma.ValidationError) as error:
        load(submission_payload(stub_assignment, started_at="2026-11-23T10:00:00"))
    assert "started_at" in error.value.messages


def rules_of_every_type() -> dict:
    """One optional question of each type, next to the factory questionnaire's three."""
    rules = {
        kind.value: validation.Rule(
            kind,
            required=False,
            na_allowed=False,
            scale_min=0 if kind is QuestionType.scale else None,
            scale_max=10 if kind is QuestionType.scale else None,
            options=frozenset({"a", "b"}),
        )
        for kind in QuestionType
    }
    rules["greeted"] = validation.Rule(QuestionType.yes_no, required=True, na_allowed=False)
    return rules


@pytest.mark.parametrize(
    "key, good, bad",
    [
        ("yes_no", False, 0),
        ("scale", 0, 11),
        ("scale", 10, 2.5),
        ("single_choice", "b", ["b"]),
        ("multi_choice", ["a", "b"], ["a", "a"]),
        ("multi_choice", [], ["c"]),
        ("number", -2.5, "3"),
        ("number", 3, True),
        ("number", validation.MAX_WHOLE_NUMBER, 2**64),  # a JSON column's writer takes 64 bits at most
        ("duration", 95, -1),
        ("duration", 86_400, validation.MAX_WHOLE_NUMBER + 1),
        ("duration", 0, 1.5),
        ("time", "09:05", "9:05"),
        ("time", "23:59", "24:00"),
        ("text", "Polite and quick.", 12),
        ("text", "", "x" * (validation.MAX_TEXT_ANSWER + 1)),
        ("photo", "p1", "p2"),
    ],
)
def test_answer_types(key, good, bad):
    rules = rules_of_every_type()
    assert validation.check_answers(rules, {"greeted": True, key: good}, {"p1"}) == {}
    assert list(validation.check_answers(rules, {"greeted": True, key: bad}, {"p1"})) == [key]


def test_rules_from_questions(world):
    version = world.visit_version
    rules = validation.rules_for_versions([version])[version.id]
    assert rules["outcome"].options == {"resolved", "redirected"}
    assert (rules["helpful"].scale_min, rules["helpful"].scale_max, rules["helpful"].na_allowed) == (
        1,
        5,
        True,
    )


def test_frozen_version_rules_come_from_the_cache(assignment, shopper):
    version = assignment.questionnaire_version
    receive(shopper, [load(submission_payload(assignment))])
    db.session.commit()
    db.session.refresh(version)
    validation.rules_for_versions([version])
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        rules = validation.rules_for_versions([version])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert set(rules[version.id]) == {"greeted", "helpful", "outcome"}
    assert statements == []


def test_a_declined_exit_interview_needs_no_other_answer_and_takes_none():
    rules = {
        "consent": validation.Rule(QuestionType.yes_no, required=True, na_allowed=False),
        "satisfied": validation.Rule(
            QuestionType.scale, required=True, na_allowed=False, scale_min=1, scale_max=5
        ),
    }
    assert validation.check_answers(rules, {"consent": False}, set()) == {}
    assert list(validation.check_answers(rules, {"consent": False, "satisfied": 4}, set())) == ["satisfied"]
    assert list(validation.check_answers(rules, {"consent": True}, set())) == ["satisfied"]


@pytest.mark.parametrize(
    "content_type, data",
    [
        ("image/jpeg", b"\xff\xd8\xff\xdb" + b"\x00" * 16),
        ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16),
        ("image/webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8),
    ],
)
def test_a_photo_whose_bytes_are_its_declared_type_is_taken(stub_assignment, content_type, data):
    photo = {
        "id": "p",
        "kind": "photo",
        "content_type": content_type,
        "data": base64.b64encode(data).decode(),
    }
    assert (
        load(submission_payload(stub_assignment, evidence=[photo]))["evidence"][0]["content_type"]
        == content_type
    )
