"""The API against its own OpenAPI document (/api/v1/openapi.json).

A property-based run with schemathesis (positive and negative cases, at most
30 per operation), signed in as a shopper who passed the gate, sending the
CSRF header on unsafe methods; and plain checks: the document is valid OpenAPI
3.0 and describes every /api/v1 route of the app, and the successes and
problems that the run seldom meets (a 201 upload, a gate_incomplete, ...) match
it too.
"""

import re
import uuid
from datetime import timedelta

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# The OpenAPI 3.0 meta-schema (from OAI/OpenAPI-Specification) as schemathesis ships it.
from schemathesis.specs.openapi.definitions import OPENAPI_30

from app import create_app
from app.accounts.models import Role
from app.db_types import utcnow
from app.programmes.models import Channel
from config import TestConfig
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper, make_user

OPENAPI_PATH = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")  # <id:assignment_id> -> assignment_id


def operations_of(app) -> set[tuple[str, str]]:
    """(METHOD, OpenAPI path) of every /api/v1 route of the app, the document itself aside."""
    return {
        (method, VARIABLE.sub(r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.rule != OPENAPI_PATH
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def document(client) -> dict:
    response = client.get(OPENAPI_PATH)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3(client):
    spec = document(client)
    assert spec["openapi"].startswith("3.0.")
    jsonschema_rs.validator_for(OPENAPI_30).validate(spec)  # raises with the first error
    # And schemathesis itself can load it.
    assert schemathesis.openapi.from_dict(spec)


def test_the_document_lists_every_api_route_and_no_other(app, client):
    spec = document(client)
    documented = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "patch"}
    }
    assert documented == operations_of(app)


def test_every_error_response_is_documented_as_a_problem(client):
    spec = document(client)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "delete", "patch"}:
                continue
            responses = operation["responses"]
            assert "default" in responses or any(code.startswith(("4", "5")) for code in responses), (
                method,
                path,
            )
            for code, response in responses.items():
                if code == "default" or code.startswith(("4", "5")):
                    if "$ref" in response:
                        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
                    assert list(response["content"]) == ["application/problem+json"], (method, path, code)


# --- the property-based run --------------------------------------------------------------------


@pytest.fixture
def shopper_session(app, client, world):
    """A gated shopper with an open assignment, signed in; ``headers()`` gives the CSRF header."""
    shopper = make_shopper(world)
    make_assignment(world, shopper)
    make_assignment(world, shopper, contact_point=world.district_phone)

    class Session:
        token = None

        def headers(self):
            if self.token is None:
                sign_in(client, shopper)
                self.token = csrf_headers(client)["X-CSRFToken"]
            # The WSGI client hands over the body as sent; a real client undoes the app's compression.
            return {"X-CSRFToken": self.token, "Accept-Encoding": "identity"}

        def signed_out(self):
            self.token = None

    return Session()


# The operations to generate cases for come from an app made at import (pytest parametrizes at
# collection, before any fixture); each case is sent to the test's own app, with its database.
# The coverage phase is off: its boundary cases are not bounded by max_examples.
schema = schemathesis.openapi.from_wsgi(
    OPENAPI_PATH,
    create_app(TestConfig),
    config=schemathesis.Config.from_dict(
        {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
    ),
)


@schema.hook
def map_path_parameters(context, path_parameters):
    """Generated integer ids, folded onto the few that exist, so that cases reach real objects too.

    (This also keeps them in the database's range; larger ones are a known bug, pinned by
    tests/api/test_problems.py::test_an_id_beyond_the_databases_range_is_404_not_500.)
    """
    if not path_parameters:
        return path_parameters
    return {name: value % 8 if isinstance(value, int) else value for name, value in path_parameters.items()}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_the_api_conforms_to_its_document(case, client, shopper_session):
    case.call_and_validate(
        session=client, app=client.application, headers=shopper_session.headers(), checks=CHECKS
    )
    if case.method == "DELETE" and case.path == "/api/v1/session":
        shopper_session.signed_out()  # sign in again for the next case


# --- responses the run seldom or never produces, against the document ---------------------------


def _submission(assignment, **overrides):
    version = assignment.questionnaire_version
    started = utcnow() - timedelta(minutes=30)
    return {
        "uuid": str(uuid.uuid4()),
        "assignment_id": assignment.id,
        "kind": "call" if assignment.channel is Channel.telephone else "visit",
        "questionnaire_id": version.questionnaire_id,
        "questionnaire_version": version.number,
        "started_at": started.isoformat(),
        "completed_at": (started + timedelta(minutes=20)).isoformat(),
        "answers": {"greeted": True, "helpful": None, "outcome": "redirected"},
        **overrides,
    }


ASSIGNMENT = "/api/v1/assignments/{assignment_id}"
SUBMISSION = "/api/v1/submissions/{submission_uuid}"


def test_known_responses_match_the_document(app, world):
    """Successes and problems the run above seldom meets, each checked like a generated case."""
    users = {
        "shopper": make_shopper(world),
        "ungated": make_shopper(world, gate_passed=False),
        "coordinator": make_user(Role.coordinator, programme=world.programme),
        "applicant": make_user(Role.applicant, programme=world.programme),
    }
    own = make_assignment(world, users["shopper"])
    other = make_assignment(world, make_shopper(world), contact_point=world.district_phone)
    report = _submission(own)
    version = own.questionnaire_version
    cases = [  # (who, method, path, path parameters, body, status, code)
        ("shopper", "GET", "/api/v1/assignments", {}, None, 200, None),
        ("shopper", "GET", ASSIGNMENT, {"assignment_id": own.id}, None, 200, None),
        ("shopper", "GET", ASSIGNMENT, {"assignment_id": other.id}, None, 403, "not_yours"),
        (
            "shopper",
            "GET",
            "/api/v1/questionnaires/{questionnaire_id}/versions/{number}",
            {"questionnaire_id": version.questionnaire_id, "number": version.number},
            None,
            200,
            None,
        ),
        ("shopper", "PUT", SUBMISSION, {"submission_uuid": report["uuid"]}, report, 201, None),
        ("shopper", "PUT", SUBMISSION, {"submission_uuid": report["uuid"]}, report, 200, None),
        (
            "shopper",
            "PUT",
            SUBMISSION,
            {"submission_uuid": report["uuid"]},
            {**report, "notes": "changed"},
            409,
            "submission_conflict",
        ),
        (
            "shopper",
            "PUT",
            SUBMISSION,
            {"submission_uuid": str(uuid.uuid4())},
            _submission(own),
            422,
            "uuid_mismatch",
        ),
        (
            "shopper",
            "POST",
            "/api/v1/sync",
            {},
            {"submissions": [report, _submission(other), {"uuid": 1}]},
            200,
            None,
        ),
        ("shopper", "GET", "/api/v1/gate/conflicts", {}, None, 200, None),
        (
            "shopper",
            "POST",
            "/api/v1/gate/conflicts",
            {},
            {"conflicts": [{"organisation_id": world.county.id, "reason": "my aunt works there"}]},
            200,
            None,
        ),
        ("shopper", "POST", "/api/v1/gate/confidentiality", {}, {"version": 1}, 200, None),
        ("shopper", "DELETE", "/api/v1/session", {}, None, 204, None),
        (
            "coordinator",
            "GET",
            "/api/v1/organisations/{organisation_id}",
            {"organisation_id": world.district.id},
            None,
            200,
            None,
        ),
        ("coordinator", "GET", ASSIGNMENT, {"assignment_id": 999}, None, 404, "not_found"),
        ("signed_out", "GET", "/api/v1/session", {}, None, 401, "not_signed_in"),
        ("signed_out", "GET", "/api/v1/assignments", {}, None, 401, "not_signed_in"),
        (
            "signed_out",
            "POST",
            "/api/v1/session",
            {},
            {"email": "nobody@example.test", "password": "x"},
            401,
            "invalid_credentials",
        ),
        ("ungated", "GET", "/api/v1/assignments", {}, None, 403, "gate_incomplete"),
        (
            "ungated",
            "POST",
            "/api/v1/gate/confidentiality",
            {},
            {"version": 7},
            409,
            "stale_statement_version",
        ),
        (
            "ungated",
            "POST",
            "/api/v1/gate/conflicts",
            {},
            {"conflicts": [{"reason": ""}]},
            422,
            "validation_failed",
        ),
        ("applicant", "GET", "/api/v1/gate/confidentiality", {}, None, 403, "forbidden"),
    ]
    api = schemathesis.openapi.from_wsgi(OPENAPI_PATH, app)
    clients = {}
    for who, method, path, parameters, body, status, code in cases:
        if who not in clients:
            clients[who] = app.test_client()
            if who != "signed_out":
                sign_in(clients[who], users[who])
        client = clients[who]
        headers = {**(csrf_headers(client) if method != "GET" else {}), "Accept-Encoding": "identity"}
        case = api[path][method].Case(
            path_parameters=parameters, **({"body": body} if body is not None else {})
        )
        response = case.call(session=client, app=app, headers=headers)
        assert response.status_code == status, (method, path, response.text[:300])
        if code is not None:
            assert response.json()["code"] == code
        case.validate_response(response, checks=CHECKS)
