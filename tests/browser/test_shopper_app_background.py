"""The shopper app with no window open, and a shared phone handed on with unsent work.

(a) Work captured offline, the app closed, the network back: the service worker sends the outbox itself on a
    Background Sync event (dispatched through the DevTools protocol: a test browser fires none of its own), the
    server holds each item once, and a window opened later shows what was sent in the background.
    A session that ended meanwhile: the worker leaves everything queued; the app asks for sign-in when opened.
    With a window open as well, the two senders take turns (a Web Lock): each item is sent once.
    Without module service workers or Background Sync (Firefox, Safari), the page sends exactly as before.
(b) Sign-out with unsent work: refused until the shopper has exported it to a file and confirmed saving it; the
    file holds every unsent item as the body of its PUT; the next user finds nothing of the previous one.
    The coordinator imports the file: each finished item is stored once, flagged, and the draft is listed.
"""

import json
import re
import uuid

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, sign_in, watch_page
from tests.shopper_app.browser_kit import (
    SyncEvents,
    answer_all,
    capture,
    execute,
    exit_interview,
    expect_unsent,
    expected,
    go_offline,
    go_online,
    last_submission_id,
    new_page,
    open_app,
    open_brief,
    seed_queue,
    submissions_since,
    unsent,
    wait_until,
)

# What the app would PUT for each item on the phone (the body of PUT /api/v1/submissions/{uuid}).
PUT_BODIES = """async () => {
    const store = await import('/static/js/shopper-app/store.js');
    const sync = await import('/static/js/shopper-app/sync.js');
    return Object.fromEntries((await store.all('items')).map((item) => [item.uuid, sync.toPayload(item)]));
}"""
STORES = """async () => {
    const store = await import('/static/js/shopper-app/store.js');
    const counts = {};
    for (const name of ['briefs', 'questionnaires', 'items', 'receipts']) counts[name] = (await store.all(name)).length;
    counts.backgroundReport = (await store.getMeta('backgroundReport')) ? 1 : 0;
    return counts;
}"""


def test_the_worker_sends_the_outbox_with_no_window_open(context, live_server, base_url, restore_demo):
    before = last_submission_id(live_server.db_path)
    page = new_page(context)
    open_app(page, base_url, "shopper1@demo.test")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == base_url + "/sw.js"
    go_offline(context)
    live_server.stop()  # the worker's own fetches fail too (a route may not see them: microsoft/playwright #2311)
    interviews = [exit_interview(n) for n in range(3)]
    for answers in interviews:
        capture(page, "Exit interviews", "Start a new exit interview", answers)
    expect_unsent(page, 3)
    page.close()  # the shopper closes the app: no window is left to send

    go_online(context)
    live_server.start()
    events = SyncEvents(context, base_url)
    events.dispatch()
    events.dispatch()  # a second event during the first pass shares it
    wait_until(
        lambda: len(submissions_since(live_server.db_path, before)) == 3,
        message="the worker to send",
        page=events.page,
    )
    events.page.wait_for_timeout(1000)
    events.dispatch()  # a later event (a retry, another trigger) finds nothing left to send
    events.page.wait_for_timeout(1000)

    stored = submissions_since(live_server.db_path, before)
    assert len(stored) == 3 and len({row["uuid"] for row in stored}) == 3
    assert sorted((json.loads(row["answers"]) for row in stored), key=lambda a: a["interview_time"]) == [
        expected(answers) for answers in interviews
    ]

    page = new_page(context)
    page.goto(base_url + "/app")
    report = page.get_by_role("region", name="Sent in the background")
    report.wait_for()
    assert report.get_by_role("listitem").count() == 3
    expect_unsent(page, 0)
    assert_accessible(page, "briefs with the background report")
    page.get_by_role("link", name="Outbox").click()
    page.get_by_text("Confirmed by the server (3)").wait_for()
    assert {str(uuid.UUID(r["uuid"])) for r in stored} == set(
        page.evaluate(
            "async () => (await (await import('/static/js/shopper-app/store.js')).all('receipts')).map((r) => r.uuid)"
        )
    )
    report.get_by_role("button", name="Dismiss").click()
    report.wait_for(state="detached")
    page.reload()
    page.get_by_role("heading", name="Outbox").wait_for()
    assert page.get_by_role("region", name="Sent in the background").count() == 0
    assert len(submissions_since(live_server.db_path, before)) == 3


def _log_since(live_server, mark: int) -> str:
    return live_server.log_path.read_text(encoding="utf-8", errors="replace")[mark:]


def test_the_worker_leaves_the_outbox_queued_when_the_session_has_ended(
    context, live_server, base_url, restore_demo
):
    before = last_submission_id(live_server.db_path)
    page = new_page(context)
    open_app(page, base_url, "shopper1@demo.test")
    go_offline(context)
    live_server.stop()
    seed_queue(page, "exit_interview", 2, expected(exit_interview(1)))
    page.close()
    execute(
        live_server.db_path,
        "update user_session set ended_at = CURRENT_TIMESTAMP where user_id = "
        "(select id from user_account where email = 'shopper1@demo.test')",
    )
    go_online(context)
    live_server.start()
    mark = len(live_server.log_path.read_text(encoding="utf-8", errors="replace"))
    events = SyncEvents(context, base_url)
    events.dispatch()
    wait_until(
        lambda: any(
            '"GET /api/v1/session HTTP/1.1" 401' in line and "/sw.js" in line
            for line in _log_since(live_server, mark).splitlines()
        ),
        message="the worker to find the session ended",
        page=events.page,
    )
    events.page.wait_for_timeout(500)
    assert submissions_since(live_server.db_path, before) == []

    page = new_page(context)
    page.goto(base_url + "/app")
    page.get_by_role("heading", name="Sign in again to send").wait_for()
    expect_unsent(page, 2)
    page.get_by_label("E-mail address").fill("shopper1@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_until(lambda: unsent(page) == 0, message="the outbox to empty after signing in again", page=page)
    assert len(submissions_since(live_server.db_path, before)) == 2


def test_a_window_and_the_worker_sending_at_once_send_each_item_once(
    context, live_server, base_url, restore_demo
):
    before = last_submission_id(live_server.db_path)
    page = new_page(context)
    open_app(page, base_url, "shopper1@demo.test")
    go_offline(context)
    seed_queue(page, "exit_interview", 300, expected(exit_interview(1)))
    page.reload()
    page.get_by_role("heading", name="My briefs").wait_for()
    expect_unsent(page, 300)
    events = SyncEvents(context, base_url)
    mark = len(live_server.log_path.read_text(encoding="utf-8", errors="replace"))

    go_online(context)  # the window starts sending at once (`online`)...
    events.dispatch()  # ...and the worker is woken at the same moment
    wait_until(lambda: unsent(page) == 0, message="the outbox to empty", page=page)
    wait_until(
        lambda: (
            page.evaluate(
                "async () => (await import('/static/js/shopper-app/sync.js')).state.backgroundPasses"
            )
            >= 1
        ),
        message="the worker's own pass to end",
        page=page,
    )
    page.wait_for_timeout(1000)

    log = _log_since(live_server, mark)
    assert log.count('"POST /api/v1/sync HTTP/1.1" 200') == 3  # 300 items, batches of 100, each sent once
    stored = submissions_since(live_server.db_path, before)
    assert len(stored) == len({row["uuid"] for row in stored}) == 300
    receipts = page.evaluate(
        "async () => (await (await import('/static/js/shopper-app/store.js')).all('receipts')).length"
    )
    assert receipts == 300


NO_MODULE_WORKERS_NOR_BACKGROUND_SYNC = """(() => {
    const register = ServiceWorkerContainer.prototype.register;
    ServiceWorkerContainer.prototype.register = function (url, options = {}) {
        if (options.type === "module") return Promise.reject(new TypeError("module service workers: not here"));
        return register.call(this, url, options);
    };
    Object.defineProperty(ServiceWorkerRegistration.prototype, "sync", { get: () => undefined });
    delete self.SyncManager;
})();"""


def test_without_module_workers_or_background_sync_the_page_sends_as_before(
    context, live_server, base_url, restore_demo
):
    """What Firefox before 147 and Safari before 15 get: the classic worker caches the shell, the page sends."""
    context.add_init_script(NO_MODULE_WORKERS_NOR_BACKGROUND_SYNC)
    before = last_submission_id(live_server.db_path)
    page = new_page(context)
    open_app(page, base_url, "shopper1@demo.test")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == base_url + "/sw-classic.js"
    go_offline(context)
    interviews = [exit_interview(n) for n in range(2)]
    for answers in interviews:
        capture(page, "Exit interviews", "Start a new exit interview", answers)
    page.evaluate("location.hash = '#/briefs'")
    page.reload()  # offline: the classic worker answers from its shell cache
    page.get_by_role("heading", name="My briefs").wait_for()
    expect_unsent(page, 2)
    assert submissions_since(live_server.db_path, before) == []
    go_online(context)
    wait_until(lambda: unsent(page) == 0, message="the page to send", page=page)
    stored = submissions_since(live_server.db_path, before)
    assert len(stored) == len({row["uuid"] for row in stored}) == 2


def test_sign_out_with_unsent_work_only_after_an_export_the_shopper_confirms(
    browser, context, live_server, base_url, restore_demo
):
    before = last_submission_id(live_server.db_path)
    page = new_page(context)
    open_app(page, base_url, "shopper2@demo.test")
    shopper2_briefs = set(page.locator(".card h2").all_inner_texts())
    go_offline(context)
    live_server.stop()  # nothing can be sent: neither by the page nor by the worker
    interviews = [exit_interview(n) for n in range(2)]
    for answers in interviews:
        capture(page, "Exit interviews", "Start a new exit interview", answers)
    open_brief(page, "Exit interviews")
    page.get_by_role("button", name="Start a new exit interview").click()
    answer_all(page, {"consent": exit_interview(5)["consent"]})  # a draft, not finished
    bodies = page.evaluate(PUT_BODIES)
    assert len(bodies) == 3

    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You cannot sign out yet: 3 items on this phone are not sent").wait_for()
    assert_accessible(page, "sign-out refused")
    sign_out = page.get_by_role("button", name="Delete the unsent work and sign out")
    sign_out.click()
    page.get_by_role("alert").get_by_text("Export the unsent work to a file first").wait_for()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export the unsent work").click()
    exported = json.loads(download.value.path().read_text())
    page.get_by_text("File produced:").wait_for()
    # Signed offline, with the key the session brought and the phone keeps (IndexedDB) with the session.
    kept = page.evaluate(
        "async () => (await (await import('/static/js/shopper-app/store.js')).getMeta('session')).exportKey"
    )
    assert exported["signature"]["session"] == kept["session"] and len(exported["signature"]["hmac"]) == 43
    assert (
        exported["format"] == "service-shopper-unsent-work"
        and exported["shopper"]["email"] == "shopper2@demo.test"
    )
    assert {body["uuid"]: body for body in exported["submissions"] + exported["drafts"]} == bodies
    assert len(exported["submissions"]) == 2 and len(exported["drafts"]) == 1
    assert sorted(
        (body["answers"] for body in exported["submissions"]), key=lambda a: a["interview_time"]
    ) == [expected(answers) for answers in interviews]

    sign_out.click()  # not yet confirmed
    page.get_by_role("alert").get_by_text("Tick “I have saved the file”").wait_for()
    assert page.evaluate(STORES)["items"] == 3
    assert_accessible(page, "sign-out after the export")
    page.get_by_label("I have saved the file").check()
    sign_out.click()
    page.get_by_role("heading", name="Sign in").wait_for()
    assert page.evaluate(STORES) == {
        "briefs": 0,
        "questionnaires": 0,
        "items": 0,
        "receipts": 0,
        "backgroundReport": 0,
    }

    live_server.start()
    go_online(context)  # the app ends the server session it could not end offline
    wait_until(
        lambda: page.request.get(base_url + "/api/v1/session").status == 401,
        message="the old session to end",
        page=page,
    )
    page.get_by_label("E-mail address").fill("shopper1@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My briefs").wait_for()
    assert not set(page.locator(".card h2").all_inner_texts()) & shopper2_briefs
    assert page.evaluate(STORES)["items"] == 0
    page.get_by_role("link", name="Outbox").click()
    page.get_by_text("Confirmed by the server (0)").wait_for()
    assert submissions_since(live_server.db_path, before) == []

    # The shopper hands the file to the coordinator, who imports it: nothing of it is lost.
    office = browser.new_context()
    coordinator = office.new_page()
    watch_page(coordinator)
    sign_in(coordinator, base_url, "coordinator@demo.test")
    coordinator.goto(base_url + "/coordinator/review")
    coordinator.get_by_role("link", name="Import a shopper's file of unsent work").click()
    forged = download.value.path().with_name("forged.json")  # shopper2's file, edited to name shopper1
    forged.write_bytes(
        download.value.path().read_bytes().replace(b"shopper2@demo.test", b"shopper1@demo.test")
    )
    coordinator.get_by_label("File of unsent work (.json)").set_input_files(forged)
    coordinator.get_by_role("button", name="Import").click()
    coordinator.get_by_text("The file's signature does not match").first.wait_for()
    coordinator.get_by_label("File of unsent work (.json)").set_input_files(download.value.path())
    coordinator.get_by_role("button", name="Import").click()
    coordinator.get_by_role("heading", name="Whose work is this?").wait_for()
    assert "shopper2@demo.test" in coordinator.locator(".import-confirm").inner_text()
    assert_accessible(coordinator, "the import's confirmation")
    assert submissions_since(live_server.db_path, before) == []
    coordinator.get_by_role("button", name=re.compile("^Import as ")).click()
    coordinator.get_by_role("heading", name=re.compile("^The file of ")).wait_for()
    summary = coordinator.locator(".import-result .summary").inner_text()
    assert "2 stored now" in summary and "1 unfinished draft(s)" in summary
    stored = submissions_since(live_server.db_path, before)
    assert sorted(uuid.UUID(row["uuid"]) for row in stored) == sorted(
        uuid.UUID(body["uuid"]) for body in exported["submissions"]
    )
    assert all(
        row["email"] == "shopper2@demo.test" and "imported" in json.loads(row["flags"]) for row in stored
    )
    assert_accessible(coordinator, "the import's result")
    coordinator.get_by_label("File of unsent work (.json)").set_input_files(download.value.path())
    coordinator.get_by_role("button", name="Import").click()  # the same file again: nothing twice
    coordinator.get_by_role("button", name=re.compile("^Import as ")).click()
    coordinator.get_by_text("2 received before").wait_for()
    assert len(submissions_since(live_server.db_path, before)) == 2
    office.close()
