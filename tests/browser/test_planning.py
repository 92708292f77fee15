"""Planning, phone bank and review in Chromium: a coordinator plans a wave and assigns it; every page passes axe."""

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, csp_violations, sign_in


def _open_wave_links(page, base_url):
    sign_in(page, base_url, "coordinator@demo.test")
    page.get_by_role("link", name="Planning", exact=True).click()
    page.wait_for_url(base_url + "/coordinator/planning")


def test_a_coordinator_plans_a_wave_and_assigns_it_automatically(page, base_url, restore_demo):
    _open_wave_links(page, base_url)
    page.get_by_role("link", name=re.compile(r"Coverage plan for Wave 2")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Coverage plan: Wave 2"))
    first_cell = page.locator("table.grid tbody tr").first
    first_cell.get_by_label(re.compile(r"^Target for ")).fill("2")
    page.get_by_label("Most assignments per shopper in this wave").fill("10")
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The plan is saved.")).to_be_visible()
    assert first_cell.get_by_label(re.compile(r"^Target for ")).input_value() == "2"
    page.get_by_role("button", name="Assign automatically").click()
    page.wait_for_url(re.compile(r".*/coordinator/waves/\d+/assignments$"))
    expect(page.get_by_text(re.compile(r"\d+ assignment\(s\) offered\."))).to_be_visible()
    reasons = page.locator("td.reason", has_text="Automatic: no declared conflict")
    assert reasons.count() >= 1
    assert csp_violations(page) == []


def _as(email, path):
    def visit(page, base_url):
        sign_in(page, base_url, email)
        page.goto(base_url + path)

    return visit


def _wave_page(suffix):
    def visit(page, base_url):
        _open_wave_links(page, base_url)
        page.get_by_role("link", name=re.compile(r"Coverage plan for Wave 2")).click()
        page.wait_for_url(re.compile(r".*/plan$"))
        page.goto(page.url.removesuffix("/plan") + suffix)

    return visit


def _manual_with_errors(page, base_url):
    _wave_page("/assignments/new")(page, base_url)
    page.get_by_role("button", name="Offer the assignment").click()
    page.wait_for_load_state()
    expect(page.get_by_text("There is a problem")).to_be_visible()


def _a_report(page, base_url, live_server):
    """A report on one of shopper1's assignments, written straight into the server's database."""
    import sqlalchemy as sa

    from app import create_app
    from app.assignments.models import Assignment, AssignmentState
    from app.db_types import utcnow
    from app.extensions import db
    from app.visits.models import Submission, SubmissionKind
    from config import TestConfig

    app = create_app(
        type("LiveDb", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{live_server.db_path}"})
    )
    with app.app_context():
        assignment = db.session.scalars(
            sa.select(Assignment).where(
                Assignment.state.in_([AssignmentState.offered, AssignmentState.accepted])
            )
        ).first()
        started = utcnow() - timedelta(hours=1)
        submission = Submission(
            uuid=uuid.uuid4(),
            assignment_id=assignment.id,
            wave_id=assignment.wave_id,
            programme_id=assignment.wave.programme_id,
            shopper_id=assignment.shopper_id,
            kind=SubmissionKind.visit,
            questionnaire_version_id=assignment.questionnaire_version_id,
            started_at=started,
            completed_at=started + timedelta(minutes=20),
            content_hash="0" * 64,
            answers={},
            flags=["late"],
        )
        assignment.state = AssignmentState.submitted
        db.session.add(submission)
        db.session.commit()
        submission_id = submission.id
        db.engine.dispose()
    sign_in(page, base_url, "coordinator@demo.test")
    page.goto(f"{base_url}/coordinator/review/{submission_id}")


PAGES = {
    "planning": _open_wave_links,
    "coverage plan": _wave_page("/plan"),
    "assignments": _wave_page("/assignments"),
    "assign by hand": _wave_page("/assignments/new"),
    "assign by hand with errors": _manual_with_errors,
    "phone-bank blocks": _wave_page("/blocks"),
    "phone bank": _as("shopper1@demo.test", "/phone-bank"),
    "review queue": _as("coordinator@demo.test", "/coordinator/review"),
}


@pytest.mark.parametrize("visit", list(PAGES.values()), ids=list(PAGES))
def test_planning_page_is_accessible(page, base_url, visit):
    visit(page, base_url)
    _check_page(page)


def test_the_report_page_is_accessible(page, base_url, live_server, restore_demo):
    _a_report(page, base_url, live_server)
    expect(page.get_by_role("heading", name=re.compile(r"Report #\d+"))).to_be_visible()
    expect(page.get_by_text("Late: completed after the assignment's window closed")).to_be_visible()
    _check_page(page)


def _check_page(page):
    document = page.document_responses[-1]
    assert document.status in (200, 422), document.url
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
