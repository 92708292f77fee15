"""The reports behind a figure: the approved reports of one group, newest first, a page at a time.

The count comes from the roll-up cells and the page from an index in submission order, so neither grows
with the number of reports."""

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.programmes.models import ContactPoint, Organisation, ServiceArea, Wave
from app.results.figures import Filters
from app.results.models import ReportResult, ResultCell
from app.visits.models import Submission

PAGE_SIZE = 50


@dataclass
class Listed:
    total: int
    items: list
    pages: int


def behind(programme, wave: Wave | None, filters: Filters, contact_point_id: int | None, page: int) -> Listed:
    query = sa.select(ReportResult).where(ReportResult.programme_id == programme.id)
    if wave is not None:
        query = query.where(ReportResult.wave_id == wave.id)
    if filters.organisation_id:
        query = query.where(ReportResult.organisation_id == filters.organisation_id)
    if filters.service_area_id:
        query = query.where(ReportResult.service_area_id == filters.service_area_id)
    if filters.channel:
        query = query.where(ReportResult.channel == filters.channel)
    if contact_point_id:
        query = query.where(ReportResult.contact_point_id == contact_point_id)
    total = _count(programme, wave, filters, contact_point_id)
    listed = (
        query.with_only_columns(
            ReportResult.submission_id,
            ReportResult.score,
            ReportResult.critical_failure,
            ReportResult.channel,
            Organisation.name.label("organisation"),
            ServiceArea.name.label("service_area"),
            ContactPoint.name.label("contact_point"),
            Submission.completed_at,
        )
        .join(Organisation, Organisation.id == ReportResult.organisation_id)
        .join(ServiceArea, ServiceArea.id == ReportResult.service_area_id)
        .join(ContactPoint, ContactPoint.id == ReportResult.contact_point_id)
        .join(Submission, Submission.id == ReportResult.submission_id)
        .order_by(ReportResult.submission_id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return Listed(total, db.session.execute(listed).all(), max(1, -(-total // PAGE_SIZE)))


def _count(programme, wave, filters: Filters, contact_point_id) -> int:
    """How many reports match, added up from the roll-up cells (a few hundred rows, whatever the data)."""
    query = sa.select(sa.func.coalesce(sa.func.sum(ResultCell.reports), 0)).where(
        ResultCell.programme_id == programme.id
    )
    if wave is not None:
        query = query.where(ResultCell.wave_id == wave.id)
    for column, value in (
        (ResultCell.organisation_id, filters.organisation_id),
        (ResultCell.service_area_id, filters.service_area_id),
        (ResultCell.channel, filters.channel),
        (ResultCell.contact_point_id, contact_point_id),
    ):
        if value:
            query = query.where(column == value)
    return int(db.session.scalar(query))
