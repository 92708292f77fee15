"""Forgotten passwords, through a real SMTP server: the link, its hour, its single use, the same answer for
an unknown address, the limit, and every other session ended."""

import pytest

from app.accounts import reset
from app.accounts.models import Role, UserSession
from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import sign_in
from tests.factories import make_user

NEW_PASSWORD = "a brand new password for me"


def _ask(client, address):
    client.get("/account/forgot-password")
    return client.post(
        "/account/forgot-password",
        data={"email": address, "csrf_token": _csrf(client)},
        follow_redirects=True,
    )


def _csrf(client):
    return client.get("/api/v1/session").get_json()["csrf_token"]


def _reset(client, path, password=NEW_PASSWORD, again=None):
    client.get(path)
    return client.post(
        path, data={"password": password, "confirm_password": again or password, "csrf_token": _csrf(client)}
    )


def test_the_sign_in_page_links_to_it(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/account/forgot-password"' in page
    assert "Forgot your password?" in page


def test_a_reset_by_email_link_sets_the_password_and_ends_every_session(app, smtp_inbox):
    user = make_user(Role.coordinator, email="kim@council.example")
    phone = sign_in(app.test_client(), user)
    assert phone.get("/api/v1/session").status_code == 200

    client = app.test_client()
    answer = _ask(client, "  Kim@Council.example ")
    assert answer.status_code == 200
    assert "If that address has an account" in answer.get_data(as_text=True)
    (message,) = smtp_inbox.to("kim@council.example")
    assert message["Subject"] == "Choose a new Service Shopper password"
    path = smtp_inbox.link_in(message, "/account/reset-password/")

    assert client.get(path).status_code == 200
    response = _reset(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"

    assert phone.get("/api/v1/session").status_code == 401  # the other session ended at once
    assert db.session.query(UserSession).filter_by(user_id=user.id, ended_at=None).count() == 0
    signed_in = client.post(
        "/api/v1/session",
        json={"email": "kim@council.example", "password": NEW_PASSWORD},
        headers={"X-CSRFToken": _csrf(client)},
    )
    assert signed_in.status_code == 200
    actions = [e.action for e in db.session.query(AuditEvent).filter_by(object_id=str(user.id))]
    assert {"account.password_reset_requested", "account.password_reset", "account.signed_in"} <= set(actions)

    reused = client.get(path)  # the link works once
    assert reused.status_code == 410
    assert "used already" in reused.get_data(as_text=True)
    assert _reset(app.test_client(), path).status_code == 410


def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_mail(app, smtp_inbox):
    make_user(Role.coordinator, email="known@council.example")
    make_user(Role.coordinator, email="gone@council.example", active=False)
    known = _ask(app.test_client(), "known@council.example")
    unknown = _ask(app.test_client(), "nobody@council.example")
    gone = _ask(app.test_client(), "gone@council.example")
    assert known.status_code == unknown.status_code == gone.status_code == 200
    assert known.get_data() == unknown.get_data() == gone.get_data()
    assert [m["To"] for m in smtp_inbox.messages] == ["known@council.example"]


def test_an_expired_link_is_refused(own_app, client):
    user = make_user(Role.coordinator)
    token = reset.reset_token(user)
    own_app.config["PASSWORD_RESET_MAX_AGE"] = -1  # an hour has passed
    response = client.get(f"/account/reset-password/{token}")
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert _reset(client, f"/account/reset-password/{token}").status_code == 410


@pytest.mark.parametrize("token", ["not-a-token", "eyJ1c2VyIjoxfQ.forged.signature"])
def test_a_forged_link_is_not_found(client, token):
    response = client.get(f"/account/reset-password/{token}")
    assert response.status_code == 404
    assert "not valid" in response.get_data(as_text=True)


def test_a_link_of_an_account_deactivated_since_is_refused(client):
    user = make_user(Role.coordinator)
    token = reset.reset_token(user)
    user.active = False
    db.session.commit()
    assert client.get(f"/account/reset-password/{token}").status_code == 404


def test_a_weak_or_mistyped_password_is_a_field_error(client):
    user = make_user(Role.coordinator)
    path = f"/account/reset-password/{reset.reset_token(user)}"
    short = _reset(client, path, password="short")
    assert short.status_code == 422
    assert 'id="password-error"' in short.get_data(as_text=True)
    mistyped = _reset(client, path, again=NEW_PASSWORD + "x")
    assert mistyped.status_code == 422
    assert "The two passwords are not the same." in mistyped.get_data(as_text=True)
    assert client.get(path).status_code == 200  # still unused


def test_a_blank_address_is_a_field_error(client):
    client.get("/account/forgot-password")
    response = client.post("/account/forgot-password", data={"email": "", "csrf_token": _csrf(client)})
    assert response.status_code == 422
    assert "Type the e-mail address you sign in with." in response.get_data(as_text=True)


def test_requests_are_rate_limited_per_address(own_app, client):
    own_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"] = "2 per hour"
    make_user(Role.coordinator, email="often@council.example")
    for _ in range(2):
        assert _ask(client, "often@council.example").status_code == 200
    client.get("/account/forgot-password")
    limited = client.post(
        "/account/forgot-password", data={"email": "often@council.example", "csrf_token": _csrf(client)}
    )
    assert limited.status_code == 429
    assert _ask(client, "someone.else@council.example").status_code == 200  # another address still asks
