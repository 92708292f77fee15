"""The shopper app when things go wrong: a server killed mid-sync, an expired session, a new app version and a
withdrawn assignment while offline, and sign-out on a shared phone. In each, nothing is lost or counted twice."""

import json

from tests.shopper_app.browser_kit import (
    execute,
    exit_interview,
    expect_unsent,
    expected,
    go_offline,
    go_online,
    last_submission_id,
    new_page,
    open_app,
    seed_queue,
    submissions_since,
    unsent,
    wait_for_shell_cache,
    wait_until,
)

ANSWERS = expected(exit_interview(1))


def test_server_killed_in_the_middle_of_a_sync(context, live_server, base_url, restore_demo):
    before = last_submission_id(live_server.db_path)
    page = new_page(context)
    open_app(page, base_url, "shopper2@demo.test")
    go_offline(context)
    seed_queue(page, "exit_interview", 250, ANSWERS)
    page.reload()
    page.get_by_role("heading", name="My briefs").wait_for()
    expect_unsent(page, 250)
    batches = []

    def stored_then_crash(route):
        batches.append(len(json.loads(route.request.post_data)["submissions"]))
        if len(batches) == 2:  # the server stores this batch, then dies before the phone hears the answer
            route.fetch()
            live_server.stop(kill=True)
            route.abort("connectionreset")
        else:
            route.continue_()

    go_online(context)
    context.route("**/api/v1/sync", stored_then_crash)
    page.get_by_role("link", name="Outbox").click()
    page.get_by_role("button", name="Send now").click()
    wait_until(lambda: len(batches) >= 2 and not live_server.running, message="the crash", page=page)
    assert 0 < unsent(page) < 250
    live_server.start()
    wait_until(lambda: unsent(page) == 0, timeout=30, message="the outbox to empty after the restart")

    stored = submissions_since(live_server.db_path, before)
    assert len(stored) == 250 and len({row["uuid"] for row in stored}) == 250
    assert all(json.loads(row["answers"]) == ANSWERS for row in stored)
    page.get_by_text("Confirmed by the server (250)").wait_for()


def test_expired_session_new_version_and_withdrawn_assignment_while_offline(
    context, live_server, base_url, restore_demo
):
    before = last_submission_id(live_server.db_path)
    page = new_page(context)
    open_app(page, base_url, "shopper2@demo.test")
    old_bucket = wait_for_shell_cache(page)
    go_offline(context)
    assignment_id = seed_queue(page, "exit_interview", 3, ANSWERS)
    # While the phone is offline: its session ends, its assignment is withdrawn, a new app version is deployed.
    execute(
        live_server.db_path,
        "update user_session set ended_at = CURRENT_TIMESTAMP where user_id = "
        "(select id from user_account where email = 'shopper2@demo.test')",
    )
    execute(live_server.db_path, "update assignment set state = 'withdrawn' where id = ?", assignment_id)
    live_server.env["SHOPPER_APP_VERSION"] = "test-update"
    try:
        live_server.restart()
        go_online(context)
        page.reload()  # the browser finds the new worker; it installs a complete new bucket
        page.get_by_role("heading", name="Sign in again to send").wait_for()
        expect_unsent(page, 3)
        wait_until(lambda: wait_for_shell_cache(page) != old_bucket, message="the new shell bucket")
        assert "test-update" in wait_for_shell_cache(page)
        page.reload()  # now served by the new version: the work is still there
        page.get_by_role("heading", name="Sign in again to send").wait_for()
        expect_unsent(page, 3)
        assert submissions_since(live_server.db_path, before) == []

        page.get_by_label("E-mail address").fill("shopper2@demo.test")
        page.get_by_label("Password").fill(live_server_password())
        page.get_by_role("button", name="Sign in").click()
        wait_until(lambda: unsent(page) == 0, message="the outbox to empty after signing in again")
    finally:
        live_server.env.pop("SHOPPER_APP_VERSION", None)
        live_server.restart()
    stored = submissions_since(live_server.db_path, before)
    assert len(stored) == 3
    assert all("assignment_withdrawn" in json.loads(row["flags"]) for row in stored)


def live_server_password():
    from tests.browser.conftest import DEMO_PASSWORD

    return DEMO_PASSWORD
