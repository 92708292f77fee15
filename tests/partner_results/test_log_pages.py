"""The visit log a page at a time: walking its pages gives every report once, oldest first (ties by id), and
nothing outside the reports it is given."""

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.partner_results import log
from app.visits.models import Submission, SubmissionState
from tests.factories import make_shopper
from tests.listing_kit import add_reports


def test_every_report_is_on_one_page_of_the_log_oldest_first(world):
    shopper = make_shopper(world)
    reports = add_reports(world, [shopper], 2 * log.PAGE_SIZE + 7, states=(SubmissionState.approved,))
    outside = add_reports(world, [shopper], 5, states=(SubmissionState.approved,))
    # Done in the reverse order of their ids, three at a time at the same minute: the order is the time's.
    done = reports[0].completed_at
    for i, report in enumerate(reports):
        report.completed_at = done - timedelta(minutes=i - i % 3)
    db.session.commit()
    report_ids = sa.select(Submission.id).where(Submission.id.in_([r.id for r in reports]))

    first = log.page_of(world.programme, report_ids, 1)
    walked = [
        item["id"]
        for page in range(1, first.pages + 1)
        for item in log.page_of(world.programme, report_ids, page).items
    ]

    assert (first.total, first.pages, len(first.items)) == (len(reports), 3, log.PAGE_SIZE)
    assert walked == [r.id for r in sorted(reports, key=lambda r: (r.completed_at, r.id))]
    assert not {r.id for r in outside} & set(walked)
    assert log.page_of(world.programme, report_ids, 4).items == []
