"""Assignment by hand: one at a time, in bulk, and handing declined or withdrawn work to the next shopper.

Every refusal is a ``DomainError`` whose message says what to change. Conflicts are checked with
``Conflict.touches`` against the shopper's declared conflicts, as the automatic planner does.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.accounts.models import Role, User
from app.accounts.services import ConflictInput, conflicts_of, declare_conflicts, gate_status
from app.assignments import blocks
from app.assignments.matching import CellNeed, PointInfo, plan_assignments
from app.assignments.models import (
    LIVE_STATES,
    REASSIGNABLE_STATES,
    Assignment,
    AssignmentState,
    PhoneBlock,
)
from app.assignments.planning import (
    previous_wave,
    settings_for,
    shopper_infos,
    shopper_pool,
    wave_pairs,
    wave_window,
)
from app.assignments.services import change_state
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.labels import label
from app.programmes.models import Channel, ContactPoint, Scenario, Wave
from app.questionnaires.models import QuestionnaireVersion

CONFLICT_REASON = "conflict"
# Which field of the manual form a refusal belongs to.
FIELD_FOR_CODE = {
    "unknown_contact_point": "contact_point_id",
    "unknown_scenario": "scenario_id",
    "area_not_served": "scenario_id",
    "unknown_questionnaire": "questionnaire_version_id",
    "questionnaire_channel_mismatch": "questionnaire_version_id",
    "window_order": "window_ends_at",
}  # everything else is about the shopper


@dataclass(frozen=True)
class ManualAssignment:
    shopper: User
    contact_point: ContactPoint
    scenario: Scenario
    version: QuestionnaireVersion
    window_starts_at: datetime
    window_ends_at: datetime
    phone_block_id: int | None = None  # telephone work planned into a shopper's booked block


def check_assignable(
    wave: Wave,
    shopper: User,
    contact_point: ContactPoint,
    scenario: Scenario,
    version: QuestionnaireVersion | None = None,
    ignore: Assignment | None = None,
) -> None:
    """Refuse work the shopper may not get, with a message that says why (``FIELD_FOR_CODE`` places it on a form)."""
    if not shopper.has_role(Role.shopper) or not shopper.active or shopper.programme_id != wave.programme_id:
        raise Invalid("not_a_shopper", f"{shopper.display_name} is not an active shopper of this programme.")
    if not gate_status(shopper).ready:
        raise Invalid(
            "gate_incomplete",
            f"{shopper.display_name} has not yet acknowledged the confidentiality "
            "statement and declared their conflicts of interest.",
        )
    if contact_point.organisation.partnership_id != wave.programme.partnership_id or not contact_point.active:
        raise Invalid("unknown_contact_point", "Choose an active contact point of this partnership.")
    if scenario.programme_id != wave.programme_id:
        raise Invalid("unknown_scenario", "Choose a scenario of this programme.")
    if scenario.service_area_id not in {a.id for a in contact_point.service_areas}:
        raise Invalid("area_not_served", f"{contact_point.name} does not serve {scenario.service_area.name}.")
    if version is not None:
        if version.questionnaire.programme_id != wave.programme_id:
            raise Invalid("unknown_questionnaire", "Choose a questionnaire of this programme.")
        if version.questionnaire.channel != contact_point.channel:
            raise Invalid(
                "questionnaire_channel_mismatch",
                f"That questionnaire is for {version.questionnaire.channel.value.replace('_', ' ')}; "
                f"{contact_point.name} is {contact_point.channel.value.replace('_', ' ')}.",
            )
    for conflict in conflicts_of(shopper):
        if conflict.touches(contact_point.organisation_id, scenario.service_area_id):
            raise Invalid(
                "conflict_of_interest",
                f"{shopper.display_name} declared a conflict of interest with "
                f"{_conflict_label(conflict)}: they cannot be given this work.",
            )
    same_point = db.session.scalar(
        sa.select(sa.func.count()).where(
            Assignment.wave_id == wave.id,
            Assignment.shopper_id == shopper.id,
            Assignment.contact_point_id == contact_point.id,
            Assignment.state != AssignmentState.cancelled,
            Assignment.id != (ignore.id if ignore else -1),
        )
    )
    if same_point:
        raise Invalid(
            "same_contact_point",
            f"{shopper.display_name} already has {contact_point.name} in this wave "
            "(rotation: one shopper, one visit per contact point per wave).",
        )
    load = db.session.scalar(
        sa.select(sa.func.count()).where(
            Assignment.wave_id == wave.id,
            Assignment.shopper_id == shopper.id,
            Assignment.state.in_(LIVE_STATES),
        )
    )
    limit = settings_for(wave).max_per_shopper
    if load >= limit:
        raise Invalid(
            "workload_full",
            f"{shopper.display_name} already holds {load} assignments in this wave, "
            f"the most this wave allows ({limit}).",
        )


def _conflict_label(conflict) -> str:
    parts = [
        p
        for p in (
            conflict.organisation.name if conflict.organisation else None,
            conflict.service_area.name if conflict.service_area else None,
        )
        if p
    ]
    return " – ".join(parts)


def assign(wave: Wave, data: ManualAssignment, actor, reason: str = "") -> Assignment:
    check_assignable(wave, data.shopper, data.contact_point, data.scenario, data.version)
    if data.window_ends_at <= data.window_starts_at:
        raise Invalid("window_order", "The window must end after it starts.")
    assignment = Assignment(
        wave_id=wave.id,
        shopper_id=data.shopper.id,
        contact_point_id=data.contact_point.id,
        scenario_id=data.scenario.id,
        questionnaire_version_id=data.version.id,
        channel=data.contact_point.channel,
        window_starts_at=data.window_starts_at,
        window_ends_at=data.window_ends_at,
        state=AssignmentState.offered,
        explanation=reason or f"Manual: given by {actor.display_name}.",
        phone_block_id=data.phone_block_id,
    )
    db.session.add(assignment)
    db.session.flush()
    record("assignment.offered", assignment, actor=actor, how="manual", reason=assignment.explanation)
    return assignment


def cancel(assignments: list[Assignment], actor) -> int:
    """Cancel work not yet reported; refuses the lot if any is past that point."""
    blocked = [
        a
        for a in assignments
        if a.state
        not in {
            AssignmentState.offered,
            AssignmentState.accepted,
            AssignmentState.declined,
            AssignmentState.withdrawn,
        }
    ]
    if blocked:
        raise DomainError(
            "not_cancellable",
            f"Assignment #{blocked[0].id} is {label(blocked[0].state).lower()}: "
            "only work not yet reported can be cancelled. Nothing was changed.",
        )
    for assignment in assignments:
        assignment.flagged = False
        change_state(assignment, AssignmentState.cancelled, actor=actor)
    return len(assignments)


def next_suitable_shopper(assignment: Assignment, exclude: set[int]) -> tuple[User, str, PhoneBlock | None]:
    """The shopper automatic assignment would pick for this work now, why, and the booked block it goes into
    (telephone work in a wave with phone-bank blocks)."""
    wave = assignment.wave
    pool = [u for u in shopper_pool(wave.programme_id) if u.id not in exclude]
    point = assignment.contact_point
    need = CellNeed(
        point.organisation_id,
        assignment.scenario.service_area_id,
        assignment.channel,
        1,
        (PointInfo(point.id, point.name, point.locator),),
        (assignment.scenario_id,),
        assignment.questionnaire_version_id,
    )
    last = previous_wave(wave)
    seats, _ = blocks.booked_seats(wave)
    result = plan_assignments(
        [need],
        shopper_infos(pool, wave, seats),
        settings_for(wave).max_per_shopper,
        taken=wave_pairs(wave.id, set(AssignmentState) - {AssignmentState.cancelled}),
        last_wave=wave_pairs(last.id, LIVE_STATES) if last else set(),
        phone_bank=blocks.uses_phone_bank(wave),
    )
    if not result.planned:
        raise DomainError(
            "no_suitable_shopper",
            "No shopper is free of conflicts, available, under the workload "
            f"limit and new to {point.name} this wave"
            + (
                " with a booked phone-bank block that has room."
                if need.channel is Channel.telephone and blocks.uses_phone_bank(wave)
                else "."
            ),
        )
    chosen = result.planned[0]
    block = db.session.get(PhoneBlock, chosen.phone_block_id) if chosen.phone_block_id else None
    return db.session.get(User, chosen.shopper_id), chosen.reason, block


def reassign(assignment: Assignment, actor, to_shopper: User | None = None) -> Assignment:
    """Give the work to ``to_shopper`` or, if None, to the next suitable shopper; the old one ends cancelled."""
    if assignment.state not in REASSIGNABLE_STATES | {AssignmentState.offered, AssignmentState.accepted}:
        raise DomainError(
            "not_reassignable",
            f"Assignment #{assignment.id} is {label(assignment.state).lower()}: "
            "only declined, withdrawn or unreported work can be reassigned.",
        )
    wave = assignment.wave
    block = None
    if to_shopper is None:
        to_shopper, why, block = next_suitable_shopper(assignment, exclude={assignment.shopper_id})
        reason = f"Reassigned from #{assignment.id} ({label(assignment.state).lower()}). " + why
    else:
        if to_shopper.id == assignment.shopper_id:
            raise Invalid("same_shopper", f"#{assignment.id} is already {to_shopper.display_name}'s.")
        previous = label(assignment.state).lower()
        reason = f"Reassigned by hand from #{assignment.id} ({previous}) by {actor.display_name}."
    starts, ends = assignment.window_starts_at, assignment.window_ends_at
    if block is not None:
        starts, ends = block.starts_at, block.ends_at
    elif (
        ends <= utcnow() or assignment.phone_block_id is not None
    ):  # the old block was the old shopper's seat
        starts, ends = wave_window(wave)
    data = ManualAssignment(
        to_shopper,
        assignment.contact_point,
        assignment.scenario,
        assignment.questionnaire_version,
        starts,
        ends,
        block.id if block else None,
    )
    if assignment.state not in REASSIGNABLE_STATES:
        change_state(assignment, AssignmentState.cancelled, actor=actor, reason="reassigned")
    assignment.flagged = False
    new = assign(wave, data, actor, reason=reason[:500])
    record("assignment.reassigned", assignment, actor=actor, to_assignment=new.id)
    return new


def accept(assignment: Assignment, shopper: User) -> None:
    if assignment.state is not AssignmentState.offered:
        raise DomainError(
            "not_offered",
            f"This assignment is {label(assignment.state).lower()}; only an offer can be accepted.",
        )
    change_state(assignment, AssignmentState.accepted, actor=shopper)


def decline(assignment: Assignment, shopper: User, reason: str, detail: str = "") -> list[Assignment]:
    """Decline an offer or accepted work. A conflict of interest is filed as one (and withdraws what it touches)."""
    if assignment.state not in {AssignmentState.offered, AssignmentState.accepted}:
        raise DomainError(
            "not_declinable",
            f"This assignment is {label(assignment.state).lower()}; it can no longer be declined.",
        )
    if reason == CONFLICT_REASON:
        _, withdrawn = declare_conflicts(
            shopper,
            [
                ConflictInput(
                    assignment.contact_point.organisation_id,
                    assignment.scenario.service_area_id,
                    detail or "Declared when declining an assignment",
                )
            ],
        )
        return withdrawn
    assignment.decline_reason = (reason + (f": {detail}" if detail else ""))[:500]
    assignment.flagged = True
    assignment.flag_reason = f"Declined by the shopper ({assignment.decline_reason}); reassign it."[:500]
    change_state(assignment, AssignmentState.declined, actor=shopper, reason=reason)
    return [assignment]
