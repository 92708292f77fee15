"""A release: the figures and the set of reports one partner organisation may see for one wave.

What a partner sees is fixed when the coordinator releases it: ``figures`` holds the partner-visible
figures computed then (``app.releases.snapshot``) and ``ReleasedReport`` the reports then approved. A
report approved later changes the live figures the coordinator sees, but the partner's only when the wave
is released to them again; ``changes`` says what that new release changed. A withdrawn release is kept
(the audit trail points at it) and no longer shown.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.programmes.models import Organisation, Wave


class Release(db.Model):
    __tablename__ = "release"
    __table_args__ = (sa.Index("ix_release_organisation_wave", "organisation_id", "wave_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("wave.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The organisation's own approved reports in this release.
    reports: Mapped[int] = mapped_column(default=0, server_default="0")
    # The partner-visible figures at release (app.releases.snapshot documents the shape).
    figures: Mapped[dict] = mapped_column(sa.JSON)
    # What changed since the previous release of this wave to this organisation: [{"label", "before", "after"}].
    changes: Mapped[list] = mapped_column(sa.JSON, default=list)

    wave: Mapped[Wave] = relationship()
    organisation: Mapped[Organisation] = relationship()

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ReleasedReport(db.Model):
    """One approved report of the organisation's, as it was in the release: its log, exports and figures."""

    __tablename__ = "released_report"
    release_id: Mapped[int] = mapped_column(sa.ForeignKey("release.id", ondelete="CASCADE"), primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True, index=True
    )
