"""The coordinator's day: the home page's counts, each linking to the items behind it, and each running
wave's progress against its plan."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments.models import AssignmentState, CoverageTarget, PhoneBlock, PhoneBlockBooking
from app.db_types import utcnow
from app.extensions import db
from app.labels import age
from app.programmes import today
from app.programmes.models import Channel, WaveStatus
from app.visits import review
from tests.conftest import sign_in
from tests.factories import make_application, make_assignment, make_shopper, make_user
from tests.review.helpers import make_submission


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def busy_day(world, coordinator):
    """Two reports waiting (the oldest three days), one returned, an applicant, a cell of five with one
    assigned and approved, a late assignment and an empty phone-bank block this week."""
    world.wave.status = WaveStatus.open
    shopper = make_shopper(world)
    waiting = [make_submission(world, shopper) for _ in range(2)]
    waiting[0].received_at = utcnow() - timedelta(days=3, hours=2)
    returned = make_submission(world, shopper)
    review.return_to_shopper(returned, coordinator, "Add the time.")
    approved = make_submission(world, shopper)
    review.approve(approved, coordinator)
    late = make_assignment(world, shopper, state=AssignmentState.accepted)
    late.window_starts_at, late.window_ends_at = utcnow() - timedelta(days=5), utcnow() - timedelta(days=1)
    db.session.add(
        CoverageTarget(
            wave_id=world.wave.id,
            organisation_id=world.district.id,
            service_area_id=world.waste.id,
            channel=Channel.in_person,
            target=9,
        )
    )
    now = utcnow()
    db.session.add_all(
        [
            PhoneBlock(
                wave_id=world.wave.id, starts_at=now + timedelta(minutes=5), ends_at=now + timedelta(hours=4)
            ),
            # next month: not this week's
            PhoneBlock(
                wave_id=world.wave.id,
                starts_at=now + timedelta(days=30),
                ends_at=now + timedelta(days=30, hours=4),
            ),
        ]
    )
    make_application(world.programme)
    db.session.commit()
    return {"waiting": waiting, "returned": returned, "approved": approved, "late": late, "shopper": shopper}


def by_key(items):
    return {t.key: t for t in items}


def test_the_counts_of_a_busy_day(world, coordinator):
    made = busy_day(world, coordinator)
    todos = by_key(today.todos(world.programme))
    assert todos["review"].count == 2
    assert todos["review"].detail == "the oldest has waited 3 days"
    assert todos["returned"].count == 1 and todos["returned"].args == {"state": "returned"}
    assert todos["applicants"].count == 1
    # The cell wants nine; its live assignments (five reports' and the late one) leave three to assign.
    wave = world.wave.id
    live = 5  # two waiting, one returned, one approved, one late
    assert todos[f"unassigned-{wave}"].count == 9 - live
    assert todos[f"late-{wave}"].count == 1
    assert (
        todos[f"blocks-{wave}"].count == 1
        and todos[f"blocks-{wave}"].detail == "1 with no booking, 4 seats free"
    )
    [progress] = today.progress(world.programme)
    assert (progress.total.planned, progress.total.done) == (9, 1)
    assert [(b.label, b.planned, b.done) for b in progress.by_channel] == [("In person", 9, 1)]
    assert [(b.label, b.done) for b in progress.by_organisation] == [("North District Council", 1)]
    # A block fully booked is no longer a to-do.
    block = db.session.scalar(sa.select(PhoneBlock).order_by(PhoneBlock.starts_at))
    block.seats = 1
    db.session.add(PhoneBlockBooking(block_id=block.id, shopper_id=made["shopper"].id))
    db.session.commit()
    assert by_key(today.todos(world.programme))[f"blocks-{wave}"].count == 0


def test_a_quiet_day_says_nought_for_each(world):
    todos = today.todos(world.programme)
    assert [t.count for t in todos] == [0] * len(todos)
    assert {t.key for t in todos} >= {"review", "returned", "applicants"}


def test_the_week_is_the_programmes_monday_to_monday():
    from datetime import UTC, datetime

    from app.programmes.models import Programme

    programme = Programme(name="p", timezone="Europe/London")
    starts, ends = today.week_bounds(programme, datetime(2026, 7, 1, 12, 0, tzinfo=UTC))  # a Wednesday, BST
    assert (starts, ends) == (
        datetime(2026, 6, 28, 23, 0, tzinfo=UTC),
        datetime(2026, 7, 5, 23, 0, tzinfo=UTC),
    )


def test_each_count_on_the_home_page_links_to_the_items_behind_it(client, world, coordinator):
    made = busy_day(world, coordinator)
    sign_in(client, coordinator)
    home = client.get("/coordinator").get_data(as_text=True)

    def link(key):
        item = re.search(
            rf'data-todo="{key}">\s*<a href="([^"]+)"><strong class="count">([\d,]+)</strong>', home
        )
        assert item, key
        return item.group(1).replace("&amp;", "&"), int(item.group(2))

    path, count = link("review")
    queue = client.get(path).get_data(as_text=True)
    assert count == 2 and all(f"#{s.id}" in queue for s in made["waiting"])
    path, count = link("returned")
    queue = client.get(path).get_data(as_text=True)
    rows = queue.split("<tbody>")[1]
    assert count == 1 and f"#{made['returned'].id} " in rows and f"#{made['waiting'][0].id} " not in rows
    path, count = link("applicants")
    assert count == 1 and "Alex Applicant" in client.get(path).get_data(as_text=True)
    path, count = link(f"late-{world.wave.id}")
    listing = client.get(path).get_data(as_text=True)
    assert count == 1 and "1 assignment(s) in Wave 1 matching the filter" in listing
    assert f"<td>{made['late'].id}</td>" in listing
    path, count = link(f"unassigned-{world.wave.id}")
    assert path.endswith(f"/coordinator/waves/{world.wave.id}/plan") and count == 4
    assert "4 still to assign" in client.get(path).get_data(as_text=True)
    path, count = link(f"blocks-{world.wave.id}")
    assert path.endswith(f"/coordinator/waves/{world.wave.id}/blocks") and count == 1
    assert "Wave 1 (open): 1 of 9 planned reports done" in home
    assert re.search(r'<progress max="9" value="1" aria-label="Wave 1: 1 of 9 done">', home)


def test_the_oldest_report_age_reads_in_words():
    assert age(timedelta(days=3, hours=2)) == "3 days"
    assert age(timedelta(hours=1, minutes=5)) == "1 hour"
    assert age(timedelta(minutes=12)) == "12 minutes"
    assert age(timedelta(seconds=20)) == "less than a minute"


def test_the_wave_plan_puts_its_summary_and_automatic_assignment_before_the_grid(client, world, coordinator):
    sign_in(client, coordinator)
    page = client.get(f"/coordinator/waves/{world.wave.id}/plan").get_data(as_text=True)
    assert page.index("The plan in short") < page.index("Assign automatically") < page.index("Coverage grid")


def test_the_navigation_names_every_part_of_a_coordinators_work(client, world, coordinator):
    sign_in(client, coordinator)
    nav = (
        client.get("/coordinator")
        .get_data(as_text=True)
        .split('<nav aria-label="Main">')[1]
        .split("</nav>")[0]
    )
    for name in ("Applicants", "Review", "Planning", "Phone bank", "Set-up", "Results", "Programmes"):
        assert f">{name}</a>" in nav, name
    assert (
        client.get("/coordinator/phone-bank")
        .headers["Location"]
        .endswith(f"/coordinator/waves/{world.wave.id}/blocks")
    )
