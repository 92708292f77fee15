"""app/phones.py: telephone numbers checked and stored in E.164, read in the programme's country; and
the forms that take one (sign-up, my details, a telephone contact point) refuse what is not a number."""

import pytest
import sqlalchemy as sa

from app import phones
from app.accounts.models import Role, User
from app.extensions import db
from app.programmes.models import ContactPoint
from app.recruitment.models import VolunteerApplication
from tests.conftest import csrf_headers, sign_in
from tests.factories import make_application, make_user
from tests.recruitment.test_routes import SIGN_UP, errors


@pytest.mark.parametrize(
    ("text", "country", "e164"),
    [
        ("0113 496 0000", "GB", "+441134960000"),
        ("(0113) 496-0000", "GB", "+441134960000"),
        ("+44 113 496 0000", "IE", "+441134960000"),  # a + number is read as it says, whatever the country
        ("01 234 5678", "IE", "+35312345678"),
        ("087 123 4567", "IE", "+353871234567"),
        ("020 7946 0000", None, "+442079460000"),  # no country: the United Kingdom's
    ],
)
def test_a_number_is_stored_as_e164_read_in_the_programmes_country(text, country, e164):
    assert phones.to_e164(text, country) == e164


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Enter a telephone number in digits, like 0121 234 5678 or +44 121 234 5678."),
        ("", "Enter a telephone number, like"),
        ("12", "This is not a telephone number in use: check the digits; a number from another country"),
        ("01632 960001", "This is not a telephone number in use"),  # Ofcom's drama range, never assigned
        ("+33 1 23", "This is not a telephone number in use: check the digits."),
    ],
)
def test_what_is_not_a_number_is_refused_in_words(text, message):
    with pytest.raises(phones.InvalidPhone) as refused:
        phones.to_e164(text, "GB")
    assert refused.value.message.startswith(message)


def test_a_stored_number_is_shown_as_people_write_it():
    assert phones.display("+441134960000", "GB") == "0113 496 0000"
    assert phones.display("+35312345678", "GB") == "+353 1 234 5678"
    assert phones.display("01632 960001") == "01632 960001"  # stored before numbers were checked: as it is
    assert phones.display("") == ""


def test_countries_are_named():
    assert phones.country_name("IE") == "Ireland"
    assert ("GB", "United Kingdom") in phones.country_choices()


def _sign_up(client, world, phone):
    data = SIGN_UP | {"programme_id": world.programme.id, "phone": phone}
    return client.post("/volunteer", headers=csrf_headers(client), data=data)


def test_signing_up_with_abc_as_a_phone_number_is_a_field_error(client, world):
    response = _sign_up(client, world, "abc")
    assert response.status_code == 422
    assert "Enter a telephone number in digits, like 0121 234 5678 or +44 121 234 5678." in errors(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VolunteerApplication)) == 0


def test_signing_up_stores_the_number_in_e164_in_the_programmes_country(client, world):
    world.programme.country = "IE"
    db.session.commit()
    assert _sign_up(client, world, "087 123 4567").status_code == 302
    assert db.session.scalar(sa.select(VolunteerApplication.phone)) == "+353871234567"


def test_my_details_refuse_a_bad_number_and_show_the_stored_one_nationally(client, world):
    application = make_application(world.programme, phone="+441134960001")
    applicant = db.session.get(User, application.user_id)
    sign_in(client, applicant)
    page = client.get("/account/details").get_data(as_text=True)
    assert 'value="0113 496 0001"' in page
    data = {
        "full_name": "Alex Applicant",
        "phone": "not a number",
        "neighbourhood": "Northfield",
        "languages": "English",
        "availability": "Mornings",
    }
    response = client.post("/account/details", headers=csrf_headers(client), data=data)
    assert response.status_code == 422 and "Enter a telephone number in digits" in errors(response)[0]
    response = client.post(
        "/account/details", headers=csrf_headers(client), data=data | {"phone": "0113 496 0999"}
    )
    assert response.status_code == 302
    assert db.session.get(VolunteerApplication, application.id).phone == "+441134960999"


def test_a_telephone_contact_point_must_be_a_number_and_is_stored_in_e164(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    path = f"/programmes/{world.programme.id}/contact-points/new"
    data = {
        "organisation_id": world.district.id,
        "channel": "telephone",
        "name": "Housing line",
        "locator": "abc",
        "service_area_ids": [world.waste.id],
        "active": "y",
    }
    response = client.post(path, headers=csrf_headers(client), data=data)
    assert response.status_code == 422 and "Enter a telephone number in digits" in response.get_data(
        as_text=True
    )
    assert (
        client.post(path, headers=csrf_headers(client), data=data | {"locator": "0113 496 0123"}).status_code
        == 302
    )
    point = db.session.scalar(sa.select(ContactPoint).filter_by(name="Housing line"))
    assert point.locator == "+441134960123"
    listing = client.get(f"/programmes/{world.programme.id}/contact-points").get_data(as_text=True)
    assert "0113 496 0123" in listing
    # An e-mail address is not a telephone number, and is not read as one.
    email = data | {"channel": "email", "name": "Inbox", "locator": "help@north.example"}
    assert client.post(path, headers=csrf_headers(client), data=email).status_code == 302
