"""GET /api/v1/assignments answers If-None-Match with 304 and no body while the shopper's briefs are unchanged,
and with the briefs (and a new ETag) as soon as anything in them changes."""

from app.extensions import db
from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper


def test_unchanged_briefs_cost_a_304_and_any_change_sends_them_again(client, world):
    shopper = make_shopper(world)
    make_assignment(world, shopper)
    sign_in(client, shopper)
    first = client.get("/api/v1/assignments")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and len(first.get_json()["items"]) == 1
    again = client.get("/api/v1/assignments", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert (
        sum(len(k) + len(v) + 4 for k, v in again.headers.items()) < 1000
    )  # headers only: a few hundred bytes

    world.waste_scenario.question = "My bin was missed twice; what now?"  # a coordinator edits the scenario
    db.session.commit()
    edited = client.get("/api/v1/assignments", headers={"If-None-Match": etag})
    assert edited.status_code == 200 and edited.headers["ETag"] != etag
    assert edited.get_json()["items"][0]["scenario"]["question"].startswith("My bin was missed twice")

    etag = edited.headers["ETag"]
    make_assignment(world, shopper, contact_point=world.county_office)  # new work
    grown = client.get("/api/v1/assignments", headers={"If-None-Match": etag})
    assert grown.status_code == 200 and len(grown.get_json()["items"]) == 2


def test_another_shoppers_etag_does_not_match(client, world):
    first, second = make_shopper(world), make_shopper(world)
    make_assignment(world, first)
    make_assignment(world, second)
    sign_in(client, first)
    etag = client.get("/api/v1/assignments").headers["ETag"]
    sign_in(client, second)
    assert client.get("/api/v1/assignments", headers={"If-None-Match": etag}).status_code == 200


def test_compact_briefs_are_the_same_briefs_with_shared_parts_sent_once(client, world):
    shopper = make_shopper(world)
    for point in (world.district_office, world.district_office, world.county_office):
        make_assignment(world, shopper, contact_point=point)
    sign_in(client, shopper)
    full = client.get("/api/v1/assignments").get_json()["items"]
    compact = client.get("/api/v1/briefs")
    body = compact.get_json()
    assert len(body["contact_points"]) == 2 and len(body["scenarios"]) == 1 and len(body["waves"]) == 1
    points = {p["id"]: p for p in body["contact_points"]}
    scenarios = {s["id"]: s for s in body["scenarios"]}
    waves = {w["id"]: w for w in body["waves"]}
    rebuilt = []
    for item in body["items"]:  # as the app puts each brief back together (main.js)
        wave = dict(waves[item.pop("wave_id")])
        point, scenario = points[item.pop("contact_point_id")], scenarios[item.pop("scenario_id")]
        brief = {
            **item,
            "contact_point": point,
            "scenario": scenario,
            "timezone": wave.pop("timezone"),
            "general_instructions": wave.pop("general_instructions"),
            "wave": wave,
        }
        rebuilt.append(brief)
    assert rebuilt == full
    again = client.get("/api/v1/briefs", headers={"If-None-Match": compact.headers["ETag"]})
    assert again.status_code == 304
