"""A report returned by the coordinator is fixed in the shopper's app and approved: one report, two revisions."""

import re
import sqlite3

from tests.browser.conftest import sign_in
from tests.shopper_app.browser_kit import (
    VISIT,
    capture,
    last_submission_id,
    new_page,
    open_app,
    unsent,
    wait_until,
)


def _submission(db_path, submission_id):
    with sqlite3.connect(db_path) as connection:
        connection.row_factory = sqlite3.Row
        return dict(
            connection.execute(
                "select id, state, revision, notes, review_comment from submission where id = ?",
                (submission_id,),
            ).fetchone()
        )


def _count_since(db_path, after_id):
    with sqlite3.connect(db_path) as connection:
        return connection.execute("select count(*) from submission where id > ?", (after_id,)).fetchone()[0]


def test_a_returned_report_is_fixed_in_the_app_and_approved(browser, base_url, live_server, restore_demo):
    before = last_submission_id(live_server.db_path)
    shopper_context = browser.new_context(service_workers="allow")
    coordinator_context = browser.new_context()
    try:
        phone = new_page(shopper_context)
        open_app(phone, base_url, "shopper1@demo.test")
        capture(phone, "In person", "Start the visit", VISIT, notes="First go")
        wait_until(lambda: unsent(phone) == 0, page=phone, message="the visit to be sent")
        submission_id = last_submission_id(live_server.db_path)
        assert submission_id > before

        desk = coordinator_context.new_page()
        sign_in(desk, base_url, "coordinator@demo.test")
        desk.goto(f"{base_url}/coordinator/review/{submission_id}")
        desk.get_by_label("What should the shopper change?").fill(
            "Please add how long you waited to be seen."
        )
        desk.get_by_role("button", name="Return to the shopper").click()
        wait_until(
            lambda: _submission(live_server.db_path, submission_id)["state"] == "returned",
            page=desk,
            message="the report to be returned",
        )

        phone.reload()  # the app reads its briefs on start; the returned one carries the comment
        phone.get_by_role("link", name="Outbox").click()
        phone.get_by_text(re.compile("Returned by the coordinator: Please add how long")).wait_for()
        phone.get_by_role("link", name="Edit and resubmit").click()
        phone.get_by_label("Notes for the coordinator").fill("Waited 12 minutes to be seen.")
        phone.get_by_role("button", name="Finish and send").click()
        wait_until(
            lambda: _submission(live_server.db_path, submission_id)["revision"] == 2,
            page=phone,
            message="the second revision to arrive",
        )
        fixed = _submission(live_server.db_path, submission_id)
        assert fixed["state"] == "submitted" and fixed["notes"] == "Waited 12 minutes to be seen."
        assert _count_since(live_server.db_path, before) == 1  # a new revision, not a new report

        desk.goto(f"{base_url}/coordinator/review/{submission_id}")
        desk.get_by_role("button", name="Approve").click()
        wait_until(
            lambda: _submission(live_server.db_path, submission_id)["state"] == "approved",
            page=desk,
            message="the report to be approved",
        )
    finally:
        shopper_context.close()
        coordinator_context.close()
