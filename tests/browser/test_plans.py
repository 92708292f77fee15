"""Improvement plans and the wave report in Chromium on the demo data: the coordinator's dashboard, Kingsmere's
plan and its wave report reached from the navigation, each free of serious or critical axe violations."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def test_the_coordinators_plan_pages_and_the_wave_report_are_accessible(page, base_url):
    sign_in(page, base_url, "coordinator@demo.test")
    page.get_by_role("link", name="Improvement plans", exact=True).click()
    page.wait_for_url(re.compile(r".*/programmes/\d+/plans$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Improvement plans: progress per partner")
    assert_accessible(page, "plans dashboard")
    page.get_by_role("link", name=re.compile("^Kingsmere")).click()
    assert_accessible(page, "a partner's plans")
    page.get_by_role("link", name=re.compile(r"^Wave 1")).first.click()
    expect(page.get_by_role("heading", name=re.compile("^Actions$"))).to_be_visible()
    expect(page.get_by_text("Contact centre manager")).to_be_visible()
    assert_accessible(page, "a partner's plan")
    page.go_back()
    page.get_by_role("link", name="Wave report", exact=True).first.click()
    expect(page.get_by_role("heading", name="Contents")).to_be_visible()
    assert page.locator("svg.chart").count() >= 2
    assert_accessible(page, "the wave report")


def test_the_partner_managers_plan_and_report_are_accessible(page, base_url):
    sign_in(page, base_url, "manager@demo.test")
    page.get_by_role("link", name="Improvement plans", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Improvement plans: Kingsmere"))
    page.get_by_role("link", name=re.compile(r"^Wave 1")).first.click()
    expect(page.get_by_role("heading", name="Add an action")).to_be_visible()
    expect(page.get_by_label("Owner (a role, not a person)")).to_be_visible()
    assert_accessible(page, "the partner's plan")
    page.get_by_role("button", name="Add the action").click()  # nothing filled in: field errors
    expect(page.get_by_role("alert")).to_contain_text("Choose the finding.")
    assert_accessible(page, "the plan's field errors")
