"""The wave's assignments as a long list: filtered and paged in SQL, and the same filter as the selection of
a bulk action ("all 9,614 matching"), so that neither the page nor the action needs every row in hand."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.assignments.models import REASSIGNABLE_STATES, Assignment, AssignmentState
from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Channel, ContactPoint, Wave

PER_PAGE = 50


@dataclass
class AssignmentFilters:
    state: AssignmentState | None = None
    organisation_id: int | None = None
    channel: Channel | None = None
    shopper_id: int | None = None
    flagged: bool = False
    overdue: bool = False  # still owed (offered or accepted) after the window's end


def matching(wave: Wave, filters: AssignmentFilters) -> sa.Select:
    """The wave's assignments that match, newest first (what planning just made leads the page), with what
    a row of the page shows."""
    query = (
        sa.select(Assignment)
        .options(
            selectinload(Assignment.contact_point).selectinload(ContactPoint.organisation),
            selectinload(Assignment.shopper),
            selectinload(Assignment.scenario),
        )
        .where(Assignment.wave_id == wave.id)
        .order_by(Assignment.id.desc())
    )
    if filters.state:
        query = query.where(Assignment.state == filters.state)
    if filters.organisation_id:
        # Joined only for this filter: a page deep in the list then skips index entries, not joined rows.
        query = query.join(Assignment.contact_point).where(
            ContactPoint.organisation_id == filters.organisation_id
        )
    if filters.channel:
        query = query.where(Assignment.channel == filters.channel)
    if filters.shopper_id:
        query = query.where(Assignment.shopper_id == filters.shopper_id)
    if filters.flagged:
        query = query.where(Assignment.flagged)
    if filters.overdue:
        query = query.where(
            Assignment.state.in_((AssignmentState.offered, AssignmentState.accepted)),
            Assignment.window_ends_at < utcnow(),
        )
    return query


def page_of(wave: Wave, filters: AssignmentFilters, page: int = 1, per_page: int = PER_PAGE):
    """One page of the matching assignments and their total (a Flask-SQLAlchemy ``Pagination``)."""
    return db.paginate(
        matching(wave, filters), page=page, per_page=per_page, error_out=False, max_per_page=None
    )


def all_matching(wave: Wave, filters: AssignmentFilters) -> list[Assignment]:
    return db.session.scalars(matching(wave, filters)).all()


def chosen(wave: Wave, ids: list[int]) -> list[Assignment]:
    """The assignments of ``wave`` among ``ids``, in id order (ids of another wave are left out)."""
    return (
        db.session.scalars(matching(wave, AssignmentFilters()).where(Assignment.id.in_(ids))).all()
        if ids
        else []
    )


def to_reassign(wave: Wave, limit: int = 20) -> tuple[list[Assignment], int]:
    """Declined and withdrawn work (the first ``limit``, newest first) and how many there are in all.

    The few are found by their ids on the (wave, state) index first: asked for them in order, SQLite walks
    every assignment of the wave newest first to find them."""
    ids = sa.select(Assignment.id).where(
        Assignment.wave_id == wave.id, Assignment.state.in_(REASSIGNABLE_STATES)
    )
    query = matching(wave, AssignmentFilters()).where(Assignment.id.in_(ids))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return db.session.scalars(query.limit(limit)).all(), total
