"""For tests of list pages: many rows made quickly, and the number of SQL statements a request makes."""

import contextlib
import uuid
from datetime import timedelta

import sqlalchemy as sa

from app.assignments.models import Assignment, AssignmentState
from app.db_types import utcnow
from app.extensions import db
from app.results.services import record_approved
from app.visits.models import KIND_FOR_CHANNEL, Submission, SubmissionState

# A report's state and the state its assignment is then in.
ASSIGNMENT_STATE_FOR = {
    SubmissionState.submitted: AssignmentState.submitted,
    SubmissionState.in_review: AssignmentState.in_review,
    SubmissionState.approved: AssignmentState.approved,
    SubmissionState.returned: AssignmentState.returned,
    SubmissionState.rejected: AssignmentState.cancelled,
}


@contextlib.contextmanager
def _each_statement(record):
    """``record(conn, cursor, statement, parameters, context, executemany)`` for every statement sent inside
    the block."""
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


@contextlib.contextmanager
def recorded_statements():
    """The SQL statements sent to the database inside the block, in order: ``with recorded_statements() as
    sent:``."""
    sent = []
    with _each_statement(lambda conn, cursor, statement, *_: sent.append(statement)):
        yield sent


@contextlib.contextmanager
def sqlite_plans(containing: str):
    """The plans SQLite chose for the statements sent inside the block whose text holds ``containing``, each
    as one line of its steps: ``with sqlite_plans("assignment.flagged") as plans:``, then ``plans``. A test
    database has no statistics, as a database has whose statistics were taken while it was small."""
    seen, plans = [], []

    def record(conn, cursor, statement, parameters, *_):
        if containing in statement:
            seen.append((statement, parameters))

    with _each_statement(record):
        yield plans
    with db.engine.connect() as connection:
        for statement, parameters in seen:
            steps = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            plans.append("; ".join(step[-1] for step in steps))


@contextlib.contextmanager
def counted_statements():
    """Count the SQL statements sent to the database inside the block: ``with counted_statements() as n:``,
    then ``n[0]``."""
    count = [0]
    with recorded_statements() as sent:
        try:
            yield count
        finally:
            count[0] = len(sent)


def add_assignments(world, shoppers, n, contact_points=None, state=AssignmentState.offered, wave=None):
    """``n`` assignments of ``wave`` (the world's by default), round-robin over shoppers and contact points."""
    contact_points = contact_points or [world.district_office, world.county_office, world.other_office]
    now = utcnow()
    rows = []
    for i in range(n):
        point = contact_points[i % len(contact_points)]
        rows.append(
            Assignment(
                wave=wave or world.wave,
                shopper=shoppers[i % len(shoppers)],
                contact_point=point,
                scenario=world.waste_scenario,
                questionnaire_version=world.visit_version,
                channel=point.channel,
                window_starts_at=now - timedelta(days=1),
                window_ends_at=now + timedelta(days=6),
                state=state,
                explanation=f"Row {i}",
            )
        )
    db.session.add_all(rows)
    db.session.commit()
    return rows


def add_reports(world, shoppers, n, contact_points=None, states=(SubmissionState.submitted,), flags_for=None):
    """``n`` reports, each on its own assignment, received a minute apart (some at the same minute, so
    that ordering must fall back on the id); state ``states[i % len(states)]`` and flags
    ``flags_for(i)``. The approved ones are scored, as approving them does (a release holds the scored)."""
    assignments = add_assignments(world, shoppers, n, contact_points)
    start = utcnow() - timedelta(days=3)
    reports = []
    for i, assignment in enumerate(assignments):
        state = states[i % len(states)]
        assignment.state = ASSIGNMENT_STATE_FOR[state]
        received = start + timedelta(minutes=i - i % 3)
        reports.append(
            Submission(
                uuid=uuid.uuid4(),
                assignment=assignment,
                wave_id=assignment.wave.id,
                programme_id=assignment.wave.programme_id,
                shopper_id=assignment.shopper.id,
                kind=KIND_FOR_CHANNEL[assignment.channel],
                questionnaire_version_id=assignment.questionnaire_version.id,
                started_at=received - timedelta(minutes=30),
                completed_at=received - timedelta(minutes=5),
                received_at=received,
                state=state,
                flags=sorted(flags_for(i)) if flags_for else [],
                answers={},
                content_hash="0" * 64,
            )
        )
    db.session.add_all(reports)
    db.session.flush()
    for report in reports:
        if report.state is SubmissionState.approved:
            record_approved(report)
    db.session.commit()
    return reports
