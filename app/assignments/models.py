"""Assignments: shopper x contact point x scenario x questionnaire version x wave, with a window."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.programmes.models import Channel


class AssignmentState(enum.Enum):
    offered = "offered"
    accepted = "accepted"
    submitted = "submitted"
    in_review = "in_review"
    approved = "approved"
    returned = "returned"
    declined = "declined"
    withdrawn = "withdrawn"
    cancelled = "cancelled"


# Work the shopper can still do; a new conflict withdraws these.
OPEN_STATES = {AssignmentState.offered, AssignmentState.accepted, AssignmentState.returned}
# What the shopper sees as a brief.
VISIBLE_TO_SHOPPER = OPEN_STATES | {AssignmentState.submitted, AssignmentState.in_review}


class Assignment(db.Model):
    __tablename__ = "assignment"
    __table_args__ = (
        sa.CheckConstraint("window_ends_at > window_starts_at", name="window_in_order"),
        sa.Index("ix_assignment_shopper_state", "shopper_id", "state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id"), index=True)
    shopper_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    contact_point_id: Mapped[int] = mapped_column(sa.ForeignKey("contact_point.id"), index=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenario.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_version.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    window_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    window_ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[AssignmentState] = mapped_column(
        enum_column(AssignmentState), default=AssignmentState.offered, server_default="offered"
    )
    # Set when something needs a coordinator's eye (a conflict declared after assignment, ...).
    flagged: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    flag_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    decline_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    wave = relationship("Wave")
    shopper = relationship("User")
    contact_point = relationship("ContactPoint")
    scenario = relationship("Scenario")
    questionnaire_version = relationship("QuestionnaireVersion")

    @property
    def organisation_id(self) -> int:
        return self.contact_point.organisation_id

    @property
    def service_area_id(self) -> int:
        return self.scenario.service_area_id
