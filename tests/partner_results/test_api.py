"""GET /api/v1/results as a partner manager (issue 18): the figures of their release, the same as their
pages; other partners only as benchmark rows, anonymised when the programme says; clear refusals."""

import pytest

from app.extensions import db
from app.releases import services as releases
from tests.conftest import sign_in
from tests.releases.helpers import partner_manager, released


@pytest.fixture
def signed_in(app, world, client):
    released(world)
    sign_in(client, partner_manager(world))
    return world


def test_the_rows_are_the_release_s_figures(client, signed_in):
    world = signed_in
    figures = releases.released_figures(world.wave.id, world.district.id)
    body = client.get("/api/v1/results?group_by=channel").get_json()
    assert body["wave"]["id"] == world.wave.id
    assert body["rows"] == figures["by_channel"]
    benchmark = client.get("/api/v1/results").get_json()["rows"]
    assert {r["organisation"]["name"] for r in benchmark} >= {world.district.name, world.other_district.name}
    own = client.get(f"/api/v1/results?organisation={world.district.id}").get_json()["rows"]
    assert [r["organisation"]["id"] for r in own] == [world.district.id]
    by_wave = client.get("/api/v1/results?group_by=wave").get_json()["rows"]
    assert [r["wave"]["id"] for r in by_wave] == [world.wave.id]


def test_other_partners_are_anonymised_when_the_programme_says(client, app, world):
    world.programme.partners_named = False
    db.session.commit()
    released(world)
    sign_in(client, partner_manager(world))
    rows = client.get("/api/v1/results").get_json()["rows"]
    names = {r["organisation"]["name"] for r in rows}
    assert world.other_district.name not in names and world.district.name in names
    assert all(
        r["organisation"]["id"] is None for r in rows if r["organisation"]["name"] != world.district.name
    )


@pytest.mark.parametrize(
    "query, status, code",
    [
        ("group_by=contact_point", 422, "not_for_partners"),
        ("contact_point=1", 422, "not_for_partners"),
        ("group_by=organisation&channel=in_person", 422, "filter_needs_group"),
        ("wave=999999", 404, "not_found"),
    ],
)
def test_what_a_partner_cannot_ask_is_refused_clearly(client, signed_in, query, status, code):
    response = client.get(f"/api/v1/results?{query}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json" and response.get_json()["code"] == code
