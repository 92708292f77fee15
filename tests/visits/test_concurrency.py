"""The same UUID through several requests at once: one row, one 201, the rest replays or conflicts.

Each thread has its own test client (and so its own app context, session and
connection) against the real database file, or PostgreSQL with TEST_DATABASE_URL.
A barrier after every request has read the database lines them up, so that all of
them miss each other's row and the unique constraint has to decide.
"""

import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from app.assignments.models import Assignment, AssignmentState
from app.audit.models import AuditEvent
from app.extensions import db
from app.visits import storing
from app.visits.models import Submission
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper
from tests.visits.payloads import submission_payload

PARALLEL = 5


@pytest.fixture
def lined_up(monkeypatch):
    """Hold each thread's first ``receive`` after its reads until all threads have read; count the calls."""
    barrier = threading.Barrier(PARALLEL)
    first_pass = set()
    calls = Counter()
    original = storing.load

    def load_then_wait(batch, items):
        original(batch, items)
        calls["receive"] += 1
        if threading.get_ident() not in first_pass:
            first_pass.add(threading.get_ident())
            barrier.wait(timeout=20)

    monkeypatch.setattr(storing, "load", load_then_wait)
    return calls


def in_parallel(app, shopper, send):
    clients = []
    for _ in range(PARALLEL):
        client = app.test_client()
        sign_in(client, shopper)
        clients.append((client, csrf_headers(client)))
    responses = [None] * PARALLEL

    def run(index):
        client, headers = clients[index]
        with app.app_context():  # the thread's own, as a server thread would have
            responses[index] = send(index, client, headers)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(response is not None for response in responses)
    return responses


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_parallel_identical_puts_store_one_row(app, world, lined_up):
    shopper = make_shopper(world)
    body = submission_payload(make_assignment(world, shopper))
    responses = in_parallel(
        app,
        shopper,
        lambda i, client, headers: client.put(
            f"/api/v1/submissions/{body['uuid']}", json=body, headers=headers
        ),
    )
    assert sorted(r.status_code for r in responses) == [200] * (PARALLEL - 1) + [201]
    assert len({r.get_data() for r in responses}) == 1  # the same body for all
    assert lined_up["receive"] == 2 * PARALLEL - 1  # the losers were taken again after the race
    assert count(Submission) == 1
    assert count(AuditEvent, AuditEvent.action == "submission.received") == 1


def test_parallel_different_content_with_one_uuid(app, world, lined_up):
    shopper = make_shopper(world)
    body = submission_payload(make_assignment(world, shopper))
    responses = in_parallel(
        app,
        shopper,
        lambda i, client, headers: client.put(
            f"/api/v1/submissions/{body['uuid']}", json={**body, "notes": f"version {i}"}, headers=headers
        ),
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * (PARALLEL - 1)
    assert count(Submission) == 1


def test_parallel_identical_syncs(app, world, lined_up):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    items = [submission_payload(assignment) for _ in range(10)]
    responses = in_parallel(
        app,
        shopper,
        lambda i, client, headers: client.post("/api/v1/sync", json={"submissions": items}, headers=headers),
    )
    assert {r.status_code for r in responses} == {200}
    statuses = Counter()
    for response in responses:
        for result in response.get_json()["results"]:
            statuses[result["uuid"], result["status"]] += 1
    for item in items:
        assert (statuses[item["uuid"], 201], statuses[item["uuid"], 200]) == (1, PARALLEL - 1)
    assert count(Submission) == len(items)
    # Every report after the first for this one assignment is flagged, whichever request stored it.
    flags = sorted(tuple(f) for f in db.session.scalars(sa.select(Submission.flags)))
    assert flags == [()] + [("second_report",)] * (len(items) - 1)


def test_parallel_reports_for_one_assignment_flag_all_but_the_first(app, world, lined_up):
    """Two phones, one assignment: reports with their own UUIDs that all read before any was stored still
    end with every one but the first flagged ``second_report`` (in what each was answered, too), the
    assignment flagged, and one ``assignment.submitted``."""
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    bodies = [submission_payload(assignment, notes=f"phone {i}") for i in range(PARALLEL)]
    responses = in_parallel(
        app,
        shopper,
        lambda i, client, headers: client.put(
            f"/api/v1/submissions/{bodies[i]['uuid']}", json=bodies[i], headers=headers
        ),
    )
    assert [r.status_code for r in responses] == [201] * PARALLEL
    answered = sorted(tuple(r.get_json()["flags"]) for r in responses)
    assert answered == [()] + [("second_report",)] * (PARALLEL - 1)
    assert sorted(tuple(f) for f in db.session.scalars(sa.select(Submission.flags))) == answered
    assert count(AuditEvent, AuditEvent.action == "assignment.submitted") == 1
    flagged = sorted(
        tuple(e.data["flags"])
        for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "submission.received"))
    )
    assert flagged == answered
    db.session.refresh(assignment)
    assert assignment.flagged and "second report" in assignment.flag_reason


def test_an_assignment_withdrawn_between_read_and_write_stays_withdrawn_and_flags_the_report(
    app, client, world, monkeypatch
):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    original = storing.load

    def load_then_withdraw(batch, items):
        original(batch, items)
        with db.engine.begin() as connection:  # the coordinator, meanwhile
            connection.execute(
                sa.update(Assignment.__table__)
                .where(Assignment.id == assignment.id)
                .values(state=AssignmentState.withdrawn)
            )

    monkeypatch.setattr(storing, "load", load_then_withdraw)
    sign_in(client, shopper)
    body = submission_payload(assignment)
    response = client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=csrf_headers(client))
    assert response.status_code == 201 and response.get_json()["flags"] == ["assignment_withdrawn"]
    assert db.session.scalars(sa.select(Submission.flags)).all() == [["assignment_withdrawn"]]
    db.session.refresh(assignment)
    assert assignment.state is AssignmentState.withdrawn
    assert assignment.flagged and "withdrawn" in assignment.flag_reason
    assert count(AuditEvent, AuditEvent.action == "assignment.submitted") == 0
