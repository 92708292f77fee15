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
        # The wave's assignments page filtered by state, and the wave's coverage grid counted from the index
        # alone; the coordinator home's few flagged ones (partial: on a two-valued column the planner's
        # statistics would otherwise take "flagged" for half the rows), wave by wave: SQLite, its statistics
        # taken while the programme was small, otherwise read every assignment of every wave to find them.
        sa.Index(
            "ix_assignment_wave_state", "wave_id", "state", "contact_point_id", "scenario_id", "channel"
        ),
        sa.Index(
            "ix_assignment_flagged",
            "wave_id",
            "state_changed_at",
            sqlite_where=sa.text("flagged = 1"),
            postgresql_where=sa.text("flagged"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id"), index=True)
    shopper_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    contact_point_id: Mapped[int] = mapped_column(sa.ForeignKey("contact_point.id"), index=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenario.id"), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_version.id"), index=True
    )
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
    # Why this shopper got this work: written by automatic or manual assignment, shown to the coordinator.
    explanation: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # A telephone assignment done in a booked phone-bank block.
    phone_block_id: Mapped[int | None] = mapped_column(sa.ForeignKey("phone_block.id", ondelete="SET NULL"))
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


# --- planning (issue 4 part 4) ---------------------------------------------------------------------

# States that count towards a cell's target: the work is (or was) really going ahead.
LIVE_STATES = {
    AssignmentState.offered,
    AssignmentState.accepted,
    AssignmentState.returned,
    AssignmentState.submitted,
    AssignmentState.in_review,
    AssignmentState.approved,
}
# States the coordinator may hand to someone else with one click.
REASSIGNABLE_STATES = {AssignmentState.declined, AssignmentState.withdrawn}


class WavePlan(db.Model):
    """A wave's planning settings; absent means the defaults."""

    __tablename__ = "wave_plan"
    __table_args__ = (sa.CheckConstraint("max_per_shopper >= 1", name="max_per_shopper_positive"),)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id", ondelete="CASCADE"), primary_key=True)
    # Workload: no shopper gets more than this many live assignments in the wave.
    max_per_shopper: Mapped[int] = mapped_column(default=20, server_default="20")


class CoverageTarget(db.Model):
    """One cell of a wave's coverage grid: how many reports we want for organisation x service area x channel."""

    __tablename__ = "coverage_target"
    __table_args__ = (
        sa.UniqueConstraint("wave_id", "organisation_id", "service_area_id", "channel"),
        sa.CheckConstraint("target >= 0", name="target_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    service_area_id: Mapped[int] = mapped_column(sa.ForeignKey("service_area.id"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    target: Mapped[int] = mapped_column(default=0, server_default="0")


class ShopperAvailability(db.Model):
    """When a shopper can work, in three plain buckets (a shopper without a row is taken as available any time).

    Offices and phone lines keep weekday office hours, so in-person, exit-interview and telephone work
    needs ``weekday_daytime``; e-mail, letter and website tasks fit any time.
    """

    __tablename__ = "shopper_availability"
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    weekday_daytime: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    weekday_evening: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    weekend: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PhoneBlock(db.Model):
    """A four-hour phone-bank session; ``seats`` shoppers may book it.

    Its call capacity is seats x 4 hours x the programme's ``phone_shops_per_hour`` (default 6).
    """

    __tablename__ = "phone_block"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="block_in_order"),
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seats: Mapped[int] = mapped_column(default=4, server_default="4")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    wave = relationship("Wave")
    bookings: Mapped[list["PhoneBlockBooking"]] = relationship(
        back_populates="block", cascade="all, delete-orphan"
    )


class PhoneBlockBooking(db.Model):
    __tablename__ = "phone_block_booking"
    __table_args__ = (sa.UniqueConstraint("block_id", "shopper_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(sa.ForeignKey("phone_block.id", ondelete="CASCADE"), index=True)
    shopper_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    block: Mapped[PhoneBlock] = relationship(back_populates="bookings")
    shopper = relationship("User")


class BriefSnapshot(db.Model):
    """What a shopper's briefs were at one moment, brief by brief: the state behind a ``since`` cursor.

    ``state`` is the cursor the app holds (a digest of every brief as sent); ``digests`` maps each brief's id
    to the digest of its content then. Comparing them with the briefs now tells what changed and what went,
    whatever changed it (the assignment, its contact point, scenario, wave or programme). Only a shopper's
    latest few are kept: an older cursor gets every brief again.
    """

    __tablename__ = "brief_snapshot"
    __table_args__ = (sa.UniqueConstraint("shopper_id", "state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shopper_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(sa.String(64))
    digests: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
