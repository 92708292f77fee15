"""The coordinator's results pages in Chromium on the demo data: reached from the navigation, charts drawn,
and every page free of serious or critical axe violations under the strict CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

RESULTS_PAGES = {
    "overview": "Overview",
    "league tables": "League tables",
    "trend": "Trend",
    "standards and measures": "Standards and measures",
    "strengths and weaknesses": "Strengths and weaknesses",
    "reports": "Reports",
}


def _open_results(page, base_url):
    sign_in(page, base_url, "coordinator@demo.test")
    page.get_by_role("link", name="Results", exact=True).click()
    page.wait_for_url(re.compile(r".*/programmes/\d+/results$"))


@pytest.mark.parametrize("link", list(RESULTS_PAGES.values()), ids=list(RESULTS_PAGES))
def test_results_page_is_accessible(page, base_url, link):
    _open_results(page, base_url)
    page.get_by_role("navigation", name="Results").get_by_role("link", name=link).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.document_responses[-1].status == 200
    assert_accessible(page, link)


def test_the_overview_chart_draws_the_channels_and_the_reference(page, base_url):
    _open_results(page, base_url)
    chart = page.get_by_role("img", name=re.compile("score per channel"))
    expect(chart).to_be_visible()
    assert page.locator("svg.chart rect").count() >= 6
    assert page.locator("svg.chart line.reference").count() >= 1
    expect(page.get_by_text(re.compile(r"(above|below) the reference|no clear difference"))).to_have_count(4)
