"""Submissions: one report, exit interview or call log, keyed by the UUID the device gave it.

The device's UUID is the idempotency key (SPEC §3.3). ``content_hash`` is the
SHA-256 of the canonical JSON of everything the device sent; the same UUID
with the same hash is a replay, with another hash a conflict, unless the
report was returned for changes, when it becomes the next revision and the
superseded content moves to ``submission_revision``.
"""

import enum
import uuid as uuid_module
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.programmes.models import Channel


class SubmissionKind(enum.Enum):
    visit = "visit"
    exit_interview = "exit_interview"
    call = "call"
    email = "email"
    letter = "letter"
    website = "website"


# The kind of work each assignment channel produces.
KIND_FOR_CHANNEL = {
    Channel.in_person: SubmissionKind.visit,
    Channel.exit_interview: SubmissionKind.exit_interview,
    Channel.telephone: SubmissionKind.call,
    Channel.email: SubmissionKind.email,
    Channel.letter: SubmissionKind.letter,
    Channel.website: SubmissionKind.website,
}
# Kinds that stay open on the device until a reply comes, and record when they were sent.
CORRESPONDENCE_KINDS = {SubmissionKind.email, SubmissionKind.letter}


class SubmissionState(enum.Enum):
    submitted = "submitted"
    in_review = "in_review"
    approved = "approved"
    returned = "returned"
    rejected = "rejected"


class Flag(enum.Enum):
    """Why a coordinator should look twice. A flag never stops a report being stored."""

    assignment_withdrawn = "assignment_withdrawn"
    assignment_cancelled = "assignment_cancelled"
    assignment_declined = "assignment_declined"
    second_report = "second_report"  # another report for the same assignment was received before
    clock_skew = "clock_skew"  # a device time lies in the future of the server's clock
    late = "late"  # completed after the assignment's window closed (device clock)
    early = "early"  # started before the assignment's window opened (device clock)
    # came in a file of unsent work a coordinator imported, not from the phone (app/visits/imports.py)
    imported = "imported"
    # a telephone shop's answer differs from what the call screen's taps gave
    derived_answer_overridden = "derived_answer_overridden"


class Submission(db.Model):
    __tablename__ = "submission"
    __table_args__ = (
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
        # The review queue: a programme's reports in a state (or two), oldest first, a page at a time. With the
        # assignment, it holds everything that counting and ordering the queue reads, so neither reads the
        # (large) rows nor joins every report to its wave.
        sa.Index("ix_submission_queue", "programme_id", "state", "received_at", "id", "assignment_id"),
        # An assignment's reports.
        sa.Index("ix_submission_assignment_state", "assignment_id", "state"),
        # A wave's reports in a state: counted from the index alone (a release's "awaiting review"), and the
        # queue filtered by wave, in its order.
        sa.Index("ix_submission_wave_state", "wave_id", "state", "received_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignment.id"))
    # The assignment's wave and its programme (neither ever changes), kept here for the indexes above.
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id"))
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"))
    shopper_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    kind: Mapped[SubmissionKind] = mapped_column(enum_column(SubmissionKind))
    questionnaire_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_version.id"), index=True
    )
    # Device clock.
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Server clock: when the current revision arrived.
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    state: Mapped[SubmissionState] = mapped_column(
        enum_column(SubmissionState), default=SubmissionState.submitted, server_default="submitted"
    )
    # Sorted list of Flag values.
    flags: Mapped[list] = mapped_column(sa.JSON, default=list)
    # {question key: value}; JSON null is "not applicable".
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Never identifies a member of staff by name (SPEC §1); reaches the department only if the programme allows.
    commendation: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # [{id, kind, content_type, caption, taken_at, data (base64, bounded)}]
    evidence: Mapped[list] = mapped_column(sa.JSON, default=list)
    # E-mail and letter shops: when the shopper sent it, and each reply as it arrived.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replies: Mapped[list] = mapped_column(sa.JSON, default=list)
    sent_to: Mapped[str | None] = mapped_column(sa.String(320))
    sent_from: Mapped[str | None] = mapped_column(sa.String(20))
    # reply_complete, or wait_limit: no complete reply within the programme's working days.
    finished_by: Mapped[str | None] = mapped_column(sa.String(20))
    # Website shops: ``WebsiteArgs`` in canonical form; NULL for every other kind.
    website: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    # Telephone shops: the answers the call screen's taps gave ({key: value}); ``answers`` may differ.
    derived_answers: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    # Telephone shops: the call's measures in canonical form (``CallLogArgs``; times as ISO 8601 UTC).
    # NULL for every other kind, and for a call captured before the app had a call log.
    call_log: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    # The coordinator's comment when the report was returned (or rejected).
    review_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    # The free text as the reviewer cleared it for partners when approving: {"notes" | "commendation" | a text
    # question's key: text}. A field not in it reaches partners through app.releases.redaction's guard alone.
    partner_texts: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))

    assignment = relationship("Assignment")
    shopper = relationship("User", foreign_keys=[shopper_id])
    questionnaire_version = relationship("QuestionnaireVersion")
    revisions: Mapped[list["SubmissionRevision"]] = relationship(
        back_populates="submission", order_by="SubmissionRevision.revision", cascade="all, delete-orphan"
    )


class SubmissionRevision(db.Model):
    """A superseded revision of a submission: what the device sent then, and why it was returned."""

    __tablename__ = "submission_revision"
    __table_args__ = (sa.UniqueConstraint("submission_id", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int]
    # The canonical content the device sent (the input of ``content_hash``).
    content: Mapped[dict] = mapped_column(sa.JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    flags: Mapped[list] = mapped_column(sa.JSON, default=list)
    state: Mapped[SubmissionState] = mapped_column(enum_column(SubmissionState))
    review_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    superseded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="revisions")


# A report with a flag, as a partial index holds it. A literal, not a bound parameter: PostgreSQL's plan of a
# prepared statement cannot prove that a parameter meets the index's condition. JSON has no equality on
# PostgreSQL, so the flags are compared as text; the stored text of no flag is always "[]".
FLAGGED = sa.cast(Submission.flags, sa.Text) != sa.literal_column("'[]'")
# The review queue filtered by a flag reads only the reports that have one, the few of them.
sa.Index(
    "ix_submission_flagged",
    Submission.programme_id,
    Submission.state,
    Submission.received_at,
    Submission.id,
    Submission.assignment_id,
    sqlite_where=FLAGGED,
    postgresql_where=FLAGGED,
)


class OpenReport(db.Model):
    """An e-mail or letter shop sent but not finished: the draft as the shopper's phone last sent it, so
    that the reply can be added on whichever phone they sign in on. Gone once the report itself arrives
    (``app.visits.correspondence``)."""

    __tablename__ = "open_report"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    shopper_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # The draft as the app keeps it (``OpenReportArgs``, loaded then dumped).
    content: Mapped[dict] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UnsentWorkUpload(db.Model):
    """A shopper's file of unsent work, checked and waiting for the coordinator who uploaded it to confirm
    whose work it is (``app/visits/import_routes.py``). Removed once imported or discarded; a coordinator
    has one at a time."""

    __tablename__ = "unsent_work_upload"
    id: Mapped[int] = mapped_column(primary_key=True)
    coordinator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    shopper_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)  # the file as uploaded
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
