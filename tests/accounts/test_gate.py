"""The confidentiality and conflict-of-interest gate, at service, API and page level."""

import sqlalchemy as sa

from app.accounts import services
from app.accounts.models import ConfidentialityStatement, Conflict
from app.assignments.models import AssignmentState
from app.audit.models import AuditEvent
from app.extensions import db
from tests.accounts.test_sign_in import page_csrf
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper


def test_new_shopper_sees_no_brief_until_both_gates(client, world):
    shopper = make_shopper(world, gate_passed=False)
    make_assignment(world, shopper)
    sign_in(client, shopper)
    headers = csrf_headers(client)

    def briefs():
        return client.get("/api/v1/assignments")

    response = briefs()
    assert response.status_code == 403
    assert response.get_json()["code"] == "gate_incomplete"
    assert response.get_json()["gate"] == {"confidentiality": False, "conflicts": False}

    statement = client.get("/api/v1/gate/confidentiality").get_json()
    assert statement["version"] == 1 and statement["text"]
    assert client.post("/api/v1/gate/confidentiality", json={"version": 1}, headers=headers).get_json() == {
        "confidentiality": True,
        "conflicts": False,
        "ready": False,
        "confidentiality_version": 1,
    }
    assert briefs().status_code == 403

    declared = client.post("/api/v1/gate/conflicts", json={"none": True}, headers=headers)
    assert declared.status_code == 200 and declared.get_json()["gate"]["ready"] is True
    assert len(briefs().get_json()["items"]) == 1


def test_conflicts_first_then_confidentiality(client, world):
    shopper = make_shopper(world, gate_passed=False)
    sign_in(client, shopper)
    headers = csrf_headers(client)
    client.post("/api/v1/gate/conflicts", json={"none": True}, headers=headers)
    assert client.get("/api/v1/assignments").get_json()["gate"] == {
        "confidentiality": False,
        "conflicts": True,
    }


def test_a_new_statement_version_closes_the_gate_again(client, world):
    shopper = make_shopper(world)
    make_assignment(world, shopper)
    sign_in(client, shopper)
    assert client.get("/api/v1/assignments").status_code == 200
    db.session.add(ConfidentialityStatement(programme_id=world.programme.id, version=2, text="Updated."))
    db.session.commit()

    response = client.get("/api/v1/assignments")
    assert response.status_code == 403 and response.get_json()["code"] == "gate_incomplete"
    assert client.get("/briefs").headers["Location"] == "/gate/confidentiality"
    session = client.get("/api/v1/session").get_json()
    assert session["gate"]["confidentiality"] is False and session["gate"]["confidentiality_version"] == 2

    headers = csrf_headers(client)
    stale = client.post("/api/v1/gate/confidentiality", json={"version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.get_json()["code"] == "stale_statement_version"
    assert (
        client.post("/api/v1/gate/confidentiality", json={"version": 2}, headers=headers).status_code == 200
    )
    assert client.get("/api/v1/assignments").status_code == 200


def test_acknowledging_twice_keeps_one_record(world):
    shopper = make_shopper(world, gate_passed=False)
    first = services.acknowledge_confidentiality(shopper, 1)
    assert services.acknowledge_confidentiality(shopper, 1).id == first.id


def test_conflict_declared_after_assignment_withdraws_and_flags_it(client, world):
    shopper = make_shopper(world)
    at_district = make_assignment(world, shopper, contact_point=world.district_office)
    district_planning = make_assignment(
        world, shopper, contact_point=world.district_office, scenario=world.planning_scenario
    )
    at_county = make_assignment(world, shopper, contact_point=world.county_office)
    done = make_assignment(
        world, shopper, contact_point=world.district_office, state=AssignmentState.approved
    )
    sign_in(client, shopper)

    response = client.post(
        "/api/v1/gate/conflicts",
        headers=csrf_headers(client),
        json={
            "conflicts": [
                {
                    "organisation_id": world.district.id,
                    "service_area_id": world.waste.id,
                    "reason": "My brother works there",
                },
            ]
        },
    )
    assert response.status_code == 200
    assert response.get_json()["withdrawn_assignment_ids"] == [at_district.id]
    db.session.refresh(at_district)
    assert at_district.state == AssignmentState.withdrawn and at_district.flagged
    assert "conflict" in at_district.flag_reason
    for untouched in (district_planning, at_county, done):
        db.session.refresh(untouched)
        assert not untouched.flagged
    assert [item["id"] for item in client.get("/api/v1/assignments").get_json()["items"]] == [
        district_planning.id,
        at_county.id,
    ]
    events = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_type == "assignment")
    ).all()
    assert events == ["assignment.withdrawn"]


def test_organisation_wide_conflict_touches_every_service_area(world):
    shopper = make_shopper(world)
    waste = make_assignment(world, shopper, contact_point=world.district_office)
    planning = make_assignment(
        world, shopper, contact_point=world.district_phone, scenario=world.planning_scenario
    )
    other = make_assignment(world, shopper, contact_point=world.other_office)
    _, withdrawn = services.declare_conflicts(
        shopper, [services.ConflictInput(world.district.id, None, "I work there")]
    )
    assert {a.id for a in withdrawn} == {waste.id, planning.id}
    assert other.state == AssignmentState.offered


def test_service_area_conflict_touches_every_organisation(world):
    shopper = make_shopper(world)
    district = make_assignment(world, shopper, contact_point=world.district_office)
    county = make_assignment(world, shopper, contact_point=world.county_office)
    planning = make_assignment(world, shopper, scenario=world.planning_scenario)
    _, withdrawn = services.declare_conflicts(
        shopper, [services.ConflictInput(None, world.waste.id, "My case")]
    )
    assert {a.id for a in withdrawn} == {district.id, county.id}
    assert planning.state == AssignmentState.offered


def test_declaring_none_after_conflicts_is_refused(client, world):
    shopper = make_shopper(world, gate_passed=False)
    sign_in(client, shopper)
    headers = csrf_headers(client)
    client.post(
        "/api/v1/gate/conflicts",
        headers=headers,
        json={"conflicts": [{"organisation_id": world.county.id, "reason": "I work there"}]},
    )
    response = client.post("/api/v1/gate/conflicts", headers=headers, json={"none": True})
    assert response.status_code == 409 and response.get_json()["code"] == "conflicts_on_record"
    assert db.session.scalar(sa.select(sa.func.count(Conflict.id))) == 1


def test_conflict_with_an_organisation_of_another_partnership_is_refused(client, world):
    from tests.factories import make_world

    elsewhere = make_world()
    shopper = make_shopper(world, gate_passed=False)
    sign_in(client, shopper)
    response = client.post(
        "/api/v1/gate/conflicts",
        headers=csrf_headers(client),
        json={"conflicts": [{"organisation_id": elsewhere.county.id, "reason": "x"}]},
    )
    assert response.status_code == 422 and response.get_json()["code"] == "unknown_organisation"
    assert services.gate_status(shopper).conflicts is False


def test_gate_pages_walk_a_new_shopper_to_the_briefs(client, world):
    shopper = make_shopper(world, gate_passed=False)
    make_assignment(world, shopper)
    sign_in(client, shopper)
    assert client.get("/briefs").headers["Location"] == "/gate/confidentiality"

    unticked = client.post(
        "/gate/confidentiality",
        data={"version": "1", "csrf_token": page_csrf(client, "/gate/confidentiality")},
    )
    assert unticked.status_code == 422 and "Tick the box" in unticked.get_data(as_text=True)
    ticked = client.post(
        "/gate/confidentiality",
        data={"version": "1", "agree": "y", "csrf_token": page_csrf(client, "/gate/confidentiality")},
    )
    assert ticked.headers["Location"] == "/gate/conflicts"
    assert client.get("/briefs").headers["Location"] == "/gate/conflicts"

    token = page_csrf(client, "/gate/conflicts")
    nothing_chosen = client.post("/gate/conflicts", data={"csrf_token": token})
    assert nothing_chosen.status_code == 422 and "Choose one answer" in nothing_chosen.get_data(as_text=True)
    half_filled = client.post(
        "/gate/conflicts",
        data={
            "csrf_token": token,
            "choice": "conflicts",
            "conflicts-0-organisation_id": str(world.county.id),
        },
    )
    assert half_filled.status_code == 422 and "Say briefly why" in half_filled.get_data(as_text=True)
    assert services.gate_status(shopper).conflicts is False

    declared = client.post(
        "/gate/conflicts",
        data={
            "csrf_token": token,
            "choice": "conflicts",
            "conflicts-0-organisation_id": str(world.county.id),
            "conflicts-0-service_area_id": "0",
            "conflicts-0-reason": "My mother works in County Hall",
        },
    )
    assert declared.headers["Location"] == "/briefs"
    briefs = client.get("/briefs")
    assert briefs.status_code == 200 and "Missed bin" in briefs.get_data(as_text=True)


def test_stale_statement_on_the_page_asks_to_read_again(client, world):
    shopper = make_shopper(world, gate_passed=False)
    sign_in(client, shopper)
    token = page_csrf(client, "/gate/confidentiality")
    db.session.add(ConfidentialityStatement(programme_id=world.programme.id, version=2, text="New text."))
    db.session.commit()
    response = client.post("/gate/confidentiality", data={"version": "1", "agree": "y", "csrf_token": token})
    assert response.status_code == 422 and "current version is 2" in response.get_data(as_text=True)
    assert services.gate_status(shopper).confidentiality is False
