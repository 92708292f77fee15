"""A wave's plan: the coverage grid, its targets and precision, and automatic assignment against it.

Plain functions; the caller commits. ``auto_assign`` loads everything in a handful of queries,
plans in memory (``matching.plan_assignments``) and writes with multi-row INSERTs.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.accounts.models import (
    ConfidentialityAcknowledgement,
    Conflict,
    ConflictDeclaration,
    Role,
    User,
    UserRole,
)
from app.accounts.services import current_statement
from app.assignments import blocks
from app.assignments.matching import (
    CellNeed,
    PlanResult,
    PointInfo,
    ShopperInfo,
    plan_assignments,
    wilson_half_width,
)
from app.assignments.models import (
    LIVE_STATES,
    Assignment,
    AssignmentState,
    CoverageTarget,
    ShopperAvailability,
    WavePlan,
)
from app.audit.models import AuditEvent
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.models import (
    Channel,
    ContactPoint,
    Organisation,
    Scenario,
    ServiceArea,
    Wave,
    contact_point_service_area,
)
from app.questionnaires.models import Questionnaire, QuestionnaireVersion
from app.recruitment.models import VolunteerApplication

DEFAULT_MAX_PER_SHOPPER = 20


@dataclass
class GridCell:
    organisation: Organisation
    service_area: ServiceArea
    channel: Channel
    target: int
    assigned: int
    done: int
    min_sample: int

    @property
    def key(self) -> str:
        return f"{self.organisation.id}-{self.service_area.id}-{self.channel.value}"

    @property
    def half_width(self) -> float | None:
        return wilson_half_width(self.target)

    @property
    def below_min_sample(self) -> bool:
        return 0 < self.target < self.min_sample

    @property
    def missing(self) -> int:
        return max(0, self.target - self.assigned)


def settings_for(wave: Wave) -> WavePlan:
    return db.session.get(WavePlan, wave.id) or WavePlan(
        wave_id=wave.id, max_per_shopper=DEFAULT_MAX_PER_SHOPPER
    )


def grid_for(wave: Wave) -> list[GridCell]:
    """Every organisation x service area x channel some active contact point covers, plus any cell with a target."""
    programme = wave.programme
    offered = db.session.execute(
        sa.select(
            ContactPoint.organisation_id, contact_point_service_area.c.service_area_id, ContactPoint.channel
        )
        .join(contact_point_service_area, contact_point_service_area.c.contact_point_id == ContactPoint.id)
        .join(Organisation)
        .where(Organisation.partnership_id == programme.partnership_id, ContactPoint.active)
        .distinct()
    ).all()
    targets = {
        (t.organisation_id, t.service_area_id, t.channel): t.target
        for t in db.session.scalars(sa.select(CoverageTarget).where(CoverageTarget.wave_id == wave.id))
    }
    # Counted on the (wave, state, contact point, scenario, channel) index, then joined: a few hundred
    # groups to look up, where joining first looked up every assignment's contact point and scenario.
    per = (
        sa.select(
            Assignment.contact_point_id,
            Assignment.scenario_id,
            Assignment.channel,
            Assignment.state,
            sa.func.count().label("number"),
        )
        .where(Assignment.wave_id == wave.id, Assignment.state.in_(LIVE_STATES))
        .group_by(Assignment.contact_point_id, Assignment.scenario_id, Assignment.channel, Assignment.state)
        .subquery()
    )
    counts = defaultdict(lambda: [0, 0])
    for organisation_id, area_id, channel, state, number in db.session.execute(
        sa.select(
            ContactPoint.organisation_id, Scenario.service_area_id, per.c.channel, per.c.state, per.c.number
        )
        .select_from(per)
        .join(ContactPoint, ContactPoint.id == per.c.contact_point_id)
        .join(Scenario, Scenario.id == per.c.scenario_id)
    ):
        counts[(organisation_id, area_id, channel)][0] += number
        if state is AssignmentState.approved:
            counts[(organisation_id, area_id, channel)][1] += number
    keys = set(offered) | set(targets) | set(counts)
    organisations = {
        o.id: o
        for o in db.session.scalars(
            sa.select(Organisation).where(Organisation.partnership_id == programme.partnership_id)
        )
    }
    areas = {
        a.id: a
        for a in db.session.scalars(
            sa.select(ServiceArea).where(ServiceArea.partnership_id == programme.partnership_id)
        )
    }
    cells = [
        GridCell(
            organisations[o], areas[a], c, targets.get((o, a, c), 0), *counts[(o, a, c)], programme.min_sample
        )
        for o, a, c in keys
        if o in organisations and a in areas
    ]
    cells.sort(key=lambda cell: (cell.organisation.name, cell.service_area.name, cell.channel.value))
    return cells


def set_targets(
    wave: Wave, targets: dict[tuple[int, int, Channel], int], max_per_shopper: int, actor
) -> None:
    """Replace the wave's targets (cells not named keep theirs) and its workload limit."""
    existing = {
        (t.organisation_id, t.service_area_id, t.channel): t
        for t in db.session.scalars(sa.select(CoverageTarget).where(CoverageTarget.wave_id == wave.id))
    }
    for (organisation_id, area_id, channel), target in targets.items():
        row = existing.get((organisation_id, area_id, channel))
        if row is None:
            db.session.add(
                CoverageTarget(
                    wave_id=wave.id,
                    organisation_id=organisation_id,
                    service_area_id=area_id,
                    channel=channel,
                    target=target,
                )
            )
        else:
            row.target = target
    settings = db.session.get(WavePlan, wave.id)
    if settings is None:
        settings = WavePlan(wave_id=wave.id)
        db.session.add(settings)
    settings.max_per_shopper = max_per_shopper
    db.session.flush()
    record(
        "wave.planned",
        wave,
        actor=actor,
        cells=len(targets),
        total=sum(targets.values()),
        max_per_shopper=max_per_shopper,
    )


def wave_window(wave: Wave, now: datetime | None = None) -> tuple[datetime, datetime]:
    """From the wave's first day (or now, if it has begun) to the end of its last day, on the programme's clock."""
    now = now or utcnow()
    starts, ends = blocks.wave_bounds(wave)
    if now >= ends:
        raise DomainError(
            "wave_over", f"{wave.name} ended on {wave.ends_on:%-d %B %Y}; there is no time left to assign."
        )
    return max(starts, now.replace(microsecond=0)), ends


def latest_versions(programme_id: int) -> dict[Channel, int]:
    """The newest questionnaire version for each channel of the programme."""
    rows = db.session.execute(
        sa.select(Questionnaire.channel, QuestionnaireVersion.id)
        .join(QuestionnaireVersion.questionnaire)
        .where(Questionnaire.programme_id == programme_id)
        .order_by(Questionnaire.id, QuestionnaireVersion.number)
    ).all()
    return {channel: version_id for channel, version_id in rows}  # the last one wins


def _pool(programme_id: int, *columns) -> sa.Select | None:
    statement = current_statement(programme_id)
    if statement is None:
        return None
    return (
        sa.select(*columns)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == Role.shopper,
            User.active,
            User.programme_id == programme_id,
            sa.exists().where(
                ConfidentialityAcknowledgement.user_id == User.id,
                ConfidentialityAcknowledgement.statement_id == statement.id,
            ),
            sa.exists().where(ConflictDeclaration.user_id == User.id),
        )
        .order_by(User.id)
    )


def shopper_pool(programme_id: int) -> list[User]:
    """Active shoppers of the programme who passed the gate.

    A shopper who has not declared their conflicts may have one we cannot see, and could not read
    the brief anyway: they join the pool once through the gate.
    """
    query = _pool(programme_id, User)
    return [] if query is None else db.session.scalars(query).all()


def shopper_names(programme_id: int) -> list[tuple[int, str]]:
    """(id, name) of the same shoppers: what a choice of shopper lists, without loading each account."""
    query = _pool(programme_id, User.id, User.display_name)
    return [] if query is None else [tuple(row) for row in db.session.execute(query)]


def shopper_infos(users: list[User], wave: Wave, phone_seats: dict | None = None) -> list[ShopperInfo]:
    """What the planner needs of each shopper; ``phone_seats`` (from ``blocks.booked_seats``) their booked seats."""
    phone_seats = phone_seats or {}
    ids = [u.id for u in users]
    conflicts = defaultdict(list)
    for user_id, organisation_id, area_id in db.session.execute(
        sa.select(Conflict.user_id, Conflict.organisation_id, Conflict.service_area_id).where(
            Conflict.user_id.in_(ids)
        )
    ):
        conflicts[user_id].append((organisation_id, area_id))
    daytime = dict(
        db.session.execute(
            sa.select(ShopperAvailability.user_id, ShopperAvailability.weekday_daytime).where(
                ShopperAvailability.user_id.in_(ids)
            )
        ).all()
    )
    hoods = dict(
        db.session.execute(
            sa.select(VolunteerApplication.user_id, VolunteerApplication.neighbourhood).where(
                VolunteerApplication.user_id.in_(ids)
            )
        ).all()
    )
    load = dict(
        db.session.execute(
            sa.select(Assignment.shopper_id, sa.func.count())
            .where(
                Assignment.wave_id == wave.id,
                Assignment.state.in_(LIVE_STATES),
                Assignment.shopper_id.in_(ids),
            )
            .group_by(Assignment.shopper_id)
        ).all()
    )
    return [
        ShopperInfo(
            u.id,
            u.display_name,
            tuple(conflicts[u.id]),
            daytime.get(u.id, True),
            hoods.get(u.id, "") or "",
            load.get(u.id, 0),
            phone_seats.get(u.id, ()),
        )
        for u in users
    ]


def wave_pairs(wave_id: int, states=None) -> set[tuple[int, int]]:
    query = sa.select(Assignment.shopper_id, Assignment.contact_point_id).where(Assignment.wave_id == wave_id)
    if states is not None:
        query = query.where(Assignment.state.in_(states))
    return set(db.session.execute(query).all())


def previous_wave(wave: Wave) -> Wave | None:
    return db.session.scalar(
        sa.select(Wave).where(Wave.programme_id == wave.programme_id, Wave.number == wave.number - 1)
    )


def cell_needs(wave: Wave, cells: list[GridCell]) -> list[CellNeed]:
    programme_id = wave.programme_id
    points = defaultdict(list)
    for point, area_id in db.session.execute(
        sa.select(ContactPoint, contact_point_service_area.c.service_area_id)
        .join(contact_point_service_area, contact_point_service_area.c.contact_point_id == ContactPoint.id)
        .where(ContactPoint.active)
        .order_by(ContactPoint.id)
    ):
        points[(point.organisation_id, area_id, point.channel)].append(
            PointInfo(point.id, point.name, point.locator)
        )
    scenarios = defaultdict(list)
    for scenario_id, area_id in db.session.execute(
        sa.select(Scenario.id, Scenario.service_area_id)
        .where(Scenario.programme_id == programme_id)
        .order_by(Scenario.id)
    ):
        scenarios[area_id].append(scenario_id)
    versions = latest_versions(programme_id)
    return [
        CellNeed(
            c.organisation.id,
            c.service_area.id,
            c.channel,
            c.missing,
            tuple(points[(c.organisation.id, c.service_area.id, c.channel)]),
            tuple(scenarios[c.service_area.id]),
            versions.get(c.channel),
            f"{c.organisation.short_name} · {c.service_area.name} · {c.channel.value.replace('_', ' ')}",
        )
        for c in cells
        if c.missing > 0
    ]


# Plain executemany (no RETURNING): PostgreSQL drivers batch it cheaply; the ids are read back in one SELECT.
_INSERT_ASSIGNMENTS = sa.insert(Assignment.__table__)
_INSERT_EVENTS = sa.insert(AuditEvent.__table__)


def auto_assign(wave: Wave, actor, now: datetime | None = None) -> PlanResult:
    """Fill the grid's missing counts from the shopper pool; every new assignment says why it was given.

    Work gets the rest of the wave as its window; telephone work in a wave with phone-bank blocks goes only
    to shoppers with a booked seat that has room, with that block as its window (``blocks``'s docstring).
    """
    now = now or utcnow()
    starts, ends = wave_window(wave, now)
    needs = cell_needs(wave, grid_for(wave))
    seats, block_windows = blocks.booked_seats(wave, now)
    shoppers = shopper_infos(shopper_pool(wave.programme_id), wave, seats)
    last = previous_wave(wave)
    result = plan_assignments(
        needs,
        shoppers,
        settings_for(wave).max_per_shopper,
        taken=wave_pairs(wave.id, set(AssignmentState) - {AssignmentState.cancelled}),
        last_wave=wave_pairs(last.id, LIVE_STATES) if last else set(),
        phone_bank=blocks.uses_phone_bank(wave),
    )
    insert_planned(wave, result.planned, starts, ends, actor, now, block_windows)
    record(
        "wave.auto_assigned",
        wave,
        actor=actor,
        assigned=len(result.planned),
        unfilled=sum(u.missing for u in result.unfilled),
    )
    return result


def insert_planned(
    wave: Wave,
    planned,
    starts: datetime,
    ends: datetime,
    actor,
    now: datetime,
    block_windows: dict | None = None,
) -> None:
    """Multi-row INSERTs of the assignments and of one audit event each.

    Work planned into a phone-bank block gets the block's window (``block_windows``), the rest the wave's.
    Rotation makes (shopper, contact point) unique among the new rows, which keys the ids read back.
    """
    if not planned:
        return
    block_windows = block_windows or {}

    def window(p):
        block = block_windows.get(p.phone_block_id)
        return (block.starts_at, block.ends_at) if block else (starts, ends)

    rows = [
        dict(
            wave_id=wave.id,
            shopper_id=p.shopper_id,
            contact_point_id=p.contact_point_id,
            scenario_id=p.scenario_id,
            questionnaire_version_id=p.questionnaire_version_id,
            channel=p.channel,
            window_starts_at=window(p)[0],
            window_ends_at=window(p)[1],
            phone_block_id=p.phone_block_id,
            state=AssignmentState.offered,
            flagged=False,
            flag_reason="",
            decline_reason="",
            explanation=p.reason[:500],
            created_at=now,
            state_changed_at=now,
        )
        for p in planned
    ]
    connection = db.session.connection()
    connection.execute(_INSERT_ASSIGNMENTS, rows)
    ids = {
        (shopper_id, point_id): id_
        for id_, shopper_id, point_id in connection.execute(
            sa.select(Assignment.id, Assignment.shopper_id, Assignment.contact_point_id).where(
                Assignment.wave_id == wave.id, Assignment.created_at == now
            )
        )
    }
    connection.execute(
        _INSERT_EVENTS,
        [
            dict(
                occurred_at=now,
                actor_id=actor.id if actor else None,
                action="assignment.offered",
                object_type=Assignment.__tablename__,
                object_id=str(ids[(p.shopper_id, p.contact_point_id)]),
                data={"how": "automatic", "reason": p.reason[:500], "phone_block": p.phone_block_id},
            )
            for p in planned
        ],
    )
