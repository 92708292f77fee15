"""The shopper app asks for its (compact) briefs with the ETag of those it holds: a 304 keeps them (online,
offline after it, and across an app update), and a change on the server reaches the phone on the next start."""

from urllib.parse import urlsplit

from tests.shopper_app.browser_kit import (
    execute,
    go_offline,
    go_online,
    new_page,
    open_app,
    wait_for_shell_cache,
    wait_until,
)


def _briefs_answers(page):
    """(status, If-None-Match sent) of each GET /api/v1/briefs the page makes from now on."""
    seen = []
    page.on(
        "response",
        lambda r: (
            seen.append((r.status, r.request.headers.get("if-none-match")))
            if urlsplit(r.url).path == "/api/v1/briefs" and r.request.method == "GET"
            else None
        ),
    )
    return seen


def _titles(page):
    page.get_by_role("heading", name="My briefs").wait_for()
    return page.locator(".card h2").all_inner_texts()


def test_a_304_keeps_the_briefs_online_offline_and_across_an_app_update(
    context, live_server, base_url, restore_demo
):
    page = new_page(context)
    seen = _briefs_answers(page)
    open_app(page, base_url, "shopper1@demo.test")
    titles = _titles(page)
    assert titles and seen[-1][0] == 200 and seen[-1][1] is None
    old_bucket = wait_for_shell_cache(page)

    page.reload()  # nothing changed on the server: 304, and the briefs the phone holds stay
    wait_until(lambda: len(seen) >= 2, message="the app to ask for its briefs again", page=page)
    assert seen[-1][0] == 304 and seen[-1][1]
    assert _titles(page) == titles

    go_offline(context)
    page.reload()  # offline after a 304: the same briefs, from IndexedDB
    assert _titles(page) == titles
    go_online(context)

    live_server.env["SHOPPER_APP_VERSION"] = "etag-update"
    try:
        live_server.restart()
        asked = len(seen)
        page.reload()  # the new worker installs a complete new bucket; the briefs are still current: 304
        wait_until(lambda: wait_for_shell_cache(page) != old_bucket, message="the new shell bucket")
        wait_until(lambda: len(seen) > asked, message="the briefs asked for after the update", page=page)
        assert seen[-1][0] == 304
        page.reload()  # served by the new version
        assert "etag-update" in wait_for_shell_cache(page)
        assert _titles(page) == titles
        go_offline(context)
        page.reload()
        assert _titles(page) == titles
        go_online(context)

        # A coordinator renames a scenario: the next start gets the briefs again, with the new title.
        execute(
            live_server.db_path,
            "update scenario set title = 'Renamed for the ETag test' where id = "
            "(select scenario_id from assignment where id = (select min(a.id) from assignment a join "
            "user_account u on u.id = a.shopper_id where u.email = 'shopper1@demo.test' and "
            "a.state in ('offered', 'accepted')))",
        )
        page.reload()
        wait_until(lambda: seen[-1][0] == 200, message="the changed briefs to be sent", page=page)
        page.get_by_text("Renamed for the ETag test").first.wait_for()
    finally:
        go_online(context)
        live_server.env.pop("SHOPPER_APP_VERSION", None)
        live_server.restart()
