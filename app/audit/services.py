"""Writing the audit trail. ``record`` adds an event to the caller's transaction; the listing for the audit
page is in ``listing.py``."""

from app.audit.models import AuditEvent
from app.extensions import db


def _programme_of(obj, actor) -> int | None:
    """The programme an event belongs to: the object's, else the actor's (an admin's event about an object
    outside any programme belongs to none, and only admins read it)."""
    if getattr(type(obj), "__tablename__", None) == "programme":
        return obj.id
    for candidate in (obj, actor):
        programme_id = getattr(candidate, "programme_id", None)
        if programme_id is not None:
            return programme_id
    return None


def record(action: str, obj, actor=None, *, programme_id: int | None = None, **data) -> AuditEvent:
    """Add an audit event for ``obj`` to the current transaction (the caller commits).

    ``programme_id`` says whose programme's audit page shows it, when neither the object nor the actor
    has the right one. Where the request came from is filled in by the audit package's hook."""
    event = AuditEvent(
        action=action,
        object_type=type(obj).__tablename__,
        object_id=str(obj.id),
        actor_id=actor.id if actor is not None else None,
        programme_id=programme_id if programme_id is not None else _programme_of(obj, actor),
        data=data,
    )
    db.session.add(event)
    return event


def record_failed_sign_in(email: str, user=None) -> AuditEvent:
    """A failed sign-in: about the account when the address has one, else about the address typed (only
    its first 254 characters)."""
    event = AuditEvent(
        action="account.sign_in_failed",
        object_type="user_account",
        object_id=str(user.id) if user is not None else "",
        actor_id=None,
        programme_id=user.programme_id if user is not None else None,
        data={"email": email.strip().lower()[:254]},
    )
    db.session.add(event)
    return event
