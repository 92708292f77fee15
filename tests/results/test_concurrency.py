"""Reports of the same cell approved at the same moment: the cell ends up holding every one of them.

Each thread approves its own report with its own app context and connection; a barrier holds them all
just before they rebuild the shared cell, so that without the advisory lock they would each replace it
with a sum that misses the others. PostgreSQL only: SQLite's writers queue before the barrier.
"""

import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.results import services
from app.results.models import ReportResult, ResultCell
from app.visits import review
from app.visits.models import Submission
from tests.results.helpers import GOOD, coordinator_of
from tests.review.helpers import make_submission

PARALLEL = 4


def test_parallel_approvals_in_one_cell_are_all_counted(app, world, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's writers take turns before the barrier")
    coordinator = coordinator_of(world)
    ids = [make_submission(world, answers=GOOD).id for _ in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)
    original = services.rebuild_cells

    def rebuild_after_all_scored(*args):
        barrier.wait(timeout=20)
        original(*args)

    monkeypatch.setattr(services, "rebuild_cells", rebuild_after_all_scored)
    errors = []

    def approve(submission_id):
        with app.app_context():
            try:
                review.approve(db.session.get(Submission, submission_id), db.session.merge(coordinator))
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported below, with the others)
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportResult)) == PARALLEL
    assert db.session.scalar(sa.select(sa.func.sum(ResultCell.reports))) == PARALLEL
