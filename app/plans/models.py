"""Improvement plans: a partner's actions on the findings of a released wave, their progress notes, and its
responses to findings it disputes (SPEC §2, issue 18).

A finding is named by value, not by a foreign key: its kind (a question, a standard, a service area or a
channel), the channel a question belongs to, and its key (a question key, a standard code, a service
area's id or a channel's value). That is what the roll-up cells are keyed on, so the same finding can be
looked up in any wave's figures.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.programmes.models import Channel


class FindingKind(enum.Enum):
    question = "question"
    standard = "standard"
    service_area = "service_area"
    channel = "channel"


class ActionStatus(enum.Enum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class _Finding:
    """The columns that name a finding (see the module's docstring)."""

    finding_kind: Mapped[FindingKind] = mapped_column(enum_column(FindingKind))
    finding_channel: Mapped[Channel | None] = mapped_column(enum_column(Channel))
    finding_key: Mapped[str] = mapped_column(sa.String(120))


class PlanAction(_Finding, db.Model):
    __tablename__ = "plan_action"
    __table_args__ = (sa.Index("ix_plan_action_organisation_wave", "organisation_id", "wave_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id"))
    action: Mapped[str] = mapped_column(sa.Text)
    # A role ("Contact centre team leader"), never a named person (SPEC §7).
    owner_role: Mapped[str] = mapped_column(sa.String(120))
    due_on: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus), default=ActionStatus.planned)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    notes: Mapped[list["PlanNote"]] = relationship(
        back_populates="action", order_by="PlanNote.id", cascade="all, delete-orphan"
    )


class PlanNote(db.Model):
    """A dated progress note; notes are only ever added."""

    __tablename__ = "plan_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_action.id", ondelete="CASCADE"), index=True)
    written_on: Mapped[date]
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    action: Mapped[PlanAction] = relationship(back_populates="notes")


class FindingResponse(_Finding, db.Model):
    """A partner's answer to a finding it disputes, for the coordinator to read."""

    __tablename__ = "finding_response"
    __table_args__ = (sa.Index("ix_finding_response_organisation_wave", "organisation_id", "wave_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))


__all__ = ["ActionStatus", "FindingKind", "FindingResponse", "PlanAction", "PlanNote"]
