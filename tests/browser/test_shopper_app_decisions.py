"""The shopper's answers and declarations in the app, in Chromium: a decline for a conflict made offline reaches
the server once back online; a list of conflicts declared at the gate and later; an offer accepted; a telephone
shop captured offline arrives with its structured call log. Every view added passes axe with the strict CSP."""

import json
import sqlite3

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, sign_in, watch_page
from tests.shopper_app.browser_kit import (
    CALL,
    capture,
    expect_unsent,
    go_offline,
    go_online,
    last_submission_id,
    new_page,
    open_app,
    unsent,
    wait_until,
)


def _one(db_path, sql: str, *params):
    with sqlite3.connect(db_path) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(sql, params).fetchone()
    return dict(row) if row else None


def _all(db_path, sql: str, *params) -> list[dict]:
    with sqlite3.connect(db_path) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql, params).fetchall()]


def _conflicts_of(db_path, email: str) -> list[dict]:
    return _all(
        db_path,
        "select o.name as organisation, a.name as area, c.reason from conflict c "
        "join user_account u on u.id = c.user_id left join organisation o on o.id = c.organisation_id "
        "left join service_area a on a.id = c.service_area_id where u.email = ? order by c.id",
        email,
    )


def _state(db_path, assignment_id: int) -> str:
    return _one(db_path, "select state from assignment where id = ?", assignment_id)["state"]


def _offered_card(page, channel_text: str):
    return page.locator(".card").filter(has_text="Offered to you").filter(has_text=channel_text).first


def test_a_decline_for_a_conflict_made_offline_is_filed_once_back_online(
    page, context, base_url, live_server, restore_demo
):
    db = live_server.db_path
    open_app(page, base_url, "shopper1@demo.test")
    card = _offered_card(page, "In person")
    assignment_id = int(card.locator("h2 a").get_attribute("href").rsplit("/", 1)[1])
    card.locator("h2 a").click()
    page.get_by_role("button", name="Accept this assignment").wait_for()
    page.get_by_text("Decline this assignment").first.click()  # the <details> opens
    assert_accessible(page, "a brief with its accept and decline forms")

    go_offline(context)
    page.get_by_role("button", name="Decline this assignment").click()  # no reason yet
    page.get_by_role("alert").get_by_text("Choose why you are declining.").wait_for()
    page.get_by_label("I have a conflict of interest with this organisation or service").check()
    page.get_by_label("Anything to add").fill("My cousin runs the highways desk here.")
    page.get_by_role("button", name="Decline this assignment").click()
    page.get_by_role("heading", name="My briefs").wait_for()
    page.get_by_text("You declined this assignment on this phone").wait_for()
    expect_unsent(page, 1)
    assert _state(db, assignment_id) == "offered" and _conflicts_of(db, "shopper1@demo.test") == []
    assert_accessible(page, "my briefs with an answer waiting to be sent")
    page.get_by_role("link", name="Outbox").click()
    page.get_by_role("heading", name="Answers to offers not yet sent (1)").wait_for()

    go_online(context)
    wait_until(lambda: _state(db, assignment_id) == "withdrawn", page=page, message="the decline to arrive")
    wait_until(lambda: unsent(page) == 0, page=page, message="the answer to leave the phone")
    assert _conflicts_of(db, "shopper1@demo.test") == [
        {
            "organisation": "Wyvern County Council",
            "area": "Transport and highways",
            "reason": "My cousin runs the highways desk here.",
        }
    ]
    page.get_by_role("link", name="My briefs").click()
    page.get_by_role("heading", name="My briefs").wait_for()
    wait_until(
        lambda: page.locator(f'a[href="#/brief/{assignment_id}"]').count() == 0,
        page=page,
        message="the withdrawn brief to leave the list",
    )


def test_conflicts_are_declared_as_a_list_at_the_gate_and_later_and_an_offer_is_accepted(
    page, context, base_url, live_server, restore_demo
):
    db = live_server.db_path
    page.goto(base_url + "/app")
    page.get_by_label("E-mail address").fill("newshopper@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("I have read the confidentiality statement", exact=False).check()
    page.get_by_role("button", name="Acknowledge and continue").click()
    page.get_by_role("heading", name="Conflicts of interest").wait_for()
    page.get_by_role("button", name="Submit declaration").click()
    page.get_by_role("alert").get_by_text("Say whether you have any conflicts of interest.").wait_for()
    page.get_by_label("Yes, I have conflicts to declare").check()
    page.get_by_role("button", name="Submit declaration").click()
    page.get_by_role("alert").get_by_text(
        "Conflict 1: choose an organisation, a service area, or both."
    ).wait_for()
    rows = page.locator(".conflict-row")
    rows.nth(0).get_by_label("Organisation").select_option(label="Fenmoor District Council")
    rows.nth(0).get_by_label("Why").fill("My partner works in Fenmoor's revenues team.")
    page.get_by_role("button", name="Add another conflict").click()
    rows.nth(1).get_by_label("Service area").select_option(label="Housing")
    rows.nth(1).get_by_label("Why").fill("I have a housing case open with the county.")
    assert_accessible(page, "the gate's conflicts form with two conflicts")
    page.get_by_role("button", name="Submit declaration").click()
    page.get_by_role("heading", name="My briefs").wait_for()
    assert _conflicts_of(db, "newshopper@demo.test") == [
        {
            "organisation": "Fenmoor District Council",
            "area": None,
            "reason": "My partner works in Fenmoor's revenues team.",
        },
        {"organisation": None, "area": "Housing", "reason": "I have a housing case open with the county."},
    ]

    card = _offered_card(page, "In person")
    assignment_id = int(card.locator("h2 a").get_attribute("href").rsplit("/", 1)[1])
    card.locator("h2 a").click()
    page.get_by_role("button", name="Accept this assignment").click()
    wait_until(lambda: _state(db, assignment_id) == "accepted", page=page, message="the acceptance to arrive")
    wait_until(lambda: unsent(page) == 0, page=page, message="the answer to leave the phone")

    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="See or declare conflicts of interest").click()
    page.get_by_role("heading", name="On record").wait_for()
    assert page.locator("ul.conflicts li").count() == 2
    page.get_by_text("Fenmoor District Council — any service area").wait_for()
    assert_accessible(page, "declaring a conflict later")

    go_offline(context)
    page.evaluate("location.hash = '#/briefs'")
    page.get_by_role("heading", name="My briefs").wait_for()
    page.evaluate("location.hash = '#/conflicts'")
    page.get_by_text("You are offline. Declaring a conflict needs a connection").first.wait_for()
    assert page.locator("ul.conflicts li").count() == 2  # read from the phone
    page.locator(".conflict-row").get_by_label("Organisation").select_option(label="Wyvern County Council")
    page.locator(".conflict-row").get_by_label("Why").fill("A neighbour's case")
    page.get_by_role("button", name="Declare", exact=True).click()
    wait_until(
        lambda: page.get_by_text("Nothing is saved on this phone").count() == 2,
        page=page,
        message="the form to say it needs a connection",
    )
    assert_accessible(page, "conflicts offline")
    go_online(context)
    assert len(_conflicts_of(db, "newshopper@demo.test")) == 2


def _fill_call_log(page):
    page.get_by_label("When you dialled").fill("2026-11-20T14:20")
    page.locator('[data-key="call_log.answered"]').get_by_label("Yes", exact=True).check()
    page.get_by_label("Seconds until a person answered").fill("45")
    page.get_by_label("Rings before an answer (optional)").fill("9")
    page.locator('[data-key="call_log.message_heard"]').get_by_label("Yes", exact=True).check()
    page.get_by_label("It gave the service's or council's name").check()
    page.get_by_label("It gave another number or way to get help").check()
    page.get_by_role("button", name="Add a transfer").click()
    page.get_by_label("Transfer 1: put through to").fill("Revenues team")
    page.get_by_label("Transfer 1 was announced (you were told who and why)").check()
    page.get_by_label("Transfer 1: seconds waiting (optional)").fill("30")
    page.locator('[data-key="call_log.outcome"]').get_by_label("Resolved: my question was answered").check()
    handle = page.locator('[data-key="call_log.handle_time_seconds"]')
    handle.get_by_label("Minutes").fill("5")
    handle.get_by_label("Seconds").fill("5")
    assert_accessible(page, "a telephone shop with its call log")


def test_a_telephone_shop_captured_offline_arrives_with_its_call_log(
    browser, base_url, live_server, restore_demo
):
    db = live_server.db_path
    before = last_submission_id(db)
    # Paris is UTC+1 in November: the time the shopper typed is their phone's local time.
    context = browser.new_context(service_workers="allow", timezone_id="Europe/Paris")
    desk_context = browser.new_context()
    try:
        page = new_page(context)
        open_app(page, base_url, "shopper1@demo.test")
        go_offline(context)
        capture(page, "Telephone", "Start the call log", CALL, before_finish=_fill_call_log)
        expect_unsent(page, 1)
        go_online(context)
        wait_until(lambda: unsent(page) == 0, page=page, message="the call to be sent")

        [row] = _all(db, "select id, kind, call_log, notes from submission where id > ?", before)
        assert row["kind"] == "call" and "[call log]" not in row["notes"]
        assert json.loads(row["call_log"]) == {
            "dialled_at": "2026-11-20T13:20:00+00:00",
            "seconds_to_answer": 45,
            "rings": 9,
            "recorded_message": {
                "heard": True,
                "gave_name": True,
                "gave_hours": False,
                "gave_alternative": True,
                "comment": "",
            },
            "transfers": [{"to": "Revenues team", "announced": True, "seconds_waiting": 30}],
            "outcome": "resolved",
            "abandoned_after_minutes": None,
            "handle_time_seconds": 305,
        }

        desk = desk_context.new_page()
        watch_page(desk)
        sign_in(desk, base_url, "coordinator@demo.test")
        desk.goto(f"{base_url}/coordinator/review/{row['id']}")
        desk.get_by_role("heading", name="Call log").wait_for()
        desk.get_by_role("table", name="Transfers, in order").get_by_text("Revenues team").wait_for()
        assert_accessible(desk, "the review report with a call log")
    finally:
        context.close()
        desk_context.close()


def test_a_phone_set_to_another_time_zone_shows_the_window_on_the_buildings_clock(
    browser, base_url, live_server
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    context = browser.new_context(service_workers="allow", timezone_id="America/New_York")
    try:
        page = new_page(context)
        open_app(page, base_url, "shopper1@demo.test")
        card = page.locator(".card").filter(has_text="In person").first
        assignment_id = int(card.locator("h2 a").get_attribute("href").rsplit("/", 1)[1])
        row = _one(
            live_server.db_path,
            "select a.window_starts_at as starts, p.timezone as zone from assignment a "
            "join wave w on w.id = a.wave_id join programme p on p.id = w.programme_id where a.id = ?",
            assignment_id,
        )
        starts = datetime.fromisoformat(row["starts"]).replace(tzinfo=ZoneInfo("UTC"))
        local, phone = (
            starts.astimezone(ZoneInfo(row["zone"])),
            starts.astimezone(ZoneInfo("America/New_York")),
        )
        text = card.locator("p.meta").filter(has_text=" – ").inner_text()
        assert local.strftime("%H:%M") in text and f"({row['zone']} time)" in text
        assert phone.strftime("%H:%M") not in text
    finally:
        context.close()
