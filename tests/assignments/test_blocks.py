"""Phone-bank blocks: creation rules, capacity from the throughput norm, booking and its refusals."""

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments import blocks
from app.assignments.models import AssignmentState, PhoneBlock
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper, make_user


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def tomorrow(hour=9):
    return datetime.combine(utcnow().date() + timedelta(days=1), time(hour), tzinfo=UTC)


def test_a_block_lasts_four_hours_and_its_capacity_follows_the_norm(world, coordinator):
    block = blocks.create_block(world.wave, tomorrow(), 3, coordinator)
    assert block.ends_at - block.starts_at == timedelta(hours=4)
    assert blocks.call_capacity(block) == 3 * 4 * 6  # the default 6 telephone shops per shopper-hour


@pytest.mark.parametrize("starts", ["past", "after_wave"])
def test_a_block_must_be_in_the_future_and_inside_the_wave(world, coordinator, starts):
    when = utcnow() - timedelta(hours=1) if starts == "past" else tomorrow() + timedelta(days=60)
    with pytest.raises(Invalid):
        blocks.create_block(world.wave, when, 3, coordinator)


def test_booking_attaches_the_shoppers_telephone_work_and_refuses_twice_or_when_full(world, coordinator):
    shopper = make_shopper(world)
    phone = make_assignment(world, shopper, contact_point=world.district_phone)
    visit = make_assignment(world, shopper)
    block = blocks.create_block(world.wave, tomorrow(), 1, coordinator)
    assert blocks.book(block, shopper) == [phone]
    assert phone.phone_block_id == block.id and visit.phone_block_id is None
    with pytest.raises(DomainError, match="already"):
        blocks.book(block, shopper)
    with pytest.raises(DomainError, match="full"):
        blocks.book(block, make_shopper(world))
    blocks.cancel_booking(block, shopper)
    db.session.commit()
    assert db.session.get(type(phone), phone.id).phone_block_id is None
    assert phone.state is AssignmentState.offered


def test_the_block_form_refuses_bad_input_and_saves_nothing(client, world, coordinator):
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/blocks"
    html = client.get(path).get_data(as_text=True)
    csrf = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    for form in (
        {"starts_at": "", "seats": "0"},
        {"starts_at": (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "seats": "2"},
    ):
        response = client.post(path, data={"csrf_token": csrf, **form})
        assert response.status_code == 422 and "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhoneBlock)) == 0


def test_a_shopper_books_from_the_phone_bank_page_and_a_full_block_answers_409(client, world, coordinator):
    block = blocks.create_block(world.wave, tomorrow(), 1, coordinator)
    db.session.commit()
    shopper = make_shopper(world)
    sign_in(client, shopper)
    html = client.get("/phone-bank").get_data(as_text=True)
    assert "1 of 1" in html
    csrf = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"/phone-bank/{block.id}/book", data={"csrf_token": csrf}).status_code == 302
    assert client.post(f"/phone-bank/{block.id}/book", data={"csrf_token": csrf}).status_code == 409
