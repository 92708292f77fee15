"""Phone-bank blocks: four-hour sessions the coordinator opens and shoppers book in advance.

Capacity is counted in seats (shoppers); the calls a block can take follow from the programme's
throughput norm: seats x 4 hours x ``phone_shops_per_hour`` (default 6), so one seat rings at most
``calls_per_seat`` numbers.

What booking does to the work (SPEC §2: telephone work is done in the block a shopper pre-books):

- Booking a seat moves the shopper's open telephone assignments of that wave into the block, up to one
  seat's calls: those whose window allows the block (it opens by the block's start and closes after its
  end). Their window becomes the block's four hours, so the shopper's app and the review's "late" and
  "early" flags hold them to it; the coordinator sees the block on the assignment.
- Cancelling the booking gives those assignments back the rest of the wave as their window.
- Once a wave has blocks, automatic assignment gives telephone work only to shoppers with a booked seat
  that still has room, in that block and window (``booked_seats``); a wave without blocks plans telephone
  work over the whole wave, as before (a programme whose shoppers ring from home).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.assignments.matching import PhoneSeat
from app.assignments.models import LIVE_STATES, Assignment, AssignmentState, PhoneBlock, PhoneBlockBooking
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.programmes.models import Channel, Wave, WaveStatus
from app.programmes.timezones import local_day_bounds, local_time

BLOCK_HOURS = 4
# Work a booking may move into its block: not yet reported (a returned report keeps the window it had).
MOVABLE_STATES = (AssignmentState.offered, AssignmentState.accepted)


def calls_per_seat(block: PhoneBlock) -> int:
    return BLOCK_HOURS * block.wave.programme.phone_shops_per_hour


def call_capacity(block: PhoneBlock) -> int:
    return block.seats * calls_per_seat(block)


def wave_bounds(wave: Wave) -> tuple[datetime, datetime]:
    """The wave's first local midnight to the local midnight after its last day, in UTC."""
    return local_day_bounds(wave.starts_on, wave.ends_on, wave.programme.timezone)


def create_block(
    wave: Wave, starts_at: datetime, seats: int, actor, now: datetime | None = None
) -> PhoneBlock:
    now = now or utcnow()
    ends_at = starts_at + timedelta(hours=BLOCK_HOURS)
    wave_start, wave_end = wave_bounds(wave)
    if starts_at <= now:
        raise Invalid("starts_at", "A block must start in the future, so that shoppers can book it.")
    if starts_at < wave_start or ends_at > wave_end:
        raise Invalid(
            "starts_at",
            f"The block must fall within {wave.name} ({wave.starts_on:%-d %b} to {wave.ends_on:%-d %b %Y}).",
        )
    block = PhoneBlock(wave_id=wave.id, starts_at=starts_at, ends_at=ends_at, seats=seats)
    db.session.add(block)
    db.session.flush()
    record("phone_block.created", block, actor=actor, seats=seats, starts_at=starts_at.isoformat())
    return block


def blocks_of(wave: Wave) -> list[PhoneBlock]:
    return db.session.scalars(
        sa.select(PhoneBlock).where(PhoneBlock.wave_id == wave.id).order_by(PhoneBlock.starts_at)
    ).all()


def open_blocks(shopper, now: datetime | None = None) -> list[PhoneBlock]:
    """Blocks still to come in the shopper's programme, in waves not yet closed."""
    now = now or utcnow()
    return db.session.scalars(
        sa.select(PhoneBlock)
        .join(Wave)
        .where(
            Wave.programme_id == shopper.programme_id,
            PhoneBlock.starts_at > now,
            Wave.status.in_([WaveStatus.planned, WaveStatus.open]),
        )
        .order_by(PhoneBlock.starts_at)
    ).all()


def booking_of(block: PhoneBlock, shopper) -> PhoneBlockBooking | None:
    return next((b for b in block.bookings if b.shopper_id == shopper.id), None)


def calls_in(block: PhoneBlock, shopper) -> list[Assignment]:
    """The shopper's live telephone work done in ``block``."""
    return db.session.scalars(
        sa.select(Assignment)
        .where(
            Assignment.phone_block_id == block.id,
            Assignment.shopper_id == shopper.id,
            Assignment.state.in_(LIVE_STATES),
        )
        .order_by(Assignment.id)
    ).all()


def _move(
    assignment: Assignment, starts_at: datetime, ends_at: datetime, block_id: int | None, actor
) -> None:
    """Into (or out of) a block; the trail keeps the window it had, which cancelling cannot give back."""
    previous = [assignment.window_starts_at.isoformat(), assignment.window_ends_at.isoformat()]
    assignment.phone_block_id = block_id
    assignment.window_starts_at, assignment.window_ends_at = starts_at, ends_at
    record(
        "assignment.rescheduled",
        assignment,
        actor=actor,
        phone_block=block_id,
        previous=previous,
        window=[starts_at.isoformat(), ends_at.isoformat()],
    )


def _hold(block: PhoneBlock) -> None:
    """Hold the block's row until the transaction ends, then read its bookings afresh: bookings of one block
    take turns, so its seats are counted by one at a time and a one-seat block gets exactly one. An UPDATE
    that changes nothing holds the row on every database: PostgreSQL's row lock (as SELECT ... FOR UPDATE),
    SQLite's write lock (the whole file's, taken before the count is read)."""
    db.session.execute(
        sa.update(PhoneBlock.__table__).where(PhoneBlock.id == block.id).values(seats=PhoneBlock.seats)
    )
    db.session.expire(block, ["bookings", "seats"])


def book(block: PhoneBlock, shopper, now: datetime | None = None) -> list[Assignment]:
    """Book a seat; returns the telephone assignments moved into this block (see the module's docstring)."""
    now = now or utcnow()
    if block.starts_at <= now:
        raise DomainError("block_started", "This block has started; book a later one.")
    _hold(block)
    if booking_of(block, shopper) is not None:
        raise DomainError("already_booked", "You have booked this block already.")
    if len(block.bookings) >= block.seats:
        raise DomainError("block_full", "This block is full; choose another.")
    block.bookings.append(PhoneBlockBooking(shopper_id=shopper.id))
    moving = db.session.scalars(
        sa.select(Assignment)
        .where(
            Assignment.shopper_id == shopper.id,
            Assignment.wave_id == block.wave_id,
            Assignment.channel == Channel.telephone,
            Assignment.state.in_(MOVABLE_STATES),
            Assignment.phone_block_id.is_(None),
            Assignment.window_starts_at <= block.starts_at,
            Assignment.window_ends_at >= block.ends_at,
        )
        .order_by(Assignment.window_ends_at, Assignment.id)
        .limit(calls_per_seat(block))
    ).all()
    db.session.flush()
    for assignment in moving:
        _move(assignment, block.starts_at, block.ends_at, block.id, shopper)
    record("phone_block.booked", block, actor=shopper, assignments=[a.id for a in moving])
    return moving


def cancel_booking(block: PhoneBlock, shopper, now: datetime | None = None) -> list[Assignment]:
    """Give up the seat; the work moved into the block gets the rest of the wave as its window again."""
    now = now or utcnow()
    booking = booking_of(block, shopper)
    if booking is None:
        raise DomainError("not_booked", "You have not booked this block.")
    if block.starts_at <= now:
        raise DomainError("block_started", "This block has started; it can no longer be cancelled.")
    block.bookings.remove(booking)
    wave_start, wave_end = wave_bounds(block.wave)
    freed = [a for a in calls_in(block, shopper) if a.state in MOVABLE_STATES]
    for assignment in freed:
        _move(assignment, max(wave_start, now.replace(microsecond=0)), wave_end, None, shopper)
    record("phone_block.cancelled", block, actor=shopper, assignments=[a.id for a in freed])
    return freed


def uses_phone_bank(wave: Wave) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(PhoneBlock.wave_id == wave.id))))


@dataclass(frozen=True)
class BlockWindow:
    starts_at: datetime
    ends_at: datetime


def booked_seats(
    wave: Wave, now: datetime | None = None
) -> tuple[dict[int, tuple[PhoneSeat, ...]], dict[int, BlockWindow]]:
    """Per shopper, their booked seats in blocks of ``wave`` still to come, with the calls each has room for;
    and each such block's window. Two queries, for automatic assignment."""
    now = now or utcnow()
    per_seat = BLOCK_HOURS * wave.programme.phone_shops_per_hour
    rows = db.session.execute(
        sa.select(PhoneBlockBooking.shopper_id, PhoneBlock.id, PhoneBlock.starts_at, PhoneBlock.ends_at)
        .join(PhoneBlock)
        .where(PhoneBlock.wave_id == wave.id, PhoneBlock.starts_at > now)
        .order_by(PhoneBlock.starts_at, PhoneBlock.id)
    ).all()
    used = dict(
        ((shopper_id, block_id), n)
        for shopper_id, block_id, n in db.session.execute(
            sa.select(Assignment.shopper_id, Assignment.phone_block_id, sa.func.count())
            .join(PhoneBlock, PhoneBlock.id == Assignment.phone_block_id)
            .where(PhoneBlock.wave_id == wave.id, Assignment.state.in_(LIVE_STATES))
            .group_by(Assignment.shopper_id, Assignment.phone_block_id)
        )
    )
    seats, windows = {}, {}
    for shopper_id, block_id, starts_at, ends_at in rows:
        room = per_seat - used.get((shopper_id, block_id), 0)
        windows[block_id] = BlockWindow(starts_at, ends_at)
        if room > 0:
            label = local_time(starts_at, wave.programme, "%a %-d %b %H:%M")
            seats.setdefault(shopper_id, []).append(PhoneSeat(block_id, room, label))
    return {k: tuple(v) for k, v in seats.items()}, windows
