"""Helpers for the shopper app's browser tests: open the app, go offline, answer questions, read the server's DB."""

import sqlite3
import time

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, watch_page

# What the shopper answers, question by question: (how to answer in the UI, the value the server must hold).
VISIT = {
    "arrival_time": (("fill", "10:05"), "10:05"),
    "signage_clear": (("label", "Yes"), True),
    "step_free": (("label", "No"), False),
    "facilities": (("labels", ["Enough seating", "A hearing loop sign"]), ["seating", "hearing_loop"]),
    "wait_to_be_seen": (("duration", 7, 30), 450),
    "acknowledged": (("label", "Yes"), True),
    "privacy_offered": (("label", "Not applicable"), None),
    "outcome": (("label", "Answered fully"), "answered"),
    "accurate_information": (("label", "Yes"), True),
    "redirect_correct": (("label", "Not applicable"), None),
    "courtesy": (("label", "4"), 4),
    "written_info": (("label", "No"), False),
    "notes": (("fill", "Queue of three; receptionist friendly."), "Queue of three; receptionist friendly."),
}


def exit_interview(n: int) -> dict:
    return {
        "consent": (("label", "Yes"), True),
        "interview_time": (("fill", f"11:{10 + n:02d}"), f"11:{10 + n:02d}"),
        "visit_purpose": (("label", "Housing"), "housing"),
        "tried_before": (("labels", ["Website"]), ["website"]),
        **{
            key: (("label", str(1 + (n + i) % 5)), 1 + (n + i) % 5)
            for i, key in enumerate(
                [
                    "satisfaction",
                    "need_addressed",
                    "ease",
                    "reasonable_time",
                    "treated_fairly",
                    "staff_helpful",
                    "trust",
                ]
            )
        },
        "overall_smiley": (("label", "Good"), "good"),
    }


CALL = {
    "call_time": (("fill", "14:20"), "14:20"),
    "answer_wait": (("duration", 0, 45), 45),
    "call_result": (("label", "Spoke to a person"), "person"),
    "voicemail_complete": (("label", "Not applicable"), None),
    "transfers": (("fill", "1"), 1),
    "transfer_announced": (("label", "Yes"), True),
    "hold_time": (("duration", 2, 0), 120),
    "talk_time": (("duration", 5, 5), 305),
    "outcome": (("label", "Correctly redirected to the right council or service"), "redirected"),
    "accurate_information": (("label", "Yes"), True),
    "redirect_correct": (("label", "Yes"), True),
    "resolved_first_contact": (("label", "No"), False),
    "satisfaction": (("label", "3"), 3),
}


def expected(answers: dict) -> dict:
    return {key: value for key, (_, value) in answers.items()}


def answer_all(page, answers: dict) -> None:
    for key, ((how, *args), _) in answers.items():
        question = page.locator(f'.question[data-key="{key}"]')
        if how == "label":
            question.get_by_label(args[0], exact=True).check()
        elif how == "labels":
            for label in args[0]:
                question.get_by_label(label, exact=True).check()
        elif how == "duration":
            question.get_by_label("Minutes").fill(str(args[0]))
            question.get_by_label("Seconds").fill(str(args[1]))
        else:
            question.locator("input, textarea").first.fill(args[0])


def open_app(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Open /app, sign in with the app's own form, and wait for the brief list and a complete shell cache."""
    page.goto(base_url + "/app")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My briefs").wait_for()
    wait_for_shell_cache(page)


def wait_for_shell_cache(page, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = page.evaluate("""async () => {
            const reg = await navigator.serviceWorker.ready;
            const names = (await caches.keys()).filter((n) => n.startsWith('shopper-shell-'));
            return reg.active && reg.active.state === 'activated' && names.length === 1 ? names : [];
        }""")
        if names:
            return names[0]
        time.sleep(0.2)
    raise AssertionError("the shell was not cached")


def go_offline(context) -> None:
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def go_online(context) -> None:
    context.unroute("**/*")
    context.set_offline(False)


def new_page(context):
    page = context.pages[0] if context.pages else context.new_page()
    watch_page(page)
    return page


def open_brief(page, channel_text: str) -> None:
    page.goto(page.url.split("#")[0] + "#/briefs")
    card = page.locator(".card").filter(has_text=channel_text).first
    card.locator("h2 a").click()
    page.get_by_role("button", name="Start").or_(
        page.get_by_role("button", name="Start a new exit interview")
    ).first.wait_for()


def capture(
    page, channel_text: str, start_label: str, answers: dict, notes: str = "", before_finish=None
) -> None:
    open_brief(page, channel_text)
    page.get_by_role("button", name=start_label).click()
    page.get_by_role("button", name="Finish and send").wait_for()
    answer_all(page, answers)
    if notes:
        page.get_by_label("Notes for the coordinator").fill(notes)
    if before_finish:
        before_finish(page)
    page.get_by_role("button", name="Finish and send").click()
    page.get_by_role("button", name="Finish and send").wait_for(state="detached")


def unsent(page) -> int:
    """The count of unsent items the page shows now (it is redrawn a moment after each view: see expect_unsent)."""
    return int(page.locator("#unsent-count").inner_text())


def expect_unsent(page, count: int) -> None:
    """Wait until the page shows ``count`` unsent items: the count is redrawn from IndexedDB after the view that
    changed it, so reading it at once may still give the count from before."""
    expect(page.locator("#unsent-count")).to_have_text(str(count))


def wait_until(predicate, timeout: float = 20, message: str = "condition", page=None) -> None:
    """Poll ``predicate``; with ``page``, wait through Playwright so that route handlers and events run meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if page is not None:
            page.wait_for_timeout(200)
        else:
            time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


def submissions_since(db_path, after_id: int) -> list[dict]:
    with sqlite3.connect(db_path) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(
            "select s.id, s.uuid, s.kind, s.answers, s.notes, s.commendation, s.flags, s.evidence, s.assignment_id, "
            "u.email from submission s join user_account u on u.id = s.shopper_id where s.id > ? order by s.id",
            (after_id,),
        ).fetchall()
    return [dict(row) for row in rows]


def last_submission_id(db_path) -> int:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("select coalesce(max(id), 0) from submission").fetchone()[0]


SEED_QUEUE = """async ([channel, count, answers]) => {
    const store = await import('/static/js/shopper-app/store.js');
    const brief = (await store.all('briefs')).find((b) => b.channel === channel);
    const kind = {in_person: 'visit', exit_interview: 'exit_interview', telephone: 'call'}[channel];
    const now = new Date().toISOString();
    await store.tx(['items'], 'readwrite', (s) => {
        for (let i = 0; i < count; i += 1) {
            s.items.put({uuid: crypto.randomUUID(), assignment_id: brief.id, kind, title: 'seeded',
                questionnaire_id: brief.questionnaire_id, questionnaire_version: brief.questionnaire_version,
                started_at: now, completed_at: now, answers, notes: '', commendation: '', evidence: [],
                status: 'queued'});
        }
    });
    return brief.id;
}"""


def items_on_phone(page) -> list[dict]:
    """Every item in the app's IndexedDB (drafts, the outbox, answers to offers), as the app keeps it."""
    return page.evaluate("async () => (await import('/static/js/shopper-app/store.js')).all('items')")


def seed_queue(page, channel: str, count: int, answers: dict) -> int:
    """Put ``count`` finished items in the app's outbox (as if captured); the assignment id they are for."""
    return page.evaluate(SEED_QUEUE, [channel, count, answers])


SYNC_TAG = "shopper-outbox"


class SyncEvents:
    """Background Sync and periodic sync events sent to the app's service worker through a page of no origin
    (not an app window)."""

    def __init__(self, context, base_url):
        self.base_url = base_url
        self.page = context.new_page()  # about:blank: clients.matchAll() in the worker does not see it
        self.cdp = context.new_cdp_session(self.page)
        self.registrations = {}
        self.cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: self.registrations.update({r["registrationId"]: r for r in event["registrations"]}),
        )
        self.cdp.send("ServiceWorker.enable")

    def _registration_id(self) -> str:
        def live():
            return [
                r
                for r in self.registrations.values()
                if r["scopeURL"] == self.base_url + "/" and not r.get("isDeleted")
            ]

        wait_until(lambda: live(), message="the app's service worker registration", page=self.page)
        return live()[0]["registrationId"]

    def dispatch(self, tag=SYNC_TAG):
        self.cdp.send(
            "ServiceWorker.dispatchSyncEvent",
            {
                "origin": self.base_url,
                "registrationId": self._registration_id(),
                "tag": tag,
                "lastChance": False,
            },
        )

    def dispatch_periodic(self, tag=SYNC_TAG):
        self.cdp.send(
            "ServiceWorker.dispatchPeriodicSyncEvent",
            {"origin": self.base_url, "registrationId": self._registration_id(), "tag": tag},
        )


def execute(db_path, sql: str, *params) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute(sql, params)
