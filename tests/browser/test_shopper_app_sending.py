"""How the shopper app sends its outbox, and what it shows meanwhile, in a real Chromium.

(a) Each of the page's own triggers, alone, with Background Sync taken away (as Firefox and Safari have
    none, these are all such a phone has): on start; on a timer whose pause doubles after each failure;
    from "Send now"; when the connection returns. A trigger is shown to have sent when nothing else could
    have yet: the timer's next turn is seconds away.
(b) Where the browser has Background Sync, finishing an item offline registers the outbox's sync tag. Where the
    shopper lets the installed app sync periodically, it registers that too, and the worker sends on it.
(c) What the shopper sees: "Sending n of N…" while a long send is under way; why it failed and when it tries
    again; an item the server refused, with the refusal, kept on the phone to fix or export.
"""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.shopper_app.browser_kit import (
    SYNC_TAG,
    SyncEvents,
    capture,
    exit_interview,
    expect_unsent,
    expected,
    go_offline,
    go_online,
    items_on_phone,
    last_submission_id,
    new_page,
    open_app,
    seed_queue,
    submissions_since,
    unsent,
    wait_until,
)

ANSWERS = expected(exit_interview(2))
NO_BACKGROUND_SYNC = """(() => {
    Object.defineProperty(ServiceWorkerRegistration.prototype, "sync", { get: () => undefined });
    delete self.SyncManager;
})();"""
SYNC_TAGS_REGISTERED = """(() => {
    window.__syncTags = [];
    const register = SyncManager.prototype.register;
    SyncManager.prototype.register = function (tag) { window.__syncTags.push(tag); return register.call(this, tag); };
})();"""
# The shopper reads why in plain words, with no status code (the app's own wording, i18n).
RETRY_MESSAGE = re.compile(r"Not reached the server; trying again in (\d+) s\.")


class SessionChecks:
    """The app's online check (GET /api/v1/session) as the page makes it: each one's time, answered 503 while
    ``failing``. Requests of the service worker pass untouched: only the page's triggers are under test. Made
    once the app has started: its start makes a check of its own besides the send's."""

    def __init__(self, context):
        self.failing = False
        self.times = []
        context.route("**/api/v1/session", self._handle)

    def _handle(self, route):
        request = route.request
        if request.method != "GET" or request.service_worker is not None:
            route.fallback()
            return
        self.times.append(time.monotonic())
        if self.failing:
            route.fulfill(
                status=503,
                content_type="application/problem+json",
                body=json.dumps({"status": 503, "code": "unavailable", "title": "Unavailable"}),
            )
        else:
            route.fallback()


class SyncPosts:
    """Every POST /api/v1/sync: when it came, and how many items it carried."""

    def __init__(self, context):
        self.posts = []
        context.route("**/api/v1/sync", self._handle)

    def _handle(self, route):
        self.posts.append((time.monotonic(), len(json.loads(route.request.post_data)["submissions"])))
        route.fallback()


def _retry_delay(page) -> int:
    """The pause the status line announces before the next try; 0 while it announces none (a try under way)."""
    announced = RETRY_MESSAGE.search(page.locator("#sync-state").inner_text())
    return int(announced.group(1)) if announced else 0


def _fail_until_the_pause_is_long(page, checks: SessionChecks) -> float:
    """Let the app fail three times, so that its next try is at least six seconds away; when it said so."""
    wait_until(
        lambda: len(checks.times) >= 3 and _retry_delay(page) >= 6,
        timeout=30,
        message="a third failed attempt",
        page=page,
    )
    return time.monotonic()


@pytest.fixture
def without_background_sync(context, base_url):
    """shopper2's app in a browser without Background Sync: only the page's own triggers can send."""
    context.add_init_script(NO_BACKGROUND_SYNC)
    page = new_page(context)
    open_app(page, base_url, "shopper2@demo.test")
    return page


def test_on_start_and_on_a_timer_whose_pause_doubles_after_each_failure(
    without_background_sync, context, live_server, restore_demo
):
    page = without_background_sync
    before = last_submission_id(live_server.db_path)
    seed_queue(page, "exit_interview", 2, ANSWERS)
    page.reload()  # the start sends: nothing else would within the minute (no failure has set the timer)
    wait_until(
        lambda: len(submissions_since(live_server.db_path, before)) == 2,
        timeout=10,
        message="the start to send",
        page=page,
    )
    expect_unsent(page, 0)

    seed_queue(page, "exit_interview", 3, ANSWERS)
    checks = SessionChecks(context)
    checks.failing = True
    page.get_by_role("link", name="Outbox").click()
    page.get_by_role("button", name="Send now").click()  # the first try; the timer makes the rest
    expect(page.locator("#sync-state")).to_have_text(  # why, and when it tries again
        re.compile(r"Not reached the server; trying again in [23] s\.")
    )
    wait_until(lambda: len(checks.times) >= 3, timeout=20, message="three tries", page=page)
    checks.failing = False
    wait_until(lambda: unsent(page) == 0, timeout=20, message="the timer's fourth try to send", page=page)

    first, second, third, fourth = checks.times[:4]
    # 2, 4 and 8 s, each ± 25 % (so that phones do not retry in step); a timer may run late on a busy machine
    assert 1.4 <= second - first <= 3.6
    assert 2.9 <= third - second <= 6.0
    assert 5.9 <= fourth - third <= 11.0
    expect(page.locator("#sync-state")).to_have_text(re.compile("all sent"))
    stored = submissions_since(live_server.db_path, before)
    assert len(stored) == 5 and all(json.loads(row["answers"]) == ANSWERS for row in stored)


def test_from_send_now_and_when_the_connection_returns_each_at_once(
    without_background_sync, context, live_server, restore_demo
):
    page = without_background_sync
    before = last_submission_id(live_server.db_path)
    seed_queue(page, "exit_interview", 2, ANSWERS)
    checks, posts = SessionChecks(context), SyncPosts(context)
    checks.failing = True
    page.get_by_role("link", name="Outbox").click()
    page.get_by_role("button", name="Send now").click()
    pause_announced = _fail_until_the_pause_is_long(page, checks)
    checks.failing = False

    page.get_by_role("button", name="Send now").click()
    wait_until(lambda: unsent(page) == 0, timeout=10, message="Send now to send", page=page)
    assert (
        posts.posts and posts.posts[0][0] - pause_announced < 5.5
    )  # before the timer's turn (6 s at the soonest)
    page.get_by_text("Confirmed by the server (2)").wait_for()

    go_offline(context)
    seed_queue(page, "exit_interview", 2, ANSWERS)
    for _ in range(3):  # each Send now offline fails, and doubles the pause before the timer's next try
        page.get_by_role("button", name="Send now").click()
        page.wait_for_timeout(300)
    wait_until(
        lambda: _retry_delay(page) >= 6, timeout=20, message="a pause of six seconds or more", page=page
    )
    sent_before = len(posts.posts)
    went_online = time.monotonic()
    go_online(context)
    wait_until(lambda: unsent(page) == 0, timeout=10, message="the app to send when back online", page=page)
    assert len(posts.posts) > sent_before and posts.posts[sent_before][0] - went_online < 5.5
    assert len(submissions_since(live_server.db_path, before)) == 4


def test_finishing_an_item_offline_registers_background_sync(context, live_server, base_url, restore_demo):
    context.add_init_script(SYNC_TAGS_REGISTERED)
    page = new_page(context)
    open_app(page, base_url, "shopper1@demo.test")
    assert page.evaluate("window.__syncTags") == []
    go_offline(context)
    capture(page, "Exit interviews", "Start a new exit interview", exit_interview(3))
    wait_until(lambda: SYNC_TAG in page.evaluate("window.__syncTags"), message="the sync tag", page=page)
    expect_unsent(page, 1)


def test_with_the_permission_the_app_registers_periodic_sync_and_the_worker_sends_on_it(
    playwright, launch_options, live_server, base_url, tmp_path, restore_demo
):
    """Chromium lets an installed app sync periodically once the shopper allows it; a test browser installs
    nothing, so the permission is set through the DevTools protocol (it takes a profile of its own)."""
    before = last_submission_id(live_server.db_path)
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", service_workers="allow", **launch_options
    )
    context.add_init_script(
        NO_BACKGROUND_SYNC
    )  # so that only the periodic event can send, once the page is closed
    try:
        page = new_page(context)
        open_app(page, base_url, "shopper1@demo.test")
        tags = "async () => (await navigator.serviceWorker.ready).periodicSync.getTags()"
        assert page.evaluate(tags) == []  # not without the permission
        context.new_cdp_session(page).send(
            "Browser.setPermission",
            {"origin": base_url, "permission": {"name": "periodic-background-sync"}, "setting": "granted"},
        )
        page.reload()
        wait_until(
            lambda: page.evaluate(tags) == [SYNC_TAG], message="the periodic sync registration", page=page
        )

        go_offline(context)
        live_server.stop()  # nothing reaches the server until the periodic event (the worker's fetches too)
        capture(page, "Exit interviews", "Start a new exit interview", exit_interview(4))
        page.close()
        go_online(context)
        live_server.start()
        SyncEvents(context, base_url).dispatch_periodic()
        wait_until(
            lambda: len(submissions_since(live_server.db_path, before)) == 1, message="the worker to send"
        )
    finally:
        context.close()
    assert json.loads(submissions_since(live_server.db_path, before)[0]["answers"]) == expected(
        exit_interview(4)
    )


def test_a_long_send_shows_its_progress(without_background_sync, context, live_server, restore_demo):
    page = without_background_sync  # so that the page, not the worker, sends
    before = last_submission_id(live_server.db_path)
    seed_queue(page, "exit_interview", 250, ANSWERS)
    batches, held = [], []

    def hold_the_second_batch(route):
        if route.request.service_worker is None:
            batches.append(route)
            if len(batches) == 2:
                held.append(route)  # answered below, once the page has shown where it stands
                return
        route.fallback()

    context.route("**/api/v1/sync", hold_the_second_batch)
    page.get_by_role("link", name="Outbox").click()
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#sync-state")).to_have_text("Sending 100 of 250…")
    assert held and unsent(page) == 150
    held[0].fallback()
    wait_until(lambda: unsent(page) == 0, message="the rest of the send", page=page)
    expect(page.locator("#sync-state")).to_have_text(re.compile("all sent"))
    assert len(submissions_since(live_server.db_path, before)) == 250


def test_an_item_the_server_refuses_stays_on_the_phone_with_the_reason(
    without_background_sync, live_server, restore_demo
):
    page = without_background_sync
    before = last_submission_id(live_server.db_path)
    seed_queue(page, "exit_interview", 1, {**ANSWERS, "satisfaction": "very"})
    seed_queue(page, "exit_interview", 1, ANSWERS)
    page.get_by_role("link", name="Outbox").click()
    page.get_by_role("button", name="Send now").click()

    refusal = page.locator(".outbox .notice-error")
    expect(refusal).to_contain_text("The server did not accept this: Some fields are not valid")
    question = _question_text(page, "satisfaction")
    expect(refusal.locator("li")).to_have_text([re.compile("^" + re.escape(question) + ": .+")])
    expect(refusal.get_by_role("button", name="Export this item")).to_be_visible()
    expect(refusal.get_by_role("button", name="Try again")).to_be_visible()
    assert_accessible(page, "the outbox with an item the server refused")
    page.get_by_text("Confirmed by the server (1)").wait_for()
    expect_unsent(page, 1)  # kept on the phone: to fix, or to export for the coordinator
    assert [(item["status"], item["problem"]["code"]) for item in items_on_phone(page)] == [
        ("rejected", "validation_failed")
    ]
    stored = submissions_since(live_server.db_path, before)
    assert len(stored) == 1 and json.loads(stored[0]["answers"]) == ANSWERS


def _question_text(page, key: str) -> str:
    return page.evaluate(
        """async (key) => {
        const store = await import('/static/js/shopper-app/store.js');
        const brief = (await store.all('briefs')).find((b) => b.channel === 'exit_interview');
        const version = await store.questionnaire(brief.questionnaire_id, brief.questionnaire_version);
        return version.sections.flatMap((s) => s.questions).find((q) => q.key === key).text;
    }""",
        key,
    )
