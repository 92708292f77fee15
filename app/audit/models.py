from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class AuditEvent(db.Model):
    """Who did what to which object, and when. Rows are only ever added."""

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_object", "object_type", "object_id"),
        # The audit page: newest first, within a programme, by a person or of a kind (keyset on id).
        sa.Index("ix_audit_event_programme", "programme_id", "id"),
        sa.Index("ix_audit_event_actor", "actor_id", "id"),
        sa.Index("ix_audit_event_action", "action", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(80))
    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[str] = mapped_column(sa.String(60))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The programme the event belongs to (who may read it on the audit page), and the client address of
    # the request that caused it ("from where"; None outside a request: a command, a test).
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme.id", ondelete="SET NULL"))
    origin: Mapped[str | None] = mapped_column(sa.String(64))

    actor = relationship("User", foreign_keys=[actor_id])
