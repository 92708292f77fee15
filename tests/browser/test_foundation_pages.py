"""The foundation pages in a real Chromium: sign-in, the gate, accessibility, CSP, service worker, installability."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, csp_violations, sign_in, watch_page


def test_gated_shopper_signs_in_and_sees_briefs(page, base_url):
    sign_in(page, base_url, "shopper1@demo.test")

    assert page.url == base_url + "/briefs"
    assert page.get_by_role("heading", level=1).inner_text() == "My briefs"
    assert page.locator(".card").count() >= 1


def test_new_shopper_passes_the_gate_before_seeing_briefs(page, base_url, restore_demo):
    sign_in(page, base_url, "newshopper@demo.test")
    assert page.url == base_url + "/gate/confidentiality"
    page.goto(base_url + "/briefs")
    assert page.url == base_url + "/gate/confidentiality", "no brief before the gate is passed"

    page.get_by_label(re.compile("I have read the confidentiality statement")).check()
    page.get_by_role("button", name="Acknowledge and continue").click()
    page.wait_for_url(base_url + "/gate/conflicts")

    page.get_by_label("No, I have no conflicts of interest").check()
    page.get_by_role("button", name="Submit declaration").click()
    page.wait_for_url(base_url + "/briefs")

    assert page.get_by_role("heading", level=1).inner_text() == "My briefs"
    assert page.locator(".card").count() >= 1


# --- every page: accessible, a strict CSP, and nothing the CSP had to block ------------------------------------


def _home(page, base_url):
    page.goto(base_url + "/")


def _sign_in_page(page, base_url):
    page.goto(base_url + "/sign-in")


def _sign_in_errors(page, base_url):
    page.goto(base_url + "/sign-in")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert"), "the error summary is shown").to_be_visible()


def _as(email, path=None):
    def visit(page, base_url):
        sign_in(page, base_url, email)
        if path:
            page.goto(base_url + path)

    return visit


def _first_brief(page, base_url):
    sign_in(page, base_url, "shopper1@demo.test")
    page.locator(".card h2 a").first.click()
    page.wait_for_url(re.compile(r".*/briefs/\d+$"))


def _coordinator_home(page, base_url):
    sign_in(page, base_url, "coordinator@demo.test")
    assert page.url == base_url + "/coordinator"


def _organisation(page, base_url):
    sign_in(page, base_url, "manager@demo.test")
    assert page.url == base_url + "/results"  # a partner manager's home is their results
    page.get_by_role("link", name="My organisation").click()
    page.wait_for_url(re.compile(re.escape(base_url) + r"/organisations/\d+$"))


PAGES = {
    "home": _home,
    "sign-in": _sign_in_page,
    "sign-in with errors": _sign_in_errors,
    "confidentiality": _as("newshopper@demo.test", "/gate/confidentiality"),
    "conflicts": _as("newshopper@demo.test", "/gate/conflicts"),
    "briefs": _as("shopper1@demo.test", "/briefs"),
    "one brief": _first_brief,
    "coordinator home": _coordinator_home,
    "organisation": _organisation,
}


@pytest.mark.parametrize("visit", list(PAGES.values()), ids=list(PAGES))
def test_page_is_accessible_and_keeps_to_a_strict_csp(page, base_url, visit):
    visit(page, base_url)
    document = page.document_responses[-1]
    assert document.url == page.url and document.status in (200, 422)

    csp = document.header_value("content-security-policy") or ""
    assert "script-src 'self'" in csp, csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    page.wait_for_load_state("networkidle")
    assert_accessible(page)


# --- the app shell ------------------------------------------------------------------------------------------


def test_service_worker_registers_for_the_whole_site(page, base_url):
    page.goto(base_url + "/")
    registration = page.evaluate(
        "async () => { const r = await navigator.serviceWorker.ready;"
        " return {scope: r.scope, script: r.active && r.active.scriptURL}; }"
    )
    assert registration == {"scope": base_url + "/", "script": base_url + "/sw.js"}
    assert "no-cache" in page.request.get(base_url + "/sw.js").headers["cache-control"]
    assert csp_violations(page) == []


def test_chromium_would_offer_to_install_the_app(playwright, launch_options, base_url, tmp_path):
    # An incognito context always answers "in-incognito": installability needs a real profile.
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", service_workers="allow", **launch_options
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        watch_page(page)
        page.goto(base_url + "/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        deadline = time.monotonic() + 15
        while True:  # the manifest and icons load after the page: ask until they are in or time is up
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            if not errors or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        manifest = cdp.send("Page.getAppManifest")
        assert errors == [], f"installability errors: {errors}; manifest errors: {manifest.get('errors')}"
        assert csp_violations(page) == []
    finally:
        context.close()
