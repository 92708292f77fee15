"""Volunteer recruitment: applications, the training quiz, staff invitations and the development outbox."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, enum_column, utcnow
from app.extensions import db


class ApplicationStatus(enum.Enum):
    pending = "pending"
    approved = "approved"
    declined = "declined"


class VolunteerApplication(db.Model):
    """A resident's application to become a volunteer shopper."""

    __tablename__ = "volunteer_application"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    neighbourhood: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    languages: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    availability: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    accessibility_needs: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), default=ApplicationStatus.pending, server_default="pending"
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the applicant agreed to how their data is used (the sign-up form's consent tick).
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    quiz_passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # Set when a coordinator approved without a passed quiz, and why.
    quiz_override_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    user = relationship("User", foreign_keys=[user_id])
    programme = relationship("Programme")
    decided_by = relationship("User", foreign_keys=[decided_by_id])


class TrainingQuiz(db.Model):
    """A programme's knowledge quiz: its pass mark and questions. One per programme."""

    __tablename__ = "training_quiz"
    __table_args__ = (
        sa.CheckConstraint("pass_mark >= 0 AND pass_mark <= 100", name="pass_mark_is_a_percentage"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), unique=True)
    pass_mark: Mapped[int] = mapped_column(default=80, server_default="80")  # per cent

    programme = relationship("Programme")
    questions: Mapped[list["QuizQuestion"]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position, QuizQuestion.id", cascade="all, delete-orphan"
    )


class QuizQuestion(db.Model):
    """A multiple-choice question; ``options`` is a list of strings, ``correct_option`` an index into it."""

    __tablename__ = "quiz_question"
    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("training_quiz.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    text: Mapped[str] = mapped_column(sa.String(500))
    options: Mapped[list] = mapped_column(sa.JSON, default=list)
    correct_option: Mapped[int]
    # Shown to an applicant who got it wrong, so that the quiz teaches.
    explanation: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")

    quiz: Mapped[TrainingQuiz] = relationship(back_populates="questions")


class QuizAttempt(db.Model):
    """One go at the quiz. ``results`` keeps the questions as they were asked, since the quiz may change."""

    __tablename__ = "quiz_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("training_quiz.id", ondelete="CASCADE"), index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    score: Mapped[int]  # per cent, rounded down
    pass_mark: Mapped[int]
    passed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # [{question, options, chosen, correct, right, explanation}]
    results: Mapped[list] = mapped_column(sa.JSON, default=list)


class StaffInvite(db.Model):
    """A one-time link for a member of staff on loan. Only the SHA-256 of the token is stored."""

    __tablename__ = "staff_invite"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    programme = relationship("Programme")


class OutboxMessage(db.Model):
    """An e-mail kept instead of sent, when no MAIL_SERVER is configured (development, demos, tests)."""

    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254), index=True)
    # The programme the message is about: a coordinator sees only their programme's (/dev/outbox).
    programme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
