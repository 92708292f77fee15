"""What the results pages read: one scored row per approved report, and the roll-up cells summed ahead.

``ReportResult`` is written when a report is approved (and by ``flask results recompute``), with the
questionnaire version it was captured with. ``ResultCell`` holds, per wave x contact point x service area
x channel (so organisation too), the sums every figure is made of, per measure: a rate's k and n, a
mean's total, n and sum of squares. A page adds cells up; it never reads reports to draw a figure.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.programmes.models import Channel


class ReportResult(db.Model):
    __tablename__ = "report_result"
    __table_args__ = (
        sa.Index("ix_report_result_cell", "wave_id", "contact_point_id", "service_area_id"),
        # The drill-down's page: a wave's reports newest first.
        sa.Index("ix_report_result_listing", "programme_id", "wave_id", "submission_id"),
        # What a release of the wave to an organisation holds, and how many, without reading the rows.
        sa.Index("ix_report_result_release", "wave_id", "organisation_id", "submission_id"),
        # How the wave was shopped (a release's method page), counted from the index alone.
        sa.Index(
            "ix_report_result_method",
            "wave_id",
            "organisation_id",
            "channel",
            "service_area_id",
            "questionnaire_version_id",
            "scenario_id",
            "started_at",
        ),
    )
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True
    )
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"))
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    service_area_id: Mapped[int] = mapped_column(sa.ForeignKey("service_area.id"))
    contact_point_id: Mapped[int] = mapped_column(sa.ForeignKey("contact_point.id"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    questionnaire_version_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire_version.id"))
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenario.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the report's, when the shop began
    points_earned: Mapped[float] = mapped_column(sa.Float)
    points_possible: Mapped[float] = mapped_column(sa.Float)
    # earned / possible, 0 after a report-level critical failure; NULL when no question applied.
    score: Mapped[float | None] = mapped_column(sa.Float)
    critical_failure: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # {"sections": [...], "critical_failures": [keys], "standards": {code: met}, "questions": {key: fraction}}
    detail: Mapped[dict] = mapped_column(sa.JSON)
    # {measure key: [total, n, sum of squares]}: this report's share of every roll-up cell.
    tallies: Mapped[dict] = mapped_column(sa.JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ResultCell(db.Model):
    """The sums of one wave x contact point x service area x channel: ``tallies`` holds, per measure, the
    total, n and sum of squares over its approved reports. A wave has a few hundred cells whatever the
    number of reports, so a figure adds up a few hundred rows."""

    __tablename__ = "result_cell"
    __table_args__ = (
        sa.UniqueConstraint(
            "wave_id", "contact_point_id", "service_area_id", "channel", name="uq_result_cell_key"
        ),
        sa.Index("ix_result_cell_programme_wave", "programme_id", "wave_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"))
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    service_area_id: Mapped[int] = mapped_column(sa.ForeignKey("service_area.id"))
    contact_point_id: Mapped[int] = mapped_column(sa.ForeignKey("contact_point.id"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    reports: Mapped[int]
    # {measure key: [total, n, sum of squares]}: the headline measures (score, standards, telephone, exit
    # interviews) apart from the per-question and per-section ones, so that most figures read only the first.
    tallies: Mapped[dict] = mapped_column(sa.JSON)
    details: Mapped[dict] = mapped_column(sa.JSON)
