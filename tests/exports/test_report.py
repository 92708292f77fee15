"""The wave report: the printable page and its PDF (WeasyPrint), read back with pypdf; who may have which."""

import io
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.accounts.models import Role
from app.assignments.models import Assignment
from app.extensions import db
from app.plans import services as plans
from app.plans.models import ActionStatus
from app.releases.snapshot import partner_figures, wave_reports
from app.visits.models import Submission, SubmissionState
from tests.conftest import sign_in
from tests.factories import make_user
from tests.listing_kit import recorded_statements
from tests.plans.helpers import planned_world


@pytest.fixture
def reported(app, world):
    coordinator, wave2 = planned_world(world)
    manager = make_user(Role.partner_manager, programme=world.programme, organisation=world.district)
    plans.add_action(
        world.wave,
        world.district.id,
        plans.Finding.parse(f"service_area||{world.waste.id}"),
        manager,
        action="Answer the waste questions at the first desk",
        owner_role="Customer services manager",
        due_on=date(2030, 1, 31),
        status=ActionStatus.done,
    )
    db.session.commit()
    return world, coordinator, wave2, manager


def pdf_text(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_partners_pdf_has_contents_charts_definitions_the_follow_up_and_the_duty_of_care(
    reported, client
):
    world, coordinator, wave2, manager = reported
    sign_in(client, manager)
    reader, text = pdf_text(client.get(f"/waves/{wave2.id}/report/{world.district.id}.pdf"))
    assert len(reader.pages) >= 3
    for words in (
        "North District Council: Wave 2 report",
        "Contents",
        "Headline figures",
        "Score per channel",  # a chart's table caption (the SVG is drawn beside it)
        "How the figures are defined",
        "points earned ÷ points possible",
        "Duty of care to staff and residents",
        "never used against an individual",
        "Follow-up of the plan after",
        "Answer the waste",
    ):
        assert words in text, words
    assert "South District Council" not in text or world.programme.partners_named


def test_the_printable_page_draws_the_charts_as_svg_with_their_tables(reported, client):
    world, coordinator, wave2, manager = reported
    sign_in(client, coordinator)
    response = client.get(f"/waves/{world.wave.id}/report/{world.district.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("<svg") >= 2 and 'role="img"' in page
    assert "Duty of care to staff and residents" in page and f"{response.request.path}.pdf" in page


def test_the_coordinators_pack_holds_every_partner_with_results(reported, client):
    world, coordinator, wave2, manager = reported
    sign_in(client, coordinator)
    _, text = pdf_text(client.get(f"/waves/{wave2.id}/report.pdf"))
    assert "North District Council" in text and "South District Council" in text
    sign_in(client, manager)
    assert client.get(f"/waves/{wave2.id}/report.pdf").status_code == 403


def test_a_partner_gets_no_report_of_an_unreleased_wave(reported, client):
    world, coordinator, wave2, manager = reported
    from app.releases import services as releases

    releases.withdraw(releases.current_release(wave2.id, world.district.id), coordinator, "Too early")
    db.session.commit()
    sign_in(client, manager)
    assert client.get(f"/waves/{wave2.id}/report/{world.district.id}.pdf").status_code == 404
    assert client.get(f"/waves/{world.wave.id}/report/{world.district.id}").status_code == 200


def test_the_pack_counts_the_waves_method_once_and_gives_each_partner_its_own_figures(reported, client):
    """Every partner's section holds the figures its own preview would; the method's counts, the benchmark
    and the programme's names, which are the same for every partner, and the commendations are read once
    for the whole pack."""
    world, coordinator, wave2, manager = reported
    commended = set()
    for submission in db.session.scalars(
        sa.select(Submission)
        .join(Assignment)
        .where(Assignment.wave_id == wave2.id, Submission.state == SubmissionState.approved)
    ):
        organisation = submission.assignment.contact_point.organisation
        submission.commendation = f"The desk at {organisation.name} explained every step."
        commended.add(organisation.id)
    db.session.commit()
    assert len(commended) >= 2
    read = wave_reports(world.programme, wave2)
    for organisation in (world.district, world.other_district, world.county):
        alone = partner_figures(world.programme, wave2, organisation)
        assert partner_figures(world.programme, wave2, organisation, read) == alone
        assert alone["method"]["partners"] and any(p["own"] for p in alone["method"]["partners"])
        assert [c["text"] for c in alone["commendations"]] == (
            [f"The desk at {organisation.name} explained every step."] * len(alone["commendations"])
        )
        assert bool(alone["commendations"]) == (organisation.id in commended)

    sign_in(client, coordinator)
    with recorded_statements() as sent:
        page = client.get(f"/waves/{wave2.id}/report").get_data(as_text=True)
    method_reads = [s for s in sent if "GROUP BY report_result.organisation_id, report_result.channel" in s]
    commendation_reads = [s for s in sent if "submission.commendation" in s]
    assert "North District Council" in page and "South District Council" in page
    assert len(method_reads) == 1
    assert len(commendation_reads) == (1 if world.programme.commendations_allowed else 0)
    benchmark_reads = [
        s for s in sent if s.startswith("SELECT result_cell.organisation_id, result_cell.channel")
    ]
    assert page.count('class="report-organisation"') >= 2
    assert len(benchmark_reads) == 2  # this wave and the one before, whatever the number of partners
    assert len([s for s in sent if "FROM question JOIN questionnaire_version" in s]) == 1
