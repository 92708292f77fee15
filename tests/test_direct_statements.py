"""``DirectStatement`` writes and reads what ``connection.execute`` would, on SQLite and on PostgreSQL."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.assignments.models import Assignment, AssignmentState
from app.audit.models import AuditEvent
from app.direct_statements import DirectStatement
from app.extensions import db
from app.visits.models import Submission, SubmissionKind, SubmissionState
from tests.factories import make_assignment, make_shopper

SUBMISSION = Submission.__table__
MOMENT = datetime(2026, 11, 30, 12, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def assignment(world):
    return make_assignment(world, make_shopper(world))


def _values(assignment, **overrides) -> dict:
    """Every column a report's row takes, of every type the models use: UUID, enums, UTC times, JSON, text."""
    values = dict(
        uuid=uuid.uuid4(),
        assignment_id=assignment.id,
        shopper_id=assignment.shopper_id,
        kind=SubmissionKind.visit,
        questionnaire_version_id=assignment.questionnaire_version_id,
        started_at=MOMENT - timedelta(minutes=20),
        completed_at=MOMENT,
        received_at=MOMENT,
        revision=1,
        state=SubmissionState.submitted,
        flags=["late"],
        answers={"greeted": True, "helpful": 4, "note": "é ✓"},
        notes="Seen in ten minutes.",
        commendation="",
        evidence=[],
        sent_at=None,
        replies=[{"n": 1}],
        call_log=None,
        content_hash="0" * 64,
        review_comment="",
    )
    values.update(overrides)
    return values


def _stored(submission_uuid):
    """The row as SQLAlchemy's own execution reads it."""
    return (
        db.session.connection()
        .execute(sa.select(SUBMISSION).where(SUBMISSION.c.uuid == submission_uuid))
        .one()
    )


def test_a_row_written_directly_reads_back_as_sqlalchemy_wrote_it(app, assignment):
    connection = db.session.connection()
    direct, usual = _values(assignment), _values(assignment)
    [(new_id,)] = DirectStatement(sa.insert(SUBMISSION).returning(SUBMISSION.c.id)).rows(connection, direct)
    connection.execute(sa.insert(SUBMISSION), usual)
    written_directly, written_usually = _stored(direct["uuid"]), _stored(usual["uuid"])
    assert written_directly.id == new_id
    ignore = {"id", "uuid"}
    assert {k: v for k, v in written_directly._mapping.items() if k not in ignore} == {
        k: v for k, v in written_usually._mapping.items() if k not in ignore
    }
    assert written_directly.started_at == MOMENT - timedelta(minutes=20)
    assert written_directly.started_at.tzinfo is not None
    # And the database holds the same text / values for both (not only the same after conversion).
    raw = sa.text("SELECT kind, started_at, answers, flags FROM submission WHERE id IN (:a, :b) ORDER BY id")
    first, second = connection.execute(raw, {"a": new_id, "b": written_usually.id}).all()
    assert tuple(first) == tuple(second)


def test_rows_are_converted_as_sqlalchemy_converts_them(app, assignment):
    connection = db.session.connection()
    values = _values(assignment)
    connection.execute(sa.insert(SUBMISSION), values)
    select = sa.select(SUBMISSION).where(SUBMISSION.c.uuid == sa.bindparam("wanted"))
    [direct] = DirectStatement(select).rows(connection, {"wanted": values["uuid"]})
    assert tuple(direct) == tuple(_stored(values["uuid"]))
    assert (direct.uuid, direct.kind, direct.state, direct.answers, direct.completed_at) == (
        values["uuid"],
        SubmissionKind.visit,
        SubmissionState.submitted,
        values["answers"],
        MOMENT,
    )
    assert DirectStatement(select).rows(connection, {"wanted": uuid.uuid4()}) == []


def test_an_update_with_returning_and_a_literal_in_its_where(app, assignment):
    connection = db.session.connection()
    update = DirectStatement(
        sa.update(Assignment.__table__)
        .where(Assignment.id == sa.bindparam("wanted"), Assignment.state == AssignmentState.accepted)
        .values(state=AssignmentState.submitted, state_changed_at=sa.bindparam("now"))
        .returning(Assignment.id)
    )
    assert update.rows(connection, {"wanted": assignment.id, "now": MOMENT}) == []  # offered, not accepted
    assignment.state = AssignmentState.accepted
    db.session.flush()
    assert [row.id for row in update.rows(connection, {"wanted": assignment.id, "now": MOMENT})] == [
        assignment.id
    ]
    db.session.expire_all()
    assert (assignment.state, assignment.state_changed_at) == (AssignmentState.submitted, MOMENT)


def test_executemany_writes_every_row(app, assignment):
    events = [
        dict(
            occurred_at=MOMENT,
            actor_id=assignment.shopper_id,
            action="test.direct",
            object_type="test",
            object_id=str(n),
            data={"n": n},
        )
        for n in range(3)
    ]
    DirectStatement(sa.insert(AuditEvent.__table__)).executemany(db.session.connection(), events)
    stored = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "test.direct").order_by(AuditEvent.object_id)
    ).all()
    assert [(e.object_id, e.data, e.occurred_at) for e in stored] == [
        (str(n), {"n": n}, MOMENT) for n in range(3)
    ]


def test_a_unique_constraint_is_sqlalchemys_integrity_error(app, assignment):
    """``services.receive_and_commit`` decides a race of two uploads of one UUID by catching this."""
    insert = DirectStatement(sa.insert(SUBMISSION).returning(SUBMISSION.c.id))
    values = _values(assignment)
    insert.rows(db.session.connection(), values)
    with pytest.raises(sa.exc.IntegrityError):
        insert.rows(db.session.connection(), _values(assignment, uuid=values["uuid"]))
    db.session.rollback()


def test_the_engines_cursor_listeners_see_each_statement(app, assignment):
    """SQLite's write turns (app/database.py) are taken by such a listener."""
    values, seen = _values(assignment), []

    def listener(connection, cursor, statement, parameters, context, executemany):
        seen.append((statement.split()[0], executemany))

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        connection = db.session.connection()
        DirectStatement(sa.insert(SUBMISSION)).executemany(connection, [values])
        DirectStatement(sa.select(SUBMISSION.c.id)).rows(connection, {})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert seen == [("INSERT", True), ("SELECT", False)]


def test_an_insert_without_a_python_default_column_is_refused(app, assignment):
    """Such a column would be NULL or the server's default, where SQLAlchemy would have used the model's."""
    values = _values(assignment)
    del values["received_at"]  # default=utcnow
    with pytest.raises(ValueError, match="received_at"):
        DirectStatement(sa.insert(SUBMISSION)).executemany(db.session.connection(), [values])


def test_a_missing_parameter_is_an_error_not_null(app):
    select = DirectStatement(sa.select(SUBMISSION.c.id).where(SUBMISSION.c.uuid == sa.bindparam("wanted")))
    with pytest.raises(KeyError):
        select.rows(db.session.connection(), {})


def test_an_expanding_in_goes_through_connection_execute_with_the_same_rows(app, assignment):
    connection = db.session.connection()
    rows = [_values(assignment) for _ in range(3)]
    connection.execute(sa.insert(SUBMISSION), rows)
    select = DirectStatement(
        sa.select(SUBMISSION.c.uuid)
        .where(SUBMISSION.c.uuid.in_(sa.bindparam("wanted", expanding=True)))
        .order_by(SUBMISSION.c.id)
    )
    wanted = [rows[0]["uuid"], rows[2]["uuid"]]
    assert [row.uuid for row in select.rows(connection, {"wanted": wanted})] == wanted
