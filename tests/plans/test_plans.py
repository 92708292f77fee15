"""Improvement plans (issue 18): the follow-up figure of a linked finding is the results engine's change for
it, progress by date, field errors, audit entries, and what a partner, its neighbour and a coordinator see."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.extensions import db
from app.plans import services as plans
from app.plans.models import ActionStatus, FindingResponse, PlanAction
from app.programmes.models import Channel
from app.results import figures
from app.results import statistics as stats
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_user
from tests.plans.helpers import planned_world


@pytest.fixture
def planned(app, world):
    coordinator, wave2 = planned_world(world)
    manager = make_user(Role.partner_manager, programme=world.programme, organisation=world.district)
    return world, coordinator, wave2, manager


def add(world, manager, finding, due_on=date(2030, 1, 31), status=ActionStatus.planned, wave=None):
    action = plans.add_action(
        wave or world.wave,
        world.district.id,
        plans.Finding.parse(finding),
        manager,
        action="Brief the team on greeting every visitor",
        owner_role="Reception team leader",
        due_on=due_on,
        status=status,
    )
    db.session.commit()
    return action


def post(client, url, data):
    return client.post(url, data=data, headers=csrf_headers(client))


def _percent_change(change):
    return (
        f"{change['difference'] * 100:+.0f} points; 95% interval {change['ci_low'] * 100:+.0f} to "
        f"{change['ci_high'] * 100:+.0f}"
    )


def test_the_follow_up_of_a_finding_is_the_results_engines_change(planned, client):
    world, coordinator, wave2, manager = planned
    area = add(world, manager, f"service_area||{world.waste.id}")
    names = figures.Names(world.programme)
    [engine] = figures.rows(
        world.programme,
        names,
        wave2,
        figures.Filters(organisation_id=world.district.id, service_area_id=world.waste.id),
        ("organisation",),
    )
    assert engine["score_change"]["call"] == "improved"
    finding = plans.Finding.of(area)
    before = plans.finding_rate(world.programme, world.wave.id, world.district.id, finding)
    after = plans.finding_rate(world.programme, wave2.id, world.district.id, finding)
    assert plans.follow_up(before, after, wave2)["change"] == engine["score_change"]
    # What the partner is shown comes from its released figures: the same change.
    from app.releases.services import released_figures

    released = [released_figures(w.id, world.district.id) for w in (world.wave, wave2)]
    shown = [plans.released_rate(r, finding) for r in released]
    assert stats.change(shown[1], shown[0]) == engine["score_change"]
    sign_in(client, manager)
    page = client.get(f"/organisations/{world.district.id}/waves/{world.wave.id}/plan").get_data(as_text=True)
    assert f"In {wave2.name}" in page and _percent_change(engine["score_change"]) in page
    assert "Improved" in page


def test_a_question_findings_follow_up_adds_up_its_service_areas(planned):
    world, coordinator, wave2, manager = planned
    finding = plans.Finding(plans.FindingKind.question, Channel.in_person, "greeted")
    from app.releases.services import released_figures

    released = [
        plans.released_rate(released_figures(w.id, world.district.id), finding) for w in (world.wave, wave2)
    ]
    live = [
        plans.finding_rate(world.programme, w.id, world.district.id, finding) for w in (world.wave, wave2)
    ]
    assert released == live
    assert (live[0]["k"], live[0]["n"], live[1]["k"], live[1]["n"]) == (3, 6, 7, 7)  # three FAILED in wave 1


def test_progress_by_date():
    action = PlanAction(due_on=date(2027, 3, 31), status=ActionStatus.in_progress)
    assert plans.progress(action, date(2027, 3, 31)) == "on_track"
    assert plans.progress(action, date(2027, 4, 1)) == "overdue"
    action.status = ActionStatus.planned
    assert plans.progress(action, date(2027, 4, 1)) == "overdue"
    action.status = ActionStatus.done
    assert plans.progress(action, date(2030, 1, 1)) == "done"
    action.status = ActionStatus.dropped
    assert plans.progress(action, date(2030, 1, 1)) == "dropped"


def test_the_coordinators_dashboard_counts_each_partners_actions_by_progress(planned, client):
    world, coordinator, wave2, manager = planned
    yesterday = date.today() - timedelta(days=1)
    add(world, manager, "channel||in_person")  # on track
    add(world, manager, "channel||in_person", due_on=yesterday)  # overdue
    add(world, manager, "channel||telephone", due_on=yesterday, status=ActionStatus.done)
    plans.add_response(
        world.wave, world.district.id, plans.Finding.parse("channel||telephone"), "Closed", manager
    )
    db.session.commit()
    rows = {
        r["organisation"].id: r
        for r in plans.dashboard(world.programme, figures.Names(world.programme), date.today())
    }
    north = rows[world.district.id]
    assert (north["counts"]["on_track"], north["counts"]["overdue"], north["counts"]["done"]) == (1, 1, 1)
    assert north["responses"] == 1 and rows[world.other_district.id]["actions"] == 0
    sign_in(client, coordinator)
    page = client.get(f"/programmes/{world.programme.id}/plans").get_data(as_text=True)
    assert "North District Council" in page and "Overdue" in page


def test_a_partner_adds_an_action_and_its_progress_and_each_is_audited(planned, client):
    world, coordinator, wave2, manager = planned
    sign_in(client, manager)
    plan_url = f"/organisations/{world.district.id}/waves/{world.wave.id}/plan"
    page = client.get(plan_url).get_data(as_text=True)
    assert "Channel: In person" in page and 'list="owner-roles"' in page
    response = post(
        client,
        plan_url + "/actions",
        data={
            "finding": "channel||in_person",
            "action": "Greet every visitor at the door",
            "owner_role": "Reception team leader",
            "due_on": "2030-01-31",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    action = db.session.scalars(sa.select(PlanAction)).one()
    assert (action.owner_role, action.due_on, action.organisation_id) == (
        "Reception team leader",
        date(2030, 1, 31),
        world.district.id,
    )
    response = post(
        client,
        f"/plans/actions/{action.id}",
        {"status": "in_progress", "note": "Briefed at the team meeting."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert action.status is ActionStatus.in_progress
    assert [(n.written_on, n.text) for n in action.notes] == [(date.today(), "Briefed at the team meeting.")]
    post(client, f"/plans/actions/{action.id}", {"status": "in_progress", "note": "Signs put up."})
    db.session.expire_all()
    assert [n.text for n in action.notes] == ["Briefed at the team meeting.", "Signs put up."]  # appended
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == manager.id)).all()
    assert actions.count("plan_action.added") == 1 and actions.count("plan_action.note_added") == 2
    assert "plan_action.changed" in actions
    page = client.get(f"/plans/actions/{action.id}").get_data(as_text=True)
    assert "Signs put up." in page and "In progress" in page


def test_a_response_to_a_disputed_finding_reaches_the_coordinator(planned, client):
    world, coordinator, wave2, manager = planned
    sign_in(client, manager)
    plan_url = f"/organisations/{world.district.id}/waves/{world.wave.id}/plan"
    response = post(
        client,
        plan_url + "/responses",
        data={"finding": "channel||telephone", "text": "Our lines were down that week."},
    )
    assert response.status_code == 302
    assert db.session.scalars(sa.select(FindingResponse.text)).all() == ["Our lines were down that week."]
    sign_in(client, coordinator)
    page = client.get(plan_url).get_data(as_text=True)
    assert "Our lines were down that week." in page and "Channel: Telephone" in page
    assert "Add an action" not in page  # the coordinator reads; the partner writes


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"owner_role": "Mrs Patel"}, "owner_role", "not a person"),
        ({"owner_role": "jo.bloggs@kingsmere.gov.uk"}, "owner_role", "not a person"),
        ({"owner_role": ""}, "owner_role", "Name the role"),
        ({"action": "   "}, "action", "Say what will be done"),
        ({"due_on": "next spring"}, "due_on", "2027-03-31"),
        ({"finding": "question|telephone|nonsense"}, "finding", "Not a valid choice"),
        ({"status": "abandoned"}, "status", "Not a valid choice"),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(planned, client, change, field, message):
    world, coordinator, wave2, manager = planned
    sign_in(client, manager)
    data = {
        "finding": "channel||in_person",
        "action": "Greet every visitor",
        "owner_role": "Reception team leader",
        "due_on": "2030-01-31",
        "status": "planned",
        **change,
    }
    response = post(client, f"/organisations/{world.district.id}/waves/{world.wave.id}/plan/actions", data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalars(sa.select(PlanAction)).all() == []


def test_another_partner_sees_none_of_the_plan(planned, client):
    world, coordinator, wave2, manager = planned
    action = add(world, manager, "channel||in_person")
    neighbour = make_user(Role.partner_manager, programme=world.programme, organisation=world.other_district)
    sign_in(client, neighbour)
    for url in (
        f"/organisations/{world.district.id}/plans",
        f"/organisations/{world.district.id}/waves/{world.wave.id}/plan",
        f"/plans/actions/{action.id}",
        f"/waves/{world.wave.id}/report/{world.district.id}",
        f"/waves/{world.wave.id}/report/{world.district.id}.pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert post(client, f"/plans/actions/{action.id}", {"status": "dropped"}).status_code == 404
    own = client.get(f"/organisations/{world.other_district.id}/waves/{world.wave.id}/plan")
    assert own.status_code == 200 and "Brief the team" not in own.get_data(as_text=True)
