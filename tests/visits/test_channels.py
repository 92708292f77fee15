"""E-mail, letter and website shops through the API: sending, open reports, replies, the wait limit, and
each channel's bad input (a 422 with a field error that keeps nothing else in its batch out)."""

import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.programmes.calendar import add_working_days
from app.programmes.models import BankHoliday, Channel, ContactPoint
from app.visits.models import OpenReport, Submission
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_questionnaire, make_shopper
from tests.visits.payloads import submission_payload


@pytest.fixture
def shopper(world):
    return make_shopper(world)


def _assignment(world, shopper, channel, locator):
    point = ContactPoint(
        organisation=world.district,
        channel=channel,
        name=f"North {channel.value}",
        locator=locator,
        service_areas=[world.waste],
    )
    db.session.add(point)
    db.session.commit()
    version = make_questionnaire(world.programme, channel)
    return make_assignment(world, shopper, contact_point=point, version=version)


@pytest.fixture
def email(world, shopper):
    return _assignment(world, shopper, Channel.email, "enquiries@north.example")


@pytest.fixture
def letter(world, shopper):
    return _assignment(world, shopper, Channel.letter, "North Offices, 2 Low St")


@pytest.fixture
def website(world, shopper):
    return _assignment(world, shopper, Channel.website, "https://north.example")


@pytest.fixture
def api(client, shopper):
    sign_in(client, shopper)
    headers = csrf_headers(client)

    class Api:
        def put(self, body):
            return client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=headers)

        def keep_open(self, body):
            return client.put(f"/api/v1/open-reports/{body['uuid']}", json=body, headers=headers)

        def sync(self, *bodies):
            response = client.post("/api/v1/sync", json={"submissions": list(bodies)}, headers=headers)
            assert response.status_code == 200
            return response.get_json()["results"]

        def briefs(self):
            return {b["id"]: b for b in client.get("/api/v1/assignments").get_json()["items"]}

    return Api()


def sent_email(assignment, sent, **overrides):
    return submission_payload(
        assignment,
        sent_at=sent.isoformat(),
        sent_to="enquiries@north.example",
        sent_from="programme",
        **overrides,
    )


def reply(at, **overrides):
    return {"received_at": at.isoformat(), "via": "email", "from_role": "Council tax team", **overrides}


def open_body(body):
    return {k: v for k, v in body.items() if k not in ("completed_at", "finished_by")}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_email_kept_open_reaches_other_phones_then_finishes_once(api, email):
    sent = utcnow() - timedelta(days=2)
    body = sent_email(email, sent)
    kept = api.keep_open(open_body(body))
    assert kept.status_code == 200, kept.get_json()
    brief = api.briefs()[email.id]
    assert brief["open_report"]["uuid"] == body["uuid"]
    assert brief["open_report"]["sent_to"] == "enquiries@north.example"
    assert brief["reply_wait"] == {"working_days": 10, "bank_holidays": []}

    finished = {**body, "replies": [reply(utcnow() - timedelta(minutes=5))], "finished_by": "reply_complete"}
    first, again = api.sync(finished), api.sync(finished)
    assert [first[0]["status"], again[0]["status"]] == [201, 200]
    stored = first[0]["submission"]
    assert (stored["finished_by"], stored["sent_from"]) == ("reply_complete", "programme")
    assert stored["replies"][0]["from_role"] == "Council tax team"
    assert count(Submission) == 1 and count(OpenReport) == 0
    assert api.briefs()[email.id]["open_report"] is None


def test_a_reply_before_the_message_was_sent_is_a_field_error(api, email, world, shopper):
    sent = utcnow() - timedelta(days=1)
    early = sent_email(email, sent, replies=[reply(sent - timedelta(hours=2))], finished_by="reply_complete")
    good = submission_payload(make_assignment(world, shopper))
    results = api.sync(early, good)
    assert [r["status"] for r in results] == [422, 201]
    assert results[0]["code"] == "validation_failed" and "replies" in results[0]["errors"]
    response = api.keep_open(open_body(early))
    assert response.status_code == 422 and "replies" in response.get_json()["errors"]
    assert count(Submission) == 1 and count(OpenReport) == 0


def test_a_reply_on_a_finished_report_is_a_field_error(api, email, world, shopper):
    sent = utcnow() - timedelta(days=3)
    finished = sent_email(
        email, sent, replies=[reply(sent + timedelta(days=1))], finished_by="reply_complete"
    )
    assert api.put(finished).status_code == 201
    later = {**finished, "replies": finished["replies"] + [reply(utcnow() - timedelta(minutes=1))]}
    good = submission_payload(make_assignment(world, shopper))
    results = api.sync(later, good)
    assert [r["status"] for r in results] == [422, 201]
    assert results[0]["errors"] == {"replies": [results[0]["errors"]["replies"][0]]}
    assert "finished" in results[0]["errors"]["replies"][0]
    response = api.keep_open(open_body(later))
    assert response.status_code == 422 and "finished" in response.get_json()["errors"]["replies"][0]
    kept = db.session.scalar(sa.select(Submission).where(Submission.uuid == uuid.UUID(finished["uuid"])))
    assert count(Submission) == 2 and len(kept.replies) == 1


@pytest.mark.parametrize(
    "channel, extra, field",
    [
        ("email", {"website": {"start_page": "x", "found": False}}, "website"),
        ("email", {"reply_due": "2026-12-01"}, "reply_due"),
        ("email", {"sent_from": "a neighbour"}, "sent_from"),
        ("letter", {"sent_from": "programme"}, "sent_from"),
        ("website", {"replies": [{"received_at": "2026-12-01T10:00:00Z"}]}, "replies"),
        ("website", {"website": {"start_page": "https://north.example", "found": True}}, "website"),
        ("website", {"call_log": {"dialled_at": "2026-12-01T10:00:00Z"}}, "call_log"),
        ("visit", {"sent_to": "enquiries@north.example"}, "sent_to"),
    ],
)
def test_an_unknown_or_wrong_channel_field_is_a_field_error(api, world, shopper, channel, extra, field):
    if channel == "visit":
        assignment = make_assignment(world, shopper)
        body = submission_payload(assignment, **extra)
    elif channel == "website":
        assignment = _assignment(world, shopper, Channel.website, "https://north.example")
        body = submission_payload(assignment, **extra)
    else:
        kind = Channel.email if channel == "email" else Channel.letter
        assignment = _assignment(world, shopper, kind, "somewhere")
        body = submission_payload(assignment, sent_at=(utcnow() - timedelta(hours=1)).isoformat(), **extra)
    good = submission_payload(make_assignment(world, shopper, contact_point=world.county_office))
    results = api.sync(body, good)
    assert [r["status"] for r in results] == [422, 201]
    assert field in results[0]["errors"], results[0]["errors"]
    assert count(Submission) == 1


def test_letter_finished_by_the_wait_limit_only_once_it_passed(api, letter, world):
    too_soon = submission_payload(
        letter, sent_at=(utcnow() - timedelta(days=1)).isoformat(), finished_by="wait_limit", answers={}
    )
    [result] = api.sync(too_soon)
    assert result["status"] == 422 and "finished_by" in result["errors"]
    assert "working days" in result["errors"]["finished_by"][0]

    sent = utcnow() - timedelta(days=30)
    waited = submission_payload(letter, sent_at=sent.isoformat(), finished_by="wait_limit", answers={})
    waited["started_at"] = sent.isoformat()
    [result] = api.sync(waited)
    assert result["status"] == 201, result
    assert result["submission"]["finished_by"] == "wait_limit" and result["submission"]["replies"] == []


def test_bank_holidays_stretch_the_wait(api, email, world):
    friday = date(2026, 12, 18)
    assert add_working_days(friday, 1, set()) == date(2026, 12, 21)
    christmas = {date(2026, 12, 25), date(2026, 12, 28)}
    assert add_working_days(friday, 5, christmas) == date(2026, 12, 29)
    holiday = date.today() + timedelta(days=3)
    db.session.add(BankHoliday(programme_id=world.programme.id, day=holiday, name="A bank holiday"))
    db.session.commit()
    assert api.briefs()[email.id]["reply_wait"]["bank_holidays"] == [holiday.isoformat()]


def test_website_shop_log_is_stored(api, website):
    body = submission_payload(
        website,
        website={
            "start_page": "https://www.search.example/?q=missed+bin",
            "found": True,
            "seconds_to_find": 185,
            "dead_ends": 2,
            "accessibility_problems": ["pdf_only", "contrast"],
        },
    )
    [result] = api.sync(body)
    assert result["status"] == 201, result
    log = result["submission"]["website"]
    assert (log["seconds_to_find"], log["dead_ends"], log["accessibility_problems"]) == (
        185,
        2,
        ["pdf_only", "contrast"],
    )
    missing_time = {**body, "uuid": str(uuid.uuid4()), "website": {"start_page": "x", "found": True}}
    [result] = api.sync(missing_time)
    assert result["status"] == 422 and "seconds_to_find" in result["errors"]["website"]


def test_call_answers_the_taps_gave_and_one_overridden_are_both_kept_and_flagged(api, world, shopper):
    call = make_assignment(world, shopper, contact_point=world.district_phone)
    dialled = utcnow() - timedelta(minutes=10)
    taps = [
        {"event": "dialled", "at": dialled.isoformat()},
        {"event": "answered_person", "at": (dialled + timedelta(seconds=45)).isoformat()},
        {"event": "ended", "at": (dialled + timedelta(seconds=245)).isoformat()},
    ]
    call_log = {
        "dialled_at": dialled.isoformat(),
        "seconds_to_answer": 45,
        "recorded_message": {"heard": False},
        "outcome": "resolved",
        "handle_time_seconds": 200,
        "taps": taps,
    }
    agreed = submission_payload(call, kind="call", call_log=call_log, derived_answers={"helpful": 4})
    overridden = submission_payload(call, kind="call", call_log=call_log, derived_answers={"helpful": 2})
    results = api.sync(agreed, overridden)
    assert [r["status"] for r in results] == [201, 201]
    assert "derived_answer_overridden" not in results[0]["submission"]["flags"]
    assert "derived_answer_overridden" in results[1]["submission"]["flags"]
    assert results[1]["submission"]["derived_answers"] == {"helpful": 2}
    assert [t["event"] for t in results[0]["submission"]["call_log"]["taps"]] == [
        "dialled",
        "answered_person",
        "ended",
    ]
    [wrong] = api.sync(
        submission_payload(
            call,
            kind="call",
            call_log={**call_log, "taps": [{"event": "sneezed", "at": dialled.isoformat()}]},
        )
    )
    assert wrong["status"] == 422 and "taps" in wrong["errors"]["call_log"]
    [visit] = api.sync(submission_payload(make_assignment(world, shopper), derived_answers={"helpful": 4}))
    assert visit["status"] == 422 and "derived_answers" in visit["errors"]


def test_a_draft_of_another_kind_than_its_assignment_is_refused_and_not_kept(api, email, world, shopper):
    visit = make_assignment(world, shopper)  # an in-person visit never waits for a reply
    body = open_body(sent_email(email, utcnow() - timedelta(days=1)))
    refused = api.keep_open({**body, "assignment_id": visit.id})
    assert refused.status_code == 422
    assert refused.get_json()["code"] == "validation_failed"
    assert "kind" in refused.get_json()["errors"]
    assert count(OpenReport) == 0
