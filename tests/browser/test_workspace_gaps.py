"""The coordinator's workspace gaps in Chromium: a shopper's availability, an applicant editing their
application, and a coordinator taking a report into review. Every page (and its error state) passes axe."""

import re
import sqlite3

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_planning import _a_report, _check_page


def test_a_shopper_sets_availability_and_an_applicant_edits_their_application(page, base_url, restore_demo):
    sign_in(page, base_url, "shopper1@demo.test")
    page.get_by_role("link", name="My availability").click()
    page.wait_for_url(base_url + "/account/availability")
    _check_page(page)
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_role("button", name="Save my availability").click()
    page.wait_for_load_state()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    _check_page(page)  # the error state
    page.get_by_label("Weekends").check()
    page.get_by_role("button", name="Save my availability").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Your availability is saved")).to_be_visible()
    assert (
        page.get_by_label("Weekends").is_checked() and not page.get_by_label("Weekday evenings").is_checked()
    )

    page.context.clear_cookies()
    sign_in(page, base_url, "applicant@demo.test")
    page.goto(base_url + "/application")
    page.get_by_role("link", name="Edit your application").click()
    page.wait_for_url(base_url + "/account/details")
    _check_page(page)
    page.get_by_label("Neighbourhood or town").fill("")
    page.get_by_role("button", name="Save my details").click()
    page.wait_for_load_state()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    _check_page(page)
    page.get_by_label("Neighbourhood or town").fill("Riverside")
    page.get_by_role("button", name="Save my details").click()
    page.wait_for_url(base_url + "/application")
    expect(page.get_by_text("Your details are saved.")).to_be_visible()


def test_a_coordinator_takes_a_report_into_review_and_the_queue_names_them(
    page, base_url, live_server, restore_demo
):
    with sqlite3.connect(live_server.db_path) as connection:  # the demo's own reports include some in review
        (before,) = connection.execute("SELECT count(*) FROM submission WHERE state = 'in_review'").fetchone()
    _a_report(page, base_url, live_server)
    page.get_by_role("button", name="Start review").click()
    page.wait_for_load_state()
    expect(page.get_by_text("You are reviewing this report")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Being reviewed by .*\(revision"))).to_be_visible()
    _check_page(page)
    page.goto(base_url + "/coordinator/review")
    in_review = page.locator("tbody tr", has_text="Being reviewed")
    assert before and in_review.count() == before + 1
    assert all(row.get_by_role("cell").nth(4).inner_text().strip() != "—" for row in in_review.all())
    _check_page(page)
