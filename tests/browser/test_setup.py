"""Programme set-up and the questionnaire builder in a real Chromium: the main path, and axe on every page."""

import re

from playwright.sync_api import expect

from app.programmes.setup_kinds import KINDS
from tests.browser.conftest import accessibility_problems, csp_violations, sign_in


def _programme_path(page, base_url) -> str:
    """The demo programme's set-up address, found as the coordinator finds it: from their home page."""
    sign_in(page, base_url, "coordinator@demo.test")
    href = page.get_by_role("link", name="Set-up overview").get_attribute("href")
    return re.fullmatch(r"(/programmes/\d+)/setup", href).group(1)


def test_a_coordinator_builds_a_questionnaire_from_a_template_and_previews_it(page, base_url, restore_demo):
    programme = _programme_path(page, base_url)
    page.get_by_role("link", name="Questionnaires").first.click()
    page.wait_for_url(base_url + programme + "/questionnaires")

    page.get_by_label("Template").select_option("website_task")
    page.get_by_role("button", name="Make from template").click()
    page.wait_for_url(re.compile(r".*/questionnaire-versions/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Website task, version 1"
    builder_url = page.url

    page.get_by_role("link", name="Add a question to Accessible").click()
    page.get_by_label("Question", exact=True).fill("Did the page work with a screen reader?")
    page.get_by_label("Key").fill("screen_reader")
    page.get_by_label("Type of answer").select_option("single_choice")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("alert"), "a choice question without options is refused").to_be_visible()
    page.get_by_label("Options (choice questions only)").fill(
        "yes | Yes, fully | 1\npartly | Partly | 0.5\nno | No | 0"
    )
    page.get_by_label("Help text for the shopper").fill("Try it with the screen reader on your phone.")
    page.get_by_role("button", name="Save question").click()
    page.wait_for_url(re.compile(re.escape(builder_url) + r"#question-\d+$"))
    expect(page.get_by_text("Question “screen_reader” saved.")).to_be_visible()

    page.get_by_role("link", name="Preview as the shopper sees it").click()
    preview = page.get_by_role("group", name="Did the page work with a screen reader?")
    expect(preview.get_by_label("Partly")).to_be_disabled()
    expect(page.get_by_text("Try it with the screen reader on your phone.")).to_be_visible()
    assert csp_violations(page) == []


def _pages(programme: str) -> dict:
    """Name -> what to do on the page (after going to it) before the check."""
    pages = {"set-up overview": (programme + "/setup", None)}
    for kind in KINDS:
        pages[f"{kind.plural} list"] = (f"{programme}/{kind.slug}", None)
        pages[f"add a {kind.singular} (with errors)"] = (f"{programme}/{kind.slug}/new", _submit_empty)
        pages[f"change a {kind.singular}"] = (f"{programme}/{kind.slug}", _open_first_change)
    pages.update(
        {
            "settings": (programme + "/settings", None),
            "confidentiality statement": (programme + "/confidentiality", None),
            "questionnaires": (programme + "/questionnaires", None),
            "builder, read-only (used by the demo's reports)": (
                programme + "/questionnaires",
                _open_first("View"),
            ),
            "builder": (programme + "/questionnaires", _new_version_to_build),
            "preview": (programme + "/questionnaires", _open_first("Preview")),
            "question form (with errors)": (programme + "/questionnaires", _question_form_with_errors),
        }
    )
    return pages


def _submit_empty(page):
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_be_visible()


def _open_first_change(page):
    page.get_by_role("link", name=re.compile("^Change")).first.click()
    page.wait_for_load_state()


def _open_first(name):
    def open_(page):
        page.get_by_role("link", name=re.compile(f"^{name}")).first.click()
        page.wait_for_load_state()

    return open_


def _new_version_to_build(page):
    """The demo's versions are frozen (its reports used them): build on a new version of the first one."""
    _open_first("View")(page)
    page.get_by_role("button", name="New version from this one").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name=re.compile("^Add a question")).first).to_be_visible()


def _question_form_with_errors(page):
    _new_version_to_build(page)
    page.get_by_role("link", name=re.compile("^Add a question")).first.click()
    page.get_by_role("button", name="Save question").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_be_visible()


def test_every_set_up_and_questionnaire_page_is_accessible(page, base_url):
    programme = _programme_path(page, base_url)
    failures = {}
    for name, (path, action) in _pages(programme).items():
        page.goto(base_url + path)
        if action:
            action(page)
        assert page.document_responses[-1].status in (200, 422), name
        problems = accessibility_problems(page)
        if problems:
            failures[name] = problems
    assert not failures, "\n\n".join(f"{name}:\n{report}" for name, report in failures.items())
