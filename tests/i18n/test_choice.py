"""Which language a page and the app speak: the user's setting, else the browser's choice, else
Accept-Language; the app's strings as JSON from the same catalogue, cached with the shell."""

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.shopper_app.shell import shell_urls
from tests.conftest import csrf_headers, sign_in
from tests.factories import PASSWORD, make_shopper

WELSH = {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}


def test_the_volunteer_page_follows_accept_language(client, world):
    english = client.get("/volunteer").get_data(as_text=True)
    welsh = client.get("/volunteer", headers=WELSH).get_data(as_text=True)
    assert '<html lang="en-GB">' in english and "Volunteer as a service shopper" in english
    assert '<html lang="cy-GB">' in welsh and "Gwirfoddoli fel siopwr gwasanaeth" in welsh
    assert "Volunteer as a service shopper" not in welsh


def test_a_choice_on_the_page_is_kept_for_the_browser(client, world):
    back = client.post(
        "/language",
        headers=csrf_headers(client) | {"Referer": "http://localhost/volunteer"},
        data={"language": "cy"},
    )
    assert back.status_code == 302 and back.headers["Location"] == "/volunteer"
    response = client.post(
        "/language",
        headers=csrf_headers(client) | {"Referer": "https://evil.example/x"},
        data={"language": "cy"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"  # never off the site
    assert "Gwirfoddoli" in client.get("/volunteer").get_data(as_text=True)
    refused = client.post("/language", headers=csrf_headers(client), data={"language": "klingon"})
    assert refused.status_code == 400


def test_the_users_setting_wins_and_the_app_can_change_it(client, world):
    shopper = make_shopper(world)
    sign_in(client, shopper)
    assert client.get("/api/v1/session").get_json()["user"]["language"] is None
    bad = client.put("/api/v1/session/language", json={"language": "fr"}, headers=csrf_headers(client))
    assert bad.status_code == 422 and "language" in bad.get_json()["errors"]
    saved = client.put("/api/v1/session/language", json={"language": "cy"}, headers=csrf_headers(client))
    assert saved.status_code == 200 and saved.get_json() == {"language": "cy"}
    db.session.expire_all()
    assert db.session.get(User, shopper.id).language == "cy"
    # An English browser still gets Welsh: the user chose it.
    page = client.get("/account/data", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Eich data personol" in page


def test_signing_up_in_welsh_keeps_the_choice(client, world):
    data = {
        "full_name": "Rhian Evans",
        "email": "rhian@example.org",
        "password": PASSWORD,
        "confirm_password": PASSWORD,
        "programme_id": world.programme.id,
        "neighbourhood": "Kingsmere",
        "languages": "Cymraeg",
        "availability": "Saturdays",
        "available_times": ["weekend"],
        "language": "cy",
        "consent": "y",
    }
    response = client.post("/volunteer", headers=csrf_headers(client) | WELSH, data=data | {"full_name": ""})
    assert response.status_code == 422 and "Rhowch eich enw." in response.get_data(as_text=True)
    response = client.post("/volunteer", headers=csrf_headers(client), data=data)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(User.language).filter_by(email="rhian@example.org")) == "cy"


def test_the_app_reads_the_same_catalogue_cached_with_its_shell(client):
    welsh = client.get("/app/messages/cy.json").get_json()
    assert welsh["messages"]["Send now"] == "Anfon nawr"
    assert welsh["plural_categories"] == ["zero", "one", "two", "few", "many", "other"]
    assert len(welsh["messages"]["{n} unsent"]) == 6
    assert client.get("/app/messages/en.json").get_json()["messages"] == {}  # English is written in the code
    assert client.get("/app/messages/xx.json").status_code == 404
    with client.application.test_request_context():
        assert {"/app/messages/en.json", "/app/messages/cy.json"} <= set(shell_urls())


def test_a_signed_out_visitor_follows_a_language_link_and_keeps_it(client, world):
    page = client.get("/volunteer?lang=cy")
    assert "Gwirfoddoli" in page.get_data(as_text=True) and "language=cy" in page.headers["Set-Cookie"]
    assert 'href="?lang=en"' in page.get_data(as_text=True)
    assert "Gwirfoddoli" in client.get("/volunteer").get_data(as_text=True)  # the cookie
