"""The partner manager's results in Chromium on the demo data (issue 18): reached from the home page and the
navigation, each page free of serious or critical axe violations under the strict CSP."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

PAGES = ("Our results", "Benchmark", "Visit and call log", "How we were shopped")


def test_the_partner_results_pages_are_accessible(page, base_url):
    sign_in(page, base_url, "manager@demo.test")
    page.goto(base_url + "/")
    page.wait_for_url(re.compile(r".*/results$"))
    assert_accessible(page, "results index")
    page.get_by_role("link", name=re.compile(r"^Wave 1")).click()
    for name in PAGES:
        page.get_by_role("navigation", name=re.compile("Results of")).get_by_role("link", name=name).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.document_responses[-1].status == 200
        assert_accessible(page, name)
    page.get_by_role("navigation", name=re.compile("Results of")).get_by_role(
        "link", name="Visit and call log"
    ).click()
    page.locator("article.log-item h2 a").first.click()
    expect(page.get_by_role("heading", name="Answers")).to_be_visible()
    assert_accessible(page, "one report")


def test_the_release_pages_and_the_preview_are_accessible(page, base_url):
    sign_in(page, base_url, "coordinator@demo.test")
    page.get_by_role("link", name="Releases", exact=True).click()
    page.wait_for_url(re.compile(r".*/releases$"))
    assert_accessible(page, "releases")
    page.get_by_role("link", name=re.compile(r"^Wave 1")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Release Wave 1"))
    assert_accessible(page, "a wave's releases")
    page.get_by_role("link", name=re.compile(r"^Preview what Kingsmere")).click()
    expect(page.get_by_text("Preview.")).to_be_visible()
    assert_accessible(page, "preview")
