"""The deletion log: one row per report whose free text or photos the retention job deleted."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class RetentionDeletion(db.Model):
    __tablename__ = "retention_deletion"
    __table_args__ = (sa.Index("ix_retention_deletion_programme_deleted", "programme_id", "deleted_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the report was collected (the earlier of the device's completion and the server's receipt), and
    # the period that applied: together they say why it was due.
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retention_days: Mapped[int]
    # What went: the question keys of free-text answers, plus "notes" / "commendation"; photos by count and size.
    text_fields: Mapped[list] = mapped_column(sa.JSON, default=list)
    photos: Mapped[int] = mapped_column(default=0, server_default="0")
    photo_bytes: Mapped[int] = mapped_column(default=0, server_default="0")
    # Superseded revisions of the report cleaned of the same.
    revisions: Mapped[int] = mapped_column(default=0, server_default="0")

    submission = relationship("Submission")
