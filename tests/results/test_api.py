"""GET /api/v1/results: the rows and shapes of SPEC §4, its filters, and who may ask."""

import pytest

from app.accounts.models import Role
from app.results import statistics as stats
from tests.conftest import sign_in
from tests.factories import make_shopper, make_user
from tests.results.helpers import results_world


@pytest.fixture
def cast(world):
    coordinator, wave2 = results_world(world)
    return coordinator, wave2


def get(client, **params):
    return client.get("/api/v1/results", query_string=params)


def test_rows_per_organisation_in_the_latest_wave_with_change_and_rank(client, world, cast):
    coordinator, wave2 = cast
    sign_in(client, coordinator)
    body = get(client).get_json()
    assert body["wave"] == {"id": wave2.id, "number": 2, "name": "Wave 2"}
    assert body["min_sample"] == 5
    rows = {r["organisation"]["name"]: r for r in body["rows"]}
    north, south = rows["North District Council"], rows["South District Council"]
    assert north["reports"] == 7
    assert north["score"] == {
        "k": 7,
        "n": 7,
        "value": 1.0,
        "ci_low": 0.6457,
        "ci_high": 1.0,
        "small_sample": False,
    }
    # Wave 1 in person and by phone: 3 failed, 1 + 5 fair (2/3 each), 2 good: 6 of 11.
    expected = stats.change(stats.rate(7, 7, 5), stats.rate(6, 11, 5))  # each score is kept to 4 decimals
    assert north["score_change"] == {
        k: pytest.approx(v, abs=2e-4) if k != "call" else v for k, v in expected.items()
    }
    assert north["score_change"]["call"] == "improved"
    assert north["rank"] == 1
    assert south["score"]["small_sample"] is True and south["rank"] is None


def test_group_by_channel_and_wave_with_the_reference_figure(client, world, cast):
    coordinator, wave2 = cast
    sign_in(client, coordinator)
    body = get(client, group_by="channel,wave").get_json()
    keyed = {(r["channel"]["id"], r["wave"]["name"]): r for r in body["rows"]}
    assert set(keyed) == {("in_person", "Wave 1"), ("in_person", "Wave 2"), ("telephone", "Wave 1")}
    assert keyed[("in_person", "Wave 1")]["reference"] == {"value": 0.7, "source": "Test 2026"}
    assert keyed[("telephone", "Wave 1")]["reference"] is None
    phone = keyed[("telephone", "Wave 1")]["measures"]
    assert phone["service_level"]["k"] == 3 and phone["service_level"]["n"] == 5  # 12, 20 and 8 s
    assert phone["average_speed_of_answer"]["mean"] == 23.0  # (12 + 45 + 20 + 8 + 30) / 5
    assert phone["first_contact_resolution"] == {
        "k": 4,
        "n": 5,
        "value": 0.8,
        "ci_low": 0.3755,
        "ci_high": 0.9638,
        "small_sample": False,
    }
    assert phone["passed_on_more_than_once"]["k"] == 1
    assert keyed[("in_person", "Wave 1")]["critical_failures"]["k"] == 3


def test_filters_and_a_wave(client, world, cast):
    coordinator, _ = cast
    sign_in(client, coordinator)
    body = get(client, wave=world.wave.id, channel="telephone", group_by="contact_point").get_json()
    [row] = body["rows"]
    assert row["contact_point"] == {"id": world.district_phone.id, "name": "North Contact Centre"}
    assert row["reports"] == 5
    assert get(client, wave=world.wave.id, organisation=world.county.id).get_json()["rows"] == []


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"group_by": "shopper"}, 422, "validation_failed"),
        ({"group_by": "wave,wave"}, 422, "validation_failed"),
        ({"channel": "pigeon"}, 422, "validation_failed"),
        ({"wave": 999999}, 404, "not_found"),
        ({"organisation": 999999}, 404, "not_found"),
    ],
)
def test_bad_input_is_a_problem(client, world, cast, params, status, code):
    sign_in(client, cast[0])
    response = get(client, **params)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json" and response.get_json()["code"] == code


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("admin", 200),
        ("other_coordinator", 403),
        ("partner_manager", 404),  # nothing released to them (issue 18)
        ("shopper", 403),
        (None, 401),
    ],
)
def test_who_may_ask(client, world, who, status):
    from tests.factories import World  # noqa: F401  (the world fixture is the programme asked about)

    users = {
        "coordinator": lambda: make_user(Role.coordinator, programme=world.programme),
        "admin": lambda: make_user(Role.admin),
        "other_coordinator": lambda: make_user(Role.coordinator),
        "partner_manager": lambda: make_user(Role.partner_manager, organisation=world.district),
        "shopper": lambda: make_shopper(world),
    }
    if who:
        sign_in(client, users[who]())
    response = get(client, programme=world.programme.id)
    assert response.status_code == status, response.get_data(as_text=True)
    if status != 200:
        assert response.mimetype == "application/problem+json"


def test_the_operation_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/results"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "wave",
        "organisation",
        "service_area",
        "channel",
        "group_by",
    }


@pytest.mark.parametrize(
    "group_by", ["organisation", "channel,wave", "organisation,service_area,channel,contact_point,wave"]
)
def test_the_answer_matches_the_openapi_document(app, client, world, cast, group_by):
    import schemathesis

    from tests.api.test_openapi_schemathesis import CHECKS, OPENAPI_PATH

    sign_in(client, cast[0])
    api = schemathesis.openapi.from_wsgi(OPENAPI_PATH, app)
    case = api["/api/v1/results"]["GET"].Case(query={"group_by": group_by})
    response = case.call(
        session=client, app=app, headers={"Accept-Encoding": "identity"}
    )  # as sent, uncompressed
    assert response.status_code == 200
    case.validate_response(response, checks=CHECKS)
