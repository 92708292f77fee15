"""Release (issue 18): nothing before release; what is released is fixed; withdrawal hides it again; a late
report changes the partner's figures only at the next release, with a note of what changed."""

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.programmes.models import WaveStatus
from app.releases import services as releases
from app.visits.models import SubmissionState
from tests.factories import make_shopper
from tests.listing_kit import add_reports
from tests.results.helpers import FAILED, GOOD, approved_report, coordinator_of


@pytest.fixture
def released_world(app, world):
    coordinator = coordinator_of(world)
    for answers in (GOOD, GOOD, FAILED):
        approved_report(world, coordinator, answers)
    releases.close_review(world.wave, coordinator)
    db.session.commit()
    return world, coordinator


def test_nothing_is_released_before_the_coordinator_releases(released_world):
    world, _ = released_world
    assert releases.released_waves(world.district.id) == []
    assert not releases.is_released(world.wave.id, world.district.id)
    assert releases.released_figures(world.wave.id, world.district.id) is None
    assert db.session.scalars(releases.released_report_ids(world.district.id)).all() == []


def test_a_wave_under_review_cannot_be_released(app, world):
    coordinator = coordinator_of(world)
    with pytest.raises(releases.ReleaseRefused) as refused:
        releases.release(world.wave, world.district, coordinator)
    assert refused.value.code == "review_open"


def test_release_stores_the_preview_and_the_reports_and_audits_it(released_world):
    world, coordinator = released_world
    preview = releases.preview(world.wave, world.district)
    made = releases.release(world.wave, world.district, coordinator)
    db.session.commit()
    assert made.figures == preview
    assert made.reports == 3
    assert releases.released_figures(world.wave.id, world.district.id) == preview
    assert [w.id for w in releases.released_waves(world.district.id)] == [world.wave.id]
    assert len(db.session.scalars(releases.released_report_ids(world.district.id, world.wave.id)).all()) == 3
    assert world.wave.status is WaveStatus.published
    # Only the organisation it was released to.
    assert not releases.is_released(world.wave.id, world.other_district.id)
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="release.made")).one()
    assert event.object_id == str(made.id) and event.actor_id == coordinator.id


def test_withdrawal_hides_the_release_again(released_world):
    world, coordinator = released_world
    made = releases.release(world.wave, world.district, coordinator)
    db.session.commit()
    releases.withdraw(made, coordinator, "Released before the late reports were in")
    db.session.commit()
    assert not releases.is_released(world.wave.id, world.district.id)
    assert releases.released_waves(world.district.id) == []
    assert db.session.scalars(releases.released_report_ids(world.district.id)).all() == []
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="release.withdrawn")).one()
    assert event.data["reason"] == "Released before the late reports were in"


def test_a_late_report_changes_the_figures_only_at_the_next_release(released_world):
    world, coordinator = released_world
    releases.release(world.wave, world.district, coordinator)
    db.session.commit()
    before = releases.released_figures(world.wave.id, world.district.id)
    assert before["headline"]["score"]["n"] == 3

    late = approved_report(world, coordinator, GOOD)
    assert releases.released_figures(world.wave.id, world.district.id) == before
    released_ids = db.session.scalars(releases.released_report_ids(world.district.id)).all()
    assert late.id not in released_ids
    assert releases.preview(world.wave, world.district)["headline"]["score"]["n"] == 4

    again = releases.release(world.wave, world.district, coordinator)
    db.session.commit()
    after = releases.released_figures(world.wave.id, world.district.id)
    assert after["headline"]["score"]["n"] == 4
    assert late.id in db.session.scalars(releases.released_report_ids(world.district.id)).all()
    score_change = next(c for c in again.changes if c["label"] == "Score")
    assert (score_change["before"]["n"], score_change["after"]["n"]) == (3, 4)


def test_release_all_releases_to_every_partner(released_world):
    world, coordinator = released_world
    made = releases.release_all(world.wave, coordinator)
    db.session.commit()
    assert {r.organisation_id for r in made} == {world.county.id, world.district.id, world.other_district.id}


def test_other_partners_are_anonymised_when_the_programme_says_so(released_world):
    world, _ = released_world
    world.programme.partners_named = False
    db.session.commit()
    figures = releases.preview(world.wave, world.county)
    names = {row["organisation"]["name"] for row in figures["benchmark"]["organisations"]}
    assert world.district.name not in names and "Partner A" in str(figures["method"]["partners"])
    assert world.county.name in {p["name"] for p in figures["method"]["partners"]}


def _failed_then_good(world):
    """(a coordinator, wave 2): the district office failed five reports in wave 1 and passed five in wave 2,
    approved; wave 1's review closed, nothing released."""
    from datetime import timedelta

    from app.programmes.models import Wave
    from tests.results.helpers import in_wave

    coordinator = coordinator_of(world)
    second = Wave(
        programme=world.programme,
        number=2,
        name="Wave 2",
        starts_on=world.wave.ends_on + timedelta(days=1),
        ends_on=world.wave.ends_on + timedelta(days=30),
    )
    db.session.add(second)
    db.session.commit()
    for answers in (FAILED,) * 5:
        in_wave(world, world.wave, coordinator, answers, world.district_office)
    for answers in (GOOD,) * 5:
        in_wave(world, second, coordinator, answers, world.district_office)
    releases.close_review(world.wave, coordinator)
    db.session.commit()
    return coordinator, second


def test_the_change_since_the_last_wave_compares_with_a_wave_the_partner_was_shown(app, world):
    coordinator, second = _failed_then_good(world)
    assert releases.preview(second, world.district)["headline"]["score_change"] is None
    releases.release(world.wave, world.district, coordinator)
    db.session.commit()
    change = releases.preview(second, world.district)["headline"]["score_change"]
    assert change["call"] == "improved"


def test_partners_in_one_pack_each_see_the_change_since_a_wave_they_were_shown(app, world):
    """A pack shares the benchmark between partners only where they were shown the same waves before."""
    from app.releases.snapshot import partner_figures, wave_reports

    coordinator, second = _failed_then_good(world)
    releases.release(world.wave, world.district, coordinator)  # to the district only
    db.session.commit()

    read = wave_reports(world.programme, second)
    unshown = partner_figures(world.programme, second, world.other_district, read)
    shown = partner_figures(world.programme, second, world.district, read)

    assert shown == partner_figures(world.programme, second, world.district)
    assert unshown == partner_figures(world.programme, second, world.other_district)
    own = next(r for r in shown["benchmark"]["organisations"] if r["organisation"]["id"] == world.district.id)
    assert own["score_change"]["call"] == "improved"
    assert all(r["score_change"] is None for r in unshown["benchmark"]["organisations"])


def test_approved_counts_are_per_organisation_of_the_wave(world):
    # In turn on the district's, the county's and the other district's office: approved, submitted, ...
    add_reports(world, [make_shopper(world)], 9, states=(SubmissionState.approved, SubmissionState.submitted))
    assert releases.approved_counts(world.wave) == {
        world.district.id: 2,
        world.county.id: 1,
        world.other_district.id: 2,
    }


def test_awaiting_review_counts_the_waves_waiting_reports_from_an_index_alone(world):
    from tests.factories import make_world
    from tests.listing_kit import sqlite_plans

    other = make_world()
    add_reports(other, [make_shopper(other)], 4)  # another programme's wave, all waiting
    states = (
        SubmissionState.submitted,
        SubmissionState.in_review,
        SubmissionState.approved,
        SubmissionState.returned,
    )
    made = add_reports(world, [make_shopper(world)], 10, states=states)
    waiting = releases.awaiting_review(world.wave)
    assert waiting == sum(
        1 for s in made if s.state in {SubmissionState.submitted, SubmissionState.in_review}
    )
    assert waiting == 6
    if db.engine.dialect.name == "sqlite":
        with sqlite_plans("submission.wave_id") as plans:
            releases.awaiting_review(world.wave)
        assert plans == [
            "SEARCH submission USING COVERING INDEX ix_submission_wave_state (wave_id=? AND state=?)"
        ]


@pytest.mark.parametrize(
    "zone, started_utc, weekday, band",
    [
        # London in winter is UTC: a report begun a millisecond before 10:00 is counted before 10:00.
        ("Europe/London", "2026-12-07T09:59:59.999000+00:00", "Monday", "Before 10:00"),
        ("Europe/London", "2026-12-07T10:00:00+00:00", "Monday", "10:00 to 12:00"),
        ("Europe/London", "2026-12-07T17:00:00+00:00", "Monday", "17:00 or later"),
        # Kolkata is UTC+5:30: its bands begin at the half hour in UTC.
        ("Asia/Kolkata", "2026-12-07T04:29:59+00:00", "Monday", "Before 10:00"),
        ("Asia/Kolkata", "2026-12-07T04:30:00+00:00", "Monday", "10:00 to 12:00"),
        # Auckland keeps summer time in December (UTC+13): Sunday evening in UTC is Monday morning there.
        ("Pacific/Auckland", "2026-12-06T20:59:00+00:00", "Monday", "Before 10:00"),
        ("Pacific/Auckland", "2026-12-06T21:00:00+00:00", "Monday", "10:00 to 12:00"),
    ],
)
def test_the_method_counts_each_report_on_the_programmes_clock(app, world, zone, started_utc, weekday, band):
    from datetime import datetime, timedelta

    from app.releases.snapshot import wave_reports

    world.programme.timezone = zone
    db.session.commit()
    started = datetime.fromisoformat(started_utc)
    approved_report(
        world,
        coordinator_of(world),
        GOOD,
        started_at=started.isoformat(),
        completed_at=(started + timedelta(minutes=20)).isoformat(),
    )
    read = wave_reports(world.programme, world.wave)
    assert read.weekdays == {weekday: {world.district.id: 1}}
    assert read.times == {band: {world.district.id: 1}}


def test_the_method_follows_the_clocks_going_forward_within_a_wave(app, world):
    """London's clocks go forward at 01:00 UTC on 28 March 2027: 09:30 UTC is 09:30 on the Saturday before
    and 10:30 on the Monday after, in one wave's count."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from app.releases.snapshot import _offsets, wave_reports
    from app.visits import review
    from tests.factories import make_assignment
    from tests.review.helpers import make_submission

    change = int(datetime(2027, 3, 28, 1, tzinfo=UTC).timestamp())
    assert _offsets(ZoneInfo("Europe/London"), change - 5 * 86400, change + 5 * 86400) == [
        (change - 5 * 86400, 0),
        (change, 3600),
    ]
    coordinator = coordinator_of(world)
    for started in (datetime(2027, 3, 27, 9, 30, tzinfo=UTC), datetime(2027, 3, 29, 9, 30, tzinfo=UTC)):
        shopper = make_shopper(world)
        assignment = make_assignment(world, shopper)
        assignment.window_starts_at = started - timedelta(days=1)
        assignment.window_ends_at = started + timedelta(days=1)
        db.session.commit()
        submission = make_submission(
            world,
            shopper=shopper,
            assignment=assignment,
            answers=GOOD,
            started_at=started.isoformat(),
            completed_at=(started + timedelta(minutes=20)).isoformat(),
        )
        review.approve(submission, coordinator)
        db.session.commit()
    read = wave_reports(world.programme, world.wave)
    district = world.district.id
    assert read.weekdays == {"Saturday": {district: 1}, "Monday": {district: 1}}
    assert read.times == {"Before 10:00": {district: 1}, "10:00 to 12:00": {district: 1}}
