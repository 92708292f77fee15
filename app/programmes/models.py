"""The partnership, its organisations, service areas and contact points; programmes and waves."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, enum_column, utcnow
from app.extensions import db


class Tier(enum.Enum):
    county = "county"
    district = "district"
    unitary = "unitary"
    national_park = "national_park"
    other = "other"


class Channel(enum.Enum):
    in_person = "in_person"
    exit_interview = "exit_interview"
    telephone = "telephone"
    email = "email"
    letter = "letter"
    website = "website"


class WaveStatus(enum.Enum):
    planned = "planned"
    open = "open"
    closed = "closed"
    published = "published"


class Partnership(db.Model):
    __tablename__ = "partnership"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    organisations: Mapped[list["Organisation"]] = relationship(back_populates="partnership")
    service_areas: Mapped[list["ServiceArea"]] = relationship(back_populates="partnership")


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (sa.UniqueConstraint("partnership_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(sa.ForeignKey("partnership.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    short_name: Mapped[str] = mapped_column(sa.String(40))
    tier: Mapped[Tier] = mapped_column(enum_column(Tier))

    partnership: Mapped[Partnership] = relationship(back_populates="organisations")
    contact_points: Mapped[list["ContactPoint"]] = relationship(back_populates="organisation")


contact_point_service_area = sa.Table(
    "contact_point_service_area",
    db.metadata,
    sa.Column("contact_point_id", sa.ForeignKey("contact_point.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("service_area_id", sa.ForeignKey("service_area.id", ondelete="CASCADE"), primary_key=True),
)


class ServiceArea(db.Model):
    """A common service area (department) that every partner may provide."""

    __tablename__ = "service_area"
    __table_args__ = (sa.UniqueConstraint("partnership_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(sa.ForeignKey("partnership.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))

    partnership: Mapped[Partnership] = relationship(back_populates="service_areas")


class ContactPoint(db.Model):
    """A building, phone line, e-mail or postal address, or web page of one organisation."""

    __tablename__ = "contact_point"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    name: Mapped[str] = mapped_column(sa.String(200))
    # The address, number, e-mail address or URL, as a shopper would use it.
    locator: Mapped[str] = mapped_column(sa.String(500))
    opening_hours: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    organisation: Mapped[Organisation] = relationship(back_populates="contact_points")
    service_areas: Mapped[list[ServiceArea]] = relationship(secondary=contact_point_service_area)


class Programme(db.Model):
    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(sa.ForeignKey("partnership.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    general_instructions: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    min_sample: Mapped[int] = mapped_column(default=5, server_default="5")
    commendations_allowed: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    partners_named: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    retention_days: Mapped[int] = mapped_column(default=365, server_default="365")
    phone_shops_per_hour: Mapped[int] = mapped_column(default=6, server_default="6")
    exit_interviews_per_hour: Mapped[int] = mapped_column(default=2, server_default="2")
    visits_per_hour: Mapped[int] = mapped_column(default=2, server_default="2")
    give_up_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    # An e-mail or letter shop with no complete reply within this many working days is finished as "no reply".
    reply_wait_working_days: Mapped[int] = mapped_column(default=10, server_default="10")
    # IANA name; times are stored in UTC and entered and shown on this clock (app/programmes/timezones.py).
    timezone: Mapped[str] = mapped_column(
        sa.String(64), default="Europe/London", server_default="Europe/London"
    )
    # ISO 3166 alpha-2: the default region of the telephone numbers entered in it (app/phones.py).
    country: Mapped[str] = mapped_column(sa.String(2), default="GB", server_default="GB")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a finished programme is put away: off the switcher, its set-up read-only.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    partnership: Mapped[Partnership] = relationship()
    waves: Mapped[list["Wave"]] = relationship(back_populates="programme", order_by="Wave.number")


class BankHoliday(db.Model):
    """A day that is not a working day in the programme's calendar (weekends never are), entered by a
    coordinator."""

    __tablename__ = "bank_holiday"
    __table_args__ = (sa.UniqueConstraint("programme_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")


class ProgrammeCoordinator(db.Model):
    """A coordinator's part in a programme; ``User.programme_id`` is the one they are working in now.

    A coordinator of several programmes (of one partnership or several) switches between these.
    """

    __tablename__ = "programme_coordinator"
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Wave(db.Model):
    __tablename__ = "wave"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "number"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[WaveStatus] = mapped_column(enum_column(WaveStatus), default=WaveStatus.planned)

    programme: Mapped[Programme] = relationship(back_populates="waves")


class Scenario(db.Model):
    """A persona with a realistic question aimed at one service area."""

    __tablename__ = "scenario"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    service_area_id: Mapped[int] = mapped_column(sa.ForeignKey("service_area.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    persona: Mapped[str] = mapped_column(sa.Text)
    question: Mapped[str] = mapped_column(sa.Text)
    # Cross-tier: asking one tier for the other tier's service, to test redirection.
    cross_tier: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    expected_outcome: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    programme: Mapped[Programme] = relationship()
    service_area: Mapped[ServiceArea] = relationship()


class ServiceStandard(db.Model):
    """A promise a report can be checked against, e.g. "answered within 20 seconds"."""

    __tablename__ = "service_standard"
    __table_args__ = (sa.UniqueConstraint("programme_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(200))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    threshold: Mapped[float | None] = mapped_column(sa.Float)
    # One of STANDARD_UNITS ("" for a standard that is simply met or not).
    unit: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")

    programme: Mapped[Programme] = relationship()


# The units a standard's threshold may be in; a fixed set so that results can compare like with like.
STANDARD_UNITS = {
    "": "No threshold (met or not met)",
    "seconds": "seconds",
    "minutes": "minutes",
    "hours": "hours",
    "working_days": "working days",
    "transfers": "transfers",
    "rings": "rings",
    "percent": "per cent",
}


class ReferenceFigure(db.Model):
    """An outside benchmark for one channel (e.g. a national average), entered by the coordinator."""

    __tablename__ = "reference_figure"
    __table_args__ = (sa.UniqueConstraint("programme_id", "channel"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    # A score or rate in per cent, comparable with the programme's own figures for the channel.
    value: Mapped[float] = mapped_column(sa.Float)
    source: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")

    programme: Mapped[Programme] = relationship()
