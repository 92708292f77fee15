"""Recruitment in a real Chromium: a resident signs up, confirms, passes the quiz, is approved, passes the gate
and sees an assignment; and every recruitment page passes axe-core with a strict CSP."""

import json
import re
import sqlite3
import subprocess
import sys

import pytest

from tests.browser.conftest import ROOT, TIMEOUT_MS, assert_accessible, sign_in, watch_page

RESIDENT = "rhian.evans@example.org"
RESIDENT_PASSWORD = "a walk along the severn 2026"


def check_page(page, statuses=(200,)):
    """The page shown is what we expect, keeps to the CSP and has no serious or critical axe violation."""
    assert page.document_responses[-1].status in statuses, page.url
    page.wait_for_load_state("networkidle")
    assert_accessible(page)


@pytest.fixture
def new_page(browser):
    """Pages in contexts of their own (one person each), closed after the test."""
    contexts = []

    def make():
        context = browser.new_context(service_workers="block")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch_page(page)
        return page

    yield make
    for context in contexts:
        context.close()


def last_link_to(coordinator, base_url, address: str, path_prefix: str) -> str:
    coordinator.goto(base_url + "/dev/outbox")
    message = coordinator.locator(".outbox-message", has_text=address).first
    return re.search(re.escape(base_url) + path_prefix + r"\S+", message.inner_text()).group(0)


def give_assignment(live_server, email: str) -> None:
    """The planning pages are another part's: copy one of shopper1's open in-person assignments in the DB."""
    script = f"""
from app import create_app
from app.accounts.models import User
from app.assignments.models import Assignment, AssignmentState
from app.extensions import db
from app.programmes.models import Channel
app = create_app()
with app.app_context():
    shopper = db.session.scalar(db.select(User).filter_by(email={email!r}))
    model = db.session.scalar(db.select(Assignment).join(User, Assignment.shopper_id == User.id).where(
        User.email == "shopper1@demo.test", Assignment.channel == Channel.in_person,
        Assignment.state.in_([AssignmentState.offered, AssignmentState.accepted])).limit(1))
    db.session.add(Assignment(wave_id=model.wave_id, shopper_id=shopper.id,
        contact_point_id=model.contact_point_id, scenario_id=model.scenario_id,
        questionnaire_version_id=model.questionnaire_version_id, channel=model.channel,
        window_starts_at=model.window_starts_at, window_ends_at=model.window_ends_at))
    db.session.commit()
"""
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=live_server.env, check=True, timeout=120)


def test_a_resident_signs_up_passes_the_quiz_is_approved_and_sees_an_assignment(
    new_page, base_url, live_server, restore_demo
):
    resident, coordinator = new_page(), new_page()

    resident.goto(base_url + "/volunteer")
    check_page(resident)
    resident.get_by_role("button", name="Sign up").click()
    resident.wait_for_load_state()
    check_page(resident, statuses=(422,))  # the error summary and field errors are accessible too
    resident.get_by_label("Full name").fill("Rhian Evans")
    resident.get_by_label("E-mail address").fill(RESIDENT)
    resident.get_by_label("Neighbourhood or town").fill("Northfield, Kingsmere")
    resident.get_by_label("Languages you speak").fill("English, Welsh")
    resident.get_by_label("When you are usually available").fill("Saturday mornings")
    resident.get_by_label("Password", exact=True).fill(RESIDENT_PASSWORD)
    resident.get_by_label("Password again").fill(RESIDENT_PASSWORD)
    resident.get_by_label("I agree that my details are used as described above").check()
    resident.get_by_role("button", name="Sign up").click()
    resident.wait_for_url(base_url + "/volunteer/sent")  # the same answer whether the address is known or not
    check_page(resident)

    sign_in(coordinator, base_url, "coordinator@demo.test")
    link = last_link_to(coordinator, base_url, RESIDENT, "/volunteer/confirm/")
    check_page(coordinator)
    resident.goto(link)
    assert resident.get_by_role("heading", level=1).inner_text() == "E-mail address confirmed"
    check_page(resident)
    sign_in(resident, base_url, RESIDENT, RESIDENT_PASSWORD)
    resident.wait_for_url(base_url + "/application")

    # A first go with the first answer everywhere; the result names the questions to read up on, not their
    # answers; the second go, with the right answers (from the database: the page gives none), passes.
    resident.goto(base_url + "/application/quiz")
    check_page(resident)
    for group in resident.locator("form fieldset").all():
        group.get_by_role("radio").first.check()
    resident.get_by_role("button", name="Send my answers").click()
    resident.wait_for_url(base_url + "/application/quiz")
    check_page(resident)
    result = resident.locator(".quiz-result").inner_text()
    with sqlite3.connect(live_server.db_path) as connection:
        right_answers = {
            text: json.loads(options)[correct]
            for text, options, correct in connection.execute(
                "SELECT text, options, correct_option FROM quiz_question"
            )
        }
    assert all(answer not in result for answer in right_answers.values())
    for group in resident.locator("form fieldset").all():
        question = re.sub(r"^\d+\. ", "", group.locator("legend").inner_text())
        group.get_by_label(right_answers[question], exact=True).check()
    resident.get_by_role("button", name="Send my answers").click()
    resident.wait_for_url(base_url + "/application/quiz")
    assert "100% — passed" in resident.locator(".quiz-result h2").inner_text()

    coordinator.goto(base_url + "/coordinator/applicants")
    check_page(coordinator)
    coordinator.get_by_role("link", name="Rhian Evans").click()
    coordinator.wait_for_url(re.compile(r".*/coordinator/applicants/\d+$"))
    check_page(coordinator)
    coordinator.get_by_role("button", name="Approve as a shopper").click()
    coordinator.wait_for_url(base_url + "/coordinator/applicants")
    assert "Rhian Evans is approved" in coordinator.locator(".notice").inner_text()

    give_assignment(live_server, RESIDENT)
    resident.context.clear_cookies()
    sign_in(resident, base_url, RESIDENT, RESIDENT_PASSWORD)
    assert resident.url == base_url + "/gate/confidentiality"
    resident.get_by_label(re.compile("I have read the confidentiality statement")).check()
    resident.get_by_role("button", name="Acknowledge and continue").click()
    resident.wait_for_url(base_url + "/gate/conflicts")
    resident.get_by_label("No, I have no conflicts of interest").check()
    resident.get_by_role("button", name="Submit declaration").click()
    resident.wait_for_url(base_url + "/briefs")
    assert resident.locator(".card").count() == 1


def test_the_other_recruitment_pages_are_accessible(new_page, base_url, restore_demo):
    coordinator, visitor, applicant = new_page(), new_page(), new_page()
    visitor.goto(base_url + "/training")
    check_page(visitor)

    sign_in(applicant, base_url, "applicant@demo.test")
    for path in ("/application", "/account/data"):
        applicant.goto(base_url + path)
        check_page(applicant)
    applicant.get_by_role("button", name="Delete my account").click()
    applicant.wait_for_load_state()
    check_page(applicant, statuses=(422,))

    sign_in(coordinator, base_url, "coordinator@demo.test")
    for path in ("/coordinator/quiz", "/coordinator/quiz/questions/new", "/coordinator/invites"):
        coordinator.goto(base_url + path)
        check_page(coordinator)
    coordinator.goto(base_url + "/coordinator/quiz")
    coordinator.get_by_role("link", name="Edit question 1").click()
    coordinator.wait_for_url(re.compile(r".*/coordinator/quiz/questions/\d+$"))
    check_page(coordinator)
    coordinator.goto(base_url + "/coordinator/quiz/questions/new")
    coordinator.get_by_role("button", name="Save the question").click()
    coordinator.wait_for_load_state()
    check_page(coordinator, statuses=(422,))

    coordinator.goto(base_url + "/coordinator/invites")
    coordinator.get_by_label("E-mail address of the member of staff").fill("loan.officer@kingsmere.example")
    coordinator.get_by_role("button", name="Send the invitation").click()
    coordinator.wait_for_url(base_url + "/coordinator/invites")
    check_page(coordinator)
    link = last_link_to(coordinator, base_url, "loan.officer@kingsmere.example", "/invite/")
    visitor.goto(link)
    check_page(visitor)
    visitor.get_by_label("Your name").fill("Lowri Jones")
    visitor.get_by_label("Password", exact=True).fill("the staff on loan pass 26")
    visitor.get_by_label("Password again").fill("the staff on loan pass 26")
    visitor.get_by_role("button", name="Create my account").click()
    visitor.wait_for_url(base_url + "/gate/confidentiality")
    visitor.goto(link)
    assert visitor.get_by_role("heading", level=1).inner_text() == "Invitation not usable"
    check_page(visitor, statuses=(410,))
