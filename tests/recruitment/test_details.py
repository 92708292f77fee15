"""A volunteer's own availability and details: the pages, their field errors, the audit, export and deletion."""

import re

import sqlalchemy as sa

from app.accounts.models import Role
from app.assignments.models import ShopperAvailability
from app.audit.models import AuditEvent
from app.extensions import db
from app.recruitment import details
from app.recruitment.personal_data import delete_personal_data, personal_data
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_application, make_assignment, make_shopper, make_user


def errors(response) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", e).replace("Error:", "").strip()
        for e in re.findall(r'class="error-message"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)
    ]


def buckets(user):
    row = db.session.get(ShopperAvailability, user.id)
    return None if row is None else (row.weekday_daytime, row.weekday_evening, row.weekend)


def test_a_shopper_sets_availability_without_the_gate_and_the_planner_reads_it(client, world):
    from app.assignments.planning import shopper_infos

    shopper = make_shopper(world, gate_passed=False)
    sign_in(client, shopper)
    page = client.get("/account/availability").get_data(as_text=True)
    assert page.count("checked") == 3  # never said: free any time, as the planner assumes
    assert "My availability" in page  # the shopper's navigation links here
    response = client.post(
        "/account/availability",
        headers=csrf_headers(client),
        data={"available_times": ["weekday_evening", "weekend"]},
    )
    assert response.status_code == 302
    assert buckets(shopper) == (False, True, True)
    [info] = shopper_infos([shopper], world.wave)
    assert info.weekday_daytime is False
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "availability.changed"))
    assert event.actor_id == shopper.id and event.data["times"] == ["weekday_evening", "weekend"]


def test_availability_needs_a_known_time_and_saves_nothing_otherwise(client, world):
    shopper = make_shopper(world)
    sign_in(client, shopper)
    for data, message in (
        ({}, "Tick at least one time of the week."),
        ({"available_times": ["weekend", "midnight"]}, "Choose only from the times listed."),
    ):
        response = client.post("/account/availability", headers=csrf_headers(client), data=data)
        assert response.status_code == 422 and message in errors(response)
        assert "There is a problem" in response.get_data(as_text=True)
    assert buckets(shopper) is None


def test_an_applicant_edits_the_application_and_the_audit_names_fields_not_values(client, world):
    application = make_application(world.programme)
    sign_in(client, application.user)
    page = client.get("/account/details").get_data(as_text=True)
    assert "Edit your application" in page and 'value="Northfield"' in page
    response = client.post(
        "/account/details",
        headers=csrf_headers(client),
        data={
            "full_name": "Alex Applicant-Smith",
            "phone": "",
            "neighbourhood": "Riverside",
            "languages": "English",
            "availability": "Weekday mornings",
            "accessibility_needs": "Step-free access",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/application"
    application = db.session.get(type(application), application.id)
    assert (
        application.full_name,
        application.phone,
        application.neighbourhood,
        application.accessibility_needs,
    ) == ("Alex Applicant-Smith", "", "Riverside", "Step-free access")
    assert application.user.display_name == "Alex Applicant-Smith"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "application.details_changed"))
    assert event.data["fields"] == ["full_name", "phone", "neighbourhood", "accessibility_needs"]
    assert "Riverside" not in str(event.data) and "Step-free" not in str(event.data)


def test_bad_details_are_field_errors_and_nothing_is_half_saved(client, world):
    application = make_application(world.programme)
    sign_in(client, application.user)
    response = client.post(
        "/account/details",
        headers=csrf_headers(client),
        data={
            "full_name": "New Name",
            "neighbourhood": "",
            "languages": "x" * 201,
            "availability": "Sundays",
        },
    )
    assert response.status_code == 422
    assert {"Say where you live, roughly.", "Field cannot be longer than 200 characters."} <= set(
        errors(response)
    )
    application = db.session.get(type(application), application.id)
    assert application.full_name == "Alex Applicant" and application.user.display_name != "New Name"
    assert application.neighbourhood == "Northfield" and application.availability == "Weekday mornings"


def test_staff_on_loan_without_an_application_change_only_their_name(client, world):
    shopper = make_shopper(world)
    sign_in(client, shopper)
    page = client.get("/account/details").get_data(as_text=True)
    assert "Edit your details" in page and 'name="neighbourhood"' not in page
    response = client.post(
        "/account/details",
        headers=csrf_headers(client),
        data={"full_name": "Lowri Jones", "neighbourhood": "ignored"},
    )
    assert (
        response.status_code == 302
        and db.session.get(type(shopper), shopper.id).display_name == "Lowri Jones"
    )
    assert (
        client.post("/account/details", headers=csrf_headers(client), data={"full_name": " "}).status_code
        == 422
    )


def test_coordinators_have_no_availability_or_details_page(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    assert client.get("/account/availability").status_code == 403
    assert client.get("/account/details").status_code == 403


def test_the_download_holds_availability_and_deletion_removes_it(world):
    application = make_application(world.programme)
    details.set_availability(application.user, {"weekend"})
    db.session.commit()
    assert personal_data(application.user)["availability"]["weekend"] is True
    delete_personal_data(application.user)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ShopperAvailability)) == 0


def test_anonymising_a_shopper_with_work_removes_their_availability_too(world):
    shopper = make_shopper(world)
    make_assignment(world, shopper)
    details.set_availability(shopper, {"weekday_daytime"})
    db.session.commit()
    assert delete_personal_data(shopper) == "anonymised"
    db.session.commit()
    assert buckets(shopper) is None
