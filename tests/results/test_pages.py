"""The coordinator's results pages: each one renders, its charts are accessible SVG with their numbers in a
table, the tables match GET /api/v1/results, and only the programme's coordinators (and the admin) see them."""

import re

import pytest

from app.accounts.models import Role
from tests.conftest import sign_in
from tests.factories import make_shopper, make_user
from tests.results.helpers import results_world

PAGES = ["", "/league", "/trend", "/measures", "/strengths", "/reports"]


@pytest.fixture
def signed_in(client, world):
    coordinator, wave2 = results_world(world)
    sign_in(client, coordinator)
    return wave2


def page(client, world, path="", **params):
    response = client.get(f"/programmes/{world.programme.id}/results{path}", query_string=params)
    return response, response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_each_page_renders_for_the_coordinator_with_filters_and_definitions(client, world, signed_in, path):
    response, html = page(client, world, path)
    assert response.status_code == 200
    assert 'aria-label="Filter the results"' in html
    assert "Wave 2" in html and "null" not in html and "None" not in html
    if path not in ("/reports",):
        assert "<details" in html  # every figure's definition one tap away


def test_the_navigation_links_to_the_results(client, world, signed_in):
    html = client.get("/coordinator").get_data(as_text=True)
    assert f'href="/programmes/{world.programme.id}/results"' in html


def test_charts_are_svg_images_with_a_title_a_description_and_a_table(client, world, signed_in):
    for path in ("", "/league", "/trend"):
        _, html = page(client, world, path)
        svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
        assert svgs, path
        for svg in svgs:
            assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert "<table" in html
        assert "<script" not in html.split("<main", 1)[1]  # no JavaScript needed


def _numbers(html, table_id):
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [
        dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag))
        for tag in re.findall(r"<(?:tr|td)[^>]*data-k=[^>]*>", table)
    ]


def test_the_overview_chart_table_matches_the_api(client, world, signed_in):
    _, html = page(client, world)
    shown = {
        (r["channel"], int(r["wave"])): (float(r["k"]), int(r["n"]))
        for r in _numbers(html, "channel-wave-table")
    }
    api = client.get("/api/v1/results", query_string={"group_by": "channel,wave"}).get_json()["rows"]
    assert shown == {(r["channel"]["id"], r["wave"]["id"]): (r["score"]["k"], r["score"]["n"]) for r in api}
    assert len(shown) == 3
    assert "70%" in html and "Test 2026" in html  # the reference figure beside the partnership's
    waves = html.split("Change since the wave before", 1)[1].split("</table>", 1)[0]
    assert "Improved" in waves  # wave 2 against wave 1, the headline change


def test_the_trend_table_matches_the_api(client, world, signed_in):
    _, html = page(client, world, "/trend")
    shown = {
        (int(r["organisation"]), int(r["wave"])): (float(r["k"]), int(r["n"]))
        for r in _numbers(html, "trend-table")
    }
    api = client.get("/api/v1/results", query_string={"group_by": "organisation,wave"}).get_json()["rows"]
    assert shown == {
        (r["organisation"]["id"], r["wave"]["id"]): (r["score"]["k"], r["score"]["n"]) for r in api
    }
    assert "Improved" in html


def test_the_league_table_ranks_and_flags_small_samples(client, world, signed_in):
    _, html = page(client, world, "/league")
    api = client.get("/api/v1/results", query_string={"group_by": "organisation,channel"}).get_json()["rows"]
    in_person = html.split('data-group="channel:in_person"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr data-organisation="(\d+)" data-k="([^"]+)" data-n="(\d+)"', in_person)
    expected = [r for r in api if r["channel"]["id"] == "in_person"]
    assert {(int(o), float(k), int(n)) for o, k, n in rows} == {
        (r["organisation"]["id"], r["score"]["k"], r["score"]["n"]) for r in expected
    }
    assert rows[0][0] == str(world.district.id)  # ranked first; South (2 reports) unranked below it
    assert "small sample" in in_person and "not ranked" in in_person


def test_measures_show_standards_and_telephone_measures_in_words(client, world, signed_in):
    _, html = page(client, world, "/measures", wave=world.wave.id)
    assert "Service level" in html and "Average speed of answer" in html
    assert "23 s" in html  # the mean wait, never a bare number of seconds
    assert "Passed on more than once" in html


def test_strengths_and_weaknesses_per_service_area(client, world, signed_in):
    _, html = page(client, world, "/strengths")
    assert "Waste and recycling" in html and "Strengths" in html and "Were you greeted?" in html


def test_drill_down_lists_the_reports_behind_a_figure_and_links_to_each(client, world, signed_in):
    response, html = page(client, world, "/reports", wave=world.wave.id, channel="telephone")
    assert response.status_code == 200
    assert "5 approved report(s) match" in html
    assert html.count('href="/coordinator/review/') == 5
    _, overview = page(client, world)
    assert f"/results/reports?wave={world.wave.id}" in overview


def test_a_bad_filter_is_a_field_error(client, world, signed_in):
    response, html = page(client, world, "/league", channel="pigeon")
    assert response.status_code == 422 and "There is a problem" in html


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("admin", 200),
        ("other_coordinator", 403),
        ("partner_manager", 403),
        ("shopper", 403),
        (None, 302),
    ],
)
def test_who_may_see_the_pages(client, world, path, who, status):
    users = {
        "coordinator": lambda: make_user(Role.coordinator, programme=world.programme),
        "admin": lambda: make_user(Role.admin),
        "other_coordinator": lambda: make_user(Role.coordinator),
        "partner_manager": lambda: make_user(Role.partner_manager, organisation=world.district),
        "shopper": lambda: make_shopper(world),
    }
    if who:
        sign_in(client, users[who]())
    response, _ = page(client, world, path)
    assert response.status_code == status


def test_an_unknown_programme_is_404(client, world):
    sign_in(client, make_user(Role.admin))
    assert client.get("/programmes/999999/results").status_code == 404
