"""The partner's results of a later released wave show, beside each finding the previous released wave's plan
links to, the action and the change on the finding (issue 18 item 3): the plans service's follow-up, read
from released figures only, and only the partner's own plan."""

from datetime import date

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.plans import services as plans
from app.plans.models import ActionStatus
from app.releases import services as releases
from app.results import figures
from tests.conftest import sign_in
from tests.factories import make_user
from tests.plans.helpers import released
from tests.results.helpers import results_world

ACTION = "Brief the team on greeting every visitor"


def _follow_up_section(page):
    start = page.index('id="plan-follow-up"')
    return page[start : page.index("</table>", start)]


def _percent_change(change):
    return (
        f"{change['difference'] * 100:+.0f} points; 95% interval {change['ci_low'] * 100:+.0f} to "
        f"{change['ci_high'] * 100:+.0f}"
    )


@pytest.fixture
def first_released(app, world):
    """Two waves of results; the first released to North and South District, the second to neither yet; a
    North District action on the waste service area in the first wave."""
    coordinator, wave2 = results_world(world)
    released(world.wave, [world.district, world.other_district], coordinator)
    manager = make_user(Role.partner_manager, programme=world.programme, organisation=world.district)
    action = plans.add_action(
        world.wave,
        world.district.id,
        plans.Finding(plans.FindingKind.service_area, None, str(world.waste.id)),
        manager,
        action=ACTION,
        owner_role="Reception team leader",
        due_on=date(2030, 1, 31),
        status=ActionStatus.in_progress,
    )
    db.session.commit()
    return world, coordinator, wave2, manager, action


def test_the_later_waves_page_shows_the_plans_follow_up_which_is_the_engines_change(first_released, client):
    world, coordinator, wave2, manager, action = first_released
    released(wave2, [world.district, world.other_district], coordinator)
    finding = plans.Finding.of(action)
    shown = [releases.released_figures(w.id, world.district.id) for w in (world.wave, wave2)]
    follow_up = plans.follow_up(
        plans.released_rate(shown[0], finding), plans.released_rate(shown[1], finding), wave2
    )
    names = figures.Names(world.programme)
    [engine] = figures.rows(
        world.programme,
        names,
        wave2,
        figures.Filters(organisation_id=world.district.id, service_area_id=world.waste.id),
        ("organisation",),
    )
    assert follow_up["change"] == engine["score_change"] and engine["score_change"]["call"] == "improved"

    sign_in(client, manager)
    page = client.get(f"/results/waves/{wave2.id}").get_data(as_text=True)
    section = _follow_up_section(page)
    assert f"Our plan from {world.wave.name}" in section
    assert ACTION in section and "In progress" in section
    assert f"Service area: {world.waste.name}" in section
    assert "Improved" in section and _percent_change(follow_up["change"]) in section
    # The first wave's page has no earlier wave, so no follow-up.
    assert 'id="plan-follow-up"' not in client.get(f"/results/waves/{world.wave.id}").get_data(as_text=True)


def test_nothing_is_shown_until_the_later_wave_is_released_to_the_partner(first_released, client):
    world, coordinator, wave2, manager, action = first_released
    sign_in(client, manager)
    assert client.get(f"/results/waves/{wave2.id}").status_code == 404
    assert ACTION not in client.get(f"/results/waves/{world.wave.id}").get_data(as_text=True)
    # Released to the neighbour only: still nothing for North District.
    released(wave2, [world.other_district], coordinator)
    assert client.get(f"/results/waves/{wave2.id}").status_code == 404
    assert ACTION not in client.get("/results").get_data(as_text=True)
    # Released, then withdrawn: gone again.
    released(wave2, [world.district], coordinator)
    assert ACTION in client.get(f"/results/waves/{wave2.id}").get_data(as_text=True)
    releases.withdraw(releases.current_release(wave2.id, world.district.id), coordinator, "Released in error")
    db.session.commit()
    assert client.get(f"/results/waves/{wave2.id}").status_code == 404


def test_another_partner_never_sees_the_plan(first_released, client):
    world, coordinator, wave2, manager, action = first_released
    released(wave2, [world.district, world.other_district], coordinator)
    neighbour = make_user(Role.partner_manager, programme=world.programme, organisation=world.other_district)
    sign_in(client, neighbour)
    for wave in (world.wave, wave2):
        for page in ("", "/benchmark", "/method"):
            body = client.get(f"/results/waves/{wave.id}{page}").get_data(as_text=True)
            assert ACTION not in body, (wave.name, page)
    own = client.get(f"/results/waves/{wave2.id}").get_data(as_text=True)
    assert f"No action was planned on the findings of {world.wave.name}" in own


def test_the_coordinators_preview_shows_the_same_follow_up(first_released, client):
    world, coordinator, wave2, manager, action = first_released
    releases.close_review(wave2, coordinator)
    db.session.commit()
    sign_in(client, coordinator)
    url = f"/programmes/{world.programme.id}/releases/waves/{wave2.id}/organisations/{world.district.id}/preview"
    page = client.get(url).get_data(as_text=True)
    preview = releases.preview(wave2, world.district)
    finding = plans.Finding.of(action)
    follow_up = plans.follow_up(
        plans.released_rate(releases.released_figures(world.wave.id, world.district.id), finding),
        plans.released_rate(preview, finding),
        wave2,
    )
    section = _follow_up_section(page)
    assert ACTION in section and _percent_change(follow_up["change"]) in section
