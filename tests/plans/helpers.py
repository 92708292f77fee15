"""A partner's released waves to plan on: the results world of tests/results, released to North District."""

from datetime import date

from app.extensions import db
from app.plans import services as plans
from app.plans.models import ActionStatus
from app.releases import services as releases
from tests.results.helpers import GOOD, approved_report, coordinator_of, results_world


def released(wave, organisations, coordinator):
    releases.close_review(wave, coordinator)
    for organisation in organisations:
        releases.release(wave, organisation, coordinator)
    db.session.commit()


def planned_world(world):
    """Two waves of results (``results_world``), both released to North and South District."""
    coordinator, wave2 = results_world(world)
    for wave in (world.wave, wave2):
        released(wave, [world.district, world.other_district], coordinator)
    return coordinator, wave2


def released_plan(cast):
    """The matrix's world with a report approved in its first wave, released to North District: the
    partner manager's plan to read and write."""
    world = cast.world
    if not releases.is_released(world.wave.id, world.district.id):
        coordinator = coordinator_of(world)
        approved_report(world, coordinator, GOOD)
        released(world.wave, [world.district], coordinator)
    return world


def an_action(cast):
    world = released_plan(cast)
    found = plans.actions_of(world.district.id, [world.wave.id])
    if found:
        return found[0]
    action = plans.add_action(
        world.wave,
        world.district.id,
        plans.Finding.parse("channel||in_person"),
        cast.partner_manager,
        action="Greet every visitor",
        owner_role="Reception team leader",
        due_on=date(2030, 1, 31),
        status=ActionStatus.planned,
    )
    db.session.commit()
    return action


OTHER_PARTNER_ACTION = "Retrain the South front desk on parking permits"


def other_partners_action(world, organisation, wave):
    """An action of ``organisation``'s plan (the isolation tests' organisation B), made once."""
    found = plans.actions_of(organisation.id, [wave.id])
    if found:
        return found[0]
    from tests.releases.helpers import partner_manager

    manager = partner_manager(world, organisation)
    action = plans.add_action(
        wave,
        organisation.id,
        plans.Finding.parse("channel||in_person"),
        manager,
        action=OTHER_PARTNER_ACTION,
        owner_role="Reception team leader",
        due_on=date(2030, 1, 31),
        status=ActionStatus.planned,
    )
    plans.add_response(
        wave, organisation.id, plans.Finding.parse("channel||in_person"), OTHER_PARTNER_ACTION, manager
    )
    db.session.commit()
    return action
