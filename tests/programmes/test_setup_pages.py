"""The set-up pages: bad input shows field errors and saves nothing; good input saves and is recorded."""

import pytest
import sqlalchemy as sa

from app.accounts.models import ConfidentialityStatement, Role
from app.accounts.services import gate_status
from app.audit.models import AuditEvent
from app.extensions import db
from app.programmes.models import Organisation, Programme, ServiceArea
from app.programmes.setup_kinds import KINDS_BY_SLUG
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_assignment, make_shopper, make_user, make_world
from tests.permissions_kit import Cast
from tests.programmes.permission_rows import valid_form
from tests.test_permissions import database_snapshot


@pytest.fixture
def coordinator(world):
    return make_user(Role.coordinator, programme=world.programme)


@pytest.fixture
def signed_in(client, coordinator):
    sign_in(client, coordinator)
    return client


def post(client, path, data):
    return client.post(path, data=data, headers=csrf_headers(client))


# Per kind: a change to one valid form that a field refuses, the field, and words of its message.
BAD_INPUT = [
    ("organisations", {"name": "  "}, "name", "Fill this in"),
    ("organisations", {"name": "Test County Council"}, "name", "already has an organisation of that name"),
    ("organisations", {"tier": "parish"}, "tier", "Not a valid choice"),
    ("service-areas", {"code": "waste"}, "code", "already has that code"),
    ("contact-points", {"service_area_ids": []}, "service_area_ids", "at least one service area"),
    ("contact-points", {"organisation_id": "999999"}, "organisation_id", "Not a valid choice"),
    ("waves", {"ends_on": "2027-01-01"}, "ends_on", "cannot end before it starts"),
    ("waves", {"number": "1"}, "number", "already has a wave with that number"),
    ("waves", {"starts_on": "31/02/2027"}, "starts_on", "Not a valid date"),
    ("scenarios", {"question": ""}, "question", "Fill this in"),
    ("standards", {"unit": "furlongs"}, "unit", "Not a valid choice"),
    ("standards", {"threshold": ""}, "threshold", "Give a threshold"),
    ("standards", {"threshold": "abc"}, "threshold", "Not a valid float"),
    ("reference-figures", {"value": "140"}, "value", "From 0 to 100"),
]


@pytest.mark.parametrize(
    "slug, change, field, message",
    BAD_INPUT,
    ids=[f"{s}-{f}-{i}" for i, (s, _, f, _) in enumerate(BAD_INPUT)],
)
def test_bad_input_shows_the_field_error_and_saves_nothing(
    app, signed_in, world, slug, change, field, message
):
    cast = Cast()
    cast.__dict__["world"] = world
    data = {**valid_form(cast, slug), **change}
    before = database_snapshot()

    response = post(signed_in, f"/programmes/{world.programme.id}/{slug}/new", data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert f'href="#{field}"' in page  # the error summary links to the field
    assert database_snapshot() == before


@pytest.mark.parametrize("slug", list(KINDS_BY_SLUG))
def test_a_valid_form_saves_the_object_and_records_it(signed_in, world, slug):
    cast = Cast()
    cast.__dict__["world"] = world
    kind = KINDS_BY_SLUG[slug]
    count = len(kind.items(world.programme))

    response = post(signed_in, f"/programmes/{world.programme.id}/{slug}/new", valid_form(cast, slug))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/programmes/{world.programme.id}/{slug}")
    assert len(kind.items(world.programme)) == count + 1
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action=f"{kind.model.__tablename__}.created"))
    listing = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "saved" in listing


def test_an_edit_changes_the_object_and_keeps_its_contact_point_areas(signed_in, world):
    path = f"/programmes/{world.programme.id}/contact-points/{world.district_phone.id}"
    form = signed_in.get(path).get_data(as_text=True)
    assert 'value="01234 567890"' in form and "checked" in form
    response = post(
        signed_in,
        path,
        {
            "organisation_id": world.district.id,
            "channel": "telephone",
            "name": "North Contact Centre",
            "locator": "01234 000000",
            "service_area_ids": [world.planning.id],
        },
    )
    assert response.status_code == 302
    db.session.refresh(world.district_phone)
    assert world.district_phone.locator == "+441234000000"  # checked, and stored as E.164
    assert [a.code for a in world.district_phone.service_areas] == ["planning"]
    assert world.district_phone.active is False  # an unticked box


def test_a_delete_of_something_in_use_is_refused_with_a_clear_message(signed_in, world):
    make_assignment(world, make_shopper(world))
    path = f"/programmes/{world.programme.id}/waves/{world.wave.id}"
    response = post(signed_in, path + "/delete", {})
    assert response.status_code == 302 and response.headers["Location"].endswith(path)
    page = signed_in.get(path).get_data(as_text=True)
    assert "was not deleted" in page and "1 assignments still refer to it" in page
    assert db.session.get(type(world.wave), world.wave.id) is not None


def test_a_delete_of_something_unused_goes_through(signed_in, world):
    spare = ServiceArea(partnership=world.partnership, code="spare", name="Spare")
    db.session.add(spare)
    db.session.commit()
    spare_id = spare.id
    response = post(signed_in, f"/programmes/{world.programme.id}/service-areas/{spare_id}/delete", {})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(ServiceArea).filter_by(id=spare_id)) is None


def test_objects_of_another_partnership_are_not_found_through_ones_own_programme(signed_in, world):
    other = make_world()
    for path in (
        f"/organisations/{other.county.id}",
        f"/waves/{other.wave.id}",
        f"/contact-points/{other.county_office.id}",
        f"/scenarios/{other.waste_scenario.id}",
    ):
        assert signed_in.get(f"/programmes/{world.programme.id}{path}").status_code == 404


def test_a_neighbouring_programme_in_the_same_partnership_is_not_the_coordinators(signed_in, world):
    neighbour = Programme(partnership=world.partnership, name="Neighbour")
    db.session.add(neighbour)
    db.session.commit()
    assert signed_in.get(f"/programmes/{neighbour.id}/settings").status_code == 403
    assert signed_in.get(f"/programmes/{neighbour.id}/waves/{world.wave.id}").status_code == 403


SETTINGS = {
    "name": "Test Programme",
    "general_instructions": "Be polite.",
    "min_sample": "5",
    "phone_shops_per_hour": "6",
    "exit_interviews_per_hour": "2",
    "visits_per_hour": "2",
    "give_up_minutes": "10",
    "retention_days": "365",
    "staff_policy": "commendations",
    "partner_visibility": "named",
    "timezone": "Europe/London",
    "country": "GB",
}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"min_sample": "0"}, "Number must be between 1 and 1000"),
        ({"retention_days": "ten"}, "Not a valid integer value"),
        ({"staff_policy": ""}, "Choose one"),
        ({"give_up_minutes": "500"}, "Number must be between 1 and 120"),
        ({"timezone": "BST"}, "Give an IANA time zone name such as Europe/London"),
        ({"timezone": "Europe/Atlantis"}, "Give an IANA time zone name such as Europe/London"),
        ({"timezone": " "}, "Fill this in"),
    ],
)
def test_settings_refuse_bad_input_whole(signed_in, world, change, message):
    before = database_snapshot()
    response = post(
        signed_in, f"/programmes/{world.programme.id}/settings", {**SETTINGS, "min_sample": "9", **change}
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert database_snapshot() == before  # not even the valid min_sample


def test_settings_save_the_staff_policy_and_partner_naming(signed_in, world):
    response = post(
        signed_in,
        f"/programmes/{world.programme.id}/settings",
        {
            **SETTINGS,
            "staff_policy": "no_individuals",
            "partner_visibility": "anonymised",
            "retention_days": "200",
        },
    )
    assert response.status_code == 302
    programme = db.session.get(Programme, world.programme.id)
    assert (programme.commendations_allowed, programme.partners_named, programme.retention_days) == (
        False,
        False,
        200,
    )


def test_settings_save_the_time_zone_and_the_audit_says_so(signed_in, world):
    assert world.programme.timezone == "Europe/London"  # the default
    page = signed_in.get(f"/programmes/{world.programme.id}/settings").get_data(as_text=True)
    assert 'value="Europe/London"' in page
    assert (
        post(
            signed_in, f"/programmes/{world.programme.id}/settings", {**SETTINGS, "timezone": "Europe/Dublin"}
        ).status_code
        == 302
    )
    assert db.session.get(Programme, world.programme.id).timezone == "Europe/Dublin"


def test_publishing_a_statement_reopens_the_gate_for_every_shopper(signed_in, world):
    shoppers = [make_shopper(world), make_shopper(world)]
    path = f"/programmes/{world.programme.id}/confidentiality"
    assert post(signed_in, path, {"text": " "}).status_code == 422
    response = post(signed_in, path, {"text": "Version two of the statement."})
    assert response.status_code == 302
    assert "Version 2 published" in signed_in.get(path).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ConfidentialityStatement.id))) == 2
    assert all(not gate_status(s).ready for s in shoppers)


def test_an_admin_sets_up_any_programme(client, world):
    sign_in(client, make_user(Role.admin))
    home = client.get("/coordinator").get_data(as_text=True)
    assert f"/programmes/{world.programme.id}/setup" in home
    response = post(
        client,
        f"/programmes/{world.programme.id}/organisations/new",
        {"name": "Admin Council", "short_name": "AC", "tier": "county"},
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Organisation).filter_by(name="Admin Council"))


def test_the_coordinator_home_links_every_set_up_page(signed_in, world):
    page = signed_in.get("/coordinator").get_data(as_text=True)
    for slug in [*KINDS_BY_SLUG, "settings", "confidentiality", "questionnaires", "setup"]:
        assert f"/programmes/{world.programme.id}/{slug}" in page


def test_settings_keep_the_reply_wait_and_the_bank_holidays(signed_in, world):
    from app.programmes.calendar import holidays_of

    path = f"/programmes/{world.programme.id}/settings"
    holidays = "2026-12-25 Christmas Day\n\n2026-12-28 Boxing Day (substitute day)"
    response = post(signed_in, path, {**SETTINGS, "reply_wait_working_days": "5", "bank_holidays": holidays})
    assert response.status_code == 302
    assert db.session.get(Programme, world.programme.id).reply_wait_working_days == 5
    assert sorted(d.isoformat() for d in holidays_of(world.programme.id)) == ["2026-12-25", "2026-12-28"]
    page = signed_in.get(path).get_data(as_text=True)
    assert "2026-12-28 Boxing Day (substitute day)" in page

    before = database_snapshot()
    response = post(signed_in, path, {**SETTINGS, "bank_holidays": "25/12/2026 Christmas"})
    assert response.status_code == 422
    assert "Line 1 (“25/12/2026 Christmas”) does not start with a date" in response.get_data(as_text=True)
    assert database_snapshot() == before
