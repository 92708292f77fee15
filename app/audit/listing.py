"""Reading the audit trail: filters in SQL, newest first, a page at a time by keyset on ``id`` (so the
hundredth page costs what the first does), and every row for the CSV download, streamed.

Who reads what: an admin every event, a coordinator their programme's (``AuditEvent.programme_id``).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.audit.models import AuditEvent
from app.extensions import db

PER_PAGE = 50

# Kinds of action a person filters by: exact actions (each read on the (action, id) index), and for kinds
# that other packages name, a pattern.
KINDS = {
    "sign_ins": (
        "Sign-ins and failed sign-ins",
        ("account.signed_in", "account.sign_in_failed", "account.signed_out"),
        (),
    ),
    "accounts": (
        "Accounts, invitations and roles",
        (
            "account.invited",
            "account.invite_accepted",
            "account.roles_changed",
            "account.deactivated",
            "account.reactivated",
            "account.password_changed",
            "account.password_reset",
            "account.password_reset_requested",
            "invite.created",
            "invite.accepted",
        ),
        (),
    ),
    "reviews": (
        "Reviews",
        ("submission.in_review", "submission.approved", "submission.returned", "submission.rejected"),
        (),
    ),
    "releases": ("Releases", (), ("release%", "%.released", "%.withdrawn")),
    "exports": ("Exports", (), ("export%",)),
    "deletions": ("Deletions", ("account.anonymised",), ("%.deleted", "%.removed", "%delet%")),
}


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    kind: str | None = None  # a key of KINDS
    action: str | None = None  # one exact action
    object_type: str | None = None
    object_id: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive

    def args(self) -> dict:
        """As query arguments for links that keep the filter."""
        obj = f"{self.object_type}:{self.object_id}" if self.object_id else (self.object_type or "")
        values = {
            "actor": self.actor_id,
            "kind": self.kind,
            "action": self.action,
            "object": obj,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }
        return {k: v for k, v in values.items() if v}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def events_query(programme_id: int | None, filters: AuditFilters, everything: bool = False):
    """The events a reader may see (``everything``: an admin; else ``programme_id``'s), filtered."""
    kind_conditions = _kind_conditions(filters)
    query = _filtered(programme_id, filters, everything)
    return query.where(sa.or_(*kind_conditions)) if kind_conditions else query


def _kind_conditions(filters: AuditFilters) -> list:
    """The kind filter as conditions to OR: one per exact action, and one for all its patterns."""
    if filters.kind not in KINDS:
        return []
    _, exact, patterns = KINDS[filters.kind]
    conditions = [AuditEvent.action == action for action in exact]
    if patterns:
        conditions.append(sa.or_(*(AuditEvent.action.like(p) for p in patterns)))
    return conditions


def _filtered(programme_id: int | None, filters: AuditFilters, everything: bool):
    """The reader's events under every filter but the kind."""
    query = sa.select(AuditEvent)
    if not everything:
        query = query.where(AuditEvent.programme_id == programme_id)
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.since:
        query = query.where(AuditEvent.occurred_at >= _start_of(filters.since))
    if filters.until:
        query = query.where(AuditEvent.occurred_at < _start_of(filters.until + timedelta(days=1)))
    return query


@dataclass
class AuditPage:
    events: list[AuditEvent]
    newer: int | None  # the ``after`` of the page before (newer events), if any
    older: int | None  # the ``before`` of the next page (older events), if any


def page_of(
    programme_id: int | None,
    filters: AuditFilters,
    everything: bool = False,
    before: int | None = None,
    after: int | None = None,
    per_page: int = PER_PAGE,
) -> AuditPage:
    """One page of the reader's filtered events, newest first: those older than ``before``, or the page just
    newer than ``after``."""
    newest_first = after is None
    rows = _page_rows(programme_id, filters, everything, before, after, per_page + 1)
    if newest_first:
        has_older = len(rows) > per_page
        events = rows[:per_page]
        has_newer = before is not None
    else:
        has_newer = len(rows) > per_page
        events = list(reversed(rows[:per_page]))
        has_older = True
    if not events:
        return AuditPage([], None, None)
    return AuditPage(events, events[0].id if has_newer else None, events[-1].id if has_older else None)


def _page_rows(programme_id, filters, everything, before, after, limit) -> list[AuditEvent]:
    """Up to ``limit`` events past the keyset (newest first, or oldest first past ``after``).

    A kind is read one exact action at a time, each branch the (action, id) index's range in keyset order,
    and the branches merged: SQLite, given the OR of them, walks every event of the programme instead."""
    order = AuditEvent.id.desc() if after is None else AuditEvent.id.asc()
    query = _filtered(programme_id, filters, everything)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    if after is not None:
        query = query.where(AuditEvent.id > after)
    branches = [query.where(condition) for condition in _kind_conditions(filters)] or [query]
    query = branches[0]
    if len(branches) > 1:
        pages = (
            branch.with_only_columns(AuditEvent.id).order_by(order).limit(limit).subquery()
            for branch in branches
        )
        query = sa.select(AuditEvent).where(
            AuditEvent.id.in_(sa.union_all(*(sa.select(p.c.id) for p in pages)))
        )
    statement = query.options(joinedload(AuditEvent.actor)).order_by(order).limit(limit)
    return list(db.session.scalars(statement))


def humanise_action(action: str) -> str:
    """``submission.in_review`` -> ``Submission in review``: no raw codes on the page."""
    label = ACTION_LABELS.get(action)
    if label:
        return label
    subject, _, verb = action.partition(".")
    return f"{subject.replace('_', ' ').capitalize()} {verb.replace('_', ' ')}".strip()


def details(data: dict | None) -> str:
    """``{"after": ["coordinator"], "before": ["reviewer"]}`` -> ``after: coordinator; before: reviewer``."""
    return "; ".join(
        f"{key.replace('_', ' ')}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in sorted((data or {}).items())
    )


def humanise_object(object_type: str, object_id: str) -> str:
    name = object_type.replace("_", " ").capitalize()
    return f"{name} {object_id}" if object_id else name


ACTION_LABELS = {
    "account.signed_in": "Signed in",
    "account.sign_in_failed": "Failed sign-in",
    "account.signed_out": "Signed out",
    "account.invited": "Invited to an account",
    "account.invite_accepted": "Accepted an invitation",
    "account.roles_changed": "Roles changed",
    "account.deactivated": "Account deactivated",
    "account.reactivated": "Account reactivated",
    "account.password_changed": "Password changed",
    "account.password_reset": "Password reset by e-mail link",
    "account.password_reset_requested": "Password reset link sent",
    "submission.in_review": "Review started",
    "submission.approved": "Report approved",
    "submission.returned": "Report returned to the shopper",
    "submission.rejected": "Report rejected",
    "export.downloaded": "Export downloaded",
}

CSV_HEADER = [
    "When (UTC)",
    "Who",
    "Who's e-mail address",
    "What",
    "Action code",
    "Object",
    "Object id",
    "From",
    "Details",
]


def csv_rows(query) -> Iterator[list]:
    """Every event of ``query``, newest first, read in batches (the download streams as it reads)."""
    statement = (
        query.options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
        .execution_options(yield_per=1000)
    )
    for event in db.session.scalars(statement):
        yield [
            event.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
            event.actor.display_name if event.actor else "",
            event.actor.email if event.actor else "",
            humanise_action(event.action),
            event.action,
            event.object_type.replace("_", " "),
            event.object_id,
            event.origin or "",
            details(event.data),
        ]
