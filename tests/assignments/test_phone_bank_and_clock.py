"""Phone-bank bookings narrow the work to the block; automatic assignment plans telephone work into booked
seats within their capacity; times are entered and shown on the programme's clock."""

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from app.accounts.models import Role
from app.assignments import blocks, manual, planning
from app.assignments.matching import CellNeed, PhoneSeat, PointInfo, ShopperInfo, plan_assignments
from app.assignments.models import Assignment, AssignmentState, PhoneBlock
from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Channel
from tests.assignments.helpers import set_target, shoppers
from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper, make_user


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def tomorrow(hour=9):
    return datetime.combine(utcnow().date() + timedelta(days=1), time(hour), tzinfo=UTC)


def csrf(client, path):
    return (
        client.get(path)
        .get_data(as_text=True)
        .split('name="csrf_token" type="hidden" value="')[1]
        .split('"')[0]
    )


# --- booking narrows the window ----------------------------------------------------------------------


def test_booking_moves_the_telephone_work_whose_window_allows_it_into_the_block_up_to_one_seat(
    world, coordinator
):
    world.programme.phone_shops_per_hour = 1  # one seat: 4 calls
    shopper = make_shopper(world)
    calls = [make_assignment(world, shopper, contact_point=world.district_phone) for _ in range(5)]
    elsewhere = calls[4]
    elsewhere.window_starts_at, elsewhere.window_ends_at = tomorrow(14), tomorrow(18)  # after the block
    visit = make_assignment(world, shopper)
    block = blocks.create_block(world.wave, tomorrow(), 2, coordinator)
    moved = blocks.book(block, shopper)
    db.session.commit()
    assert moved == calls[:4]
    for call in calls[:4]:
        assert (call.phone_block_id, call.window_starts_at, call.window_ends_at) == (
            block.id,
            block.starts_at,
            block.ends_at,
        )
    assert elsewhere.phone_block_id is None and elsewhere.window_starts_at == tomorrow(14)
    assert visit.phone_block_id is None and visit.window_ends_at > block.ends_at + timedelta(days=3)


def test_cancelling_gives_the_work_the_rest_of_the_wave_again(world, coordinator):
    shopper = make_shopper(world)
    call = make_assignment(world, shopper, contact_point=world.district_phone)
    block = blocks.create_block(world.wave, tomorrow(), 1, coordinator)
    blocks.book(block, shopper)
    assert blocks.cancel_booking(block, shopper) == [call]
    db.session.commit()
    _, wave_end = blocks.wave_bounds(world.wave)
    assert call.phone_block_id is None and call.window_ends_at == wave_end
    assert call.window_starts_at <= utcnow()


# --- automatic assignment and the phone bank -----------------------------------------------------------


def test_a_wave_with_blocks_gives_telephone_work_only_to_shoppers_with_a_booked_seat(world, coordinator):
    booked, unbooked = shoppers(world, 2)
    block = blocks.create_block(world.wave, tomorrow(), 1, coordinator)
    blocks.book(block, booked)
    db.session.commit()
    set_target(world, world.wave, world.district, world.planning, Channel.telephone, 2)
    set_target(world, world.wave, world.district, world.waste, Channel.in_person, 1)
    result = planning.auto_assign(world.wave, coordinator)
    db.session.commit()
    calls = db.session.scalars(sa.select(Assignment).where(Assignment.channel == Channel.telephone)).all()
    # one phone line: rotation allows each shopper one call on it; only the booked shopper may ring
    assert [(a.shopper_id, a.phone_block_id) for a in calls] == [(booked.id, block.id)]
    assert (calls[0].window_starts_at, calls[0].window_ends_at) == (block.starts_at, block.ends_at)
    assert "booked the phone-bank block of" in calls[0].explanation
    [unfilled] = result.unfilled
    assert unfilled.missing == 1 and "booked phone-bank block that has room" in unfilled.why
    visit = db.session.scalar(sa.select(Assignment).where(Assignment.channel == Channel.in_person))
    assert visit.phone_block_id is None  # other channels are unaffected


def test_a_wave_without_blocks_plans_telephone_work_over_the_wave(world, coordinator):
    shoppers(world, 1)
    set_target(world, world.wave, world.district, world.planning, Channel.telephone, 1)
    [planned] = planning.auto_assign(world.wave, coordinator).planned
    assert planned.phone_block_id is None


def test_a_full_seat_takes_no_more_calls(world, coordinator):
    world.programme.phone_shops_per_hour = 1
    shopper = shoppers(world, 1)[0]
    block = blocks.create_block(world.wave, tomorrow(), 1, coordinator)
    for _ in range(4):
        make_assignment(world, shopper, contact_point=world.district_phone)
    blocks.book(block, shopper)
    db.session.commit()
    seats, _ = blocks.booked_seats(world.wave)
    assert shopper.id not in seats  # 4 calls of 4: no room
    set_target(world, world.wave, world.district, world.planning, Channel.telephone, 5)
    assert not planning.auto_assign(world.wave, coordinator).planned


def test_reassigning_telephone_work_puts_it_in_the_new_shoppers_booked_block(world, coordinator):
    first, second = shoppers(world, 2)
    block = blocks.create_block(world.wave, tomorrow(), 2, coordinator)
    call = make_assignment(world, first, contact_point=world.district_phone, scenario=world.planning_scenario)
    blocks.book(block, first)
    blocks.book(block, second)
    new = manual.reassign(call, coordinator)
    db.session.commit()
    assert new.shopper_id == second.id and new.phone_block_id == block.id
    assert (new.window_starts_at, new.window_ends_at) == (block.starts_at, block.ends_at)


def _phone_cell(missing, points):
    return CellNeed(1, 1, Channel.telephone, missing, tuple(PointInfo(p) for p in points), (1,), 1, "phone")


def test_the_planner_spends_each_seats_room_earliest_block_first():
    shopper = ShopperInfo(1, phone_seats=(PhoneSeat(7, 1, "Mon 09:00"), PhoneSeat(8, 2, "Tue 09:00")))
    result = plan_assignments([_phone_cell(5, range(10, 15))], [shopper, ShopperInfo(2)], 10, phone_bank=True)
    assert [p.phone_block_id for p in result.planned] == [7, 8, 8]
    assert {p.shopper_id for p in result.planned} == {1} and result.unfilled[0].missing == 2


@settings(max_examples=100, deadline=None)
@given(
    rooms=st.lists(st.lists(st.integers(0, 3), max_size=3), max_size=5),
    missing=st.integers(0, 8),
    conflicted=st.sets(st.integers(1, 5)),
)
def test_phone_bank_planning_never_exceeds_a_seat_or_breaks_a_conflict(rooms, missing, conflicted):
    infos = [
        ShopperInfo(
            i + 1,
            conflicts=((1, None),) if i + 1 in conflicted else (),
            phone_seats=tuple(PhoneSeat(100 * (i + 1) + n, room) for n, room in enumerate(seat_rooms)),
        )
        for i, seat_rooms in enumerate(rooms)
    ]
    result = plan_assignments([_phone_cell(missing, range(10, 20))], infos, 20, phone_bank=True)
    room = {seat.block_id: seat.room for s in infos for seat in s.phone_seats}
    used = {}
    for planned in result.planned:
        assert planned.shopper_id not in conflicted
        assert planned.phone_block_id // 100 == planned.shopper_id  # a seat the shopper booked
        used[planned.phone_block_id] = used.get(planned.phone_block_id, 0) + 1
    assert all(used[block] <= room[block] for block in used)


# --- the programme's clock --------------------------------------------------------------------------------


def test_a_block_is_entered_and_shown_on_the_programmes_clock(client, world, coordinator):
    world.programme.timezone = "America/New_York"
    db.session.commit()
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/blocks"
    page = client.get(path).get_data(as_text=True)
    assert "America/New_York time" in page and "(UTC)" not in page
    day = utcnow().date() + timedelta(days=2)
    response = client.post(
        path, data={"csrf_token": csrf(client, path), "starts_at": f"{day}T09:00", "seats": "2"}
    )
    assert response.status_code == 302
    block = db.session.scalar(sa.select(PhoneBlock))
    local = block.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert (local.date(), local.hour) == (day, 9) and block.starts_at.utcoffset() == timedelta(0)
    assert f"{day:%a %-d %b} 09:00" in client.get(path).get_data(as_text=True)


def test_a_local_time_the_clocks_skip_is_a_field_error_and_nothing_is_saved(client, world, coordinator):
    shopper = make_shopper(world)
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/assignments/new"
    response = client.post(
        path,
        data={
            "csrf_token": csrf(client, path),
            "shopper_id": shopper.id,
            "contact_point_id": world.district_office.id,
            "scenario_id": world.waste_scenario.id,
            "questionnaire_version_id": world.visit_version.id,
            "window_starts_at": "2027-03-28T01:30",
            "window_ends_at": "2027-03-28T05:00",
        },
    )  # London springs forward
    assert response.status_code == 422
    assert "01:30 on 28 March 2027 does not exist in Europe/London" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)) == 0


def test_manual_assignment_stores_utc_from_local_summer_time(client, world, coordinator):
    shopper = make_shopper(world)
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/assignments/new"
    response = client.post(
        path,
        data={
            "csrf_token": csrf(client, path),
            "shopper_id": shopper.id,
            "contact_point_id": world.district_office.id,
            "scenario_id": world.waste_scenario.id,
            "questionnaire_version_id": world.visit_version.id,
            "window_starts_at": "2027-07-01T09:00",
            "window_ends_at": "2027-07-01T09:00",
        },
    )
    assert response.status_code == 422 and "The window must close after it opens." in response.get_data(
        as_text=True
    )
    response = client.post(
        path,
        data={
            "csrf_token": csrf(client, path),
            "shopper_id": shopper.id,
            "contact_point_id": world.district_office.id,
            "scenario_id": world.waste_scenario.id,
            "questionnaire_version_id": world.visit_version.id,
            "window_starts_at": "2027-07-01T09:00",
            "window_ends_at": "2027-07-01T17:00",
        },
    )
    assert response.status_code == 302
    assignment = db.session.scalar(sa.select(Assignment))
    assert assignment.window_starts_at == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # BST is UTC+1
    assert assignment.state is AssignmentState.offered
