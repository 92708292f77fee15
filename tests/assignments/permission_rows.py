"""Who may plan, assign and run the phone bank: the programme's coordinator and admins; shoppers answer
their own offers and book blocks once through the gate.

Objects the routes need are made in the url lambdas and kept on the cast.
"""

from datetime import UTC, datetime, time, timedelta

from app.assignments import planning
from app.assignments.forms import target_field_name
from app.assignments.models import AssignmentState, PhoneBlock, PhoneBlockBooking
from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Channel
from tests.factories import make_assignment
from tests.permissions_kit import GATE_INCOMPLETE, HTML, JSON, Expect, Route, api_for, page_for, redirect

STAFF_PAGE = page_for(coordinator=HTML, admin=HTML)
STAFF_CHANGE = page_for(coordinator=Expect(302), admin=Expect(302))
TO_GATE = redirect("/gate/confidentiality")


def _kept(cast, key, make):
    if key not in cast.__dict__:
        cast.__dict__[key] = make()
    return cast.__dict__[key]


def _wave(cast, suffix=""):
    return f"/coordinator/waves/{cast.world.wave.id}{suffix}"


def _with_target(cast):
    """A target of one North/waste/in-person visit and a gated shopper to fill it."""

    def make():
        cast.shopper  # noqa: B018  (made, so that the pool is not empty)
        world = cast.world
        planning.set_targets(world.wave, {(world.district.id, world.waste.id, Channel.in_person): 1}, 5, None)
        db.session.commit()
        return True

    _kept(cast, "planning_target", make)
    return _wave(cast, "/auto-assign")


def _plan_form(cast, user):
    fields = {target_field_name(c): "2" for c in planning.grid_for(cast.world.wave)}
    return {"data": {"max_per_shopper": "6", **fields}}


def _withdrawn(cast):
    cast.other_shopper  # noqa: B018  (the next suitable shopper)
    return _kept(
        cast,
        "planning_withdrawn",
        lambda: make_assignment(
            cast.world, cast.shopper, contact_point=cast.world.county_office, state=AssignmentState.withdrawn
        ),
    )


def _manual_form(cast, user):
    now = utcnow()
    world = cast.world
    return {
        "data": {
            "shopper_id": cast.shopper.id,
            "contact_point_id": world.county_office.id,
            "scenario_id": world.waste_scenario.id,
            "questionnaire_version_id": world.visit_version.id,
            "window_starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "window_ends_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        }
    }


def _tomorrow_9():
    return datetime.combine(utcnow().date() + timedelta(days=1), time(9), tzinfo=UTC)


def _block(cast):
    def make():
        block = PhoneBlock(
            wave_id=cast.world.wave.id,
            starts_at=_tomorrow_9(),
            ends_at=_tomorrow_9() + timedelta(hours=4),
            seats=3,
        )
        db.session.add(block)
        db.session.commit()
        return block

    return _kept(cast, "planning_block", make)


def _booked_block(cast):
    def make():
        block = PhoneBlock(
            wave_id=cast.world.wave.id,
            starts_at=_tomorrow_9() + timedelta(days=1),
            ends_at=_tomorrow_9() + timedelta(days=1, hours=4),
            seats=3,
        )
        block.bookings.append(PhoneBlockBooking(shopper_id=cast.shopper.id))
        db.session.add(block)
        db.session.commit()
        return block

    return _kept(cast, "planning_booked_block", make)


ROWS = {
    ("GET", "/api/v1/briefs"): Route(
        lambda c: "/api/v1/briefs", api_for(shopper=JSON, shopper_ungated=GATE_INCOMPLETE)
    ),
    ("GET", "/coordinator/planning"): Route(
        lambda c: "/coordinator/planning", page_for(coordinator=HTML, other_coordinator=HTML, admin=HTML)
    ),
    ("GET", "/coordinator/waves/<id:wave_id>/plan"): Route(lambda c: _wave(c, "/plan"), STAFF_PAGE),
    ("POST", "/coordinator/waves/<id:wave_id>/plan"): Route(
        lambda c: _wave(c, "/plan"), STAFF_CHANGE, body=_plan_form
    ),
    ("POST", "/coordinator/waves/<id:wave_id>/auto-assign"): Route(_with_target, STAFF_CHANGE),
    ("GET", "/coordinator/waves/<id:wave_id>/assignments"): Route(
        lambda c: _wave(c, "/assignments"), STAFF_PAGE
    ),
    ("POST", "/coordinator/waves/<id:wave_id>/assignments/bulk"): Route(
        lambda c: _wave(c, "/assignments/bulk"),
        STAFF_CHANGE,
        body=lambda c, u: {"data": {"action": "cancel", "assignment_ids": c.assignment.id}},
    ),
    ("GET", "/coordinator/waves/<id:wave_id>/assignments/new"): Route(
        lambda c: _wave(c, "/assignments/new"), STAFF_PAGE
    ),
    ("POST", "/coordinator/waves/<id:wave_id>/assignments/new"): Route(
        lambda c: _wave(c, "/assignments/new"), STAFF_CHANGE, body=_manual_form
    ),
    ("POST", "/coordinator/assignments/<id:assignment_id>/reassign"): Route(
        lambda c: f"/coordinator/assignments/{_withdrawn(c).id}/reassign", STAFF_CHANGE
    ),
    # The navigation's "Phone bank": each coordinator to their programme's running wave; an admin working in
    # no programme is told to choose one.
    ("GET", "/coordinator/phone-bank"): Route(
        lambda c: "/coordinator/phone-bank",
        page_for(
            coordinator=redirect(lambda c: f"/coordinator/waves/{c.world.wave.id}/blocks"),
            other_coordinator=redirect(lambda c: f"/coordinator/waves/{c.other_world.wave.id}/blocks"),
            admin=Expect(404, "text/html"),
        ),
    ),
    ("GET", "/coordinator/waves/<id:wave_id>/blocks"): Route(lambda c: _wave(c, "/blocks"), STAFF_PAGE),
    ("POST", "/coordinator/waves/<id:wave_id>/blocks"): Route(
        lambda c: _wave(c, "/blocks"),
        STAFF_CHANGE,
        body=lambda c, u: {"data": {"starts_at": _tomorrow_9().strftime("%Y-%m-%dT%H:%M"), "seats": "3"}},
    ),
    # --- the shopper's side ---
    ("POST", "/briefs/<id:assignment_id>/accept"): Route(
        lambda c: f"/briefs/{c.assignment.id}/accept",
        page_for(shopper=redirect(lambda c: f"/briefs/{c.assignment.id}"), shopper_ungated=TO_GATE),
    ),
    ("POST", "/briefs/<id:assignment_id>/decline"): Route(
        lambda c: f"/briefs/{c.assignment.id}/decline",
        page_for(shopper=redirect("/briefs"), shopper_ungated=TO_GATE),
        body=lambda c, u: {"data": {"reason": "too_far"}},
    ),
    ("GET", "/phone-bank"): Route(lambda c: "/phone-bank", page_for(shopper=HTML, shopper_ungated=TO_GATE)),
    ("POST", "/phone-bank/<id:block_id>/book"): Route(
        lambda c: f"/phone-bank/{_block(c).id}/book",
        page_for(shopper=redirect("/phone-bank"), shopper_ungated=TO_GATE),
    ),
    ("POST", "/phone-bank/<id:block_id>/cancel"): Route(
        lambda c: f"/phone-bank/{_booked_block(c).id}/cancel",
        page_for(shopper=redirect("/phone-bank"), shopper_ungated=TO_GATE),
    ),
}
