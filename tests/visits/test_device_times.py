"""Device times the app cannot work with: refused as a field error of their own item, never a 500, and never
holding up the rest of a sync batch (a phone would otherwise resend that batch for ever)."""

import base64
from datetime import timedelta

import pytest

from app.db_types import utcnow
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper
from tests.visits.payloads import submission_payload
from tests.visits.test_api import assert_problem, stored_count

# Each converts to no UTC time (9999-12-31T23:00-05:00 is in the year 10000) or is a broken clock's.
OUT_OF_RANGE = ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00", "0001-01-01T00:00:00Z"]
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()


@pytest.fixture
def shopper(world):
    return make_shopper(world)


@pytest.fixture
def assignment(world, shopper):
    return make_assignment(world, shopper)


@pytest.fixture
def put(client, shopper):
    sign_in(client, shopper)
    headers = csrf_headers(client)

    def put(body):
        return client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=headers)

    put.headers = headers
    return put


def _photo(taken_at):
    return {"id": "p1", "kind": "photo", "content_type": "image/png", "data": PNG, "taken_at": taken_at}


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_an_out_of_range_time_is_a_field_error(put, assignment, moment):
    problem = assert_problem(put(submission_payload(assignment, started_at=moment)), 422, "validation_failed")
    assert "2000 and 2099" in problem["errors"]["started_at"][0]
    problem = assert_problem(
        put(submission_payload(assignment, evidence=[_photo(moment)])), 422, "validation_failed"
    )
    assert "2000 and 2099" in problem["errors"]["evidence"]["0"]["taken_at"][0]
    assert stored_count() == 0


def test_one_item_with_a_bad_time_keeps_none_of_the_others_out(put, client, assignment, world, shopper):
    others = [make_assignment(world, shopper, contact_point=world.county_office) for _ in range(2)]
    good = [submission_payload(assignment), submission_payload(others[0])]
    bad_start = submission_payload(others[1], started_at=OUT_OF_RANGE[0])
    bad_photo = submission_payload(others[1], evidence=[_photo(OUT_OF_RANGE[1])])
    response = client.post(
        "/api/v1/sync", json={"submissions": [good[0], bad_start, bad_photo, good[1]]}, headers=put.headers
    )
    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == [201, 422, 422, 201]
    assert stored_count() == 2


def test_times_far_from_the_assignments_window_are_refused_near_ones_flagged(put, assignment):
    """Within 2000-2099 but years from the window: the "5258964959 min" visit of a 0001 start, say."""
    window_start, window_end = assignment.window_starts_at, assignment.window_ends_at
    far_before = (window_start - timedelta(days=91)).isoformat()
    problem = assert_problem(
        put(submission_payload(assignment, started_at=far_before)), 422, "validation_failed"
    )
    assert (
        set(problem["errors"]) == {"started_at"}
        and "phone's date and time" in problem["errors"]["started_at"][0]
    )
    far_after = (window_end + timedelta(days=400)).isoformat()
    body = submission_payload(assignment, started_at=far_after, completed_at=far_after)
    assert set(assert_problem(put(body), 422, "validation_failed")["errors"]) == {
        "started_at",
        "completed_at",
    }
    assert stored_count() == 0
    early = (window_start - timedelta(days=3)).isoformat()
    stored = put(submission_payload(assignment, started_at=early, completed_at=utcnow().isoformat()))
    assert stored.status_code == 201 and "early" in stored.get_json()["flags"]
