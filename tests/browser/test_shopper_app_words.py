"""The shopper app's words (issue 19, items 4 and 6), in a real Chromium: every screen, in English and in Welsh,
without `null`, `undefined`, `None` or a raw code; the app in Welsh from the Account screen (kept as the
user's setting); an exit interview run in Welsh arrives with the same keys and values as one in English."""

import json
import re
import sqlite3

from tests.shopper_app.browser_kit import (
    answer_all,
    exit_interview,
    expected,
    last_submission_id,
    open_app,
    open_brief,
    submissions_since,
    unsent,
    wait_until,
)

RAW = re.compile(r"\b(null|undefined|None|NaN)\b|\[object Object\]|\b[a-z]+_[a-z_]+\b")


def assert_plain_words(page, where: str) -> None:
    page.wait_for_timeout(150)  # the status line is redrawn just after a view
    text = page.locator("body").inner_text()
    found = sorted({m.group(0) for m in RAW.finditer(text)})
    assert not found, f"{where}: {found} in {text!r}"


def walk(page, where: str) -> None:
    for name, hash_ in [
        ("briefs", "#/briefs"),
        ("outbox", "#/outbox"),
        ("account", "#/account"),
        ("conflicts", "#/conflicts"),
    ]:
        page.evaluate(f"location.hash = '{hash_}'")
        page.locator("main h1").wait_for()
        assert_plain_words(page, f"{where}, {name}")
    page.evaluate("location.hash = '#/briefs'")
    page.locator(".card h2 a").first.click()
    page.locator("main h1").wait_for()
    assert_plain_words(page, f"{where}, a brief")


WELSH_INTERVIEW = {
    "consent": (("label", "Ie"), True),
    "interview_time": (("fill", "10:40"), "10:40"),
    "visit_purpose": (("label", "Tai"), "housing"),
    "tried_before": (("labels", ["Gwefan"]), ["website"]),
    **{
        key: (("label", "4"), 4)
        for key in [
            "satisfaction",
            "need_addressed",
            "ease",
            "reasonable_time",
            "treated_fairly",
            "staff_helpful",
            "trust",
        ]
    },
    "overall_smiley": (("label", "Da"), "good"),
}


def test_every_screen_in_plain_words_and_an_exit_interview_in_welsh(
    page, base_url, live_server, restore_demo
):
    before = last_submission_id(live_server.db_path)
    open_app(page, base_url, "shopper1@demo.test")
    walk(page, "English")

    # An exit interview in Welsh, the app itself in English: the resident's language is the interview's.
    open_brief(page, "Exit interviews")
    page.get_by_role("button", name="Start a new exit interview").click()
    page.get_by_role("group", name="Language of the interview").get_by_label("Cymraeg").check()
    page.get_by_text("Rwy'n fodlon â'r gwasanaeth a gefais heddiw.").wait_for()
    page.get_by_role("heading", name="Sut aeth hi").wait_for()
    assert page.locator('.question[data-key="satisfaction"]').get_attribute("lang") == "cy"
    answer_all(page, WELSH_INTERVIEW)
    page.get_by_role("button", name="Finish and send").click()
    page.get_by_role("button", name="Finish and send").wait_for(state="detached")
    open_brief(page, "Exit interviews")
    page.get_by_role("button", name="Start a new exit interview").click()
    english = exit_interview(1)
    answer_all(page, english)
    page.get_by_role("button", name="Finish and send").click()
    page.get_by_role("button", name="Finish and send").wait_for(state="detached")
    wait_until(lambda: unsent(page) == 0, message="both interviews to be sent", page=page)
    stored = [json.loads(s["answers"]) for s in submissions_since(live_server.db_path, before)]
    assert stored == [expected(WELSH_INTERVIEW), expected(english)]  # one set of keys and values: one result

    # The app in Welsh: chosen on the Account screen, kept for the user, and every screen still in plain words.
    page.get_by_role("link", name="Account").click()
    page.get_by_role("group", name="Language").get_by_label("Cymraeg").check()
    page.get_by_role("heading", name="Cyfrif").wait_for()
    assert page.evaluate("document.documentElement.lang") == "cy-GB"
    assert page.get_by_role("link", name="Fy mriffiau").is_visible()
    wait_until(
        lambda: _language_of(live_server.db_path, "shopper1@demo.test") == "cy",
        page=page,
        message="the setting to reach the server",
    )
    walk(page, "Welsh")
    page.evaluate("location.hash = '#/briefs'")
    page.reload()  # the catalogue comes from the shell cache; the choice from the phone
    page.get_by_role("heading", name="Fy mriffiau").wait_for()


def _language_of(db_path, email):
    with sqlite3.connect(db_path) as connection:
        return connection.execute("select language from user_account where email = ?", (email,)).fetchone()[0]
