"""GET /api/v1/assignments a page at a time: ``limit`` briefs (50 unless asked, at most 100) and ``next``, the
URL of the next page; following ``next`` reaches every brief exactly once, and a bad ``limit`` or ``cursor``
is a 422 problem."""

import base64

import pytest
import sqlalchemy as sa

from app.assignments.models import VISIBLE_TO_SHOPPER, Assignment
from app.extensions import db
from tests.conftest import sign_in
from tests.factories import make_shopper
from tests.listing_kit import add_assignments


@pytest.fixture
def shopper(world):
    shopper = make_shopper(world)
    # Two batches: each batch's windows start at the same moment, so that the order falls back on the id.
    add_assignments(world, [shopper], 130)
    add_assignments(world, [shopper], 120)
    return shopper


def _walk(client, path):
    ids, pages = [], 0
    while path:
        response = client.get(path)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        ids += [item["id"] for item in body["items"]]
        path, pages = body["next"], pages + 1
    return ids, pages


@pytest.mark.parametrize(("limit", "pages"), [(None, 5), (60, 5), (100, 3), (99, 3), (1, 250)])
def test_following_next_reaches_every_brief_exactly_once_in_order(client, world, shopper, limit, pages):
    sign_in(client, shopper)
    ids, walked = _walk(client, "/api/v1/assignments" + (f"?limit={limit}" if limit else ""))
    expected = db.session.scalars(
        sa.select(Assignment.id)
        .where(Assignment.shopper_id == shopper.id, Assignment.state.in_(VISIBLE_TO_SHOPPER))
        .order_by(Assignment.window_starts_at, Assignment.id)
    ).all()
    assert len(expected) == 250 and ids == expected and walked == pages


def test_the_first_page_holds_50_briefs_unless_asked(client, world, shopper):
    sign_in(client, shopper)
    body = client.get("/api/v1/assignments").get_json()
    assert len(body["items"]) == 50 and body["next"].startswith("/api/v1/assignments?")
    assert "limit=50" in body["next"]


def test_one_page_is_the_whole_list_when_it_fits(client, world):
    shopper = make_shopper(world)
    add_assignments(world, [shopper], 3)
    sign_in(client, shopper)
    body = client.get("/api/v1/assignments").get_json()
    assert len(body["items"]) == 3 and body["next"] is None


def test_a_page_answers_if_none_match_with_304_while_unchanged(client, world, shopper):
    sign_in(client, shopper)
    second = client.get("/api/v1/assignments").get_json()["next"]
    first = client.get(second)
    again = client.get(second, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=" + _cursor("yesterday|12"), "cursor"),
        ("cursor=" + _cursor("2026-01-01T00:00:00+00:00|twelve"), "cursor"),
        ("cursor=" + _cursor("2026-01-01T00:00:00|12"), "cursor"),  # no time zone
        ("cursor=" + "A" * 101, "cursor"),
    ],
)
def test_a_bad_limit_or_cursor_is_a_422_problem(client, world, shopper, query, field):
    sign_in(client, shopper)
    response = client.get(f"/api/v1/assignments?{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "validation_failed" and field in body["errors"], body
