"""The upload's answers are exactly what the documented schemas give for the stored row.

Here every kind of content (photo and link evidence, replies, a call log, times in other zones) is
answered by PUT, by its replay and by POST /sync, and each body is compared byte for byte with the
body the schema walk makes from the stored row (times as the database gives them back).
"""

import base64
import uuid
from datetime import timedelta, timezone

import pytest
import sqlalchemy as sa
from flask import current_app

from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Channel, ContactPoint
from app.visits.models import Submission
from app.visits.schemas import SubmissionSchema
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_questionnaire, make_shopper
from tests.visits.payloads import submission_payload
from tests.visits.test_call_log import call_log

PHOTO = base64.b64encode(b"\xff\xd8\xff\xe0 a tiny jpeg").decode()
PARIS = timezone(timedelta(hours=1))


@pytest.fixture
def shopper(world):
    return make_shopper(world)


@pytest.fixture
def headers(client, shopper):
    sign_in(client, shopper)
    return csrf_headers(client)


def email_body(world, shopper):
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
    assignment = make_assignment(world, shopper, contact_point=point, version=version)
    sent = (utcnow() - timedelta(days=3)).astimezone(PARIS)
    return submission_payload(
        assignment,
        kind="email",
        sent_at=sent.isoformat(),
        replies=[
            {"received_at": (sent + timedelta(days=2)).isoformat(), "summary": "Acknowledged"},
            {"received_at": (sent + timedelta(days=2, hours=1)).isoformat(), "via": "letter"},
        ],
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


def bodies(world, shopper) -> list[dict]:
    visit = make_assignment(world, shopper)
    started = (utcnow() - timedelta(minutes=40)).astimezone(PARIS)
    return [
        submission_payload(
            visit,
            started_at=started.isoformat(),
            completed_at=(started + timedelta(minutes=20)).isoformat(),
            answers={"greeted": True, "helpful": None, "outcome": "resolved"},
        ),
        submission_payload(
            make_assignment(world, shopper, contact_point=world.district_phone), call_log=call_log()
        ),
        submission_payload(
            make_assignment(world, shopper, contact_point=world.district_phone),
            call_log=call_log(
                seconds_to_answer=None,
                transfers=[],
                outcome="abandoned",
                abandoned_after_minutes=3,
                handle_time_seconds=None,
                recorded_message={"heard": False},
            ),
        ),
        email_body(world, shopper),
    ]


def walked(submission_uuid: str) -> dict:
    """``SubmissionSchema`` dumping the stored row as the database hands it back."""
    db.session.expire_all()
    row = db.session.scalar(sa.select(Submission).where(Submission.uuid == uuid.UUID(submission_uuid)))
    version = row.questionnaire_version
    view = {name: getattr(row, name) for name in SubmissionSchema().fields if hasattr(row, name)}
    view.update(questionnaire_id=version.questionnaire_id, questionnaire_version=version.number)
    dumped = SubmissionSchema().dump(view)
    # Photos are answered by their decoded size, never their data.
    assert [e.get("size") for e in dumped["evidence"]] == [
        len(base64.b64decode(e["data"])) if e.get("data") else None for e in row.evidence
    ]
    assert not any("data" in e for e in dumped["evidence"])
    return dumped


def as_sent(data) -> bytes:
    return current_app.json.response(data).get_data()


def test_put_and_its_replay_answer_what_the_schema_walk_gives(client, headers, world, shopper):
    for body in bodies(world, shopper):
        first = client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=headers)
        assert first.status_code == 201, first.get_data(as_text=True)
        assert first.mimetype == "application/json"
        assert first.get_data() == as_sent(walked(body["uuid"]))
        replay = client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=headers)
        assert (replay.status_code, replay.get_data()) == (200, first.get_data())


def test_sync_answers_what_the_schema_walk_gives(client, headers, world, shopper):
    items = bodies(world, shopper)
    sent = client.post("/api/v1/sync", json={"submissions": [*items, {"uuid": "x"}]}, headers=headers)
    assert sent.status_code == 200
    results = sent.get_json()["results"]
    assert [r["status"] for r in results] == [201] * len(items) + [422]
    expected = {
        "results": [
            {"uuid": item["uuid"], "status": 201, "submission": walked(item["uuid"])} for item in items
        ]
        + [results[-1]]
    }
    assert sent.get_data() == as_sent(expected)
    again = client.post("/api/v1/sync", json={"submissions": items}, headers=headers)
    assert [r["submission"] for r in again.get_json()["results"]] == [r["submission"] for r in results[:-1]]
