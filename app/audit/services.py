from app.audit.models import AuditEvent
from app.extensions import db


def record(action: str, obj, actor=None, **data) -> AuditEvent:
    """Add an audit event for ``obj`` to the current transaction (the caller commits)."""
    event = AuditEvent(
        action=action,
        object_type=type(obj).__tablename__,
        object_id=str(obj.id),
        actor_id=actor.id if actor is not None else None,
        data=data,
    )
    db.session.add(event)
    return event
