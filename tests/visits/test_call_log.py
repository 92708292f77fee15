"""A telephone shop's structured call log: validated strictly, stored, hashed with the content, shown for review."""

import copy
import uuid

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.extensions import db
from app.visits.content import canonical_content, content_hash
from app.visits.models import Submission, SubmissionRevision
from app.visits.schemas import SubmissionArgs
from app.visits.services import return_for_changes
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper, make_user
from tests.visits.payloads import submission_payload

CALL_LOG = {
    "dialled_at": "2026-11-20T14:20:00+01:00",
    "seconds_to_answer": 45,
    "rings": 9,
    "recorded_message": {"heard": True, "gave_name": True, "gave_hours": False, "gave_alternative": True},
    "transfers": [
        {"to": "Revenues team", "announced": True, "seconds_waiting": 30},
        {"to": "Senior adviser, benefits", "announced": False},
    ],
    "outcome": "resolved",
    "handle_time_seconds": 305,
}


def call_log(**changes) -> dict:
    log = copy.deepcopy(CALL_LOG)
    for key, value in changes.items():
        if value is KeyError:
            log.pop(key)
        else:
            log[key] = value
    return log


@pytest.fixture
def shopper(world):
    return make_shopper(world)


@pytest.fixture
def phone(world, shopper):
    return make_assignment(world, shopper, contact_point=world.district_phone)


@pytest.fixture
def put(client, shopper):
    sign_in(client, shopper)
    headers = csrf_headers(client)

    def put(body):
        return client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=headers)

    put.headers = headers
    return put


def stored_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Submission))


def test_a_call_log_is_stored_in_canonical_form_and_replays(put, phone):
    body = submission_payload(phone, call_log=CALL_LOG)
    first = put(body)
    assert first.status_code == 201, first.get_json()
    stored = first.get_json()["call_log"]
    assert stored["dialled_at"] == "2026-11-20T13:20:00+00:00"  # UTC, however the device wrote it
    assert stored["transfers"][1] == {
        "to": "Senior adviser, benefits",
        "announced": False,
        "seconds_waiting": None,
    }
    assert stored["recorded_message"]["comment"] == ""
    assert stored["abandoned_after_minutes"] is None
    row = db.session.scalar(sa.select(Submission))
    assert row.call_log == stored
    assert "[call log]" not in row.notes

    assert put(body).get_json() == first.get_json()  # identical replay
    same_time_other_zone = {**body, "call_log": call_log(dialled_at="2026-11-20T13:20:00Z")}
    assert put(same_time_other_zone).status_code == 200  # the same content, spelt otherwise
    changed = put({**body, "call_log": call_log(rings=10)})
    assert changed.status_code == 409 and changed.get_json()["code"] == "submission_conflict"
    assert stored_count() == 1 and db.session.scalar(sa.select(Submission.call_log))["rings"] == 9


def test_a_call_without_a_call_log_hashes_as_before_call_logs_existed(put, phone):
    """A report queued on a phone before the app had a call log must still replay as identical."""
    body = submission_payload(phone)
    stored = put(body).get_json()
    assert stored["call_log"] is None
    content = canonical_content(SubmissionArgs().load(body))
    assert "call_log" not in content and stored["content_hash"] == content_hash(content)
    assert db.session.scalar(sa.select(Submission.id).where(Submission.call_log.is_(None))) is not None


def test_a_call_log_belongs_to_a_call_only(put, world, shopper):
    visit = make_assignment(world, shopper)
    response = put(submission_payload(visit, call_log=CALL_LOG))
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_failed"
    assert response.get_json()["errors"]["call_log"] == ["Only a telephone shop (kind call) has a call log."]
    assert stored_count() == 0


NOT_ANSWERED = dict(
    seconds_to_answer=None,
    transfers=[],
    outcome="abandoned",
    abandoned_after_minutes=10,
    handle_time_seconds=None,
)

INVALID = {  # case: (changes to CALL_LOG, where the error is)
    "no dialled time": (dict(dialled_at=KeyError), ["dialled_at"]),
    "dialled time without offset": (dict(dialled_at="2026-11-20T14:20:00"), ["dialled_at"]),
    "dialled time not a time": (dict(dialled_at="yesterday"), ["dialled_at"]),
    "answer time left out": (dict(seconds_to_answer=KeyError), ["seconds_to_answer"]),
    "negative answer time": (dict(seconds_to_answer=-1), ["seconds_to_answer"]),
    "answer time as text": (dict(seconds_to_answer="45"), ["seconds_to_answer"]),
    "fractional answer time": (dict(seconds_to_answer=4.5), ["seconds_to_answer"]),
    "negative rings": (dict(rings=-1), ["rings"]),
    "rings as a boolean": (dict(rings=True), ["rings"]),
    "no recorded message": (dict(recorded_message=KeyError), ["recorded_message"]),
    "message heard not said": (dict(recorded_message={"gave_name": True}), ["recorded_message", "heard"]),
    "heard as text": (
        dict(
            recorded_message={"heard": "yes", "gave_name": True, "gave_hours": True, "gave_alternative": True}
        ),
        ["recorded_message", "heard"],
    ),
    "heard but not assessed": (
        dict(recorded_message={"heard": True, "gave_name": True}),
        ["recorded_message", "gave_hours"],
    ),
    "assessed but not heard": (
        dict(recorded_message={"heard": False, "gave_name": True}),
        ["recorded_message", "gave_name"],
    ),
    "unknown message field": (
        dict(recorded_message={"heard": False, "music": True}),
        ["recorded_message", "music"],
    ),
    "transfer to no one": (dict(transfers=[{"to": "  ", "announced": True}]), ["transfers", "0", "to"]),
    "transfer not said if announced": (dict(transfers=[{"to": "Housing"}]), ["transfers", "0", "announced"]),
    "transfer announced as 1": (
        dict(transfers=[{"to": "Housing", "announced": 1}]),
        ["transfers", "0", "announced"],
    ),
    "negative wait in a transfer": (
        dict(transfers=[{"to": "Housing", "announced": True, "seconds_waiting": -5}]),
        ["transfers", "0", "seconds_waiting"],
    ),
    "too many transfers": (dict(transfers=[{"to": "Housing", "announced": True}] * 21), ["transfers"]),
    "transfers not a list": (dict(transfers={"to": "Housing"}), ["transfers"]),
    "unknown outcome": (dict(outcome="sorted"), ["outcome"]),
    "no outcome": (dict(outcome=KeyError), ["outcome"]),
    "abandoned without minutes": (dict(outcome="abandoned"), ["abandoned_after_minutes"]),
    "minutes but not abandoned": (dict(abandoned_after_minutes=10), ["abandoned_after_minutes"]),
    "negative minutes": (dict(outcome="abandoned", abandoned_after_minutes=-1), ["abandoned_after_minutes"]),
    "handled without a handle time": (dict(handle_time_seconds=None), ["handle_time_seconds"]),
    "negative handle time": (dict(handle_time_seconds=-3), ["handle_time_seconds"]),
    "handle time beyond a day": (dict(handle_time_seconds=90_000), ["handle_time_seconds"]),
    "unanswered yet transferred": (
        {**NOT_ANSWERED, "transfers": [{"to": "Housing", "announced": True}]},
        ["transfers"],
    ),
    "unanswered yet resolved": (
        {**NOT_ANSWERED, "outcome": "resolved", "abandoned_after_minutes": None, "handle_time_seconds": 60},
        ["outcome"],
    ),
    "unknown field": (dict(caller="Mrs Smith"), ["caller"]),
}


def error_at(errors: dict, path: list[str]):
    for key in path:
        assert isinstance(errors, dict) and key in errors, (path, errors)
        errors = errors[key]
    return errors


@pytest.mark.parametrize("changes, path", INVALID.values(), ids=INVALID.keys())
def test_each_invalid_call_log_is_refused_with_its_field_and_nothing_is_stored(
    put, client, phone, changes, path
):
    body = submission_payload(phone, call_log=call_log(**changes))
    response = put(body)
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert response.mimetype == "application/problem+json" and problem["code"] == "validation_failed"
    assert error_at(problem["errors"], ["call_log", *path])

    results = client.post("/api/v1/sync", json={"submissions": [body]}, headers=put.headers).get_json()[
        "results"
    ]
    assert results[0]["status"] == 422 and results[0]["code"] == "validation_failed"
    assert error_at(results[0]["errors"], ["call_log", *path])
    assert stored_count() == 0


VALID = {
    "unanswered and abandoned": NOT_ANSWERED,
    "unanswered, redirected by its message": dict(
        seconds_to_answer=None,
        transfers=[],
        outcome="redirected",
        handle_time_seconds=None,
        rings=None,
        recorded_message={
            "heard": True,
            "gave_name": True,
            "gave_hours": True,
            "gave_alternative": True,
            "comment": "Gave the county's number",
        },
    ),
    "no message, call back promised": dict(recorded_message={"heard": False}, outcome="call_back_promised"),
    "abandoned on hold after a transfer": dict(
        outcome="abandoned", abandoned_after_minutes=12, handle_time_seconds=None
    ),
    "unresolved with a zero handle time": dict(
        outcome="unresolved", handle_time_seconds=0, rings=0, seconds_to_answer=0, transfers=[]
    ),
}


@pytest.mark.parametrize("changes", VALID.values(), ids=VALID.keys())
def test_valid_call_logs_are_taken(put, phone, changes):
    response = put(submission_payload(phone, call_log=call_log(**changes)))
    assert response.status_code == 201, response.get_json()


def test_a_returned_call_is_resubmitted_with_its_call_log_kept_per_revision(put, phone, world):
    body = submission_payload(phone, call_log=CALL_LOG)
    first = put(body).get_json()
    return_for_changes(
        db.session.scalar(sa.select(Submission)),
        make_user(Role.coordinator, programme=world.programme),
        "How long did you wait on hold?",
    )
    db.session.commit()
    fixed = {
        **body,
        "call_log": call_log(transfers=[{"to": "Revenues team", "announced": True, "seconds_waiting": 95}]),
    }
    second = put(fixed)
    assert second.status_code == 200 and second.get_json()["revision"] == 2
    assert second.get_json()["call_log"]["transfers"] == [
        {"to": "Revenues team", "announced": True, "seconds_waiting": 95}
    ]
    previous = db.session.scalar(sa.select(SubmissionRevision))
    assert previous.content["call_log"] == first["call_log"]
    assert previous.content_hash == first["content_hash"]
    assert put(body).status_code == 200  # a late retry of revision 1 still settles


def test_the_review_report_shows_the_call_log(client, put, phone, world):
    uuid_ = str(uuid.uuid4())
    put(
        submission_payload(
            phone,
            uuid=uuid_,
            call_log=call_log(outcome="abandoned", abandoned_after_minutes=12, handle_time_seconds=None),
        )
    ).get_json()
    submission_id = db.session.scalar(sa.select(Submission.id))
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    page = client.get(f"/coordinator/review/{submission_id}").get_data(as_text=True)
    assert "Call log" in page and "2026-11-20 13:20 UTC" in page
    assert "Abandoned (the shopper gave up) after 12 min" in page
    assert "Senior adviser, benefits" in page and "Transfers, in order" in page
    assert "45 s" in page and "Not answered" not in page
