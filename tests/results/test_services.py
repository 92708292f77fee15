"""Scores stored at approval, the cells kept equal to their reports, and `flask results recompute`."""

import sqlalchemy as sa

from app.extensions import db
from app.questionnaires.models import Question
from app.results import figures
from app.results.models import ReportResult, ResultCell
from tests.results.helpers import approved_report, coordinator_of


def _rows(world, group_by=("organisation",)):
    names = figures.Names(world.programme)
    return figures.rows(world.programme, names, world.wave, figures.Filters(), group_by)


def test_approval_stores_the_score_with_its_version_and_the_roll_up(world):
    coordinator = coordinator_of(world)
    # greeted 1/1, helpful 4 -> 0.75, outcome resolved 1/1: 2.75 of 3
    first = approved_report(world, coordinator, {"greeted": True, "helpful": 4, "outcome": "resolved"})
    # a critical failure (greeted no): 0
    approved_report(world, coordinator, {"greeted": False, "helpful": 5, "outcome": "resolved"})
    stored = db.session.get(ReportResult, first.id)
    assert stored.score == round(2.75 / 3, 4)
    assert stored.questionnaire_version_id == first.questionnaire_version_id
    assert stored.organisation_id == world.district.id and stored.service_area_id == world.waste.id
    [row] = _rows(world)
    assert row["organisation"] == {"id": world.district.id, "name": world.district.name}
    assert row["reports"] == 2
    assert row["score"]["k"] == round(2.75 / 3, 4) and row["score"]["n"] == 2
    assert row["score"]["small_sample"] is True and row["rank"] is None  # 2 < the programme's minimum of 5
    assert row["critical_failures"]["k"] == 1


def test_a_submitted_report_counts_only_once_approved(world):
    from tests.review.helpers import make_submission

    make_submission(world)
    assert _rows(world) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ResultCell)) == 0


def test_recompute_after_a_scoring_correction_says_what_changed(world, runner):
    coordinator = coordinator_of(world)
    report = approved_report(world, coordinator, {"greeted": True, "helpful": 1, "outcome": "redirected"})
    assert db.session.get(ReportResult, report.id).score == round(1.5 / 3, 4)
    # The correction: "helpful" should not have carried points.
    helpful = db.session.scalars(
        sa.select(Question).filter_by(version_id=report.questionnaire_version_id, key="helpful")
    ).one()
    helpful.weight = 0
    db.session.commit()
    result = runner.invoke(args=["results", "recompute"])
    assert result.exit_code == 0, result.output
    assert "Scored 1 approved reports" in result.output and "1 scores changed" in result.output
    assert f"report {report.id}: 50.0% -> 75.0%" in result.output
    db.session.expire_all()
    assert db.session.get(ReportResult, report.id).score == 0.75
    assert _rows(world)[0]["score"]["k"] == 0.75
    again = runner.invoke(args=["results", "recompute"])
    assert "0 scores changed" in again.output
