"""Approved reports in the test world, through the same receive and review doors as real ones."""

from app.accounts.models import Role
from app.extensions import db
from app.visits import review
from tests.factories import make_assignment, make_shopper, make_user
from tests.review.helpers import make_submission


def coordinator_of(world):
    return make_user(Role.coordinator, programme=world.programme)


def approved_report(world, coordinator, answers, contact_point=None, scenario=None, **overrides):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper, contact_point=contact_point, scenario=scenario)
    submission = make_submission(world, shopper=shopper, assignment=assignment, answers=answers, **overrides)
    review.approve(submission, coordinator)
    db.session.commit()
    return submission


GOOD = {"greeted": True, "helpful": 5, "outcome": "resolved"}  # 1.0
FAIR = {"greeted": True, "helpful": 3, "outcome": "redirected"}  # (1 + 0.5 + 0.5) / 3
FAILED = {"greeted": False, "helpful": 5, "outcome": "resolved"}  # a critical failure: 0


def phone_call(seconds_to_answer=12, outcome="resolved", transfers=0, handle=240):
    return {
        "dialled_at": "2026-11-20T14:20:00+00:00",
        "seconds_to_answer": seconds_to_answer,
        "rings": 3,
        "recorded_message": {"heard": False},
        "transfers": [{"to": "Revenues team", "announced": True, "seconds_waiting": 30}] * transfers,
        "outcome": outcome,
        "handle_time_seconds": handle,
    }


def in_wave(world, wave, coordinator, answers, contact_point, **overrides):
    """An approved report of ``wave`` (the factories' assignments are in the world's first wave)."""
    from tests.factories import make_assignment, make_shopper

    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper, contact_point=contact_point)
    assignment.wave = wave
    db.session.commit()
    submission = make_submission(world, shopper=shopper, assignment=assignment, answers=answers, **overrides)
    review.approve(submission, coordinator)
    db.session.commit()
    return submission


def results_world(world):
    """Two waves: North District improves in person (6 then 7 reports), South District stays a small sample,
    North's phone line has five calls in wave 1; a reference figure for in person."""
    from datetime import timedelta

    from app.programmes.models import Channel, ReferenceFigure, Wave

    coordinator = coordinator_of(world)
    wave2 = Wave(
        programme=world.programme,
        number=2,
        name="Wave 2",
        starts_on=world.wave.ends_on + timedelta(days=1),
        ends_on=world.wave.ends_on + timedelta(days=30),
    )
    db.session.add(wave2)
    db.session.add(
        ReferenceFigure(programme=world.programme, channel=Channel.in_person, value=70.0, source="Test 2026")
    )
    db.session.commit()
    for answers in [FAILED, FAILED, FAILED, FAIR, GOOD, GOOD]:
        in_wave(world, world.wave, coordinator, answers, world.district_office)
    for answers in [GOOD] * 7:
        in_wave(world, wave2, coordinator, answers, world.district_office)
    for answers in [GOOD, FAIR]:
        in_wave(world, wave2, coordinator, answers, world.other_office)
    calls = [
        phone_call(12),
        phone_call(45, "unresolved", 2, 600),
        phone_call(20),
        phone_call(8),
        phone_call(30),
    ]
    for log in calls:
        in_wave(world, world.wave, coordinator, FAIR, world.district_phone, call_log=log)
    return coordinator, wave2
