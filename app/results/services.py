"""Scores stored when a report is approved, and the roll-up cells kept in step with them.

``record_approved(submission)`` is called by the review's approve (in its transaction): it scores the report
and rebuilds the few cells of its wave x contact point x service area from the stored tallies of that key,
so the cells always equal the sum of their reports. ``recompute`` rebuilds everything after a scoring
correction and says what changed.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.assignments.models import Assignment
from app.extensions import db
from app.programmes.models import Channel, ContactPoint, Scenario, ServiceStandard, Wave
from app.questionnaires.models import QuestionnaireVersion, Section
from app.results.models import ReportResult, ResultCell
from app.results.scoring import VersionPlan, plan_for, score_report
from app.visits.models import Submission, SubmissionState

DEFAULT_ANSWER_SECONDS = 20
BATCH = 2000


def answer_threshold_seconds(programme_id: int) -> float:
    """The programme's telephone answer standard in seconds (SPEC §6: 20 unless the programme sets one)."""
    standards = db.session.scalars(
        sa.select(ServiceStandard)
        .where(ServiceStandard.programme_id == programme_id, ServiceStandard.channel == Channel.telephone)
        .where(ServiceStandard.unit.in_(["seconds", "minutes"]), ServiceStandard.threshold.is_not(None))
        .order_by(ServiceStandard.id)
    ).first()
    if standards is None:
        return DEFAULT_ANSWER_SECONDS
    return standards.threshold * (60 if standards.unit == "minutes" else 1)


class Plans:
    """Version plans read once each (a version that anything was captured with is read-only)."""

    def __init__(self):
        self._plans: dict[int, VersionPlan] = {}

    def get(self, version_id: int) -> VersionPlan:
        if version_id not in self._plans:
            version = db.session.scalars(
                sa.select(QuestionnaireVersion)
                .where(QuestionnaireVersion.id == version_id)
                .options(
                    selectinload(QuestionnaireVersion.sections).selectinload(Section.questions),
                    selectinload(QuestionnaireVersion.questionnaire),
                )
            ).one()
            self._plans[version_id] = plan_for(version)
        return self._plans[version_id]


# What scoring needs of a report besides its answers, in one row.
_CONTEXT = (
    Submission.id,
    Submission.answers,
    Submission.call_log,
    Submission.questionnaire_version_id,
    Wave.programme_id,
    Assignment.wave_id,
    ContactPoint.organisation_id,
    Scenario.service_area_id,
    Assignment.contact_point_id,
    Assignment.channel,  # an exit interview is done at a building (an in-person contact point)
    Scenario.cross_tier,
    Assignment.scenario_id,
    Submission.started_at,
)


def _context_query():
    return (
        sa.select(*_CONTEXT)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(Wave, Wave.id == Assignment.wave_id)
        .join(ContactPoint, ContactPoint.id == Assignment.contact_point_id)
        .join(Scenario, Scenario.id == Assignment.scenario_id)
        .where(Submission.state == SubmissionState.approved)
    )


def _result_row(row, plans: Plans, thresholds: dict) -> dict:
    if row.programme_id not in thresholds:
        thresholds[row.programme_id] = answer_threshold_seconds(row.programme_id)
    scored = score_report(
        plans.get(row.questionnaire_version_id),
        row.answers,
        call_log=row.call_log,
        cross_tier=row.cross_tier,
        answer_within_seconds=thresholds[row.programme_id],
    )
    tallies = {"reports": [1, 1, 1], **scored.tallies}
    return dict(
        submission_id=row.id,
        programme_id=row.programme_id,
        wave_id=row.wave_id,
        organisation_id=row.organisation_id,
        service_area_id=row.service_area_id,
        contact_point_id=row.contact_point_id,
        channel=row.channel,
        questionnaire_version_id=row.questionnaire_version_id,
        scenario_id=row.scenario_id,
        started_at=row.started_at,
        points_earned=scored.points_earned,
        points_possible=scored.points_possible,
        score=scored.score,
        critical_failure=scored.critical_failure,
        detail=scored.detail,
        tallies=tallies,
    )


_CELL_KEY = ("programme_id", "wave_id", "organisation_id", "service_area_id", "contact_point_id", "channel")


def _add_tallies(cells: dict, row: dict) -> None:
    cell = cells.setdefault(tuple(row[k] for k in _CELL_KEY), {})
    for measure, (total, n, squares) in row["tallies"].items():
        sums = cell.setdefault(measure, [0.0, 0, 0.0])
        sums[0] += total
        sums[1] += n
        sums[2] += squares


DETAIL_PREFIXES = ("question:", "section:")


def _cell_rows(cells: dict) -> list[dict]:
    rows = []
    for key, tallies in cells.items():
        headline = {m: v for m, v in tallies.items() if not m.startswith(DETAIL_PREFIXES)}
        details = {m: v for m, v in tallies.items() if m.startswith(DETAIL_PREFIXES)}
        rows.append(
            dict(
                zip(_CELL_KEY, key, strict=True),
                reports=tallies["reports"][1],
                tallies=headline,
                details=details,
            )
        )
    return rows


def record_approved(submission: Submission) -> ReportResult:
    """Score an approved report, store it (replacing any earlier score) and bring its cells up to date."""
    row = db.session.execute(_context_query().where(Submission.id == submission.id)).one()
    values = _result_row(row, Plans(), {})
    db.session.execute(sa.delete(ReportResult).where(ReportResult.submission_id == submission.id))
    db.session.execute(sa.insert(ReportResult), [values])
    rebuild_cells(values["wave_id"], values["contact_point_id"], values["service_area_id"])
    return db.session.get(ReportResult, submission.id)


def rebuild_cells(wave_id: int, contact_point_id: int, service_area_id: int) -> None:
    """The cells of one wave x contact point x service area, summed again from their reports' tallies.

    On PostgreSQL two approvals of the same key take turns (a transaction-scoped advisory lock), so the second
    sums the first's report too instead of both replacing the same cells; SQLite's writers take turns anyway.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        key = (wave_id << 42) ^ (contact_point_id << 21) ^ service_area_id
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(key % (2**63))))
    rows = db.session.execute(
        sa.select(*(getattr(ReportResult, k) for k in _CELL_KEY), ReportResult.tallies).where(
            ReportResult.wave_id == wave_id,
            ReportResult.contact_point_id == contact_point_id,
            ReportResult.service_area_id == service_area_id,
        )
    ).all()
    cells = {}
    for row in rows:
        _add_tallies(cells, row._asdict())
    db.session.execute(
        sa.delete(ResultCell).where(
            ResultCell.wave_id == wave_id,
            ResultCell.contact_point_id == contact_point_id,
            ResultCell.service_area_id == service_area_id,
        )
    )
    if cells:
        db.session.execute(sa.insert(ResultCell), _cell_rows(cells))


@dataclass
class Recomputed:
    reports: int = 0
    new: int = 0
    changed: list = field(default_factory=list)  # (submission id, old score, new score)
    removed: int = 0
    cells: int = 0


def recompute(progress=None) -> Recomputed:
    """Score every approved report again and rebuild every cell; ``progress(n)`` after each batch.

    Returns what changed against the stored scores (a correction to scoring shows here, report by report).
    """
    before = dict(
        db.session.execute(
            sa.select(ReportResult.submission_id, sa.func.coalesce(ReportResult.score, -1.0))
        ).all()
    )
    outcome = Recomputed()
    plans, thresholds = Plans(), {}
    cells = {}
    db.session.execute(sa.delete(ResultCell))
    db.session.execute(sa.delete(ReportResult))
    rows = db.session.execute(_context_query().order_by(Submission.id).execution_options(yield_per=BATCH))
    for batch in rows.partitions(BATCH):
        values = [_result_row(row, plans, thresholds) for row in batch]
        for row in values:
            _add_tallies(cells, row)
            old = before.pop(row["submission_id"], None)
            new = -1.0 if row["score"] is None else row["score"]
            if old is None:
                outcome.new += 1
            elif abs(old - new) > 1e-9:
                outcome.changed.append((row["submission_id"], _shown(old), _shown(new)))
        db.session.execute(sa.insert(ReportResult), values)
        outcome.reports += len(values)
        if progress:
            progress(len(values))
    outcome.removed = len(before)
    cell_rows = _cell_rows(cells)
    for start in range(0, len(cell_rows), BATCH):
        db.session.execute(sa.insert(ResultCell), cell_rows[start : start + BATCH])
    outcome.cells = len(cell_rows)
    return outcome


def approved_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(_context_query().subquery()))


def _shown(score: float) -> float | None:
    return None if score < 0 else score
