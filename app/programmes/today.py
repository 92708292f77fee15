"""The coordinator's day: what needs doing in a programme now, each with where to do it, and how far each
running wave has got against its plan.

Each to-do says how many, in words, and names the page (an endpoint and its arguments) where the items
behind the count are; the home page links to it. A count of nought is still listed, so that the page
says "nothing waiting" instead of leaving a coordinator to wonder.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.assignments import planning
from app.assignments.models import Assignment, AssignmentState, PhoneBlock, PhoneBlockBooking
from app.db_types import utcnow
from app.extensions import db
from app.labels import age, channel_label
from app.programmes.models import Programme, Wave, WaveStatus
from app.programmes.timezones import to_local, to_utc
from app.recruitment.models import ApplicationStatus, VolunteerApplication
from app.visits import review
from app.visits.models import SubmissionState

RUNNING = (WaveStatus.planned, WaveStatus.open)
# Work a shopper still owes: past its window's end, it is late.
OWED = (AssignmentState.offered, AssignmentState.accepted)


@dataclass
class Todo:
    key: str  # stable, for the page's markup and tests
    count: int
    text: str  # what the count is of, e.g. "reports waiting for review"
    endpoint: str
    args: dict = field(default_factory=dict)
    detail: str = ""


@dataclass
class Bar:
    """One channel's, organisation's or the whole wave's approved reports against its plan.

    ``done`` counts a cell's approved reports up to its target (what the plan asked for); ``approved``
    counts them all, cells without a target included.
    """

    label: str
    planned: int = 0
    done: int = 0
    approved: int = 0
    assigned: int = 0

    def add(self, cell) -> None:
        self.planned += cell.target
        self.done += min(cell.done, cell.target)
        self.approved += cell.done
        self.assigned += cell.assigned

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0


@dataclass
class WaveProgress:
    wave: Wave
    total: Bar
    by_channel: list[Bar]
    by_organisation: list[Bar]


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def todos(programme: Programme, now: datetime | None = None, grids: dict | None = None) -> list[Todo]:
    """``grids`` (wave id -> ``planning.grid_for``) lets ``progress`` reuse the coverage grids read here."""
    now = now or utcnow()
    grids = {} if grids is None else grids
    items = [_waiting_review(programme, now), _returned(programme), _applicants(programme)]
    waves = running_waves(programme)
    for wave in waves:
        items.extend(_wave_todos(wave, now, len(waves) > 1, _grid(wave, grids)))
    return items


def _grid(wave: Wave, grids: dict) -> list:
    if wave.id not in grids:
        grids[wave.id] = planning.grid_for(wave)
    return grids[wave.id]


def running_waves(programme: Programme) -> list[Wave]:
    return list(
        db.session.scalars(
            sa.select(Wave)
            .where(Wave.programme_id == programme.id, Wave.status.in_(RUNNING))
            .order_by(Wave.number)
        )
    )


def _waiting_review(programme: Programme, now: datetime) -> Todo:
    count, oldest = review.total_and_oldest(programme.id, review.QueueFilters())
    if oldest is not None and oldest.tzinfo is None:  # SQLite returns an aggregate without the column's type
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return Todo(
        "review",
        count,
        _plural(count, "report waiting for review", "reports waiting for review"),
        "visits.queue",
        {"sort": "age"},
        f"the oldest has waited {age(now - oldest)}" if oldest is not None else "",
    )


def _returned(programme: Programme) -> Todo:
    count, _ = review.total_and_oldest(programme.id, review.QueueFilters(states={SubmissionState.returned}))
    return Todo(
        "returned",
        count,
        _plural(count, "returned report not yet resubmitted", "returned reports not yet resubmitted"),
        "visits.queue",
        {"state": SubmissionState.returned.value},
    )


def _applicants(programme: Programme) -> Todo:
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(VolunteerApplication)
        .where(
            VolunteerApplication.programme_id == programme.id,
            VolunteerApplication.status == ApplicationStatus.pending,
        )
    )
    return Todo(
        "applicants",
        count,
        _plural(count, "applicant waiting for a decision", "applicants waiting for a decision"),
        "recruitment.applicants",
    )


def week_bounds(programme: Programme, now: datetime) -> tuple[datetime, datetime]:
    """This week, Monday to Monday on the programme's clock, in UTC."""
    local = to_local(now, programme.timezone)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = to_utc(monday.replace(tzinfo=None), programme.timezone)
    ends = to_utc((monday + timedelta(days=7)).replace(tzinfo=None), programme.timezone)
    return starts, ends


def _wave_todos(wave: Wave, now: datetime, several: bool, cells: list) -> list[Todo]:
    of = f" in {wave.name}" if several else ""
    missing = sum(c.missing for c in cells)
    late = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Assignment)
        .where(Assignment.wave_id == wave.id, Assignment.state.in_(OWED), Assignment.window_ends_at < now)
    )
    starts, ends = week_bounds(wave.programme, now)
    booked = (
        sa.select(sa.func.count())
        .where(PhoneBlockBooking.block_id == PhoneBlock.id)
        .correlate(PhoneBlock)
        .scalar_subquery()
    )
    blocks = db.session.execute(
        sa.select(PhoneBlock.seats, booked).where(
            PhoneBlock.wave_id == wave.id, PhoneBlock.starts_at >= starts, PhoneBlock.starts_at < ends
        )
    ).all()
    unbooked = [(seats, taken) for seats, taken in blocks if taken < seats]
    empty = sum(1 for _, taken in unbooked if taken == 0)
    free = sum(seats - taken for seats, taken in unbooked)
    return [
        Todo(
            f"unassigned-{wave.id}",
            missing,
            _plural(missing, "planned report not yet assigned", "planned reports not yet assigned") + of,
            "assignments.plan",
            {"wave_id": wave.id},
            f"of {sum(c.target for c in cells):,} planned" if missing else "",
        ),
        Todo(
            f"late-{wave.id}",
            late,
            _plural(late, "assignment past its window, not done", "assignments past their window, not done")
            + of,
            "assignments.assignments",
            {"wave_id": wave.id, "overdue": "y"},
        ),
        Todo(
            f"blocks-{wave.id}",
            len(unbooked),
            _plural(
                len(unbooked),
                "phone-bank block this week not fully booked",
                "phone-bank blocks this week not fully booked",
            )
            + of,
            "assignments.coordinator_blocks",
            {"wave_id": wave.id},
            f"{empty} with no booking, {free} seat{'s' if free != 1 else ''} free" if unbooked else "",
        ),
    ]


def progress(programme: Programme, grids: dict | None = None) -> list[WaveProgress]:
    """Each running wave's approved reports against its plan, in all and per channel and organisation."""
    found, grids = [], {} if grids is None else grids
    for wave in running_waves(programme):
        total, channels, organisations = Bar(wave.name), {}, {}
        for cell in _grid(wave, grids):
            total.add(cell)
            channels.setdefault(cell.channel, Bar(channel_label(cell.channel))).add(cell)
            organisations.setdefault(cell.organisation.id, Bar(cell.organisation.name)).add(cell)
        found.append(
            WaveProgress(
                wave,
                total,
                sorted((b for b in channels.values() if b.planned or b.approved), key=lambda b: b.label),
                sorted((b for b in organisations.values() if b.planned or b.approved), key=lambda b: b.label),
            )
        )
    return found
