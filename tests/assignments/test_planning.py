"""Planning services against the database: grid, targets, automatic assignment, audit, precision."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments import planning
from app.assignments.models import Assignment, AssignmentState, CoverageTarget, ShopperAvailability, WavePlan
from app.audit.models import AuditEvent
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.models import Channel, Wave
from app.recruitment.models import VolunteerApplication
from tests.assignments.helpers import declare, set_target, shoppers
from tests.factories import make_assignment, make_shopper, make_user


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def cell_of(cells, organisation, area, channel):
    return next(
        c
        for c in cells
        if (c.organisation.id, c.service_area.id, c.channel) == (organisation.id, area.id, channel)
    )


def test_the_grid_shows_every_covered_cell_with_targets_counts_precision_and_the_min_sample_flag(
    world, coordinator
):
    shopper = make_shopper(world)
    make_assignment(world, shopper)  # North District, waste, in person
    approved = make_assignment(world, make_shopper(world), state=AssignmentState.approved)
    make_assignment(world, make_shopper(world), state=AssignmentState.declined)  # does not count
    set_target(world, world.wave, world.district, world.waste, Channel.in_person, 3)
    cells = planning.grid_for(world.wave)
    # 3 organisations' in-person offices + North's phone line, each serving two areas
    assert len(cells) == 8
    cell = cell_of(cells, world.district, world.waste, Channel.in_person)
    assert (cell.target, cell.assigned, cell.done, cell.missing) == (3, 2, 1, 1)
    assert round(cell.half_width, 3) == 0.375  # 3 reports: ±37 points
    assert cell.below_min_sample  # 3 < the programme's 5
    empty = cell_of(cells, world.county, world.planning, Channel.in_person)
    assert (empty.target, empty.half_width, empty.below_min_sample) == (0, None, False)
    assert approved.id


def test_set_targets_updates_in_place_and_is_audited(world, coordinator):
    set_target(world, world.wave, world.district, world.waste, Channel.in_person, 3, max_per_shopper=7)
    set_target(world, world.wave, world.district, world.waste, Channel.in_person, 9, max_per_shopper=8)
    assert db.session.scalars(sa.select(CoverageTarget.target)).all() == [9]
    assert db.session.get(WavePlan, world.wave.id).max_per_shopper == 8
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "wave.planned")) == 2


def test_auto_assign_fills_targets_never_against_a_conflict_and_explains_each(world, coordinator):
    clean = shoppers(world, 3)
    conflicted = declare(make_shopper(world), (world.district, None))
    declare(make_shopper(world), (None, world.waste))
    make_user(Role.shopper, programme=world.programme)  # not through the gate: not in the pool
    set_target(world, world.wave, world.district, world.waste, Channel.in_person, 2)
    set_target(world, world.wave, world.district, world.planning, Channel.telephone, 2)
    result = planning.auto_assign(world.wave, coordinator)
    db.session.commit()
    rows = db.session.scalars(sa.select(Assignment).order_by(Assignment.id)).all()
    assert len(rows) == len(result.planned) == 4 and not result.unfilled
    assert {a.shopper_id for a in rows} <= {s.id for s in clean}
    assert conflicted.id not in {a.shopper_id for a in rows}
    assert all(a.explanation.startswith("Automatic:") and a.state is AssignmentState.offered for a in rows)
    phone = [a for a in rows if a.channel is Channel.telephone]
    assert {a.questionnaire_version_id for a in phone} == {world.phone_version.id}
    assert {a.scenario_id for a in phone} == {world.planning_scenario.id}
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "assignment.offered")).all()
    assert sorted(int(e.object_id) for e in events) == [a.id for a in rows]
    assert all(e.actor_id == coordinator.id and e.data["reason"] for e in events)
    # run again: nothing missing, nothing added
    assert not planning.auto_assign(world.wave, coordinator).planned


def test_auto_assign_respects_workload_rotation_and_availability(world, coordinator):
    busy, evening = shoppers(world, 2)
    db.session.add(ShopperAvailability(user_id=evening.id, weekday_daytime=False))
    db.session.commit()
    set_target(world, world.wave, world.district, world.waste, Channel.in_person, 3, max_per_shopper=1)
    result = planning.auto_assign(world.wave, coordinator)
    assert [p.shopper_id for p in result.planned] == [busy.id]
    assert result.unfilled[0].missing == 2


def test_auto_assign_prefers_a_local_shopper_and_one_new_to_the_contact_point(world, coordinator):
    far, near, returning = shoppers(world, 3)
    world.district_office.locator = "2 Low St, Riverside"
    db.session.add(
        VolunteerApplication(
            user_id=near.id, programme_id=world.programme.id, full_name="Near", neighbourhood="Riverside"
        )
    )
    last = Wave(
        programme=world.programme,
        number=0,
        name="Wave 0",
        starts_on=date.today() - timedelta(days=60),
        ends_on=date.today() - timedelta(days=30),
    )
    db.session.add(last)
    db.session.commit()
    make_assignment(world, far, state=AssignmentState.approved).wave_id = last.id
    db.session.commit()
    set_target(world, world.wave, world.district, world.waste, Channel.in_person, 2)
    first, second = planning.auto_assign(world.wave, coordinator).planned
    assert first.shopper_id == near.id and "lives in Riverside" in first.reason
    # far shopped North Offices last wave: the one new to it gets the second slot
    assert second.shopper_id == returning.id and "did not shop this contact point last wave" in second.reason


def test_auto_assign_refuses_a_wave_that_has_ended(world, coordinator):
    world.wave.starts_on, world.wave.ends_on = (
        date.today() - timedelta(days=20),
        date.today() - timedelta(days=2),
    )
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        planning.auto_assign(world.wave, coordinator)
    assert caught.value.code == "wave_over"
