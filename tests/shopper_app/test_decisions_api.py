"""The app's API for a shopper's answer to an offer, and for naming conflicts: replays settle, illegal moves are 409."""

import pytest
import sqlalchemy as sa

from app.accounts.models import Conflict
from app.assignments.models import Assignment, AssignmentState
from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper, make_world


@pytest.fixture
def shopper(world):
    return make_shopper(world)


@pytest.fixture
def api(client, shopper):
    sign_in(client, shopper)
    headers = csrf_headers(client)

    def post(path, body=None):
        return client.post("/api/v1" + path, json=body if body is not None else {}, headers=headers)

    return post


def state_of(assignment) -> AssignmentState:
    return db.session.get(Assignment, assignment.id).state


def events(action: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def assert_problem(response, status, code):
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json" and response.get_json()["code"] == code
    return response.get_json()


def test_accepting_an_offer_and_a_replay(api, world, shopper):
    offer = make_assignment(world, shopper)
    first = api(f"/assignments/{offer.id}/accept")
    assert first.status_code == 200
    assert first.get_json() == {
        "assignment_id": offer.id,
        "state": "accepted",
        "replayed": False,
        "withdrawn_assignment_ids": [],
    }
    again = api(f"/assignments/{offer.id}/accept")
    assert again.status_code == 200 and again.get_json()["replayed"] is True
    assert state_of(offer) is AssignmentState.accepted and events("assignment.accepted") == 1


@pytest.mark.parametrize("state", [AssignmentState.submitted, AssignmentState.returned])
def test_accepting_work_already_reported_is_a_replay(api, world, shopper, state):
    """The app may send its report before the acceptance made offline: nothing changes, nothing fails."""
    work = make_assignment(world, shopper, state=state)
    response = api(f"/assignments/{work.id}/accept")
    assert response.status_code == 200 and response.get_json()["replayed"] is True
    assert state_of(work) is state


@pytest.mark.parametrize(
    "state", [AssignmentState.declined, AssignmentState.withdrawn, AssignmentState.cancelled]
)
def test_accepting_what_is_no_longer_offered_is_409(api, world, shopper, state):
    work = make_assignment(world, shopper, state=state)
    assert_problem(api(f"/assignments/{work.id}/accept"), 409, "not_offered")
    assert state_of(work) is state


def test_declining_asks_why_and_flags_the_work_for_the_coordinator(api, world, shopper):
    offer = make_assignment(world, shopper)
    body = assert_problem(api(f"/assignments/{offer.id}/decline", {}), 422, "validation_failed")
    assert "reason_code" in body["errors"]
    body = assert_problem(
        api(f"/assignments/{offer.id}/decline", {"reason_code": "other", "reason": "  "}),
        422,
        "validation_failed",
    )
    assert "reason" in body["errors"]
    assert_problem(
        api(f"/assignments/{offer.id}/decline", {"reason_code": "bored"}), 422, "validation_failed"
    )
    assert_problem(
        api(f"/assignments/{offer.id}/decline", {"reason_code": "too_far", "extra": 1}),
        422,
        "validation_failed",
    )
    assert state_of(offer) is AssignmentState.offered

    response = api(
        f"/assignments/{offer.id}/decline", {"reason_code": "not_available", "reason": "Away that week"}
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "assignment_id": offer.id,
        "state": "declined",
        "replayed": False,
        "withdrawn_assignment_ids": [],
    }
    declined = db.session.get(Assignment, offer.id)
    assert declined.flagged and declined.decline_reason == "not_available: Away that week"

    replay = api(
        f"/assignments/{offer.id}/decline", {"reason_code": "not_available", "reason": "Away that week"}
    )
    assert replay.status_code == 200 and replay.get_json()["replayed"] is True
    assert events("assignment.declined") == 1
    assert_problem(api(f"/assignments/{offer.id}/accept"), 409, "not_offered")


def test_declining_for_a_conflict_files_it_and_withdraws_all_it_touches(api, world, shopper):
    offer = make_assignment(world, shopper)  # North District, waste
    same_place = make_assignment(
        world, shopper, contact_point=world.district_phone, state=AssignmentState.accepted
    )
    elsewhere = make_assignment(world, shopper, contact_point=world.other_office)
    body = {"reason_code": "conflict", "reason": "My sister works in this team"}
    response = api(f"/assignments/{offer.id}/decline", body)
    assert response.status_code == 200
    assert response.get_json()["state"] == "withdrawn"
    assert response.get_json()["withdrawn_assignment_ids"] == sorted([offer.id, same_place.id])
    conflict = db.session.scalar(sa.select(Conflict))
    assert (conflict.organisation_id, conflict.service_area_id, conflict.reason) == (
        world.district.id,
        world.waste.id,
        "My sister works in this team",
    )
    assert state_of(elsewhere) is AssignmentState.offered
    assert db.session.get(Assignment, same_place.id).flagged

    replay = api(f"/assignments/{offer.id}/decline", body)
    assert replay.status_code == 200 and replay.get_json()["replayed"] is True
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conflict)) == 1


@pytest.mark.parametrize(
    "state", [AssignmentState.submitted, AssignmentState.cancelled, AssignmentState.withdrawn]
)
def test_declining_what_can_no_longer_be_declined_is_409(api, world, shopper, state):
    work = make_assignment(world, shopper, state=state)
    assert_problem(api(f"/assignments/{work.id}/decline", {"reason_code": "too_far"}), 409, "not_declinable")
    assert_problem(
        api(f"/assignments/{work.id}/decline", {"reason_code": "conflict", "reason": "x"}),
        409,
        "not_declinable",
    )
    assert state_of(work) is state
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conflict)) == 0


def test_another_shoppers_assignment_and_a_missing_one(api, world):
    theirs = make_assignment(world, make_shopper(world), state=AssignmentState.declined)
    assert_problem(api(f"/assignments/{theirs.id}/accept"), 403, "not_yours")
    assert_problem(api(f"/assignments/{theirs.id}/decline", {"reason_code": "too_far"}), 403, "not_yours")
    assert_problem(api("/assignments/99999/accept"), 404, "not_found")


def test_decisions_need_the_gate(client, world):
    shopper = make_shopper(world, gate_passed=False)
    offer = make_assignment(world, shopper)
    sign_in(client, shopper)
    response = client.post(f"/api/v1/assignments/{offer.id}/accept", json={}, headers=csrf_headers(client))
    assert_problem(response, 403, "gate_incomplete")
    assert state_of(offer) is AssignmentState.offered


# --- the gate's options ---------------------------------------------------------------------------------------


def test_gate_options_list_the_programmes_organisations_and_areas_before_the_gate(client, world):
    make_world()  # another partnership: none of its names may show
    shopper = make_shopper(world, gate_passed=False)
    sign_in(client, shopper)
    response = client.get("/api/v1/gate/options")
    assert response.status_code == 200
    body = response.get_json()
    assert body["organisations"] == [
        {"id": o.id, "name": o.name} for o in (world.district, world.other_district, world.county)
    ]
    assert body["service_areas"] == [
        {"id": world.planning.id, "name": "Planning"},
        {"id": world.waste.id, "name": "Waste and recycling"},
    ]


def test_a_list_of_conflicts_from_the_options_passes_the_gate(client, world):
    shopper = make_shopper(world, gate_passed=False)
    sign_in(client, shopper)
    headers = csrf_headers(client)
    client.post("/api/v1/gate/confidentiality", json={"version": 1}, headers=headers)
    options = client.get("/api/v1/gate/options").get_json()
    conflicts = [
        {"organisation_id": options["organisations"][0]["id"], "reason": "I work there"},
        {"service_area_id": options["service_areas"][0]["id"], "reason": "I have a planning case"},
    ]
    response = client.post("/api/v1/gate/conflicts", json={"conflicts": conflicts}, headers=headers)
    assert response.status_code == 200 and response.get_json()["gate"]["ready"] is True
    assert len(response.get_json()["conflicts"]) == 2


def test_a_brief_names_its_programmes_time_zone(client, world, shopper):
    assignment = make_assignment(world, shopper)
    world.programme.timezone = "Europe/Dublin"
    db.session.commit()
    sign_in(client, shopper)
    [brief] = [b for b in client.get("/api/v1/assignments").get_json()["items"] if b["id"] == assignment.id]
    assert brief["timezone"] == "Europe/Dublin"
    assert client.get(f"/api/v1/assignments/{assignment.id}").get_json()["timezone"] == "Europe/Dublin"
