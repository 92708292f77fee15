"""The API's argument parser: a JSON body with text that cannot be stored is a field error, never a 500."""

import json

import sqlalchemy as sa

from app.accounts.models import Conflict
from app.assignments.models import Assignment, AssignmentState
from app.extensions import db
from app.text import BROKEN_TEXT, NUL_TEXT, broken_text
from app.visits.models import Submission
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper
from tests.visits.payloads import submission_payload

HALF_AN_EMOJI = "\\ud83d"  # as JavaScript's JSON.stringify writes a lone surrogate


def post_raw(client, path, text, headers):
    return client.post("/api/v1" + path, data=text, content_type="application/json", headers=headers)


def test_broken_text_in_a_decline_is_a_field_error_and_changes_nothing(client, world):
    shopper = make_shopper(world)
    offer = make_assignment(world, shopper)
    sign_in(client, shopper)
    body = json.dumps({"reason_code": "other", "reason": "MARK"}).replace("MARK", "too far " + HALF_AN_EMOJI)
    response = post_raw(client, f"/assignments/{offer.id}/decline", body, csrf_headers(client))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "validation_failed"
    assert response.get_json()["errors"] == {"reason": [BROKEN_TEXT]}
    assert db.session.get(Assignment, offer.id).state is AssignmentState.offered


def test_broken_text_in_a_conflict_names_the_item(client, world):
    shopper = make_shopper(world, gate_passed=False)
    sign_in(client, shopper)
    body = json.dumps(
        {
            "conflicts": [
                {"organisation_id": world.district.id, "reason": "fine"},
                {"organisation_id": world.district.id, "reason": "MARK"},
            ]
        }
    )
    response = post_raw(client, "/gate/conflicts", body.replace("MARK", HALF_AN_EMOJI), csrf_headers(client))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"conflicts": {"1": {"reason": [BROKEN_TEXT]}}}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conflict)) == 0


def test_broken_text_finds_keys_items_and_nothing_in_sound_text():
    assert broken_text({"a": ["ok", "\ud83d"], "\udc00": 1, "b": {"c": "😀"}}) == {
        "a": {1: [BROKEN_TEXT]},
        repr("\udc00"): [BROKEN_TEXT],
    }
    assert broken_text({"a": ["😀", 1, None, 2.5, True], "b": {}}) is None


def test_nan_and_infinity_are_not_json(client, world):
    """Python's json would take them; deep in an answer, a NaN used to reach the content hash as a 500."""
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper, state=AssignmentState.accepted)
    sign_in(client, shopper)
    headers = csrf_headers(client)
    body = submission_payload(assignment, answers={"greeted": True, "helpful": 4, "outcome": ["MARK"]})
    for constant in ("NaN", "Infinity", "-Infinity"):
        text = json.dumps(body).replace('"MARK"', constant)
        response = client.put(
            f"/api/v1/submissions/{body['uuid']}", data=text, content_type="application/json", headers=headers
        )
        assert response.status_code == 400 and response.get_json()["code"] == "malformed_json"
        response = post_raw(client, "/sync", f'{{"submissions": [{text}]}}', headers)
        assert response.status_code == 400 and response.get_json()["code"] == "malformed_json"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def _nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


def test_deeply_nested_json_is_malformed_before_and_after_sign_in(client, world):
    """Nesting of 1,000 levels or more used to raise RecursionError in the sign-in limit's key function and
    in the parser (a 500 before sign-in); 33 levels is already beyond what the app reads."""
    anonymous = csrf_headers(client)
    for depth in (33, 1_000, 5_000, 100_000):
        text = '{"email": "a@b.c", "password": ' + _nested(depth) + "}"
        response = post_raw(client, "/session", text, anonymous)
        assert response.status_code == 400 and response.mimetype == "application/problem+json"
        assert response.get_json()["code"] == "malformed_json"
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper, state=AssignmentState.accepted)
    sign_in(client, shopper)
    headers = csrf_headers(client)
    body = submission_payload(assignment, answers={"greeted": True, "helpful": 4, "outcome": ["MARK"]})
    for depth in (40, 5_000):
        text = json.dumps(body).replace('"MARK"', _nested(depth, '"a"'))
        response = client.put(
            f"/api/v1/submissions/{body['uuid']}", data=text, content_type="application/json", headers=headers
        )
        assert response.status_code == 400 and response.get_json()["code"] == "malformed_json"
        response = post_raw(client, "/sync", f'{{"submissions": [{text}]}}', headers)
        assert response.status_code == 400 and response.get_json()["code"] == "malformed_json"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def test_nesting_within_the_limit_is_read_as_before(client, world):
    """Thirty levels (MAX_DEPTH is 32) reach the schema, which answers for the field."""
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper, state=AssignmentState.accepted)
    sign_in(client, shopper)
    body = submission_payload(assignment, answers={"greeted": True, "helpful": 4, "outcome": ["MARK"]})
    text = json.dumps(body).replace('"MARK"', _nested(28, '"a"'))
    response = client.put(
        f"/api/v1/submissions/{body['uuid']}",
        data=text,
        content_type="application/json",
        headers=csrf_headers(client),
    )
    assert response.status_code == 422 and response.get_json()["code"] == "validation_failed"
    assert "outcome" in response.get_json()["errors"]["answers"]


def test_a_nul_in_a_sign_in_is_a_field_error(client):
    response = client.post(
        "/api/v1/session", json={"email": "\x00", "password": "x"}, headers=csrf_headers(client)
    )
    assert response.status_code == 422 and response.get_json()["errors"] == {"email": [NUL_TEXT]}
