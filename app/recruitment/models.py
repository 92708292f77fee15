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
    quiz_passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    user = relationship("User", foreign_keys=[user_id])
