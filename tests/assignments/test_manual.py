"""Manual assignment, bulk actions, reassignment, and the shopper's accept/decline, as services."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.accounts.models import Conflict, Role
from app.assignments import manual, planning
from app.assignments.models import Assignment, AssignmentState
from app.audit.models import AuditEvent
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.programmes.models import Channel
from tests.assignments.helpers import declare, set_target
from tests.conftest import _empty_all_tables
from tests.factories import make_assignment, make_shopper, make_user, make_world


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def data(world, shopper, point=None, scenario=None, version=None):
    now = utcnow()
    return manual.ManualAssignment(
        shopper,
        point or world.district_office,
        scenario or world.waste_scenario,
        version or world.visit_version,
        now,
        now + timedelta(days=3),
    )


def test_manual_assignment_is_offered_with_its_reason_and_audited(world, coordinator):
    assignment = manual.assign(world.wave, data(world, make_shopper(world)), coordinator)
    db.session.commit()
    assert assignment.state is AssignmentState.offered and assignment.explanation.startswith("Manual:")
    assert (
        db.session.scalar(sa.select(AuditEvent.data).where(AuditEvent.action == "assignment.offered"))["how"]
        == "manual"
    )


@pytest.mark.parametrize(
    "case, code",
    [
        ("conflict", "conflict_of_interest"),
        ("wrong_channel", "questionnaire_channel_mismatch"),
        ("ungated", "gate_incomplete"),
        ("not_a_shopper", "not_a_shopper"),
        ("same_point", "same_contact_point"),
        ("full", "workload_full"),
        ("area", "area_not_served"),
    ],
)
def test_manual_assignment_refuses_with_a_clear_reason(world, coordinator, case, code):
    shopper = make_shopper(world)
    kwargs = {}
    if case == "conflict":
        declare(shopper, (world.district, None))
    elif case == "wrong_channel":
        kwargs["version"] = world.phone_version
    elif case == "ungated":
        shopper = make_shopper(world, gate_passed=False)
    elif case == "not_a_shopper":
        shopper = coordinator
    elif case == "same_point":
        make_assignment(world, shopper, state=AssignmentState.declined)
    elif case == "full":
        set_target(world, world.wave, world.county, world.waste, Channel.in_person, 0, max_per_shopper=1)
        make_assignment(world, shopper, contact_point=world.county_office)
    elif case == "area":
        world.district_office.service_areas = [world.planning]
        db.session.commit()
    with pytest.raises(Invalid) as caught:
        manual.assign(world.wave, data(world, shopper, **kwargs), coordinator)
    assert caught.value.code == code
    if case == "conflict":
        assert "declared a conflict of interest with North District Council" in caught.value.message
    db.session.rollback()
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Assignment)
            .where(
                Assignment.shopper_id == shopper.id,
                Assignment.contact_point_id == world.district_office.id,
                Assignment.state == AssignmentState.offered,
            )
        )
        == 0
    )


def test_reassigning_declined_work_picks_the_next_suitable_shopper_and_says_why(world, coordinator):
    first = make_shopper(world)
    conflicted = declare(make_shopper(world), (world.district, None))
    suitable = make_shopper(world)
    declined = make_assignment(world, first, state=AssignmentState.declined)
    new = manual.reassign(declined, coordinator)
    db.session.commit()
    assert new.shopper_id == suitable.id != conflicted.id
    assert new.explanation.startswith(f"Reassigned from #{declined.id} (declined). Automatic:")
    assert declined.state is AssignmentState.declined and not declined.flagged


def test_reassign_without_anyone_suitable_is_refused(world, coordinator):
    declined = make_assignment(world, make_shopper(world), state=AssignmentState.withdrawn)
    with pytest.raises(DomainError) as caught:
        manual.reassign(declined, coordinator)
    assert caught.value.code == "no_suitable_shopper"


def test_bulk_reassign_to_a_conflicted_shopper_is_refused_and_cancel_refuses_reported_work(
    world, coordinator
):
    offered = make_assignment(world, make_shopper(world))
    conflicted = declare(make_shopper(world), (None, world.waste))
    with pytest.raises(Invalid, match="conflict of interest"):
        manual.reassign(offered, coordinator, conflicted)
    db.session.rollback()
    submitted = make_assignment(world, make_shopper(world), state=AssignmentState.submitted)
    with pytest.raises(DomainError, match="Nothing was changed"):
        manual.cancel([offered, submitted], coordinator)
    db.session.rollback()
    assert manual.cancel([offered], coordinator) == 1
    assert offered.state is AssignmentState.cancelled


def test_a_shopper_accepts_an_offer_once(world):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    manual.accept(assignment, shopper)
    assert assignment.state is AssignmentState.accepted
    with pytest.raises(DomainError):
        manual.accept(assignment, shopper)


def test_declining_for_a_conflict_files_it_and_withdraws_the_work(world):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    other = make_assignment(world, shopper, contact_point=world.district_phone, scenario=world.waste_scenario)
    withdrawn = manual.decline(assignment, shopper, manual.CONFLICT_REASON, "My brother works there")
    db.session.commit()
    assert {a.id for a in withdrawn} == {assignment.id, other.id}
    assert assignment.state is AssignmentState.withdrawn and assignment.flagged
    conflict = db.session.scalar(sa.select(Conflict))
    assert (conflict.organisation_id, conflict.service_area_id) == (world.district.id, world.waste.id)


def test_declining_for_another_reason_flags_it_for_the_coordinator(world):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    manual.decline(assignment, shopper, "not_available")
    assert assignment.state is AssignmentState.declined and "not_available" in assignment.flag_reason


ORGS = ["county", "district", "other_district", None]
AREAS = ["waste", "planning", None]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    conflicts=st.lists(
        st.lists(
            st.tuples(st.sampled_from(ORGS), st.sampled_from(AREAS)).filter(lambda c: c != (None, None)),
            max_size=2,
        ),
        min_size=3,
        max_size=3,
    ),
    targets=st.lists(st.integers(0, 3), min_size=4, max_size=4),
)
def test_neither_automatic_nor_manual_assignment_ever_breaks_a_declared_conflict(world, conflicts, targets):
    """Whatever conflicts three shoppers declare, and whatever the targets, no assignment touches one."""
    coordinator = make_user(Role.coordinator, programme=world.programme)
    people = [
        declare(
            make_shopper(world),
            *[(getattr(world, o) if o else None, getattr(world, a) if a else None) for o, a in declared],
        )
        if declared
        else make_shopper(world)
        for declared in conflicts
    ]
    cells = [
        (world.county, world.waste, Channel.in_person),
        (world.district, world.planning, Channel.in_person),
        (world.district, world.waste, Channel.telephone),
        (world.other_district, world.waste, Channel.in_person),
    ]
    planning.set_targets(
        world.wave, {(o.id, a.id, c): n for (o, a, c), n in zip(cells, targets, strict=False)}, 5, coordinator
    )
    planning.auto_assign(world.wave, coordinator)
    for shopper in people:
        for point in (world.county_office, world.district_office, world.other_office):
            for scenario in (world.waste_scenario, world.planning_scenario):
                try:
                    manual.assign(world.wave, data(world, shopper, point, scenario), coordinator)
                except Invalid:
                    pass
    db.session.flush()
    conflicts_of = {
        s.id: db.session.scalars(sa.select(Conflict).where(Conflict.user_id == s.id)).all() for s in people
    }
    for assignment in db.session.scalars(sa.select(Assignment)):
        assert not any(
            c.touches(assignment.organisation_id, assignment.service_area_id)
            for c in conflicts_of[assignment.shopper_id]
        )
    # The builders commit: start the next example from a fresh world.
    db.session.rollback()
    _empty_all_tables()
    world.__dict__.update(vars(make_world()))
