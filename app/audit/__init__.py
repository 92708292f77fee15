"""The audit trail: every change of state that matters, append-only, and the page that reads it."""

import sqlalchemy as sa
from flask import Blueprint, has_request_context, request

bp = Blueprint("audit", __name__)


def _stamp_origin(mapper, connection, event) -> None:
    """Where the request that caused an event came from (behind proxies, as ``PROXY_HOPS`` says)."""
    if event.origin is None and has_request_context():
        event.origin = (request.remote_addr or "")[:64] or None


def register(app, api):
    from app.audit import routes  # noqa: F401  (the pages, on bp)
    from app.audit.models import AuditEvent

    if not sa.event.contains(AuditEvent, "before_insert", _stamp_origin):
        sa.event.listen(AuditEvent, "before_insert", _stamp_origin)
    app.register_blueprint(bp)
