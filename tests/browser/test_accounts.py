"""Accounts in Chromium, on a phone-sized screen: "Forgot your password?", inviting a partner manager (and the
field error without an organisation), a person's page, and the audit trail. Every page, and each error state,
passes axe."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def test_forgot_password_invite_a_partner_manager_and_read_the_audit_trail(page, base_url, restore_demo):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(base_url + "/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url(base_url + "/account/forgot-password")
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_load_state()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "forgot password, blank")
    page.get_by_label("E-mail address").fill("manager@demo.test")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url(base_url + "/account/forgot-password/sent")
    expect(page.get_by_text("If that address has an account")).to_be_visible()
    assert_accessible(page)

    sign_in(page, base_url, "coordinator@demo.test")
    page.goto(base_url + "/people")
    expect(page.get_by_role("cell", name="Partner manager").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Invite someone").click()
    page.wait_for_url(base_url + "/people/invite")
    assert_accessible(page)
    page.get_by_label("Name").fill("Priya Partner")
    page.get_by_label("E-mail address").fill("priya@fenmoor.example")
    page.get_by_role("checkbox", name="Partner manager").check()
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    expect(
        page.get_by_text("A partner manager belongs to one organisation: choose it.").first
    ).to_be_visible()
    assert_accessible(page, "invite, no organisation")
    page.get_by_label("Organisation (for a partner manager)").select_option(index=1)
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(base_url + "/people")
    expect(page.get_by_text("The invitation is sent to priya@fenmoor.example")).to_be_visible()

    page.goto(base_url + "/audit")
    expect(page.get_by_role("cell", name="Invited to an account").first).to_be_visible()
    assert_accessible(page)
    page.goto(base_url + "/audit?since=yesterday")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "audit, bad date")
    page.goto(base_url + "/audit?kind=sign_ins")
    expect(page.get_by_role("cell", name="Signed in").first).to_be_visible()

    page.goto(base_url + "/people")
    page.locator("table a").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Roles")).to_be_visible()
    assert_accessible(page)
