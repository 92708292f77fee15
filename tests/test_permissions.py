"""The permission matrix: every route of the app x every kind of user, and the object-level rules.

``MATRIX`` holds one row per (method, rule) of ``app.url_map`` (``static``,
HEAD and OPTIONS aside); ``test_every_route_is_in_the_matrix`` fails as soon
as a route is added without deciding who may use it.

Path parameters point at the objects the "own" side of each role holds: the
gated shopper's assignment (in North District, in-person questionnaire) and
the partner manager's organisation (North District). The "other" roles hold
the other side: a coordinator of another programme (in another partnership),
a partner manager of South District. Object-level tests below swap the
objects instead of the users.
"""

import importlib
import pathlib
import uuid
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments.models import AssignmentState
from app.extensions import db
from app.programmes.models import Channel, Programme
from tests.conftest import _occupied_tables, csrf_headers, sign_in
from tests.factories import PASSWORD, make_assignment, make_questionnaire, make_user
from tests.permissions_kit import (
    GATE_INCOMPLETE,
    HTML,
    JSON,
    NO_CONTENT,
    NOT_YOURS,
    PROBLEM,
    ROLES,
    TO_SIGN_IN,
    UNSAFE,
    Cast,
    Expect,
    Route,
    _sign_in_body,
    api_for,
    everyone,
    open_email_body,
    page_for,
    problem,
    redirect,
    row,
    submission_body,
)

# --- who is who ---------------------------------------------------------------------------------


@pytest.fixture
def cast(app):
    return Cast.everyone()


MATRIX = {
    # --- pages open to all ---
    ("GET", "/"): Route(
        lambda c: "/",
        row(
            HTML,
            shopper=redirect("/briefs"),
            shopper_ungated=redirect("/briefs"),  # /briefs then sends them to the gate
            applicant=redirect("/application"),
            coordinator=redirect("/coordinator"),
            other_coordinator=redirect("/coordinator"),
            admin=redirect("/coordinator"),
            reviewer=redirect("/coordinator/review"),
            partner_manager=redirect("/results"),
            other_partner_manager=redirect("/results"),
        ),
    ),
    ("GET", "/healthz"): Route(lambda c: "/healthz", everyone(JSON)),
    ("GET", "/sw.js"): Route(lambda c: "/sw.js", everyone(Expect(200, "text/javascript"))),
    ("GET", "/manifest.webmanifest"): Route(
        lambda c: "/manifest.webmanifest", everyone(Expect(200, "application/manifest+json"))
    ),
    ("GET", "/sign-in"): Route(lambda c: "/sign-in", everyone(HTML)),
    ("POST", "/sign-in"): Route(
        lambda c: "/sign-in",
        row(Expect(422, "text/html"), signed_out=redirect("/"), shopper=redirect("/")),
        body=lambda c, u: {"data": _sign_in_body(c, u)},
    ),
    ("POST", "/sign-out"): Route(lambda c: "/sign-out", everyone(redirect("/sign-in"))),
    ("GET", "/account/password"): Route(lambda c: "/account/password", row(HTML, signed_out=TO_SIGN_IN)),
    ("POST", "/account/password"): Route(
        lambda c: "/account/password",
        row(redirect("/"), signed_out=TO_SIGN_IN),
        body=lambda c, u: {
            "data": {"current_password": PASSWORD, "password": "x" * 20, "confirm_password": "x" * 20}
        },
    ),
    # --- the shopper's pages ---
    ("GET", "/gate/confidentiality"): Route(
        lambda c: "/gate/confidentiality", page_for(shopper=HTML, shopper_ungated=HTML)
    ),
    ("POST", "/gate/confidentiality"): Route(
        lambda c: "/gate/confidentiality",
        page_for(shopper=redirect("/briefs"), shopper_ungated=redirect("/gate/conflicts")),
        body=lambda c, u: {"data": {"version": "1", "agree": "y"}},
    ),
    ("GET", "/gate/conflicts"): Route(
        lambda c: "/gate/conflicts", page_for(shopper=HTML, shopper_ungated=HTML)
    ),
    ("POST", "/gate/conflicts"): Route(
        lambda c: "/gate/conflicts",
        page_for(shopper=redirect("/briefs"), shopper_ungated=redirect("/briefs")),
        body=lambda c, u: {"data": {"choice": "none"}},
    ),
    ("GET", "/briefs"): Route(
        lambda c: "/briefs", page_for(shopper=HTML, shopper_ungated=redirect("/gate/confidentiality"))
    ),
    ("GET", "/briefs/<id:assignment_id>"): Route(
        lambda c: f"/briefs/{c.assignment.id}",
        page_for(shopper=HTML, shopper_ungated=redirect("/gate/confidentiality")),
    ),
    # --- staff and partner pages ---
    ("GET", "/coordinator"): Route(
        lambda c: "/coordinator", page_for(coordinator=HTML, other_coordinator=HTML, admin=HTML)
    ),
    ("GET", "/organisations/<id:organisation_id>"): Route(
        lambda c: f"/organisations/{c.world.district.id}",
        page_for(coordinator=HTML, partner_manager=HTML, admin=HTML),
    ),
    # --- the API ---
    ("GET", "/api/v1/openapi.json"): Route(lambda c: "/api/v1/openapi.json", everyone(JSON)),
    ("GET", "/api/v1/session"): Route(lambda c: "/api/v1/session", api_for(JSON)),
    ("POST", "/api/v1/session"): Route(
        lambda c: "/api/v1/session",
        row(problem(422, "validation_failed"), signed_out=JSON, shopper=JSON),
        body=lambda c, u: {"json": _sign_in_body(c, u)},
    ),
    ("DELETE", "/api/v1/session"): Route(lambda c: "/api/v1/session", everyone(NO_CONTENT)),
    ("GET", "/api/v1/gate/confidentiality"): Route(
        lambda c: "/api/v1/gate/confidentiality", api_for(shopper=JSON, shopper_ungated=JSON)
    ),
    ("POST", "/api/v1/gate/confidentiality"): Route(
        lambda c: "/api/v1/gate/confidentiality",
        api_for(shopper=JSON, shopper_ungated=JSON),
        body=lambda c, u: {"json": {"version": 1}},
    ),
    ("GET", "/api/v1/gate/conflicts"): Route(
        lambda c: "/api/v1/gate/conflicts", api_for(shopper=JSON, shopper_ungated=JSON)
    ),
    ("POST", "/api/v1/gate/conflicts"): Route(
        lambda c: "/api/v1/gate/conflicts",
        api_for(shopper=JSON, shopper_ungated=JSON),
        body=lambda c, u: {"json": {"none": True}},
    ),
    ("GET", "/api/v1/assignments"): Route(
        lambda c: "/api/v1/assignments", api_for(shopper=JSON, shopper_ungated=GATE_INCOMPLETE)
    ),
    ("GET", "/api/v1/assignments/<id:assignment_id>"): Route(
        lambda c: f"/api/v1/assignments/{c.assignment.id}",
        api_for(
            shopper=JSON,
            shopper_ungated=GATE_INCOMPLETE,
            coordinator=JSON,
            other_coordinator=NOT_YOURS,
            admin=JSON,
        ),
    ),
    ("GET", "/api/v1/questionnaires/<id:questionnaire_id>/versions/<id:number>"): Route(
        lambda c: (
            f"/api/v1/questionnaires/{c.assignment.questionnaire_version.questionnaire_id}/versions/"
            f"{c.assignment.questionnaire_version.number}"
        ),
        api_for(
            shopper=JSON,
            shopper_ungated=GATE_INCOMPLETE,
            coordinator=JSON,
            other_coordinator=NOT_YOURS,
            admin=JSON,
        ),
    ),
    ("PUT", "/api/v1/submissions/<uuid:submission_uuid>"): Route(
        lambda c: f"/api/v1/submissions/{c.submission_uuid}",
        api_for(shopper=Expect(201, "application/json"), shopper_ungated=GATE_INCOMPLETE),
        body=lambda c, u: {"json": submission_body(c.assignment, c.submission_uuid)},
    ),
    ("PUT", "/api/v1/open-reports/<uuid:submission_uuid>"): Route(
        lambda c: f"/api/v1/open-reports/{c.submission_uuid}",
        api_for(shopper=JSON, shopper_ungated=GATE_INCOMPLETE),
        body=lambda c, u: {"json": open_email_body(c)},
    ),
    ("POST", "/api/v1/sync"): Route(
        lambda c: "/api/v1/sync",
        api_for(shopper=JSON, shopper_ungated=GATE_INCOMPLETE),
        body=lambda c, u: {"json": {"submissions": [submission_body(c.assignment, c.submission_uuid)]}},
    ),
    ("GET", "/api/v1/organisations/<id:organisation_id>"): Route(
        lambda c: f"/api/v1/organisations/{c.world.district.id}",
        api_for(
            coordinator=JSON,
            other_coordinator=NOT_YOURS,
            partner_manager=JSON,
            other_partner_manager=NOT_YOURS,
            admin=JSON,
        ),
    ),
}


def _feature_rows() -> dict:
    """``ROWS`` from every ``tests/<feature>/permission_rows.py``."""
    rows = {}
    for path in sorted(pathlib.Path(__file__).parent.glob("*/permission_rows.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.permission_rows")
        overlap = set(rows) & set(module.ROWS) | set(MATRIX) & set(module.ROWS)
        assert not overlap, f"{path}: rows already in the matrix: {overlap}"
        rows.update(module.ROWS)
    return rows


MATRIX.update(_feature_rows())


def routes_of(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_matrix(app):
    routes = routes_of(app)
    assert sorted(routes - set(MATRIX)) == [], "new routes: add them to MATRIX with who may use them"
    assert sorted(set(MATRIX) - routes) == [], "MATRIX lists routes the app no longer has"


def call(client, cast, method, route: Route, user):
    headers = csrf_headers(client) if method in UNSAFE else {}
    return client.open(route.url(cast), method=method, headers=headers, **route.body(cast, user))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, rule", sorted(MATRIX), ids=lambda v: v)
def test_permission_matrix(client, cast, method, rule, role):
    route = MATRIX[(method, rule)]
    user = cast.user(role)
    if user is not None:
        sign_in(client, user)
    with call(client, cast, method, route, user) as response:  # closes the files /sw.js and the manifest send
        route.expect[role].check(response, cast)
    if role == "signed_out" and response.status_code == 302 and route.expect[role] is TO_SIGN_IN:
        assert urlsplit(response.headers["Location"]).query.startswith("next=")


# --- CSRF: every unsafe route refuses a request without the session's token ----------------------


def database_snapshot() -> dict:
    """Every row of every table, read on a connection of its own: what is committed.

    An empty table is left out (one query finds them): a row added to one still shows.
    """
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {
            table.name: connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            for table, _ in _occupied_tables(connection)
        }


UNSAFE_ROUTES = sorted(key for key in MATRIX if key[0] in UNSAFE)


@pytest.mark.parametrize("token", ["missing", "wrong", "another_session"])
@pytest.mark.parametrize("method, rule", UNSAFE_ROUTES, ids=lambda v: v)
def test_unsafe_routes_refuse_a_missing_or_wrong_csrf_token(app, client, cast, method, rule, token):
    route = MATRIX[(method, rule)]
    # Someone for whom the request, were it taken, changes something: the shopper where allowed,
    # else the first role the route lets through.
    allowed = next(r for r in ["shopper"] + ROLES if r != "signed_out" and route.expect[r].status < 400)
    user = cast.shopper_ungated if rule.endswith("/gate/confidentiality") else cast.user(allowed)
    sign_in(client, user)
    own_token = csrf_headers(client)["X-CSRFToken"]  # the session has a token; the request does not send it
    headers = {}
    if token == "wrong":
        headers["X-CSRFToken"] = own_token[:-4] + "abcd"
    elif token == "another_session":
        other_client = sign_in(app.test_client(), cast.shopper)
        headers.update(csrf_headers(other_client))
    url, body = route.url(cast), route.body(cast, user)
    before = database_snapshot()

    response = client.open(url, method=method, headers=headers, **body)

    assert response.status_code == 400
    if rule.startswith("/api/"):
        assert response.mimetype == PROBLEM
        assert response.get_json()["code"] == "csrf_failed"
    else:
        assert response.mimetype == "text/html"
    assert database_snapshot() == before
    if token == "missing":  # the control: with the token, the same request does change something
        response = client.open(url, method=method, headers={"X-CSRFToken": own_token}, **body)
        assert response.status_code < 400
        assert database_snapshot() != before


# --- object level ------------------------------------------------------------------------------


@pytest.mark.parametrize("whose, status, code", [("own", 200, None), ("other", 403, "not_yours")])
def test_a_shopper_reads_only_their_own_assignment_in_the_api(client, cast, whose, status, code):
    own, other = cast.assignment, cast.other_assignment
    assignment = own if whose == "own" else other
    sign_in(client, cast.shopper)
    response = client.get(f"/api/v1/assignments/{assignment.id}")
    assert response.status_code == status
    if code:
        assert response.mimetype == PROBLEM
        assert response.get_json()["code"] == code
        assert cast.other_assignment.contact_point.name not in response.get_data(as_text=True)
    else:
        assert response.get_json()["id"] == assignment.id


@pytest.mark.parametrize("whose, status", [("own", 200), ("other", 403)])
def test_a_shopper_reads_only_their_own_brief_page(client, cast, whose, status):
    own, other = cast.assignment, cast.other_assignment
    assignment = own if whose == "own" else other
    sign_in(client, cast.shopper)
    response = client.get(f"/briefs/{assignment.id}")
    assert response.status_code == status
    assert (assignment.contact_point.name in response.get_data(as_text=True)) == (whose == "own")


def test_the_brief_lists_hold_only_the_shoppers_own_assignments(client, cast):
    assert cast.assignment and cast.other_assignment
    sign_in(client, cast.shopper)
    items = client.get("/api/v1/assignments").get_json()["items"]
    assert [item["id"] for item in items] == [cast.assignment.id]
    page = client.get("/briefs").get_data(as_text=True)
    assert cast.assignment.contact_point.name in page
    assert cast.other_assignment.contact_point.name not in page


@pytest.mark.parametrize(
    "state", [AssignmentState.withdrawn, AssignmentState.cancelled, AssignmentState.declined]
)
def test_a_shopper_no_longer_reads_an_assignment_taken_off_them(client, cast, state):
    cast.assignment.state = state
    db.session.commit()
    sign_in(client, cast.shopper)
    response = client.get(f"/api/v1/assignments/{cast.assignment.id}")
    assert (response.status_code, response.get_json()["code"]) == (403, "not_yours")
    assert client.get("/api/v1/assignments").get_json()["items"] == []
    version = cast.world.visit_version
    response = client.get(f"/api/v1/questionnaires/{version.questionnaire_id}/versions/{version.number}")
    assert (response.status_code, response.get_json()["code"]) == (403, "not_yours")


def test_a_shopper_who_has_not_passed_the_gate_sees_not_even_their_own_assignment(client, cast):
    shopper = cast.shopper_ungated
    assignment = make_assignment(cast.world, shopper)
    sign_in(client, shopper)
    version = assignment.questionnaire_version
    for path in (
        f"/api/v1/assignments/{assignment.id}",
        f"/api/v1/questionnaires/{version.questionnaire_id}/versions/{version.number}",
        "/api/v1/assignments",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.get_json()["code"] == "gate_incomplete", path
        assert assignment.contact_point.name not in response.get_data(as_text=True)
    for path in (f"/briefs/{assignment.id}", "/briefs"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert urlsplit(response.headers["Location"]).path == "/gate/confidentiality"


@pytest.mark.parametrize(
    "which, status, code",
    [
        ("used_by_own_assignment", 200, None),
        ("used_by_another_shoppers_assignment", 403, "not_yours"),
        ("used_by_no_assignment", 403, "not_yours"),
        ("of_another_programme", 403, "not_yours"),
        ("unknown", 404, "unknown_questionnaire_version"),
    ],
)
def test_a_shopper_reads_only_the_questionnaire_versions_of_their_assignments(
    client, cast, which, status, code
):
    version = {
        "used_by_own_assignment": lambda: cast.world.visit_version,
        "used_by_another_shoppers_assignment": lambda: cast.world.phone_version,
        "used_by_no_assignment": lambda: make_questionnaire(cast.world.programme, Channel.email),
        "of_another_programme": lambda: cast.other_world.visit_version,
        "unknown": lambda: None,
    }[which]()
    db.session.commit()
    assert cast.assignment.questionnaire_version == cast.world.visit_version
    assert cast.other_assignment.questionnaire_version == cast.world.phone_version
    path = (
        f"/api/v1/questionnaires/{version.questionnaire_id}/versions/{version.number}"
        if version
        else f"/api/v1/questionnaires/{cast.world.visit_version.questionnaire_id}/versions/99"
    )
    sign_in(client, cast.shopper)
    response = client.get(path)
    assert response.status_code == status
    if code:
        assert response.mimetype == PROBLEM
        assert response.get_json()["code"] == code
    else:
        body = response.get_json()
        assert (body["questionnaire_id"], body["number"]) == (version.questionnaire_id, version.number)


@pytest.mark.parametrize("which, status", [("own", 200), ("another", 403), ("of_another_partnership", 403)])
def test_a_partner_manager_reads_only_their_own_organisation(client, cast, which, status):
    organisation = {
        "own": cast.world.district,
        "another": cast.world.other_district,
        "of_another_partnership": cast.other_world.district,
    }[which]
    sign_in(client, cast.partner_manager)
    response = client.get(f"/api/v1/organisations/{organisation.id}")
    assert response.status_code == status
    if status == 200:
        assert response.get_json()["id"] == organisation.id
    else:
        assert response.mimetype == PROBLEM
        assert response.get_json()["code"] == "not_yours"
        assert organisation.contact_points[0].locator not in response.get_data(as_text=True)
    page = client.get(f"/organisations/{organisation.id}")
    assert page.status_code == status
    assert (organisation.contact_points[0].locator in page.get_data(as_text=True)) == (status == 200)


def test_a_partner_manager_never_learns_who_the_shoppers_are(client, cast):
    assert cast.assignment.organisation_id == cast.other_assignment.organisation_id == cast.world.district.id
    sign_in(client, cast.partner_manager)
    district = cast.world.district
    for path in (f"/api/v1/organisations/{district.id}", f"/organisations/{district.id}"):
        response = client.get(path)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        for shopper in (cast.shopper, cast.other_shopper):
            assert shopper.email not in text and shopper.display_name not in text


@pytest.mark.parametrize(
    "path",
    [
        lambda c: "/api/v1/assignments",
        lambda c: f"/api/v1/assignments/{c.assignment.id}",
        lambda c: f"/api/v1/questionnaires/{c.world.visit_version.questionnaire_id}/versions/1",
        lambda c: "/api/v1/gate/conflicts",
    ],
    ids=["briefs", "brief", "questionnaire", "conflicts"],
)
def test_a_partner_manager_reads_no_shopper_work(client, cast, path):
    sign_in(client, cast.partner_manager)
    response = client.get(path(cast))
    assert (response.status_code, response.get_json()["code"]) == (403, "forbidden")


def test_a_coordinator_of_another_programme_in_the_same_partnership_reads_none_of_this_programmes_work(
    client, cast
):
    neighbour = Programme(partnership=cast.world.partnership, name="Neighbouring programme")
    db.session.add(neighbour)
    db.session.commit()
    sign_in(client, make_user(Role.coordinator, programme=neighbour))
    version = cast.world.visit_version
    for path in (
        f"/api/v1/assignments/{cast.assignment.id}",
        f"/api/v1/questionnaires/{version.questionnaire_id}/versions/{version.number}",
    ):
        response = client.get(path)
        assert (response.status_code, response.get_json()["code"]) == (403, "not_yours"), path
    cast.assignment.flagged = True  # flagged work is listed on the coordinator's home page
    db.session.commit()
    page = client.get("/coordinator")
    assert page.status_code == 200
    assert cast.assignment.contact_point.name not in page.get_data(as_text=True)


def test_a_shopper_reads_only_their_own_conflicts(client, cast):
    other = cast.other_shopper
    sign_in(client, other)
    response = client.post(
        "/api/v1/gate/conflicts",
        headers=csrf_headers(client),
        json={
            "conflicts": [
                {"organisation_id": cast.world.county.id, "reason": "my sister is a planning officer"}
            ]
        },
    )
    assert response.status_code == 200

    sign_in(client, cast.shopper)
    api = client.get("/api/v1/gate/conflicts")
    assert api.status_code == 200
    assert api.get_json()["conflicts"] == []
    page = client.get("/gate/conflicts")
    for text in (api.get_data(as_text=True), page.get_data(as_text=True)):
        assert "my sister is a planning officer" not in text


def test_the_session_shows_only_the_signed_in_user(client, cast):
    sign_in(client, cast.shopper)
    body = client.get("/api/v1/session").get_json()
    assert body["user"]["email"] == cast.shopper.email
    assert body["user"]["roles"] == ["shopper"]
    assert cast.other_shopper.email not in client.get("/api/v1/session").get_data(as_text=True)


def test_a_shopper_cannot_report_on_another_shoppers_assignment(client, cast):
    body = submission_body(cast.other_assignment)
    sign_in(client, cast.shopper)
    before = database_snapshot()
    response = client.put(f"/api/v1/submissions/{body['uuid']}", json=body, headers=csrf_headers(client))
    assert (response.status_code, response.get_json()["code"]) == (403, "not_yours")
    assert database_snapshot() == before


def test_a_shopper_cannot_read_or_overwrite_another_shoppers_report_by_its_uuid(client, cast):
    theirs = submission_body(cast.other_assignment)
    theirs["notes"] = "the other shopper's private notes"
    sign_in(client, cast.other_shopper)
    assert (
        client.put(
            f"/api/v1/submissions/{theirs['uuid']}", json=theirs, headers=csrf_headers(client)
        ).status_code
        == 201
    )

    sign_in(client, cast.shopper)
    headers = csrf_headers(client)
    bodies = (theirs, submission_body(cast.assignment, theirs["uuid"]))  # a replay, and own content
    before = database_snapshot()
    for body in bodies:
        response = client.put(f"/api/v1/submissions/{theirs['uuid']}", json=body, headers=headers)
        assert (response.status_code, response.get_json()["code"]) == (403, "not_yours")
        assert "private notes" not in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_sync_refuses_only_the_items_that_are_not_the_shoppers(client, cast):
    own, theirs = submission_body(cast.assignment), submission_body(cast.other_assignment)
    sign_in(client, cast.shopper)
    response = client.post("/api/v1/sync", json={"submissions": [own, theirs]}, headers=csrf_headers(client))
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [(r["uuid"], r["status"], r.get("code")) for r in results] == [
        (own["uuid"], 201, None),
        (theirs["uuid"], 403, "not_yours"),
    ]
    assert "submission" not in results[1]
    stored = db.session.execute(sa.text("SELECT uuid, shopper_id FROM submission")).all()
    assert [(str(uuid.UUID(str(u))), s) for u, s in stored] == [(own["uuid"], cast.shopper.id)]
