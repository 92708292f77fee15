"""Review of submitted reports: the queue, a report made readable, and the coordinator's decision.

A coordinator first claims a submitted report ("start review": submitted -> in_review), so that
colleagues see in the queue who is reading it; ``Submission.reviewed_by_id`` holds the claimant
while the report is in review and the decider once it is decided. Only a report waiting for review
(submitted or in review) can be approved, returned or rejected, by any coordinator of the programme
(a colleague may finish a review someone else started); anything else is a ``DomainError`` (409):
approving twice, returning a rejected report, claiming a report already in review.
The comment of a returned report is ``Submission.review_comment``, which the shopper's app reads
back in the submission (``SubmissionSchema.review_comment``).
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.assignments.models import Assignment, AssignmentState
from app.assignments.services import change_state
from app.audit.models import AuditEvent
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.programmes.models import Channel, ContactPoint, Wave
from app.questionnaires.models import QuestionType
from app.visits import services as visit_services
from app.visits.models import Flag, Submission, SubmissionState

REVIEWABLE = {SubmissionState.submitted, SubmissionState.in_review}
FLAG_LABELS = {
    Flag.late.value: "Late: completed after the assignment's window closed",
    Flag.early.value: "Early: started before the assignment's window opened",
    Flag.assignment_withdrawn.value: "The assignment had been withdrawn",
    Flag.assignment_cancelled.value: "The assignment had been cancelled",
    Flag.assignment_declined.value: "The assignment had been declined",
    Flag.second_report.value: "A second report for the same assignment",
    Flag.clock_skew.value: "The device clock was far from the server's",
    Flag.imported.value: "Imported by a coordinator from the shopper's file of unsent work",
}


@dataclass
class QueueFilters:
    wave_id: int | None = None
    organisation_id: int | None = None
    channel: Channel | None = None
    flag: str | None = None
    states: set = field(default_factory=lambda: set(REVIEWABLE))


def queue(programme_id: int | None, filters: QueueFilters, limit: int = 200) -> list[Submission]:
    """Reports of the programme (every programme for ``None``), oldest first, as filtered."""
    query = (
        sa.select(Submission)
        .join(Submission.assignment)
        .join(Assignment.wave)
        .join(Assignment.contact_point)
        .options(
            selectinload(Submission.assignment)
            .selectinload(Assignment.contact_point)
            .selectinload(ContactPoint.organisation),
            selectinload(Submission.assignment).selectinload(Assignment.wave),
            selectinload(Submission.shopper),
        )
        .where(Submission.state.in_(filters.states))
        .order_by(Submission.received_at, Submission.id)
    )
    if programme_id is not None:
        query = query.where(Wave.programme_id == programme_id)
    if filters.wave_id:
        query = query.where(Assignment.wave_id == filters.wave_id)
    if filters.organisation_id:
        query = query.where(ContactPoint.organisation_id == filters.organisation_id)
    if filters.channel:
        query = query.where(Assignment.channel == filters.channel)
    rows = db.session.scalars(query).all()
    if filters.flag:  # flags is a JSON list: filtered here, portable across SQLite and PostgreSQL
        rows = [r for r in rows if filters.flag in (r.flags or [])]
    return rows[:limit]


def labelled_answers(submission: Submission) -> list[tuple[str, str, str]]:
    """(section, question text, answer as the shopper chose it) in questionnaire order."""
    answers = submission.answers or {}
    return [
        (section_title, question.text, answer_label(question, answers, question.key))
        for section_title, question in questions_in_order(submission.questionnaire_version)
    ]


def questions_in_order(version) -> list[tuple[str, object]]:
    """(section title, question) of a questionnaire version, as the shopper met them."""
    return [(section.title, question) for section in version.sections for question in section.questions]


NOT_ANSWERED = "—"


def answer_label(question, answers: dict, key: str) -> str:
    """An answer as a person reads it: choices by their labels, yes/no, "Not applicable" (JSON null),
    durations in minutes and seconds, "—" when the question was not answered."""
    if key not in answers:
        return NOT_ANSWERED
    value = answers[key]
    if value is None:
        return "Not applicable"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if question.type is QuestionType.duration and isinstance(value, int | float):
        return duration_label(value)
    labels = {o.get("value"): o.get("label", o.get("value")) for o in (question.options or [])}
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))


def duration_label(seconds) -> str:
    """Seconds as a person reads them: "45 s", "2 min 5 s", "3 h 10 min"; "—" for none."""
    if seconds is None:
        return NOT_ANSWERED
    seconds = round(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


CALL_OUTCOME_LABELS = {
    "resolved": "Resolved",
    "redirected": "Redirected",
    "call_back_promised": "Call back promised",
    "unresolved": "Not resolved",
    "abandoned": "Abandoned (the shopper gave up)",
}


def history(submission: Submission) -> list[AuditEvent]:
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == Submission.__tablename__, AuditEvent.object_id == str(submission.id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()


def _require_reviewable(submission: Submission, action: str) -> None:
    if submission.state not in REVIEWABLE:
        raise DomainError(
            "illegal_transition", f"This report is {submission.state.value}; it cannot be {action}."
        )


def reviewer_names(rows: list[Submission]) -> dict[int, str]:
    """Display names of the coordinators named on ``rows`` (one query; the queue shows who is reviewing)."""
    return display_names({r.reviewed_by_id for r in rows})


def display_names(user_ids) -> dict[int, str]:
    """Display names by user id, in one query (None ids are left out)."""
    from app.accounts.models import User

    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids))).all())


def start_review(submission: Submission, reviewer) -> None:
    """Claim a submitted report: it moves to in_review, with its assignment, and names the reviewer."""
    if submission.state is not SubmissionState.submitted:
        raise DomainError(
            "illegal_transition",
            f"This report is {submission.state.value.replace('_', ' ')}; only a submitted report "
            "can be taken into review.",
        )
    submission.state = SubmissionState.in_review
    submission.reviewed_by_id = reviewer.id
    assignment = submission.assignment
    if assignment.state is AssignmentState.submitted:
        change_state(assignment, AssignmentState.in_review, actor=reviewer, submission=str(submission.uuid))
    record("submission.in_review", submission, actor=reviewer, revision=submission.revision)


def approve(submission: Submission, reviewer) -> None:
    _require_reviewable(submission, "approved")
    submission.state = SubmissionState.approved
    submission.reviewed_at = utcnow()
    submission.reviewed_by_id = reviewer.id
    assignment = submission.assignment
    if assignment.state in (AssignmentState.submitted, AssignmentState.in_review, AssignmentState.returned):
        change_state(assignment, AssignmentState.approved, actor=reviewer, submission=str(submission.uuid))
    record("submission.approved", submission, actor=reviewer, revision=submission.revision)


def return_to_shopper(submission: Submission, reviewer, comment: str) -> None:
    _require_reviewable(submission, "returned")
    if not comment.strip():
        raise Invalid("comment_required", "Say what the shopper should change.")
    visit_services.return_for_changes(submission, reviewer, comment.strip())


def reject(submission: Submission, reviewer, reason: str) -> None:
    """The report will not count; its assignment is cancelled and flagged so the work can be given again."""
    _require_reviewable(submission, "rejected")
    if not reason.strip():
        raise Invalid("reason_required", "Give the reason for rejecting the report.")
    submission.state = SubmissionState.rejected
    submission.review_comment = reason.strip()
    submission.reviewed_at = utcnow()
    submission.reviewed_by_id = reviewer.id
    assignment = submission.assignment
    if assignment.state in (AssignmentState.submitted, AssignmentState.in_review, AssignmentState.returned):
        assignment.flagged = True
        assignment.flag_reason = f"Report rejected: {reason.strip()}"[:500]
        change_state(assignment, AssignmentState.cancelled, actor=reviewer, reason="report_rejected")
    record("submission.rejected", submission, actor=reviewer, reason=reason.strip())
