"""Assignment queries and changes. Plain functions; the caller commits."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import Conflict, User
from app.assignments.models import OPEN_STATES, VISIBLE_TO_SHOPPER, Assignment, AssignmentState
from app.audit.services import record
from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import ContactPoint, Scenario, Wave


def briefs_for(
    shopper: User, after: tuple[datetime, int] | None = None, limit: int | None = None
) -> list[Assignment]:
    """The shopper's current briefs, soonest window first (then by id); with ``after`` (a brief's window
    start and id) only those after it, and at most ``limit``."""
    query = (
        sa.select(Assignment)
        .where(Assignment.shopper_id == shopper.id, Assignment.state.in_(VISIBLE_TO_SHOPPER))
        .options(
            selectinload(Assignment.contact_point).selectinload(ContactPoint.organisation),
            selectinload(Assignment.scenario).selectinload(Scenario.service_area),
            selectinload(Assignment.wave).selectinload(Wave.programme),
            selectinload(Assignment.questionnaire_version),
        )
        .order_by(Assignment.window_starts_at, Assignment.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(sa.tuple_(Assignment.window_starts_at, Assignment.id) > after)
    return db.session.scalars(query).all()


def change_state(assignment: Assignment, state: AssignmentState, actor: User | None, **data) -> None:
    previous = assignment.state
    assignment.state = state
    assignment.state_changed_at = utcnow()
    record(f"assignment.{state.value}", assignment, actor=actor, previous=previous.value, **data)


def withdraw_for_conflicts(shopper: User, conflicts: list[Conflict]) -> list[Assignment]:
    """Withdraw the shopper's open assignments that any of ``conflicts`` touches, flagged for the coordinator."""
    open_assignments = db.session.scalars(
        sa.select(Assignment).where(Assignment.shopper_id == shopper.id, Assignment.state.in_(OPEN_STATES))
    ).all()
    withdrawn = []
    for assignment in open_assignments:
        touching = [c for c in conflicts if c.touches(assignment.organisation_id, assignment.service_area_id)]
        if not touching:
            continue
        assignment.flagged = True
        assignment.flag_reason = (
            "Withdrawn: the shopper declared a conflict of interest (" + touching[0].reason + ")"
        )
        change_state(assignment, AssignmentState.withdrawn, actor=shopper, reason="conflict_declared")
        withdrawn.append(assignment)
    return withdrawn


def returned_report(assignment: Assignment) -> dict | None:
    """The report the coordinator sent back on this assignment, with their comment, for the shopper's app.

    Only for a returned assignment: the app shows the comment and resubmits under the same UUID.
    """
    if assignment.state is not AssignmentState.returned:
        return None
    from app.visits.models import Submission, SubmissionState

    submission = db.session.scalar(
        sa.select(Submission)
        .where(Submission.assignment_id == assignment.id, Submission.state == SubmissionState.returned)
        .order_by(Submission.reviewed_at.desc(), Submission.id.desc())
        .limit(1)
    )
    if submission is None:
        return None
    from app.visits.content import content_of

    version = submission.questionnaire_version
    return {
        "uuid": str(submission.uuid),
        "revision": submission.revision,
        "review_comment": submission.review_comment,
        "content": content_of(submission, version.questionnaire_id, version.number),
    }
