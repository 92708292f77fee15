"""The wave's assignments page at any size: paged and filtered in SQL, a bulk action on every assignment that
matches the filter touches exactly those, and the page's number of queries does not grow with its rows."""

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments import listing
from app.assignments.models import Assignment, AssignmentState
from app.extensions import db
from tests.assignments.test_routes import token
from tests.conftest import sign_in
from tests.factories import make_shopper, make_user
from tests.listing_kit import add_assignments, counted_statements


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


def _mixed(world, n_each=12):
    """Offered, accepted and declined work at three organisations' offices."""
    shoppers = [make_shopper(world) for _ in range(3)]
    rows = []
    for state in (AssignmentState.offered, AssignmentState.accepted, AssignmentState.declined):
        rows += add_assignments(world, shoppers, n_each, state=state)
    return rows


def _states():
    return dict(db.session.execute(sa.select(Assignment.id, Assignment.state)).all())


def test_every_assignment_is_reachable_through_the_pages_of_a_filter(client, world, coordinator):
    made = add_assignments(world, [make_shopper(world)], 2 * listing.PER_PAGE + 9)
    for a in made[::4]:
        a.state = AssignmentState.accepted
    db.session.commit()
    accepted = {a.id for a in made[::4]}
    sign_in(client, coordinator)
    for path, expected in [
        (f"/coordinator/waves/{world.wave.id}/assignments", {a.id for a in made}),
        (f"/coordinator/waves/{world.wave.id}/assignments?state=accepted", accepted),
    ]:
        seen = set()
        while path:
            html = client.get(path).get_data(as_text=True)
            assert f"{len(expected):,} assignment(s)" in html
            seen |= {int(i) for i in re.findall(r'name="assignment_ids" value="(\d+)"', html)}
            following = re.search(r'<a href="([^"]+)" rel="next">', html)
            path = following and following.group(1).replace("&amp;", "&")
        assert seen == expected


def test_a_bulk_action_on_every_matching_assignment_touches_exactly_those(client, world, coordinator):
    rows = _mixed(world)
    before = _states()
    matching = {
        a.id
        for a in rows
        if a.contact_point.organisation_id == world.county.id and a.state is AssignmentState.accepted
    }
    assert len(matching) == 4
    sign_in(client, coordinator)
    query = f"state=accepted&organisation_id={world.county.id}"
    page = f"/coordinator/waves/{world.wave.id}/assignments?{query}"
    html = client.get(page).get_data(as_text=True)
    assert "All 4 assignments matching the filter" in html
    response = client.post(
        f"/coordinator/waves/{world.wave.id}/assignments/bulk?{query}",
        data={"csrf_token": token(client, page), "scope": "matching", "matching": "4", "action": "cancel"},
    )
    assert response.status_code == 302 and response.location.endswith(page.split("/coordinator")[1])
    after = _states()
    assert {i for i, s in after.items() if s is not before[i]} == matching
    assert all(after[i] is AssignmentState.cancelled for i in matching)


def test_a_bulk_action_on_a_selection_that_changed_meanwhile_changes_nothing(client, world, coordinator):
    _mixed(world, 3)
    before = _states()
    sign_in(client, coordinator)
    page = f"/coordinator/waves/{world.wave.id}/assignments?state=offered"
    response = client.post(
        f"/coordinator/waves/{world.wave.id}/assignments/bulk?state=offered",
        data={"csrf_token": token(client, page), "scope": "matching", "matching": "2", "action": "cancel"},
    )
    assert response.status_code == 422
    assert "3 assignments match the filter now, not 2" in response.get_data(as_text=True)
    assert _states() == before


def test_ticked_ids_of_another_wave_are_refused(client, world, coordinator):
    from datetime import date

    from app.programmes.models import Wave

    other_wave = Wave(
        programme=world.programme, number=2, name="Wave 2", starts_on=date.today(), ends_on=date.today()
    )
    db.session.add(other_wave)
    db.session.commit()
    [elsewhere] = add_assignments(world, [make_shopper(world)], 1, wave=other_wave)
    sign_in(client, coordinator)
    page = f"/coordinator/waves/{world.wave.id}/assignments"
    response = client.post(
        f"/coordinator/waves/{world.wave.id}/assignments/bulk",
        data={"csrf_token": token(client, page), "assignment_ids": elsewhere.id, "action": "cancel"},
    )
    assert response.status_code == 422 and "not in this wave" in response.get_data(as_text=True)
    assert db.session.get(Assignment, elsewhere.id).state is AssignmentState.offered


@pytest.mark.parametrize("query", ["", "?state=declined&channel=in_person"])
def test_the_page_makes_as_many_queries_for_200_assignments_as_for_10(client, world, coordinator, query):
    sign_in(client, coordinator)
    path = f"/coordinator/waves/{world.wave.id}/assignments{query}"
    counts = []
    for n in (10, 190):
        shoppers = [make_shopper(world) for _ in range(3)]
        add_assignments(world, shoppers, n, state=AssignmentState.declined)
        client.get(path)
        with counted_statements() as statements:
            assert client.get(path).status_code == 200
        counts.append(statements[0])
    assert counts[0] == counts[1]
