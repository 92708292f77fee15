"""The shopper app offline, in a real Chromium: capture with no signal, reload, restart, then sync exactly once."""

import json
import re
from pathlib import Path

from tests.browser.conftest import DEMO_PASSWORD
from tests.shopper_app.browser_kit import (
    CALL,
    VISIT,
    capture,
    exit_interview,
    expect_unsent,
    expected,
    go_offline,
    go_online,
    last_submission_id,
    new_page,
    open_app,
    submissions_since,
    unsent,
    wait_until,
)

ICON = Path(__file__).parents[2] / "app" / "static" / "icons" / "icon-512.png"


def _attach_photo(page):
    page.locator('.question[data-key="entrance_photo"] input[type=file]').set_input_files(str(ICON))
    page.get_by_text("Photo attached").wait_for()


def test_offline_work_survives_reload_and_restart_and_reaches_the_server_exactly_once(
    playwright, launch_options, live_server, base_url, tmp_path, restore_demo
):
    before = last_submission_id(live_server.db_path)
    profile = tmp_path / "profile"
    context = playwright.chromium.launch_persistent_context(
        profile, service_workers="allow", **launch_options
    )
    try:
        page = new_page(context)
        open_app(page, base_url, "shopper1@demo.test")
        go_offline(context)
        capture(page, "In person", "Start the visit", VISIT, notes="Visit notes", before_finish=_attach_photo)
        interviews = [exit_interview(n) for n in range(3)]
        for answers in interviews:
            capture(page, "Exit interviews", "Start a new exit interview", answers)
        capture(page, "Telephone", "Start the call log", CALL)
        expect_unsent(page, 5)

        page.evaluate("location.hash = '#/briefs'")
        page.reload()  # offline: the service worker answers, IndexedDB still holds everything
        page.get_by_role("heading", name="My briefs").wait_for()
        expect_unsent(page, 5)
        # ... with every module under its hashed name (the shell's import map), from the worker's cache.
        modules = page.evaluate(
            "performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)"
            ".filter((path) => path.startsWith('/static/js/'))"
        )
        assert {re.sub(r"-[0-9a-f]{32}(?=\.js$)", "", path) for path in modules} >= {
            "/static/js/shopper-app/main.js",
            "/static/js/shopper-app/store.js",
            "/static/js/shopper-app/sync.js",
        }
        assert all(re.search(r"-[0-9a-f]{32}\.js$", path) for path in modules), modules
    finally:
        context.close()

    context = playwright.chromium.launch_persistent_context(
        profile, service_workers="allow", offline=True, **launch_options
    )
    try:
        go_offline(context)
        page = new_page(context)
        page.goto(base_url + "/app")
        page.get_by_role("heading", name="My briefs").wait_for()
        # Nothing lost across the restart. The machine's real network is up while Chromium starts, so the
        # service worker's pending Background Sync may send before the emulated offline reaches it: each
        # item is then on the server instead of on the phone, never both and never neither.
        wait_until(
            lambda: unsent(page) + len(submissions_since(live_server.db_path, before)) == 5,
            page=page,
            message="every item on the phone or on the server, once",
        )

        go_online(context)
        wait_until(lambda: unsent(page) == 0, message="the outbox to empty")
        page.get_by_role("link", name="Outbox").click()
        page.get_by_text("Confirmed by the server (5)").wait_for()
    finally:
        context.close()

    stored = submissions_since(live_server.db_path, before)
    assert [row["kind"] for row in stored].count("visit") == 1
    assert len(stored) == 5 and {row["email"] for row in stored} == {"shopper1@demo.test"}
    answers = [json.loads(row["answers"]) for row in stored]
    visit = next(row for row in stored if row["kind"] == "visit")
    visit_answers = json.loads(visit["answers"])
    assert {k: visit_answers[k] for k in expected(VISIT)} == expected(VISIT)
    assert visit_answers["entrance_photo"] == json.loads(visit["evidence"])[0]["id"]
    assert visit["notes"] == "Visit notes"
    exit_answers = sorted(
        (a for a, row in zip(answers, stored, strict=False) if row["kind"] == "exit_interview"),
        key=lambda a: a["interview_time"],
    )
    assert exit_answers == [expected(i) for i in interviews]
    call = next(a for a, row in zip(answers, stored, strict=False) if row["kind"] == "call")
    assert call == expected(CALL)


# --- a shared phone, the gate, and accessibility ----------------------------------------------------------------


from tests.browser.conftest import assert_accessible  # noqa: E402
from tests.shopper_app.browser_kit import answer_all, open_brief  # noqa: E402


def test_sign_out_refuses_unsent_work_then_leaves_nothing_for_the_next_user(page, base_url, restore_demo):
    open_app(page, base_url, "shopper2@demo.test")
    assert_accessible(page, "my briefs")
    shopper2_briefs = page.locator(".card h2").all_inner_texts()
    open_brief(page, "Exit interviews")
    assert_accessible(page, "one brief")
    page.get_by_role("button", name="Start a new exit interview").click()
    page.get_by_role("button", name="Finish and send").wait_for()
    assert_accessible(page, "exit interview capture")
    answers = exit_interview(2)
    answer_all(page, {"consent": answers["consent"]})

    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You cannot sign out yet: 1 item on this phone is not sent").wait_for()
    assert_accessible(page, "account with the sign-out refused")

    page.get_by_role("link", name="Outbox").click()
    page.get_by_role("heading", name="Not yet sent (1)").wait_for()
    assert_accessible(page, "outbox")
    page.locator(".outbox a").first.click()
    page.get_by_role("button", name="Finish and send").click()  # the error summary names what is missing
    page.get_by_role("alert").get_by_text("Some answers are missing").wait_for()
    assert_accessible(page, "capture with missing answers")
    answer_all(page, answers)
    page.get_by_role("button", name="Finish and send").click()
    wait_until(lambda: unsent(page) == 0, message="the interview to be sent", page=page)

    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    left = page.evaluate("""async () => {
        const store = await import('/static/js/shopper-app/store.js');
        const counts = {};
        for (const name of ['briefs', 'questionnaires', 'items', 'receipts']) {
            counts[name] = (await store.all(name)).length;
        }
        return counts;
    }""")
    assert left == {"briefs": 0, "questionnaires": 0, "items": 0, "receipts": 0}
    assert page.request.get(base_url + "/api/v1/session").status == 401
    assert_accessible(page, "sign-in")

    page.get_by_label("E-mail address").fill("shopper1@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My briefs").wait_for()
    assert not set(page.locator(".card h2").all_inner_texts()) & set(shopper2_briefs)
    page.get_by_role("link", name="Outbox").click()
    page.get_by_text("Confirmed by the server (0)").wait_for()


def test_the_gate_comes_before_any_brief_in_the_app(page, base_url):
    page.goto(base_url + "/app")
    page.get_by_label("E-mail address").fill("newshopper@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Confidentiality", exact=True).wait_for()
    assert page.locator(".card").count() == 0
    assert_accessible(page, "gate")
    page.reload()  # from the cached session too: the gate, never the briefs
    page.get_by_role("heading", name="Confidentiality", exact=True).wait_for()
    assert (
        page.evaluate(
            """async () => (await (await import('/static/js/shopper-app/store.js')).all('briefs')).length"""
        )
        == 0
    )
