"""Phone-bank blocks: four-hour sessions the coordinator opens and shoppers book in advance.

Capacity is counted in seats (shoppers); the calls a block can take follow from the programme's
throughput norm: seats x 4 hours x ``phone_shops_per_hour`` (default 6). Booking attaches the shopper's
open telephone assignments of the wave, up to what one seat can ring in four hours.
"""
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa

from app.assignments.models import OPEN_STATES, Assignment, PhoneBlock, PhoneBlockBooking
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.programmes.models import Channel, Wave, WaveStatus

BLOCK_HOURS = 4


def calls_per_seat(block: PhoneBlock) -> int:
    return BLOCK_HOURS * block.wave.programme.phone_shops_per_hour


def call_capacity(block: PhoneBlock) -> int:
    return block.seats * calls_per_seat(block)


def create_block(wave: Wave, starts_at: datetime, seats: int, actor, now: datetime | None = None) -> PhoneBlock:
    now = now or utcnow()
    ends_at = starts_at + timedelta(hours=BLOCK_HOURS)
    wave_start = datetime.combine(wave.starts_on, time(0), tzinfo=timezone.utc)
    wave_end = datetime.combine(wave.ends_on + timedelta(days=1), time(0), tzinfo=timezone.utc)
    if starts_at <= now:
        raise Invalid("starts_at", "A block must start in the future, so that shoppers can book it.")
    if starts_at < wave_start or ends_at > wave_end:
        raise Invalid("starts_at", f"The block must fall within {wave.name} "
                                   f"({wave.starts_on:%-d %b} to {wave.ends_on:%-d %b %Y}).")
    block = PhoneBlock(wave_id=wave.id, starts_at=starts_at, ends_at=ends_at, seats=seats)
    db.session.add(block)
    db.session.flush()
    record("phone_block.created", block, actor=actor, seats=seats, starts_at=starts_at.isoformat())
    return block


def blocks_of(wave: Wave) -> list[PhoneBlock]:
    return db.session.scalars(sa.select(PhoneBlock).where(PhoneBlock.wave_id == wave.id)
                              .order_by(PhoneBlock.starts_at)).all()


def open_blocks(shopper, now: datetime | None = None) -> list[PhoneBlock]:
    """Blocks still to come in the shopper's programme, in waves not yet closed."""
    now = now or utcnow()
    return db.session.scalars(
        sa.select(PhoneBlock).join(Wave).where(
            Wave.programme_id == shopper.programme_id, PhoneBlock.starts_at > now,
            Wave.status.in_([WaveStatus.planned, WaveStatus.open]))
        .order_by(PhoneBlock.starts_at)
    ).all()


def booking_of(block: PhoneBlock, shopper) -> PhoneBlockBooking | None:
    return next((b for b in block.bookings if b.shopper_id == shopper.id), None)


def book(block: PhoneBlock, shopper, now: datetime | None = None) -> list[Assignment]:
    """Book a seat; returns the telephone assignments now done in this block."""
    now = now or utcnow()
    if block.starts_at <= now:
        raise DomainError("block_started", "This block has started; book a later one.")
    if booking_of(block, shopper) is not None:
        raise DomainError("already_booked", "You have booked this block already.")
    if len(block.bookings) >= block.seats:
        raise DomainError("block_full", "This block is full; choose another.")
    block.bookings.append(PhoneBlockBooking(shopper_id=shopper.id))
    waiting = db.session.scalars(
        sa.select(Assignment).where(
            Assignment.shopper_id == shopper.id, Assignment.wave_id == block.wave_id,
            Assignment.channel == Channel.telephone, Assignment.state.in_(OPEN_STATES),
            Assignment.phone_block_id.is_(None))
        .order_by(Assignment.window_ends_at, Assignment.id).limit(calls_per_seat(block))
    ).all()
    db.session.flush()
    for assignment in waiting:
        assignment.phone_block_id = block.id
    record("phone_block.booked", block, actor=shopper, assignments=[a.id for a in waiting])
    return waiting


def cancel_booking(block: PhoneBlock, shopper, now: datetime | None = None) -> None:
    now = now or utcnow()
    booking = booking_of(block, shopper)
    if booking is None:
        raise DomainError("not_booked", "You have not booked this block.")
    if block.starts_at <= now:
        raise DomainError("block_started", "This block has started; it can no longer be cancelled.")
    block.bookings.remove(booking)
    db.session.execute(sa.update(Assignment).where(Assignment.phone_block_id == block.id,
                                                   Assignment.shopper_id == shopper.id)
                       .values(phone_block_id=None))
    record("phone_block.cancelled", block, actor=shopper)
