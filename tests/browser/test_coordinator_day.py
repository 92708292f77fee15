"""The coordinator's day in Chromium: from each count on the home page to the items behind it, on the demo
programme; the new pages (home, programmes, a new programme) pass axe."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, csp_violations, sign_in


def _todos(page) -> dict[str, tuple[int, str]]:
    """Each to-do on the home page: its key, count and link."""
    found = {}
    for item in page.locator("li[data-todo]").all():
        link = item.get_by_role("link")
        count = int(link.locator(".count").inner_text().replace(",", ""))
        found[item.get_attribute("data-todo")] = (count, link.get_attribute("href"))
    return found


def _follow(page, base_url, href: str) -> None:
    page.goto(base_url + href)
    page.wait_for_load_state()


def test_a_coordinator_walks_from_each_count_on_the_home_page_to_the_items_behind_it(page, base_url):
    sign_in(page, base_url, "coordinator@demo.test")
    page.wait_for_url(base_url + "/coordinator")
    expect(page.get_by_role("heading", name="To do")).to_be_visible()
    assert_accessible(page, "coordinator home")
    todos = _todos(page)
    waves = {key.split("-")[1] for key in todos if "-" in key}
    assert {"review", "returned", "applicants"} <= set(todos) and waves
    # The demo leaves something in most of them, so the walk below reaches real items.
    assert todos["review"][0] > 0 and todos["returned"][0] > 0 and todos["applicants"][0] > 0
    expect(page.locator(".todos")).to_contain_text(re.compile(r"the oldest has waited \d+ (day|hour|minute)"))
    bars = page.locator("section.wave-progress progress")
    assert bars.count() >= 1 and bars.first.get_attribute("aria-label")

    count, href = todos["review"]
    _follow(page, base_url, href)
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(page.locator("caption")).to_contain_text(f"{count:,} report(s)")
    rows = page.locator("tbody tr")
    assert rows.count() == min(count, 50)
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Report #\d+"))

    count, href = todos["returned"]
    _follow(page, base_url, href)
    expect(page.locator("caption")).to_contain_text(f"{count:,} report(s)")
    for row in page.locator("tbody tr").all():
        expect(row.locator("td.state")).to_contain_text("Returned for changes")

    count, href = todos["applicants"]
    _follow(page, base_url, href)
    expect(page.locator("caption").first).to_contain_text(f"Waiting for a decision, oldest first ({count:,})")
    page.locator("tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_text("Waiting for a decision").first).to_be_visible()

    for wave in sorted(waves):
        count, href = todos[f"unassigned-{wave}"]
        _follow(page, base_url, href)
        summary = page.locator("section.plan-summary")
        expect(summary).to_be_visible()
        if count:
            expect(summary).to_contain_text(f"{count:,} still to assign")
        expect(page.get_by_role("button", name="Assign automatically")).to_be_visible()

        count, href = todos[f"late-{wave}"]
        _follow(page, base_url, href)
        expect(page.get_by_label("Past their window, not done")).to_be_checked()
        expect(page.locator("caption")).to_contain_text(f"{count:,} assignment(s)")

        count, href = todos[f"blocks-{wave}"]
        _follow(page, base_url, href)
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Phone-bank blocks: "))
        if count:
            seats = [
                tuple(map(int, re.findall(r"\d+", cell.inner_text())))
                for cell in page.locator("tbody tr td:nth-child(2)").all()
            ]
            assert any(booked < of for booked, of in seats), seats
    assert csp_violations(page) == []


def test_the_programme_pages_pass_axe_and_a_bad_copy_is_explained(page, base_url):
    sign_in(page, base_url, "coordinator@demo.test")
    page.get_by_role("link", name="Programmes", exact=True).click()
    page.wait_for_url(base_url + "/programmes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your programmes")
    assert_accessible(page, "programmes")
    page.get_by_role("link", name="New programme").click()
    page.wait_for_url(base_url + "/programmes/new")
    assert_accessible(page, "new programme")
    page.get_by_label("Name of the programme").fill("Next year")
    page.get_by_label("Start from").select_option(index=1)  # the demo programme: its wave is still open
    page.get_by_label("Name of the new partnership").fill("Copy partnership")
    page.get_by_label("First wave starts on").fill("2027-03-01")
    page.get_by_label("First wave ends on").fill("2027-04-30")
    page.get_by_role("button", name="Create the programme").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("is still running")
    assert_accessible(page, "new programme with an error")
