"""The shopper app keeps its briefs with the `since` cursor of GET /api/v1/briefs: after the first start it asks
only for what changed, applies changes and removals (a withdrawn brief leaves the phone), and keeps doing so
across an app update (a new service worker and shell bucket) and offline."""

from urllib.parse import parse_qs, urlsplit

from tests.shopper_app.browser_kit import (
    execute,
    go_offline,
    go_online,
    new_page,
    open_app,
    wait_for_shell_cache,
    wait_until,
)

SHOPPER1_OPEN = (
    "select a.id from assignment a join user_account u on u.id = a.shopper_id "
    "where u.email = 'shopper1@demo.test' and a.state in ('offered', 'accepted') order by a.id"
)


def _briefs_answers(page):
    """(status, since sent, body or None) of each GET /api/v1/briefs the page makes from now on."""
    seen = []

    def on_response(response):
        url = urlsplit(response.url)
        if url.path != "/api/v1/briefs" or response.request.method != "GET":
            return
        since = parse_qs(url.query).get("since", [None])[0]
        seen.append((response.status, since, response.json() if response.status == 200 else None))

    page.on("response", on_response)
    return seen


def _answered(answers):
    """The first answer with a body among ``answers``: a late 304 to an earlier reload may come first."""
    return next((answer for answer in answers if answer[0] == 200), None)


def _titles(page):
    page.get_by_role("heading", name="My briefs").wait_for()
    return sorted(page.locator(".card h2").all_inner_texts())


def _open_ids(live_server):
    import sqlite3

    with sqlite3.connect(live_server.db_path) as connection:
        return [row[0] for row in connection.execute(SHOPPER1_OPEN)]


def test_the_app_follows_changes_by_cursor_online_offline_and_across_an_app_update(
    context, live_server, base_url, restore_demo
):
    page = new_page(context)
    seen = _briefs_answers(page)
    open_app(page, base_url, "shopper1@demo.test")
    titles = _titles(page)
    wait_until(lambda: seen, message="the first GET /briefs", page=page)
    assert seen[-1][0] == 200 and seen[-1][1] is None and seen[-1][2]["full"] is True
    cursor = seen[-1][2]["cursor"]
    old_bucket = wait_for_shell_cache(page)

    page.reload()  # nothing changed: the cursor and the ETag go with the request, and a 304 keeps the briefs
    wait_until(lambda: len(seen) >= 2, message="the briefs asked for again", page=page)
    assert seen[-1][:2] == (304, cursor)
    assert _titles(page) == titles

    # On the server: one brief withdrawn, another's scenario renamed. The next start gets just those two facts.
    first, second = _open_ids(live_server)[:2]
    execute(live_server.db_path, "update assignment set state = 'withdrawn' where id = ?", first)
    execute(
        live_server.db_path,
        "update scenario set title = 'Renamed for the cursor test' where id = "
        "(select scenario_id from assignment where id = ?)",
        second,
    )
    asked = len(seen)
    page.reload()
    wait_until(lambda: _answered(seen[asked:]), message="the changes to be asked for", page=page)
    status, since, body = _answered(seen[asked:])
    assert (status, since, body["full"]) == (200, cursor, False)
    assert first in body["removed"] and second in {b["id"] for b in body["items"]}
    assert len(body["items"]) < len(titles)  # not every brief again
    page.get_by_text("Renamed for the cursor test").first.wait_for()
    after_change = _titles(page)
    assert len(after_change) == len(titles) - 1
    cursor = body["cursor"]

    go_offline(context)
    page.reload()  # offline: the phone's copy, changes applied
    assert _titles(page) == after_change
    go_online(context)

    live_server.env["SHOPPER_APP_VERSION"] = "since-update"
    try:
        live_server.restart()
        asked = len(seen)
        page.reload()  # the new worker installs a complete new bucket; the briefs are current: 304 on the cursor
        wait_until(lambda: wait_for_shell_cache(page) != old_bucket, message="the new shell bucket")
        wait_until(lambda: len(seen) > asked, message="the briefs asked for after the update", page=page)
        assert seen[-1][:2] == (304, cursor)
        page.reload()  # served by the new version
        assert "since-update" in wait_for_shell_cache(page)
        assert _titles(page) == after_change

        # After the update the cursor still works: another brief withdrawn leaves the phone, offline too.
        third = _open_ids(live_server)[0]
        execute(live_server.db_path, "update assignment set state = 'withdrawn' where id = ?", third)
        asked = len(seen)
        page.reload()
        wait_until(lambda: _answered(seen[asked:]), message="the removal to be asked for", page=page)
        status, since, body = _answered(seen[asked:])
        assert (status, since, body["full"], body["removed"], body["items"]) == (
            200,
            cursor,
            False,
            [third],
            [],
        )
        wait_until(lambda: len(_titles(page)) == len(after_change) - 1, message="the brief gone", page=page)
        go_offline(context)
        page.reload()
        assert len(_titles(page)) == len(after_change) - 1
    finally:
        go_online(context)
        live_server.env.pop("SHOPPER_APP_VERSION", None)
        live_server.restart()
