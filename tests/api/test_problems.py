"""Every /api/v1 error is an RFC 9457 problem with a stable ``code``; bad input changes nothing.

Bad-input tests act as the shopper who has not passed the gate (or signed out,
for sign-in): had the request been taken, the gate or the sessions would show it.
"""

import re
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.accounts.models import ConfidentialityStatement, Role, User, UserSession
from app.accounts.services import gate_status
from app.db_types import utcnow
from app.extensions import db
from tests.conftest import csrf_headers, sign_in
from tests.factories import PASSWORD, make_assignment, make_shopper, make_user

PROBLEM = "application/problem+json"
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code"}


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert PROBLEM_MEMBERS <= set(body)
    assert (body["status"], body["code"]) == (status, code)
    assert urlsplit(body["type"]).scheme == "https" and body["type"].endswith("/" + code)
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def database_snapshot() -> dict:
    """Every row of every table, read on a connection of its own: what is committed."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {
            table.name: connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            for table in db.metadata.sorted_tables
        }


def as_user(client, user):
    sign_in(client, user)
    return csrf_headers(client)


def submission_body(assignment, **overrides) -> dict:
    version = assignment.questionnaire_version
    started = utcnow() - timedelta(minutes=30)
    body = {
        "uuid": str(uuid.uuid4()),
        "assignment_id": assignment.id,
        "kind": "visit",
        "questionnaire_id": version.questionnaire_id,
        "questionnaire_version": version.number,
        "started_at": started.isoformat(),
        "completed_at": (started + timedelta(minutes=20)).isoformat(),
        "answers": {"greeted": True, "helpful": 4, "outcome": "resolved"},
    }
    body.update(overrides)
    return body


# --- each status ---------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing",
        "/api/v1/assignments/not-a-number",
        "/api/v1/submissions/not-a-uuid",
        "/api/v1/questionnaires/1/versions",
    ],
)
def test_an_unknown_path_is_404(client, world, path, signed_in):
    if signed_in:
        sign_in(client, make_shopper(world))
    assert_problem(client.get(path), 404, "not_found")


def test_an_unknown_object_is_404(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    assert_problem(client.get("/api/v1/assignments/999999"), 404, "not_found")
    assert_problem(client.get("/api/v1/organisations/999999"), 404, "not_found")
    assert_problem(
        client.get(f"/api/v1/questionnaires/{world.visit_version.questionnaire_id}/versions/99"),
        404,
        "unknown_questionnaire_version",
    )


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/api/v1/assignments"),
        ("PUT", "/api/v1/session"),
        ("DELETE", "/api/v1/gate/conflicts"),
        ("GET", "/api/v1/sync"),
        ("PATCH", f"/api/v1/submissions/{uuid.UUID(int=1)}"),
    ],
)
def test_a_wrong_method_is_405_with_allow(app, client, world, method, path):
    headers = as_user(client, make_shopper(world))
    response = client.open(path, method=method, headers=headers, json={})
    assert_problem(response, 405, "method_not_allowed")
    allowed = app.url_map.bind("localhost").allowed_methods(path)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == set(allowed)
    assert method not in allowed


def test_signed_out_is_401(client):
    assert_problem(client.get("/api/v1/assignments"), 401, "not_signed_in")
    body = assert_problem(client.get("/api/v1/session"), 401, "not_signed_in")
    assert body["csrf_token"]  # to sign in with


def test_a_role_without_access_is_403(client, world):
    sign_in(client, make_user(Role.applicant, programme=world.programme))
    assert_problem(client.get("/api/v1/assignments"), 403, "forbidden")


def test_a_shopper_before_the_gate_is_403_gate_incomplete(client, world):
    sign_in(client, make_shopper(world, gate_passed=False))
    body = assert_problem(client.get("/api/v1/assignments"), 403, "gate_incomplete")
    assert body["gate"] == {"confidentiality": False, "conflicts": False}


def test_acknowledging_a_version_that_is_not_current_is_409(client, world):
    shopper = make_shopper(world, gate_passed=False)
    headers = as_user(client, shopper)
    before = database_snapshot()
    response = client.post("/api/v1/gate/confidentiality", json={"version": 2}, headers=headers)
    body = assert_problem(response, 409, "stale_statement_version")
    assert "1" in body["detail"]  # says which version is current
    assert database_snapshot() == before
    assert not gate_status(shopper).confidentiality


def test_acknowledging_the_old_version_after_a_new_one_is_published_is_409(client, world):
    shopper = make_shopper(world)  # acknowledged version 1
    db.session.add(ConfidentialityStatement(programme=world.programme, version=2, text="New rules."))
    db.session.commit()
    headers = as_user(client, shopper)
    before = database_snapshot()
    response = client.post("/api/v1/gate/confidentiality", json={"version": 1}, headers=headers)
    assert_problem(response, 409, "stale_statement_version")
    assert database_snapshot() == before
    assert gate_status(shopper).confidentiality is False
    assert_problem(client.get("/api/v1/assignments"), 403, "gate_incomplete")


def test_declaring_none_with_conflicts_on_record_is_409(client, world):
    shopper = make_shopper(world, gate_passed=False)
    headers = as_user(client, shopper)
    response = client.post(
        "/api/v1/gate/conflicts",
        headers=headers,
        json={"conflicts": [{"organisation_id": world.county.id, "reason": "my brother works there"}]},
    )
    assert response.status_code == 200
    before = database_snapshot()
    response = client.post("/api/v1/gate/conflicts", json={"none": True}, headers=headers)
    assert_problem(response, 409, "conflicts_on_record")
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "method, path, body",
    [
        (
            "POST",
            "/api/v1/gate/conflicts",
            lambda w, a: {"conflicts": [{"organisation_id": w.county.id, "reason": "x" * 400}] * 3},
        ),
        ("POST", "/api/v1/sync", lambda w, a: {"submissions": [submission_body(a, notes="x" * 2000)]}),
        ("PUT", None, lambda w, a: submission_body(a, notes="x" * 2000)),
    ],
    ids=["conflicts", "sync", "submission"],
)
def test_a_body_over_max_content_length_is_413(own_app, client, world, method, path, body):
    own_app.config["MAX_CONTENT_LENGTH"] = 1024
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    headers = as_user(client, shopper)
    payload = body(world, assignment)
    path = path or f"/api/v1/submissions/{payload['uuid']}"
    before = database_snapshot()
    assert_problem(client.open(path, method=method, json=payload, headers=headers), 413, "payload_too_large")
    assert database_snapshot() == before


def test_validation_errors_are_422_and_list_each_field(client, world):
    headers = as_user(client, make_shopper(world, gate_passed=False))
    response = client.post(
        "/api/v1/gate/conflicts",
        headers=headers,
        json={
            "conflicts": [
                {"organisation_id": world.county.id, "reason": "fine"},
                {"organisation_id": "three", "reason": ""},
            ]
        },
    )
    body = assert_problem(response, 422, "validation_failed")
    assert set(body["errors"]) == {"conflicts"}
    assert set(body["errors"]["conflicts"]) == {"1"}  # the first conflict is fine
    assert set(body["errors"]["conflicts"]["1"]) == {"organisation_id", "reason"}
    assert all(isinstance(m, str) and m for m in body["errors"]["conflicts"]["1"]["reason"])

    response = client.post("/api/v1/session", json={}, headers=headers)
    body = assert_problem(response, 422, "validation_failed")
    assert set(body["errors"]) == {"email", "password"}


def test_too_many_failed_sign_ins_are_429_and_lock_out_the_right_password_too(own_app, client, world):
    own_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"  # read per request; fewer slow hashes
    shopper = make_shopper(world)
    headers = csrf_headers(client)
    for _ in range(2):
        response = client.post(
            "/api/v1/session", json={"email": shopper.email, "password": "wrong"}, headers=headers
        )
        assert_problem(response, 401, "invalid_credentials")
    for password in ("wrong", PASSWORD):
        response = client.post(
            "/api/v1/session", json={"email": shopper.email, "password": password}, headers=headers
        )
        assert_problem(response, 429, "rate_limited")
        assert int(response.headers["Retry-After"]) > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0
    # Another account from another address is not locked out by them.
    other = make_shopper(world)
    response = client.post(
        "/api/v1/session",
        json={"email": other.email, "password": PASSWORD},
        headers=headers,
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert response.status_code == 200


def test_an_unexpected_error_is_500_and_hides_the_exception(own_app, client, world):
    shopper = make_shopper(world)

    @own_app.get("/api/v1/_test/boom")
    def boom():
        db.session.add(ConfidentialityStatement(programme_id=world.programme.id, version=9, text="half done"))
        db.session.flush()
        raise RuntimeError("connection to 10.0.0.5 failed: password=hunter2")

    sign_in(client, shopper)
    before = database_snapshot()
    response = client.get("/api/v1/_test/boom")
    body = assert_problem(response, 500, "server_error")
    text = response.get_data(as_text=True)
    for secret in ("hunter2", "10.0.0.5", "RuntimeError", "Traceback", "boom"):
        assert secret not in text
    assert set(body) == PROBLEM_MEMBERS
    assert database_snapshot() == before  # "nothing you sent was changed" holds


# --- bad input: a clear code, and nothing changed -----------------------------------------------

CONFIDENTIALITY, CONFLICTS, SESSION = (
    "/api/v1/gate/confidentiality",
    "/api/v1/gate/conflicts",
    "/api/v1/session",
)


def _conflict(world, **fields):
    return {"organisation_id": world.county.id, "reason": "my sister works there", **fields}


BAD_INPUT = [
    # (id, path, body(world) -> client kwargs, status, code, the field errors name)
    (
        "malformed json: confidentiality",
        CONFIDENTIALITY,
        lambda w: {"data": '{"version": 1', "content_type": "application/json"},
        400,
        "malformed_json",
        None,
    ),
    (
        "malformed json: conflicts",
        CONFLICTS,
        lambda w: {"data": '{"none": tru}', "content_type": "application/json"},
        400,
        "malformed_json",
        None,
    ),
    (
        "malformed json: sign-in",
        SESSION,
        lambda w: {"data": "{'email': 'a@b.c'}", "content_type": "application/json"},
        400,
        "malformed_json",
        None,
    ),
    (
        "malformed json: sync",
        "/api/v1/sync",
        lambda w: {"data": '{"submissions": [', "content_type": "application/json"},
        400,
        "malformed_json",
        None,
    ),
    ("not an object", CONFIDENTIALITY, lambda w: {"json": [1]}, 422, "validation_failed", "_schema"),
    (
        "version as a string",
        CONFIDENTIALITY,
        lambda w: {"json": {"version": "1"}},
        422,
        "validation_failed",
        "version",
    ),
    (
        "version as a float",
        CONFIDENTIALITY,
        lambda w: {"json": {"version": 1.5}},
        422,
        "validation_failed",
        "version",
    ),
    (
        "version as a boolean",
        CONFIDENTIALITY,
        lambda w: {"json": {"version": True}},
        422,
        "validation_failed",
        "version",
    ),
    ("version missing", CONFIDENTIALITY, lambda w: {"json": {}}, 422, "validation_failed", "version"),
    (
        "unknown field",
        CONFIDENTIALITY,
        lambda w: {"json": {"version": 1, "admin": True}},
        422,
        "validation_failed",
        "admin",
    ),
    (
        "conflicts as a dict",
        CONFLICTS,
        lambda w: {"json": {"conflicts": _conflict(w)}},
        422,
        "validation_failed",
        "conflicts",
    ),
    (
        "organisation id as a string",
        CONFLICTS,
        lambda w: {"json": {"conflicts": [_conflict(w, organisation_id=str(w.county.id))]}},
        422,
        "validation_failed",
        "conflicts",
    ),
    (
        "unknown field in a conflict",
        CONFLICTS,
        lambda w: {"json": {"conflicts": [_conflict(w, severity="high")]}},
        422,
        "validation_failed",
        "conflicts",
    ),
    ("none as a string", CONFLICTS, lambda w: {"json": {"none": "true"}}, 422, "validation_failed", "none"),
    ("none as a number", CONFLICTS, lambda w: {"json": {"none": 1}}, 422, "validation_failed", "none"),
    (
        "none and conflicts at once",
        CONFLICTS,
        lambda w: {"json": {"none": True, "conflicts": [_conflict(w)]}},
        422,
        "validation_failed",
        "none",
    ),
    (
        "a reason over 500 characters",
        CONFLICTS,
        lambda w: {"json": {"conflicts": [_conflict(w, reason="x" * 501)]}},
        422,
        "validation_failed",
        "conflicts",
    ),
    (
        "a reason of only spaces",
        CONFLICTS,
        lambda w: {"json": {"conflicts": [_conflict(w, reason="   ")]}},
        422,
        "validation_failed",
        "conflicts",
    ),
    (
        "too many conflicts",
        CONFLICTS,
        lambda w: {"json": {"conflicts": [_conflict(w)] * 51}},
        422,
        "validation_failed",
        "conflicts",
    ),
    (
        "an unknown organisation",
        CONFLICTS,
        lambda w: {"json": {"conflicts": [_conflict(w, organisation_id=99999)]}},
        422,
        "unknown_organisation",
        None,
    ),
    (
        "an e-mail over 254 characters",
        SESSION,
        lambda w: {"json": {"email": "a" * 243 + "@example.test", "password": PASSWORD}},
        422,
        "validation_failed",
        "email",
    ),
    (
        "a password over 200 characters",
        SESSION,
        lambda w: {"json": {"email": "a@example.test", "password": "p" * 201}},
        422,
        "validation_failed",
        "password",
    ),
    (
        "e-mail as a number",
        SESSION,
        lambda w: {"json": {"email": 12, "password": PASSWORD}},
        422,
        "validation_failed",
        "email",
    ),
    (
        "too many sync items",
        "/api/v1/sync",
        lambda w: {"json": {"submissions": [{}] * 101}},
        422,
        "validation_failed",
        "submissions",
    ),
]


@pytest.mark.parametrize(
    "name, path, body, status, code, field",
    [case if hasattr(case, "marks") else pytest.param(*case, id=case[0]) for case in BAD_INPUT],
)
def test_bad_input_gets_a_clear_problem_and_changes_nothing(
    client, world, name, path, body, status, code, field
):
    shopper = make_shopper(world, gate_passed=False)
    if path == SESSION:
        headers = csrf_headers(client)  # signed out, signing in
    elif path == "/api/v1/sync":
        shopper = make_shopper(world)  # past the gate, to reach the body
        headers = as_user(client, shopper)
    else:
        headers = as_user(client, shopper)
    kwargs = body(world)
    gate_before = gate_status(shopper)
    before = database_snapshot()

    response = client.post(path, headers=headers, **kwargs)

    problem = assert_problem(response, status, code)
    if field is not None:
        assert field in problem["errors"], problem
    assert database_snapshot() == before
    assert gate_status(shopper) == gate_before


@pytest.mark.parametrize("token", ["missing", "wrong"])
@pytest.mark.parametrize(
    "path, payload",
    [
        (CONFIDENTIALITY, {"version": 1}),
        (CONFLICTS, {"none": True}),
        (SESSION, {"email": "x@example.test", "password": PASSWORD}),
    ],
)
def test_a_missing_or_wrong_csrf_token_is_csrf_failed_and_changes_nothing(
    client, world, token, path, payload
):
    shopper = make_shopper(world, gate_passed=False, email="x@example.test")
    real = as_user(client, shopper)["X-CSRFToken"]
    headers = {"X-CSRFToken": real[::-1]} if token == "wrong" else {}
    before = database_snapshot()
    body = assert_problem(client.post(path, json=payload, headers=headers), 400, "csrf_failed")
    assert "X-CSRFToken" in body["detail"]  # tells the app where the token goes
    assert database_snapshot() == before
    assert not gate_status(shopper).ready


def test_a_wrong_password_and_an_unknown_email_get_the_same_problem(client, world):
    make_shopper(world, email="known@example.test")
    make_shopper(world, email="retired@example.test", active=False)
    headers = csrf_headers(client)
    attempts = {
        "wrong password": {"email": "known@example.test", "password": "not the password"},
        "unknown e-mail": {"email": "nobody@example.test", "password": PASSWORD},
        "deactivated account": {"email": "retired@example.test", "password": PASSWORD},
    }
    responses = {
        name: client.post(
            SESSION, json=attempt, headers=headers, environ_base={"REMOTE_ADDR": f"192.0.2.{i}"}
        )
        for i, (name, attempt) in enumerate(attempts.items(), start=1)
    }

    bodies = {
        name: assert_problem(response, 401, "invalid_credentials") for name, response in responses.items()
    }
    first = bodies["wrong password"]
    assert all(body == first for body in bodies.values()), bodies
    assert set(first) == PROBLEM_MEMBERS
    detail = first["detail"].lower()
    for hint in (
        "unknown",
        "no account",
        "not found",
        "wrong password",
        "incorrect password",
        "inactive",
        "deactivated",
        "exist",
    ):
        assert hint not in detail

    def header_shape(response):
        varying = {"date", "x-ratelimit-reset", "retry-after", "set-cookie"}
        return {
            (name.lower(), re.sub(r"'nonce-[^']+'", "'nonce-…'", value))  # a new nonce for every response
            for name, value in response.headers
            if name.lower() not in varying
        }

    shapes = {name: header_shape(response) for name, response in responses.items()}
    assert all(shape == shapes["wrong password"] for shape in shapes.values()), shapes
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0


def test_the_real_sign_in_still_works_after_those_checks(client, world):
    """The invalid_credentials tests are only worth something if the right password is taken."""
    shopper = make_shopper(world)
    response = client.post(
        SESSION, json={"email": shopper.email.upper(), "password": PASSWORD}, headers=csrf_headers(client)
    )
    assert response.status_code == 200
    assert response.get_json()["user"]["id"] == shopper.id
    assert isinstance(db.session.get(User, shopper.id), User)


# --- ids beyond what the database holds --------------------------------------------------------

BEYOND_ANY = 2**63  # past SQLite's 8-byte integer too
BEYOND_POSTGRES = 2**31  # past PostgreSQL's 4-byte integer only


@pytest.mark.parametrize(
    "big",
    [
        pytest.param(BEYOND_ANY, id="2**63"),
        pytest.param(BEYOND_POSTGRES, id="2**31"),
    ],
)
@pytest.mark.parametrize(
    "who, path",
    [
        ("coordinator", "/api/v1/assignments/{big}"),
        ("coordinator", "/api/v1/organisations/{big}"),
        ("coordinator", "/api/v1/questionnaires/{big}/versions/1"),
        ("coordinator", "/api/v1/questionnaires/1/versions/{big}"),
        ("coordinator", "/organisations/{big}"),
        ("shopper", "/briefs/{big}"),
    ],
)
def test_an_id_beyond_the_databases_range_is_404_not_500(app, client, world, who, path, big):
    user = make_shopper(world) if who == "shopper" else make_user(Role.coordinator, programme=world.programme)
    sign_in(client, user)
    response = client.get(path.format(big=big))
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.mimetype == PROBLEM
        assert response.get_json()["code"] in {"not_found", "unknown_questionnaire_version"}
