"""An exit interview the resident declines is recorded with its one answer, and nothing else reaches the server."""

import json

from tests.shopper_app.browser_kit import (
    answer_all,
    exit_interview,
    last_submission_id,
    new_page,
    open_app,
    submissions_since,
    unsent,
    wait_until,
)


def test_a_declined_exit_interview_keeps_nothing_but_the_refusal(
    browser, base_url, live_server, restore_demo
):
    before = last_submission_id(live_server.db_path)
    context = browser.new_context(service_workers="allow")
    try:
        page = new_page(context)
        open_app(page, base_url, "shopper1@demo.test")
        page.goto(page.url.split("#")[0] + "#/briefs")
        page.locator(".card").filter(has_text="Exit interviews").first.locator("h2 a").click()
        page.get_by_role("button", name="Start a new exit interview").click()
        started = exit_interview(0)
        answer_all(page, {key: started[key] for key in ("consent", "interview_time")})
        answer_all(page, {"consent": (("label", "No"), False)})  # the resident changes their mind
        page.get_by_role("button", name="Finish and send").click()
        wait_until(lambda: unsent(page) == 0, page=page, message="the declined interview to be sent")
    finally:
        context.close()
    stored = submissions_since(live_server.db_path, before)
    assert [(row["kind"], json.loads(row["answers"])) for row in stored] == [
        ("exit_interview", {"consent": False})
    ]
