"""GET /api/v1/briefs?since=<cursor>: only the briefs that changed or are new, and the ids of those removed, so a
phone's offline copy stays right without fetching every brief again."""

from app.assignments.brief_changes import SNAPSHOTS_KEPT
from app.assignments.models import AssignmentState, BriefSnapshot
from app.extensions import db
from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper


def _since(client, cursor, **headers):
    return client.get(f"/api/v1/briefs?since={cursor}", headers=headers)


def test_since_sends_what_changed_and_what_went(client, world):
    shopper, other = make_shopper(world), make_shopper(world)
    kept = make_assignment(world, shopper)
    edited = make_assignment(world, shopper, contact_point=world.county_office)
    withdrawn = make_assignment(world, shopper)
    reassigned = make_assignment(world, shopper)
    sign_in(client, shopper)
    first = client.get("/api/v1/briefs").get_json()
    assert first["full"] is True and first["removed"] == []
    assert {b["id"] for b in first["items"]} == {kept.id, edited.id, withdrawn.id, reassigned.id}

    unchanged = _since(client, first["cursor"]).get_json()
    assert unchanged == {
        "cursor": first["cursor"],
        "full": False,
        "items": [],
        "removed": [],
        "contact_points": [],
        "scenarios": [],
        "waves": [],
    }

    world.county_office.opening_hours = "Mon-Fri 10:00-16:00"  # a coordinator edits a contact point
    withdrawn.state = AssignmentState.withdrawn
    reassigned.shopper = other
    added = make_assignment(world, shopper)
    db.session.commit()
    changed = _since(client, first["cursor"]).get_json()
    assert changed["full"] is False and changed["cursor"] != first["cursor"]
    assert {b["id"] for b in changed["items"]} == {edited.id, added.id}
    assert changed["removed"] == sorted([withdrawn.id, reassigned.id])
    assert [p["opening_hours"] for p in changed["contact_points"] if p["id"] == world.county_office.id] == [
        "Mon-Fri 10:00-16:00"
    ]
    # Only the shared parts of what was sent: the district office's brief did not change, but the new one is on it.
    assert {p["id"] for p in changed["contact_points"]} == {world.county_office.id, world.district_office.id}

    # The phone applies it and holds the new cursor: from there, nothing more.
    assert _since(client, changed["cursor"]).get_json()["items"] == []
    # An older cursor (a second phone) still gets the difference from where it stands.
    assert len(_since(client, first["cursor"]).get_json()["items"]) == 2


def test_the_etag_is_the_state_whatever_since_is(client, world):
    shopper = make_shopper(world)
    make_assignment(world, shopper)
    sign_in(client, shopper)
    first = client.get("/api/v1/briefs")
    cursor, etag = first.get_json()["cursor"], first.headers["ETag"]
    not_modified = _since(client, cursor, **{"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert client.get("/api/v1/briefs", headers={"If-None-Match": etag}).status_code == 304


def test_an_unknown_or_anothers_cursor_gets_every_brief(client, world):
    shopper, other = make_shopper(world), make_shopper(world)
    make_assignment(world, shopper)
    make_assignment(world, other)
    sign_in(client, other)
    others_cursor = client.get("/api/v1/briefs").get_json()["cursor"]
    sign_in(client, shopper)
    for cursor in (others_cursor, "not-a-cursor"):
        body = _since(client, cursor).get_json()
        assert body["full"] is True and len(body["items"]) == 1 and body["removed"] == []


def test_a_cursor_too_long_is_a_clear_422(client, world):
    shopper = make_shopper(world)
    sign_in(client, shopper)
    response = _since(client, "x" * 65)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "since" in str(response.get_json()["errors"])


def test_only_the_latest_snapshots_are_kept(client, world):
    shopper = make_shopper(world)
    sign_in(client, shopper)
    cursors = []
    for _ in range(SNAPSHOTS_KEPT + 2):
        make_assignment(world, shopper)
        cursors.append(client.get("/api/v1/briefs").get_json()["cursor"])
    assert db.session.query(BriefSnapshot).filter_by(shopper_id=shopper.id).count() == SNAPSHOTS_KEPT
    assert _since(client, cursors[0]).get_json()["full"] is True  # forgotten: every brief again
    assert _since(client, cursors[-2]).get_json()["full"] is False


def test_an_empty_or_odd_if_none_match_is_no_match(client, world):
    shopper = make_shopper(world)
    make_assignment(world, shopper)
    sign_in(client, shopper)
    for header in ('""', "*garbage", 'W/"x", ""', ":br"):
        assert client.get("/api/v1/briefs", headers={"If-None-Match": header}).status_code == 200, header
