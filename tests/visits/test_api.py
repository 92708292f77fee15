"""PUT /api/v1/submissions/<uuid> and POST /api/v1/sync: status, problem code, and what is (not) stored."""

import json
import uuid

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments.models import AssignmentState
from app.audit.models import AuditEvent
from app.extensions import db
from app.text import BROKEN_TEXT, NUL_TEXT
from app.visits.models import Submission, SubmissionRevision
from app.visits.services import return_for_changes
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper, make_user
from tests.visits.payloads import submission_payload


@pytest.fixture
def shopper(world):
    return make_shopper(world)


@pytest.fixture
def assignment(world, shopper):
    return make_assignment(world, shopper)


@pytest.fixture
def put(client, shopper):
    """PUT a body as the signed-in shopper, with the CSRF header."""
    sign_in(client, shopper)
    headers = csrf_headers(client)

    def put(body, path_uuid=None, **kwargs):
        return client.put(
            f"/api/v1/submissions/{path_uuid or body['uuid']}", json=body, headers=headers, **kwargs
        )

    put.headers = headers
    return put


def stored_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Submission))


def assert_problem(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == code
    return response.get_json()


def test_created_then_identical_replay_answers_the_same_body(put, assignment):
    body = submission_payload(assignment)
    first = put(body)
    assert first.status_code == 201
    stored = first.get_json()
    assert stored["uuid"] == body["uuid"]
    assert (stored["revision"], stored["state"], stored["flags"]) == (1, "submitted", [])
    assert stored["received_at"] and stored["answers"] == body["answers"]

    replay = put(body)
    assert replay.status_code == 200
    assert replay.get_json() == stored
    assert stored_count() == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "submission.received")
        )
        == 1
    )
    db.session.refresh(assignment)
    assert assignment.state is AssignmentState.submitted
    assert assignment.questionnaire_version.frozen_at is not None


def test_same_uuid_with_different_content_is_a_conflict(put, assignment):
    body = submission_payload(assignment)
    put(body)
    changed = {**body, "notes": "Something else"}
    assert_problem(put(changed), 409, "submission_conflict")
    assert stored_count() == 1
    assert db.session.scalar(sa.select(Submission.notes)) == body["notes"]


def test_sync_batch_with_one_invalid_item(put, client, assignment, world, shopper):
    other = make_assignment(world, shopper, contact_point=world.county_office)
    good = [submission_payload(assignment), submission_payload(other)]
    bad = submission_payload(assignment, answers={"greeted": "yes"})
    malformed = {"uuid": str(uuid.uuid4()), "kind": "nonsense"}
    response = client.post(
        "/api/v1/sync", json={"submissions": [good[0], bad, malformed, good[1]]}, headers=put.headers
    )
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == [201, 422, 422, 201]
    assert [r["uuid"] for r in results] == [good[0]["uuid"], bad["uuid"], malformed["uuid"], good[1]["uuid"]]
    assert results[1]["code"] == "validation_failed" and "greeted" in results[1]["errors"]["answers"]
    assert results[2]["code"] == "validation_failed" and "kind" in results[2]["errors"]
    assert "submission" not in results[1] and results[0]["submission"]["revision"] == 1
    assert stored_count() == 2

    again = client.post("/api/v1/sync", json={"submissions": good}, headers=put.headers).get_json()["results"]
    assert [r["status"] for r in again] == [200, 200]
    assert again[0]["submission"] == results[0]["submission"]
    assert stored_count() == 2


def test_each_upload_is_audited_against_its_own_row(put, client, assignment, world, shopper):
    """A PUT and a sync's items each get ``submission.received`` naming their own row, and each assignment
    ``assignment.submitted``: the batch writes these events from rows whose ids it reads back by UUID."""
    others = [make_assignment(world, shopper, contact_point=world.county_office) for _ in range(3)]
    alone = submission_payload(assignment)
    assert put(alone).status_code == 201
    batch = [submission_payload(other) for other in reversed(others)]
    results = client.post("/api/v1/sync", json={"submissions": batch}, headers=put.headers).get_json()[
        "results"
    ]
    assert [r["status"] for r in results] == [201, 201, 201]

    ids = dict(db.session.execute(sa.select(Submission.uuid, Submission.id)).all())
    received = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "submission.received")
    ).all()
    assert sorted((event.object_id, event.data["uuid"]) for event in received) == sorted(
        (str(ids[uuid.UUID(body["uuid"])]), body["uuid"]) for body in [alone, *batch]
    )
    assert all(
        event.data["assignment_id"] == db.session.get(Submission, int(event.object_id)).assignment_id
        for event in received
    )
    submitted = db.session.scalars(
        sa.select(AuditEvent.object_id).where(AuditEvent.action == "assignment.submitted")
    )
    assert sorted(submitted) == sorted(str(a.id) for a in [assignment, *others])


def _with_broken_text(body: dict, marker: str) -> str:
    """The JSON of ``body`` with ``marker`` replaced by a lone surrogate escape, as JavaScript's
    JSON.stringify writes half of an emoji (Python's json would not send one)."""
    return json.dumps(body).replace(marker, "cut \\ud83d")


def test_broken_text_is_a_field_error_not_a_server_error(put, client, assignment):
    body = submission_payload(assignment, notes="NOTES-HERE", commendation="fine")
    response = client.put(
        f"/api/v1/submissions/{body['uuid']}",
        data=_with_broken_text(body, "NOTES-HERE"),
        content_type="application/json",
        headers=put.headers,
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"] == {"notes": [BROKEN_TEXT]}
    assert stored_count() == 0


def test_sync_item_with_broken_text_does_not_hold_up_the_batch(put, client, assignment, world, shopper):
    other = make_assignment(world, shopper, contact_point=world.county_office)
    good = submission_payload(other)
    broken = submission_payload(assignment, answers={"greeted": True, "helpful": 4, "outcome": "ANSWER-HERE"})
    response = client.post(
        "/api/v1/sync",
        data=_with_broken_text({"submissions": [broken, good]}, "ANSWER-HERE"),
        content_type="application/json",
        headers=put.headers,
    )
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == [422, 201]
    assert results[0]["errors"] == {"answers": {"outcome": [BROKEN_TEXT]}}
    assert stored_count() == 1


def test_sync_refuses_more_than_100_items(put, client, assignment):
    items = [submission_payload(assignment) for _ in range(101)]
    response = client.post("/api/v1/sync", json={"submissions": items}, headers=put.headers)
    body = assert_problem(response, 422, "validation_failed")
    assert "submissions" in body["errors"]
    assert stored_count() == 0


def test_oversized_body_is_413(put, assignment, app):
    body = submission_payload(assignment, notes="x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert_problem(put(body), 413, "payload_too_large")
    assert stored_count() == 0


def test_another_shoppers_assignment_is_refused(put, world):
    someone_else = make_shopper(world)
    theirs = make_assignment(world, someone_else)
    assert_problem(put(submission_payload(theirs)), 403, "not_yours")
    assert stored_count() == 0


def test_another_shoppers_submission_uuid_is_refused(put, client, world, assignment):
    body = submission_payload(assignment)
    put(body)
    someone_else = make_shopper(world)
    theirs = make_assignment(world, someone_else)
    sign_in(client, someone_else)
    response = client.put(
        f"/api/v1/submissions/{body['uuid']}",
        json={**body, "assignment_id": theirs.id},
        headers=csrf_headers(client),
    )
    assert_problem(response, 403, "not_yours")
    assert stored_count() == 1


def test_unknown_questionnaire_version(put, assignment):
    body = assert_problem(
        put(submission_payload(assignment, questionnaire_version=99)), 422, "unknown_questionnaire_version"
    )
    assert "questionnaire_version" in body["errors"]
    assert stored_count() == 0
    assert assignment.questionnaire_version.frozen_at is None


def test_version_of_another_questionnaire_is_a_mismatch(put, assignment, world):
    other = world.phone_version
    body = submission_payload(
        assignment, questionnaire_id=other.questionnaire_id, questionnaire_version=other.number
    )
    assert_problem(put(body), 422, "questionnaire_version_mismatch")
    assert stored_count() == 0


def test_unknown_assignment(put, assignment):
    assert_problem(
        put(submission_payload(assignment, assignment_id=assignment.id + 1000)), 422, "unknown_assignment"
    )


def test_uuid_in_path_and_body_must_agree(put, assignment):
    response = put(submission_payload(assignment), path_uuid=uuid.uuid4())
    assert "uuid" in assert_problem(response, 422, "uuid_mismatch")["errors"]
    assert stored_count() == 0


@pytest.mark.parametrize(
    "answers, key, message",
    [
        (
            {"greeted": True, "helpful": 4, "outcome": "resolved", "colour": "red"},
            "colour",
            "No such question",
        ),
        ({"greeted": "yes", "helpful": 4, "outcome": "resolved"}, "greeted", "true or false"),
        ({"greeted": True, "helpful": 9, "outcome": "resolved"}, "helpful", "between 1 and 5"),
        ({"greeted": True, "helpful": 4, "outcome": "sorted"}, "outcome", "Not an option"),
        ({"greeted": None, "helpful": 4, "outcome": "resolved"}, "greeted", "does not allow N/A"),
        ({"helpful": 4, "outcome": "resolved"}, "greeted", "required"),
    ],
)
def test_malformed_answers(put, assignment, answers, key, message):
    body = assert_problem(put(submission_payload(assignment, answers=answers)), 422, "validation_failed")
    assert message in body["errors"]["answers"][key][0]
    assert stored_count() == 0


def test_schema_errors_are_listed_per_field(put, assignment):
    body = submission_payload(assignment, started_at="yesterday", kind="call")
    del body["completed_at"]
    errors = assert_problem(put(body), 422, "validation_failed")["errors"]
    assert set(errors) == {"started_at", "completed_at"}
    assert (
        "kind"
        in assert_problem(put(submission_payload(assignment, kind="call")), 422, "validation_failed")[
            "errors"
        ]
    )


def test_not_applicable_where_allowed(put, assignment):
    response = put(
        submission_payload(assignment, answers={"greeted": True, "helpful": None, "outcome": "resolved"})
    )
    assert response.status_code == 201
    assert response.get_json()["answers"]["helpful"] is None


@pytest.mark.parametrize(
    "state, flag",
    [
        (AssignmentState.withdrawn, "assignment_withdrawn"),
        (AssignmentState.cancelled, "assignment_cancelled"),
    ],
)
def test_report_for_withdrawn_or_cancelled_assignment_is_kept_and_flagged(put, world, shopper, state, flag):
    assignment = make_assignment(world, shopper, state=state)
    response = put(submission_payload(assignment))
    assert response.status_code == 201
    assert response.get_json()["flags"] == [flag]
    assert stored_count() == 1
    db.session.refresh(assignment)
    assert assignment.state is state and assignment.flagged


def test_second_report_for_an_assignment_is_kept_and_flagged(put, assignment):
    assert put(submission_payload(assignment)).get_json()["flags"] == []
    second = put(submission_payload(assignment))
    assert second.status_code == 201
    assert second.get_json()["flags"] == ["second_report"]
    assert stored_count() == 2
    db.session.refresh(assignment)
    assert assignment.flagged


def test_returned_report_is_resubmitted_as_a_new_revision(put, assignment, world):
    body = submission_payload(assignment)
    first = put(body).get_json()
    coordinator = make_user(Role.coordinator, programme=world.programme)
    submission = db.session.scalar(sa.select(Submission))
    return_for_changes(submission, coordinator, "Say which desk you went to.")
    db.session.commit()

    fixed = {**body, "notes": "Main reception desk."}
    response = put(fixed)
    assert response.status_code == 200
    second = response.get_json()
    assert (second["revision"], second["state"], second["notes"]) == (2, "submitted", "Main reception desk.")
    assert second["uuid"] == first["uuid"]
    assert stored_count() == 1
    previous = db.session.scalar(sa.select(SubmissionRevision))
    assert (previous.revision, previous.content["notes"], previous.review_comment) == (
        1,
        body["notes"],
        "Say which desk you went to.",
    )
    assert previous.content_hash == first["content_hash"]

    assert put(fixed).get_json() == second  # the new revision replays
    assert put(body).status_code == 200  # a late retry of revision 1 settles too, changing nothing
    assert_problem(put({**body, "notes": "A third version"}), 409, "submission_conflict")
    db.session.refresh(assignment)
    assert assignment.state is AssignmentState.submitted


def test_gate_must_be_passed(client, world):
    shopper = make_shopper(world, gate_passed=False)
    assignment = make_assignment(world, shopper)
    sign_in(client, shopper)
    body = submission_payload(assignment)
    response = client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=csrf_headers(client))
    assert_problem(response, 403, "gate_incomplete")
    response = client.post("/api/v1/sync", json={"submissions": [body]}, headers=csrf_headers(client))
    assert_problem(response, 403, "gate_incomplete")
    assert stored_count() == 0


def test_only_shoppers_submit(client, world, assignment):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    body = submission_payload(assignment)
    response = client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=csrf_headers(client))
    assert_problem(response, 403, "forbidden")
    assert stored_count() == 0


@pytest.mark.parametrize("method, path", [("put", "/api/v1/submissions/{uuid}"), ("post", "/api/v1/sync")])
def test_signed_out_is_401(client, assignment, method, path):
    body = submission_payload(assignment)
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    json_body = body if method == "put" else {"submissions": [body]}
    response = getattr(client, method)(
        path.format(uuid=body["uuid"]), json=json_body, headers={"X-CSRFToken": token}
    )
    assert_problem(response, 401, "not_signed_in")
    assert stored_count() == 0


@pytest.mark.parametrize("method, path", [("put", "/api/v1/submissions/{uuid}"), ("post", "/api/v1/sync")])
def test_missing_csrf_token_is_refused(client, shopper, assignment, method, path):
    sign_in(client, shopper)
    body = submission_payload(assignment)
    json_body = body if method == "put" else {"submissions": [body]}
    response = getattr(client, method)(path.format(uuid=body["uuid"]), json=json_body)
    assert_problem(response, 400, "csrf_failed")
    assert stored_count() == 0


def test_malformed_json(put, client, assignment):
    response = client.put(
        f"/api/v1/submissions/{uuid.uuid4()}",
        data="{not json",
        content_type="application/json",
        headers=put.headers,
    )
    assert_problem(response, 400, "malformed_json")


def test_openapi_documents_both_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    put_doc = spec["paths"]["/api/v1/submissions/{submission_uuid}"]["put"]
    assert {"200", "201", "409", "422"} <= set(put_doc["responses"])
    assert "Submission" in spec["components"]["schemas"]
    assert "/api/v1/sync" in spec["paths"]


def test_a_nul_in_a_sync_item_is_that_items_field_error(put, client, assignment, world, shopper):
    """PostgreSQL's text holds no NUL: refused as a field error of that item, the rest stored; the same six
    characters typed as text are stored as they are."""
    other = make_assignment(world, shopper, contact_point=world.county_office)
    typed = submission_payload(other, notes="a backslash: \\u0000 as typed")
    with_nul = submission_payload(assignment, notes="cut\x00here")
    response = client.post("/api/v1/sync", json={"submissions": [with_nul, typed]}, headers=put.headers)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == [422, 201]
    assert results[0]["errors"] == {"notes": [NUL_TEXT]}
    assert stored_count() == 1
