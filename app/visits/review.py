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

from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app import labels
from app.assignments.models import Assignment, AssignmentState
from app.assignments.services import change_state
from app.audit.models import AuditEvent
from app.audit.services import record
from app.db_types import utcnow
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.programmes.models import Channel, ContactPoint, Organisation, Programme
from app.questionnaires.models import QuestionType
from app.releases.redaction import Redactor
from app.results.services import record_approved
from app.visits import services as visit_services
from app.visits.models import FLAGGED, Submission, SubmissionState

REVIEWABLE = {SubmissionState.submitted, SubmissionState.in_review}
# The queue's filter and the report's list, by the stored string (app/labels.py holds the words).
FLAG_LABELS = {flag.value: text for flag, text in labels.FLAG_LABELS.items()}


@dataclass
class QueueFilters:
    wave_id: int | None = None
    organisation_id: int | None = None
    channel: Channel | None = None
    flag: str | None = None
    states: set = field(default_factory=lambda: set(REVIEWABLE))


# How the queue may be ordered: each a list of sort columns, all ascending or all descending, ending in
# the id so that the order is total (a page boundary or "next report" never skips or repeats a report).
SORTS = {
    "age": "Waiting longest first",
    "received": "Most recently received first",
    "organisation": "Organisation, then waiting longest",
}
PER_PAGE = 50
# Beyond this many (programme, state) reads the queue is one sorted read: SQLite takes at most 500 in a UNION.
MERGED_READS_AT_MOST = 64
# Sorted by organisation, a read finds its partner's reports among every report of its state, so past the
# first pages one sorted read of them all is cheaper: the queue merges reads of at most this many rows.
ORGANISATION_READS_UP_TO = 500


def _sort_columns(sort: str):
    if sort == "organisation":
        return [Organisation.name, Submission.received_at, Submission.id], False
    return [Submission.received_at, Submission.id], sort == "received"


def _ordered(columns, descending: bool) -> list:
    return [c.desc() if descending else c for c in columns]


def _matching_ids(programme_id: int | None, filters: QueueFilters, sort: str) -> sa.Select:
    """The ids of the reports that match, joined only to what the filter and the order need: counting and
    ordering read the index on (programme_id, state, received_at, id, assignment_id), not the reports."""
    query = sa.select(Submission.id).where(Submission.state.in_(filters.states))
    if programme_id is not None:
        query = query.where(Submission.programme_id == programme_id)
    if filters.wave_id:
        query = query.where(Submission.wave_id == filters.wave_id)
    if filters.channel or filters.organisation_id or sort == "organisation":
        query = query.join(Submission.assignment)
    if filters.channel:
        query = query.where(Assignment.channel == filters.channel)
    if filters.organisation_id or sort == "organisation":
        query = query.join(Assignment.contact_point)
    if filters.organisation_id:
        query = query.where(ContactPoint.organisation_id == filters.organisation_id)
    if sort == "organisation":
        query = query.join(ContactPoint.organisation)
    if filters.flag:
        # ``flags`` is a JSON list of Flag values; its text holds each as a quoted string, and no flag's
        # name is part of another's, so a LIKE on the text finds it on SQLite and PostgreSQL alike. FLAGGED
        # says as much to the planner, which then reads the index of the flagged reports alone.
        query = query.where(
            FLAGGED, sa.cast(Submission.flags, sa.Text).contains(f'"{filters.flag}"', autoescape=True)
        )
    return query


def total_and_oldest(programme_id: int | None, filters: QueueFilters):
    """(how many reports match, when the longest-waiting of them was received, or None): the queue's total,
    for a count elsewhere that must agree with it."""
    return db.session.execute(
        _matching_ids(programme_id, filters, "age").with_only_columns(
            sa.func.count(), sa.func.min(Submission.received_at), maintain_column_froms=True
        )
    ).one()


def _rows(ids: list[int]) -> list[Submission]:
    """The reports of ``ids``, in that order, with what a queue row shows."""
    if not ids:
        return []
    loaded = db.session.scalars(
        sa.select(Submission)
        .where(Submission.id.in_(ids))
        .options(
            selectinload(Submission.assignment).selectinload(Assignment.wave),
            selectinload(Submission.assignment)
            .selectinload(Assignment.contact_point)
            .selectinload(ContactPoint.organisation),
        )
    ).all()
    by_id = {s.id: s for s in loaded}
    return [by_id[i] for i in ids if i in by_id]


def _in_order(
    programme_id: int | None,
    filters: QueueFilters,
    sort: str,
    enough: int,
    after: Submission | None = None,
) -> sa.Select | sa.CompoundSelect:
    """The matching ids, sorted, of which the first ``enough`` are needed (a page's offset and length); with
    ``after``, only those that follow it in that order.

    Reports of several programmes (an admin's queue), in several states (waiting: submitted or in review) or,
    sorted by organisation, of several organisations are read a programme, a state and an organisation at a
    time, each in the queue index's order and cut at ``enough``, and merged: one ordered read of all of them
    is sorted whole before its first page. Each read is ordered and cut itself, or PostgreSQL plans it
    unordered and SQLite sorts it whole."""
    columns, descending = _sort_columns(sort)
    bound = _sort_values(after, columns) if after is not None else None
    splits = _splits(programme_id, filters, sort)
    # The partners' names in the database's order (its collation, not Python's), and ``after``'s partner's
    # place among them: a partner before it has nothing after ``after``.
    rank = {name: place for place, name in enumerate(dict.fromkeys(name for _, _, name in splits))}
    place = rank.get(bound[0]) if bound is not None and sort == "organisation" else None
    reads = [
        (programme, replace(read_filters, states={state}), name)
        for programme, read_filters, name in splits
        if place is None or rank[name] >= place
        for state in sorted(filters.states, key=lambda state: state.value)
    ]
    if sort == "organisation":  # a partner's read needs no join for its order, even alone
        one_read = enough > ORGANISATION_READS_UP_TO or (bound is not None and place is None)
    else:
        one_read = len(reads) < 2
    if one_read or not reads or len(reads) > MERGED_READS_AT_MOST:
        query = _matching_ids(programme_id, filters, sort)
        if bound is not None:
            query = query.where(_following(columns, bound, descending))
        return query.order_by(*_ordered(columns, descending))
    within = columns[-2:]  # received_at, id: the order within one read
    branches = []
    for programme, read_filters, name in reads:
        # "age": a read orders by its own columns, and needs no join for the order
        query = _matching_ids(programme, read_filters, "age")
        if bound is not None and (name is None or name == bound[0]):
            query = query.where(_following(within, bound[-2:], descending))
        leading = [] if name is None else [sa.literal(name, sa.String).label("name")]
        branches.append(
            query.with_only_columns(
                Submission.id.label("id"), *leading, *(c.label(c.key) for c in within[:-1])
            )
            .order_by(*_ordered(within, descending))
            .limit(enough)
            .subquery()
        )
    return sa.union_all(*(sa.select(branch) for branch in branches)).order_by(
        *_ordered([sa.literal_column(c.key) for c in columns], descending)
    )


def _sort_values(submission: Submission, columns) -> list:
    return [
        submission.assignment.contact_point.organisation.name
        if c is Organisation.name
        else getattr(submission, c.key)
        for c in columns
    ]


def _following(columns, values, descending: bool):
    key = sa.tuple_(*columns)
    bound = sa.tuple_(*(sa.literal(v, c.type) for c, v in zip(columns, values, strict=True)))
    return key < bound if descending else key > bound


def _splits(
    programme_id: int | None, filters: QueueFilters, sort: str
) -> list[tuple[int, QueueFilters, str | None]]:
    """(programme id, its filters, the partner's name or None) for each read of the queue but its states: a
    programme's, or by organisation one per partner of the programme, in the order of their names."""
    if sort != "organisation":
        programmes = (
            [programme_id] if programme_id is not None else db.session.scalars(sa.select(Programme.id)).all()
        )
        return [(programme, filters, None) for programme in programmes]
    partners = (
        sa.select(Programme.id, Organisation.id, Organisation.name)
        .join(Organisation, Organisation.partnership_id == Programme.partnership_id)
        .order_by(Organisation.name)
    )
    if programme_id is not None:
        partners = partners.where(Programme.id == programme_id)
    if filters.organisation_id:
        partners = partners.where(Organisation.id == filters.organisation_id)
    return [
        (programme, replace(filters, organisation_id=organisation_id), name)
        for programme, organisation_id, name in db.session.execute(partners)
    ]


def queue(
    programme_id: int | None,
    filters: QueueFilters,
    sort: str = "age",
    page: int = 1,
    per_page: int = PER_PAGE,
):
    """One page of the programme's reports (every programme's for ``None``), as filtered and sorted, with
    the total: a ``flask_sqlalchemy.pagination.Pagination`` (``items``, ``total``, ``pages``). The page's
    ids are found first and only those reports are loaded."""
    pagination = db.paginate(
        _in_order(programme_id, filters, sort, enough=max(page, 1) * per_page),
        page=page,
        per_page=per_page,
        error_out=False,
        max_per_page=None,
        count=False,
    )
    # Counted without the order's joins: with them SQLite reads every matching report's organisation.
    pagination.total, _ = total_and_oldest(programme_id, filters)
    pagination.items = _rows(pagination.items)
    return pagination


def next_in_queue(
    programme_id: int | None, filters: QueueFilters, sort: str, after: Submission
) -> Submission | None:
    """The report that follows ``after`` in the queue as filtered and sorted, whether or not ``after``
    itself still matches (a decision usually takes it out of the queue)."""
    found = db.session.scalar(_in_order(programme_id, filters, sort, enough=1, after=after).limit(1))
    return db.session.get(Submission, found) if found is not None else None


def labelled_answers(submission: Submission) -> list[tuple[str, str, str]]:
    """(section, question text, answer as the shopper chose it) in questionnaire order."""
    answers = submission.answers or {}
    return [
        (section_title, question.text, answer_label(question, answers, question.key))
        for section_title, question in questions_in_order(submission.questionnaire_version)
    ]


def overridden_answers(submission: Submission) -> list[tuple[str, str, str]]:
    """(question text, what the call screen's taps gave, what the shopper answered) where the two differ."""
    derived = submission.derived_answers or {}
    answers = submission.answers or {}
    return [
        (
            question.text,
            answer_label(question, derived, question.key),
            answer_label(question, answers, question.key),
        )
        for _, question in questions_in_order(submission.questionnaire_version)
        if question.key in derived and answers.get(question.key, derived) != derived[question.key]
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
        return labels.duration(value)
    option_labels = {o.get("value"): o.get("label", o.get("value")) for o in (question.options or [])}
    if isinstance(value, list):
        return ", ".join(str(option_labels.get(v, v)) for v in value)
    return str(option_labels.get(value, value))


def history(submission: Submission) -> list[AuditEvent]:
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == Submission.__tablename__, AuditEvent.object_id == str(submission.id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()


def _require_reviewable(submission: Submission, action: str) -> None:
    if submission.state not in REVIEWABLE:
        raise DomainError(
            "illegal_transition",
            f"This report is {labels.label(submission.state).lower()}; it cannot be {action}.",
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


PARTNER_TEXT_MAX = 5000


def partner_drafts(submission: Submission) -> list[tuple[str, str, str]]:
    """(field, what it is, its text as partners would read it now) for each free text of the report: the
    notes, the commendation and each text answer, through the partner guard, which the reviewer clears at
    approval (``approve``'s ``partner_texts``)."""
    shopper = submission.shopper
    guard = Redactor((shopper.display_name, shopper.email))
    cleared = submission.partner_texts
    drafts = [
        (name, label, guard(text, cleared, name))
        for name, label, text in (
            ("notes", "Notes", submission.notes),
            ("commendation", "Commendation", submission.commendation),
        )
        if text
    ]
    answers = submission.answers or {}
    for _, question in questions_in_order(submission.questionnaire_version):
        if question.type is QuestionType.text and answers.get(question.key):
            drafts.append(
                (question.key, question.text, guard(str(answers[question.key]), cleared, question.key))
            )
    drafts += [
        (name, label, guard(text, cleared, name)) for name, label, text in call_log_texts(submission.call_log)
    ]
    return drafts


# A call log's free text, by field names no question key can take (keys have no dot).
CALL_COMMENT = "call_log.comment"


def transfer_field(index: int) -> str:
    return f"call_log.transfer.{index + 1}"


def call_log_texts(log: dict | None) -> list[tuple[str, str, str]]:
    """(field, what it is, text) of a call log's free text: the recorded message's comment and where each
    transfer went."""
    if not log:
        return []
    texts = []
    comment = (log.get("recorded_message") or {}).get("comment")
    if comment:
        texts.append((CALL_COMMENT, "Call: about the recorded message", comment))
    for index, transfer in enumerate(log.get("transfers") or []):
        if transfer.get("to"):
            texts.append((transfer_field(index), f"Call: transfer {index + 1} went to", transfer["to"]))
    return texts


def approve(submission: Submission, reviewer, partner_texts: dict[str, str] | None = None) -> None:
    """Approve; ``partner_texts``: the report's free text as the reviewer cleared it for partners, by the field
    names of ``partner_drafts`` (others are ignored; a field left out goes to partners through the guard)."""
    _require_reviewable(submission, "approved")
    if partner_texts is not None:
        fields = {name for name, _, _ in partner_drafts(submission)}
        cleared = {name: text.strip() for name, text in partner_texts.items() if name in fields}
        if any(len(text) > PARTNER_TEXT_MAX for text in cleared.values()):
            raise Invalid(
                "partner_text_too_long", f"Keep each text for partners to {PARTNER_TEXT_MAX} characters."
            )
        submission.partner_texts = cleared or None
    submission.state = SubmissionState.approved
    submission.reviewed_at = utcnow()
    submission.reviewed_by_id = reviewer.id
    assignment = submission.assignment
    if assignment.state in (AssignmentState.submitted, AssignmentState.in_review, AssignmentState.returned):
        change_state(assignment, AssignmentState.approved, actor=reviewer, submission=str(submission.uuid))
    record("submission.approved", submission, actor=reviewer, revision=submission.revision)
    record_approved(submission)  # its score and the results' roll-ups, in the same transaction


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
