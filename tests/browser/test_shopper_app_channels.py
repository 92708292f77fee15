"""E-mail, letter and website shops in a real Chromium, and a returned report fixed on another phone.

Each phone is a browser profile of its own; a phone's clock is set with Playwright's clock (the e-mail is
sent "two days ago" on one phone, its reply added today on another). Every screen the shopper passes is
checked for words no person would write: ``null``, ``undefined``, ``None`` or a raw code.
"""

import json
import re
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta

from tests.browser.conftest import assert_accessible, sign_in
from tests.shopper_app.browser_kit import (
    answer_all,
    expect_unsent,
    go_offline,
    go_online,
    items_on_phone,
    new_page,
    open_app,
    wait_until,
)

SHOPPER = "shopper2@demo.test"
EMAIL = {
    "sent_time": (("fill", "09:15"), "09:15"),
    "ack_working_days": (("label", "Not applicable"), None),
    "reply_working_days": (("fill", "2"), 2),
    "reference_given": (("label", "Yes"), True),
    "outcome": (("label", "Answered fully"), "answered"),
    "accurate_information": (("label", "Yes"), True),
    "redirect_correct": (("label", "Not applicable"), None),
    "plain_english": (("label", "4"), 4),
}
WEBSITE = {
    "found_answer": (("label", "Yes"), True),
    "time_to_find": (("duration", 3, 5), 185),
    "clicks": (("fill", "4"), 4),
    "search_worked": (("label", "No"), False),
    "up_to_date": (("label", "Yes"), True),
    "accessibility": (("labels", ["Readable on a phone"]), ["phone"]),
    "redirect_correct": (("label", "Not applicable"), None),
    "clarity": (("label", "3"), 3),
}
# Words no person would write: what a missing value or a raw state code looks like on a page.
RAW = re.compile(r"\b(null|undefined|None|NaN|[a-z]+_[a-z_]+)\b|\[object Object\]")


def assert_plain_words(page, where: str) -> None:
    page.wait_for_timeout(150)  # the status line is redrawn a moment after each view
    text = page.locator("body").inner_text()
    found = sorted({m.group(0) for m in RAW.finditer(text)})
    assert not found, f"{where}: {found} in\n{text}"


def sql(db_path, query, *params):
    with sqlite3.connect(db_path) as connection:
        connection.row_factory = sqlite3.Row
        rows = [dict(r) for r in connection.execute(query, params).fetchall()]
        connection.commit()
    return rows


def give_work(db_path, channel: str, days_back: int = 20) -> int:
    """A new accepted assignment of ``channel`` for the shopper, copied from a demo one; its id."""
    now = datetime.now(UTC).replace(tzinfo=None)
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    with sqlite3.connect(db_path) as connection:
        cursor = connection.execute(
            "insert into assignment (wave_id, shopper_id, contact_point_id, scenario_id, questionnaire_version_id,"
            " channel, window_starts_at, window_ends_at, state, flagged, flag_reason, decline_reason, created_at,"
            " state_changed_at, explanation) select wave_id, (select id from user_account where email = ?),"
            " contact_point_id, scenario_id, questionnaire_version_id, channel, ?, ?, 'accepted', 0, '', '', ?, ?, ''"
            " from assignment where channel = ? order by id limit 1",
            (
                SHOPPER,
                (now - timedelta(days=days_back)).strftime(fmt),
                (now + timedelta(days=20)).strftime(fmt),
                now.strftime(fmt),
                now.strftime(fmt),
                channel,
            ),
        )
        return cursor.lastrowid


def phone(browser, clock=None):
    context = browser.new_context(service_workers="allow")
    context.set_default_timeout(15_000)
    if clock is not None:
        context.clock.set_system_time(clock)
    return context, new_page(context)


def open_card(page, assignment_id: int) -> None:
    page.goto(page.url.split("#")[0] + f"#/brief/{assignment_id}")
    page.locator("dl.brief").wait_for()


def test_email_across_two_phones_a_letter_by_the_wait_limit_and_a_website_shop(
    browser, live_server, base_url, restore_demo
):
    db = live_server.db_path
    email_id, letter_id, website_id = (give_work(db, c) for c in ("email", "letter", "website"))
    now = datetime.now(UTC)

    # Phone A, two days ago: the e-mail is written and sent.
    first_context, first = phone(browser, clock=now - timedelta(days=2))
    second_context = None
    try:
        open_app(first, base_url, SHOPPER)
        assert_plain_words(first, "briefs")
        open_card(first, email_id)
        assert_plain_words(first, "e-mail brief")
        first.get_by_role("button", name="Start the e-mail shop").click()
        first.get_by_label("Sent to (the published address)").wait_for()
        assert (
            first.get_by_label("Sent to (the published address)")
            .input_value()
            .startswith("customer.services@")
        )
        first.get_by_text("No complete reply").wait_for(state="detached")
        first.get_by_role("button", name="I have sent it now").click()
        first.get_by_text("Say which address you sent it from.").wait_for()
        first.get_by_label("The programme's address for shoppers").check()
        first.get_by_role("button", name="I have sent it now").click()
        first.get_by_text("The programme waits 10 working days").wait_for()
        assert_plain_words(first, "e-mail sent, waiting")
        wait_until(
            lambda: sql(db, "select count(*) n from open_report")[0]["n"] == 1,
            page=first,
            message="the open e-mail to reach the server",
        )
        [draft] = [i for i in items_on_phone(first) if i["assignment_id"] == email_id]
        first.get_by_role("link", name="Outbox").click()
        first.get_by_text("sent, waiting for the reply").wait_for()
        assert_plain_words(first, "outbox with an open e-mail")

        # Phone B, today: the reply arrived; it is added here and the shop finished.
        second_context, second = phone(browser)
        open_app(second, base_url, SHOPPER)
        open_card(second, email_id)
        second.get_by_role("link", name=re.compile("E-mail shop started")).click()
        second.get_by_text("No reply yet.").wait_for()
        assert_plain_words(second, "open e-mail on the second phone")
        assert not second.get_by_role("button", name=re.compile("finish and send")).count()
        second.get_by_label("When it arrived").fill("2001-01-01T10:00")
        second.get_by_label("It answers the question in the brief").check()
        second.get_by_role("button", name="Add this reply").click()
        second.get_by_text("A reply cannot arrive before the message was sent").wait_for()
        local_now = second.evaluate(
            "() => new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16)"
        )
        second.get_by_label("When it arrived").fill(local_now)
        second.get_by_label("Who it came from (optional)").fill("Council tax team")
        second.get_by_role("button", name="Add this reply").click()
        second.get_by_text(re.compile(r"Reply 1: arrived .* by e-mail, from Council tax team")).wait_for()
        answer_all(second, EMAIL)
        assert_plain_words(second, "e-mail with its reply")
        second.get_by_role("button", name="The reply is complete: finish and send").click()
        expect_unsent(second, 0)
        wait_until(
            lambda: (
                sql(db, "select count(*) n from submission where assignment_id = ?", email_id)[0]["n"] == 1
            ),
            page=second,
            message="the e-mail shop to arrive",
        )
        second.reload()
        second.locator("body[data-ready]").wait_for()
        expect_unsent(second, 0)
        [stored] = sql(db, "select * from submission where assignment_id = ?", email_id)
        assert stored["uuid"].replace("-", "") == draft["uuid"].replace("-", "")
        assert (stored["finished_by"], stored["sent_from"]) == ("reply_complete", "programme")
        replies = json.loads(stored["replies"])
        assert [r["from_role"] for r in replies] == ["Council tax team"]
        sent_at = datetime.fromisoformat(stored["sent_at"]).replace(tzinfo=UTC)
        assert timedelta(days=1, hours=23) < now - sent_at < timedelta(days=2, hours=1)
        assert json.loads(stored["answers"])["reply_working_days"] == 2
        assert sql(db, "select count(*) n from open_report")[0]["n"] == 0
        second.get_by_role("link", name="Outbox").click()
        second.get_by_text("Submitted").wait_for()
        assert_plain_words(second, "outbox after the e-mail")

        # Phone A again: the shop finished elsewhere leaves it; nothing is sent twice.
        first.reload()
        first.get_by_role("heading", name="Outbox").wait_for()
        wait_until(
            lambda: not [i for i in items_on_phone(first) if i["assignment_id"] == email_id],
            page=first,
            message="the first phone to let go of the finished e-mail",
        )
        assert sql(db, "select count(*) n from submission where assignment_id = ?", email_id)[0]["n"] == 1

        # A letter posted fifteen days ago (on phone B's clock), with no reply: finished by the wait limit.
        second_context.clock.set_system_time(now - timedelta(days=15))
        open_card(second, letter_id)
        second.get_by_role("button", name="Start the letter shop").click()
        second.get_by_role("button", name="I have posted it today").click()
        second.get_by_text("The programme waits 10 working days").wait_for()
        assert not second.get_by_role("button", name=re.compile("No complete reply")).count()
        second_context.clock.set_system_time(now)
        second.reload()
        second.get_by_role("button", name="No complete reply within 10 working days: finish and send").click()
        expect_unsent(second, 0)
        wait_until(
            lambda: (
                sql(db, "select count(*) n from submission where assignment_id = ?", letter_id)[0]["n"] == 1
            ),
            page=second,
            message="the letter shop to arrive",
        )
        [letter] = sql(
            db, "select finished_by, replies, answers from submission where assignment_id = ?", letter_id
        )
        assert (letter["finished_by"], json.loads(letter["replies"])) == ("wait_limit", [])

        # A website shop: where it started, how long, the dead ends and what got in the way.
        open_card(second, website_id)
        second.get_by_role("button", name="Start the website shop").click()
        log = second.locator(".website-log")
        log.get_by_label("Where you started").fill("Searched “missed bin collection” on a search engine")
        log.get_by_label("Yes").check()
        log.get_by_label("Minutes").fill("3")
        log.get_by_label("Seconds").fill("5")
        log.get_by_label("Dead ends (pages that led nowhere)").fill("2")
        log.get_by_label("The answer was only in a PDF").check()
        answer_all(second, WEBSITE)
        assert_plain_words(second, "website shop")
        second.get_by_role("button", name="Finish and send").click()
        expect_unsent(second, 0)
        wait_until(
            lambda: (
                sql(db, "select count(*) n from submission where assignment_id = ?", website_id)[0]["n"] == 1
            ),
            page=second,
            message="the website shop to arrive",
        )
        [site] = sql(db, "select website from submission where assignment_id = ?", website_id)
        website = json.loads(site["website"])
        assert (
            website["found"],
            website["seconds_to_find"],
            website["dead_ends"],
            website["accessibility_problems"],
        ) == (True, 185, 2, ["pdf_only"])
        second.get_by_role("link", name="Outbox").click()
        second.get_by_role("heading", name="Outbox").wait_for()
        assert_plain_words(second, "outbox after every channel")
    finally:
        first_context.close()
        if second_context is not None:
            second_context.close()


def test_a_returned_report_is_fixed_offline_on_a_phone_that_never_held_it(
    browser, live_server, base_url, restore_demo
):
    db = live_server.db_path
    [returned] = sql(
        db,
        "select s.id, s.assignment_id, s.revision, s.review_comment from submission s join user_account u"
        " on u.id = s.shopper_id where u.email = 'shopper5@demo.test' and s.state = 'returned'",
    )
    context, page = phone(browser)
    try:
        open_app(page, base_url, "shopper5@demo.test")
        page.get_by_text("Returned for changes: open it to see the coordinator's comment").wait_for()
        assert_plain_words(page, "briefs with a returned report")
        open_card(page, returned["assignment_id"])
        page.get_by_text(returned["review_comment"]).wait_for()
        assert not page.get_by_role("button", name=re.compile("^Start")).count()
        assert_plain_words(page, "returned brief")
        go_offline(context)
        page.get_by_role("link", name="Fix the report and send it again").click()
        comment = page.locator(".returned-comment")
        comment.get_by_text(returned["review_comment"]).wait_for()
        # The comment stands above the answers being fixed.
        assert comment.evaluate(
            "(node) => !!(node.compareDocumentPosition(document.querySelector('.q-section')) & 4)"
        )
        assert_plain_words(page, "returned report being fixed")
        page.get_by_label("Notes for the coordinator").fill("Waited four minutes; put through to Planning.")
        page.get_by_role("button", name="The reply is complete: finish and send").click()
        expect_unsent(page, 1)
        page.get_by_role("link", name="Outbox").click()
        page.get_by_text("finished, waiting to send").wait_for()
        assert_plain_words(page, "outbox offline with the fixed report")
        go_online(context)
        page.get_by_role("button", name="Send now").click()
        wait_until(
            lambda: (
                sql(db, "select revision from submission where id = ?", returned["id"])[0]["revision"]
                == returned["revision"] + 1
            ),
            page=page,
            message="the fixed report to arrive as the next revision",
        )
        [fixed] = sql(db, "select state, notes from submission where id = ?", returned["id"])
        assert fixed == {"state": "submitted", "notes": "Waited four minutes; put through to Planning."}
        assert (
            sql(db, "select count(*) n from submission where assignment_id = ?", returned["assignment_id"])[
                0
            ]["n"]
            == 1
        )
        page.get_by_text("Submitted").wait_for()
        assert_plain_words(page, "outbox after the resubmission")
    finally:
        context.close()


CALL_REST = {
    "call_time": (("fill", "14:20"), "14:20"),
    "voicemail_complete": (("label", "Not applicable"), None),
    "transfer_announced": (("label", "Yes"), True),
    "outcome": (("label", "Answered fully"), "answered"),
    "accurate_information": (("label", "Yes"), True),
    "redirect_correct": (("label", "Not applicable"), None),
    "resolved_first_contact": (("label", "No"), False),
    "satisfaction": (("label", "4"), 4),
}


def test_call_screen_taps_give_the_call_log_and_answers_and_an_override_is_flagged_in_review(
    browser, live_server, base_url, restore_demo
):
    db = live_server.db_path
    [brief] = sql(
        db,
        "select a.id from assignment a join user_account u on u.id = a.shopper_id where u.email = ?"
        " and a.channel = 'telephone' and a.state = 'accepted'",
        SHOPPER,
    )
    start = datetime.now(UTC) - timedelta(minutes=30)
    context, page = phone(browser, clock=start)
    desk_context = browser.new_context()
    try:
        open_app(page, base_url, SHOPPER)
        open_card(page, brief["id"])
        page.get_by_role("button", name="Start the call log").click()
        for seconds, label in [
            (0, "Dialled"),
            (45, "A person answered"),
            (60, "Put on hold"),
            (90, "Back from hold"),
            (100, "Transferred"),
            (130, "A person answered"),
            (250, "Resolved"),
            (260, "Call ended"),
        ]:
            context.clock.set_system_time(start + timedelta(seconds=seconds))
            page.locator(".tap-grid").get_by_role("button", name=label, exact=True).click()
            page.locator(".taps li").last.filter(has_text=label).wait_for()
        talk = page.locator('.question[data-key="talk_time"]')
        talk.get_by_text("From the call timer: 3 min 05 s.").wait_for()
        page.locator('.question[data-key="answer_wait"]').get_by_text("From the call timer: 45 s.").wait_for()
        assert page.locator('.question[data-key="answer_wait"]').get_by_label("Seconds").input_value() == "45"
        page.get_by_label("Transfer 1: put through to").fill("Council tax team")
        answer_all(page, CALL_REST)
        talk.get_by_label("Minutes").fill("4")
        talk.get_by_label("Seconds").fill("0")
        talk.get_by_text("You changed this: the reviewer will see both answers.").wait_for()
        assert_plain_words(page, "call screen")
        page.get_by_role("button", name="Finish and send").click()
        expect_unsent(page, 0)
        wait_until(
            lambda: (
                sql(db, "select count(*) n from submission where assignment_id = ?", brief["id"])[0]["n"] == 1
            ),
            page=page,
            message="the call to arrive",
        )
        [stored] = sql(db, "select * from submission where assignment_id = ?", brief["id"])
        log, answers = json.loads(stored["call_log"]), json.loads(stored["answers"])
        assert (log["seconds_to_answer"], log["handle_time_seconds"], log["outcome"]) == (45, 215, "resolved")
        assert [t["seconds_waiting"] for t in log["transfers"]] == [30] and len(log["taps"]) == 8
        assert {
            k: answers[k] for k in ("answer_wait", "hold_time", "transfers", "talk_time", "call_result")
        } == {
            "answer_wait": 45,
            "hold_time": 30,
            "transfers": 1,
            "talk_time": 240,
            "call_result": "person",
        }
        assert json.loads(stored["derived_answers"])["talk_time"] == 185
        assert "derived_answer_overridden" in json.loads(stored["flags"])
        page.goto(page.url.split("#")[0] + f"#/item/{uuid.UUID(stored['uuid'])}")
        page.get_by_text("Sent: the server confirmed it.", exact=False).wait_for()
        assert_plain_words(page, "the call as sent")

        desk = new_page(desk_context)
        sign_in(desk, base_url, "coordinator@demo.test")
        desk.goto(f"{base_url}/coordinator/review/{stored['id']}")
        desk.get_by_text("The shopper changed an answer that the call screen's timings gave").wait_for()
        row = desk.locator("table.overridden tbody tr")
        assert row.count() == 1 and row.inner_text().split("\t")[1:] == ["3 min 05 s", "4 min 00 s"]
        assert_accessible(desk, "review page with an overridden answer")
    finally:
        context.close()
        desk_context.close()
