"""The coordinator's release pages: preview, release, withdraw; the preview is what the partner then sees."""

from app.extensions import db
from app.releases import services as releases
from app.releases.models import Release
from tests.conftest import csrf_headers, sign_in
from tests.releases.helpers import partner_manager, reports_for, view_part
from tests.results.helpers import GOOD, approved_report, coordinator_of

PAGES = ("", "/benchmark", "/log", "/method")


def _preview(world, suffix=""):
    wave = f"/programmes/{world.programme.id}/releases/waves/{world.wave.id}"
    return f"{wave}/organisations/{world.district.id}/preview{suffix}"


def test_the_preview_is_what_the_partner_then_sees(app, world, client):
    coordinator = coordinator_of(world)
    own, _ = reports_for(world, coordinator)
    manager = partner_manager(world)
    sign_in(client, coordinator)
    wave_url = f"/programmes/{world.programme.id}/releases/waves/{world.wave.id}"
    assert (
        client.post(wave_url + "/close", data={"csrf_token": csrf_headers(client)["X-CSRFToken"]}).status_code
        == 302
    )
    previews = {}
    for suffix in PAGES + (f"/log/{own[0].id}",):
        response = client.get(_preview(world, suffix))
        assert response.status_code == 200, suffix
        previews[suffix] = view_part(response.get_data(as_text=True))
    page = client.get(_preview(world)).get_data(as_text=True)
    assert "Release Wave" in page
    digest = releases.digest(releases.preview(world.wave, world.district))
    response = client.post(
        wave_url + "/release",
        data={
            "csrf_token": csrf_headers(client)["X-CSRFToken"],
            "organisation_id": world.district.id,
            "digest": digest,
        },
    )
    assert response.status_code == 302
    assert releases.is_released(world.wave.id, world.district.id)

    sign_in(client, manager)
    for suffix in PAGES + (f"/log/{own[0].id}",):
        response = client.get(f"/results/waves/{world.wave.id}{suffix}")
        assert response.status_code == 200, suffix
        assert view_part(response.get_data(as_text=True)) == previews[suffix], suffix


def test_a_stale_preview_is_not_released(app, world, client):
    coordinator = coordinator_of(world)
    reports_for(world, coordinator)
    releases.close_review(world.wave, coordinator)
    db.session.commit()
    stale = releases.digest(releases.preview(world.wave, world.district))
    approved_report(world, coordinator, GOOD)
    sign_in(client, coordinator)
    response = client.post(
        f"/programmes/{world.programme.id}/releases/waves/{world.wave.id}/release",
        data={
            "csrf_token": csrf_headers(client)["X-CSRFToken"],
            "organisation_id": world.district.id,
            "digest": stale,
        },
    )
    assert response.status_code == 302 and "/preview" in response.headers["Location"]
    assert not releases.is_released(world.wave.id, world.district.id)


def test_release_all_then_withdraw_one_from_the_pages(app, world, client):
    coordinator = coordinator_of(world)
    reports_for(world, coordinator)
    sign_in(client, coordinator)
    wave_url = f"/programmes/{world.programme.id}/releases/waves/{world.wave.id}"
    token = {"csrf_token": csrf_headers(client)["X-CSRFToken"]}
    assert client.post(wave_url + "/release", data=token).status_code == 302
    assert not releases.released_waves(world.district.id)  # the review was still open
    client.post(wave_url + "/close", data=token)
    client.post(wave_url + "/release", data=token)
    assert releases.is_released(world.wave.id, world.county.id) and releases.is_released(
        world.wave.id, world.district.id
    )
    page = client.get(wave_url)
    assert page.status_code == 200 and "Withdraw" in page.get_data(as_text=True)
    made = releases.current_release(world.wave.id, world.district.id)
    withdraw_url = f"/programmes/{world.programme.id}/releases/{made.id}/withdraw"
    refused = client.post(withdraw_url, data={**token, "reason": ""})
    assert refused.status_code == 422 and "Say why" in refused.get_data(as_text=True)
    assert client.post(withdraw_url, data={**token, "reason": "Wrong wave"}).status_code == 302
    assert not releases.is_released(world.wave.id, world.district.id)
    assert releases.is_released(world.wave.id, world.county.id)
    assert db.session.get(Release, made.id).withdrawal_reason == "Wrong wave"


def test_a_late_report_reaches_the_partner_s_pages_at_the_next_release_with_a_note(app, world, client):
    coordinator = coordinator_of(world)
    reports_for(world, coordinator)
    releases.close_review(world.wave, coordinator)
    releases.release(world.wave, world.district, coordinator)
    db.session.commit()
    sign_in(client, partner_manager(world))
    log_url = f"/results/waves/{world.wave.id}/log"
    assert "3 approved report(s)" in client.get(log_url).get_data(as_text=True)

    late = approved_report(world, coordinator, GOOD)
    assert "3 approved report(s)" in client.get(log_url).get_data(as_text=True)
    assert client.get(f"{log_url}/{late.id}").status_code == 404
    overview = client.get(f"/results/waves/{world.wave.id}").get_data(as_text=True)
    assert "n = 3;" in overview and "What changed" not in overview

    releases.release(world.wave, world.district, coordinator)
    db.session.commit()
    assert "4 approved report(s)" in client.get(log_url).get_data(as_text=True)
    assert client.get(f"{log_url}/{late.id}").status_code == 200
    overview = client.get(f"/results/waves/{world.wave.id}").get_data(as_text=True)
    assert "n = 4;" in overview and "What changed since the previous release" in overview
