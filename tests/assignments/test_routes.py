"""Planning, manual assignment, bulk and brief pages through HTTP: field errors, 422, nothing half-saved."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments import planning
from app.assignments.forms import target_field_name
from app.assignments.models import Assignment, AssignmentState, CoverageTarget, WavePlan
from app.db_types import utcnow
from app.extensions import db
from tests.assignments.helpers import declare
from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper, make_user, make_world


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def token(client, path):
    """The CSRF token of the form on ``path``."""
    html = client.get(path).get_data(as_text=True)
    return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def plan_fields(world, value):
    """Every cell of the grid: 0, but North/waste/in person ``value`` and County/waste/in person 2."""
    fields = {target_field_name(cell): "0" for cell in planning.grid_for(world.wave)}
    fields.update(
        {
            f"target_{world.district.id}_{world.waste.id}_in_person": value,
            f"target_{world.county.id}_{world.waste.id}_in_person": "2",
        }
    )
    return fields


def test_the_plan_form_refuses_bad_input_and_saves_nothing(client, world, coordinator):
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/plan"
    response = client.post(
        path, data={"csrf_token": token(client, path), "max_per_shopper": "0", **plan_fields(world, "-1")}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "Number must be between 0 and 1000." in html
    assert count(CoverageTarget) == 0 and count(WavePlan) == 0


def test_the_plan_form_saves_targets_and_auto_assign_fills_them(client, world, coordinator):
    make_shopper(world), make_shopper(world)
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/plan"
    response = client.post(
        path, data={"csrf_token": token(client, path), "max_per_shopper": "5", **plan_fields(world, "3")}
    )
    assert response.status_code == 302
    assert sorted(db.session.scalars(sa.select(CoverageTarget.target)).all()) == [0, 0, 0, 0, 0, 0, 2, 3]
    page = client.get(path).get_data(as_text=True)
    assert "below minimum sample" in page and "±37.5 pts" in page
    response = client.post(
        f"/coordinator/waves/{world.wave.id}/auto-assign", data={"csrf_token": token(client, path)}
    )
    assert response.status_code == 302
    listing = client.get(f"/coordinator/waves/{world.wave.id}/assignments").get_data(as_text=True)
    assert count(Assignment) == 4  # 3 + 2 wanted; two shoppers cannot visit North Offices three times
    assert "Automatic: no declared conflict" in listing and "not filled" in listing


def manual_form(world, shopper, version=None, **overrides):
    now = utcnow()
    return {
        "shopper_id": shopper.id,
        "contact_point_id": world.district_office.id,
        "scenario_id": world.waste_scenario.id,
        "questionnaire_version_id": (version or world.visit_version).id,
        "window_starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "window_ends_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        **overrides,
    }


@pytest.mark.parametrize(
    "case, message",
    [
        ("blank", "Choose a shopper."),
        ("window", "The window must close after it opens."),
        ("channel", "That questionnaire is for telephone; North Offices is in person."),
        ("conflict", "declared a conflict of interest with North District Council"),
    ],
)
def test_the_manual_form_refuses_bad_input_with_field_errors(client, world, coordinator, case, message):
    shopper = make_shopper(world)
    form = manual_form(world, shopper)
    if case == "blank":
        form = {"shopper_id": "", "contact_point_id": "", "scenario_id": "", "questionnaire_version_id": ""}
    elif case == "window":
        form["window_ends_at"] = form["window_starts_at"]
    elif case == "channel":
        form["questionnaire_version_id"] = world.phone_version.id
    elif case == "conflict":
        declare(shopper, (world.district, None))
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/assignments/new"
    response = client.post(path, data={"csrf_token": token(client, path), **form})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Assignment) == 0


def test_the_manual_form_offers_the_assignment(client, world, coordinator):
    shopper = make_shopper(world)
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/assignments/new"
    assert (
        client.post(path, data={"csrf_token": token(client, path), **manual_form(world, shopper)}).status_code
        == 302
    )
    assert db.session.scalar(sa.select(Assignment.shopper_id)) == shopper.id


def test_bulk_actions_refuse_no_selection_and_a_conflicted_shopper_changing_nothing(
    client, world, coordinator
):
    offered = make_assignment(world, make_shopper(world))
    conflicted = declare(make_shopper(world), (world.district, None))
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/assignments"
    bulk = f"/coordinator/waves/{world.wave.id}/assignments/bulk"
    response = client.post(bulk, data={"csrf_token": token(client, path), "action": "cancel"})
    assert response.status_code == 422 and "Select at least one assignment." in response.get_data(
        as_text=True
    )
    response = client.post(
        bulk,
        data={
            "csrf_token": token(client, path),
            "action": "reassign",
            "assignment_ids": offered.id,
            "shopper_id": conflicted.id,
        },
    )
    assert response.status_code == 422 and "conflict of interest" in response.get_data(as_text=True)
    assert count(Assignment) == 1 and db.session.get(Assignment, offered.id).state is AssignmentState.offered
    response = client.post(
        bulk, data={"csrf_token": token(client, path), "action": "cancel", "assignment_ids": offered.id}
    )
    assert response.status_code == 302
    assert db.session.get(Assignment, offered.id).state is AssignmentState.cancelled


def test_one_click_reassignment_of_withdrawn_work(client, world, coordinator):
    withdrawn = make_assignment(world, make_shopper(world), state=AssignmentState.withdrawn)
    suitable = make_shopper(world)
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/assignments"
    response = client.post(
        f"/coordinator/assignments/{withdrawn.id}/reassign", data={"csrf_token": token(client, path)}
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(sa.select(Assignment.shopper_id).where(Assignment.id != withdrawn.id))
        == suitable.id
    )


def test_the_shopper_declines_with_a_reason_or_gets_field_errors(client, world):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    sign_in(client, shopper)
    path = f"/briefs/{assignment.id}"
    for form, message in [
        ({}, "Choose why you are declining."),
        ({"reason": "other"}, "Say briefly why you are declining."),
    ]:
        response = client.post(f"{path}/decline", data={"csrf_token": token(client, path), **form})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.get(Assignment, assignment.id).state is AssignmentState.offered
    response = client.post(f"{path}/decline", data={"csrf_token": token(client, path), "reason": "too_far"})
    assert response.status_code == 302
    assert db.session.get(Assignment, assignment.id).state is AssignmentState.declined


def test_the_shopper_accepts_once_then_409(client, world):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    sign_in(client, shopper)
    path = f"/briefs/{assignment.id}"
    csrf = token(client, path)
    assert client.post(f"{path}/accept", data={"csrf_token": csrf}).status_code == 302
    assert client.post(f"{path}/accept", data={"csrf_token": csrf}).status_code == 409
    assert db.session.get(Assignment, assignment.id).state is AssignmentState.accepted


def test_a_coordinator_sees_the_plan_of_their_programme_only(client, world, coordinator):
    sign_in(client, make_user(Role.coordinator, programme=make_world().programme))
    assert client.get(f"/coordinator/waves/{world.wave.id}/plan").status_code == 403
