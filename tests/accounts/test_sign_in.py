"""Sign-in and sign-out, on the page and the API: sessions, rate limits, CSRF."""

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Role, UserSession
from app.extensions import db
from tests.conftest import csrf_headers
from tests.factories import PASSWORD, make_shopper, make_user


def page_csrf(client, path="/sign-in"):
    html = client.get(path).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def api_sign_in(client, email, password, headers=None):
    headers = headers if headers is not None else csrf_headers(client)
    return client.post("/api/v1/session", json={"email": email, "password": password}, headers=headers)


def test_api_sign_in_answers_the_session(client, world):
    shopper = make_shopper(world)
    response = api_sign_in(client, shopper.email.upper(), PASSWORD)
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["email"] == shopper.email
    assert body["user"]["roles"] == ["shopper"]
    assert body["gate"] == {
        "confidentiality": True,
        "conflicts": True,
        "ready": True,
        "confidentiality_version": 1,
    }
    assert client.get("/api/v1/session").get_json()["user"]["id"] == shopper.id


def test_wrong_password_and_unknown_email_answer_alike(client, world):
    shopper = make_shopper(world)
    wrong_password = api_sign_in(client, shopper.email, "not the password")
    unknown = api_sign_in(client, "nobody@example.test", PASSWORD)
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.get_json()["code"] == unknown.get_json()["code"] == "invalid_credentials"
    assert wrong_password.get_json()["detail"] == unknown.get_json()["detail"]
    assert client.get("/api/v1/session").status_code == 401
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 0


def test_inactive_account_cannot_sign_in(client, world):
    shopper = make_shopper(world, active=False)
    assert api_sign_in(client, shopper.email, PASSWORD).status_code == 401


def test_page_sign_in_and_sign_out(client, world):
    shopper = make_shopper(world)
    response = client.post(
        "/sign-in", data={"email": shopper.email, "password": PASSWORD, "csrf_token": page_csrf(client)}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/briefs").status_code == 200
    token = page_csrf(client, "/briefs")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/briefs").status_code == 302


def test_page_sign_in_error_shows_on_the_field(client, world):
    shopper = make_shopper(world)
    response = client.post(
        "/sign-in", data={"email": shopper.email, "password": "nope", "csrf_token": page_csrf(client)}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "do not match an account" in html and 'aria-invalid="true"' in html


def test_sign_in_redirects_only_within_the_site(client, world):
    shopper = make_shopper(world)
    for target, expected in [("/briefs", "/briefs"), ("https://evil.example/", "/"), ("//evil.example", "/")]:
        client.delete("/api/v1/session", headers=csrf_headers(client))
        response = client.post(
            "/sign-in?next=" + target,
            data={"email": shopper.email, "password": PASSWORD, "csrf_token": page_csrf(client)},
        )
        assert response.headers["Location"] == expected


def test_sign_in_starts_a_new_session(client, world):
    shopper = make_shopper(world)
    before = client.get("/api/v1/session").get_json()["csrf_token"]
    after = api_sign_in(client, shopper.email, PASSWORD).get_json()["csrf_token"]
    with client.session_transaction() as session:
        raw_before = session["csrf_token"]
    assert before != after
    api_sign_in(client, shopper.email, PASSWORD, headers={"X-CSRFToken": after})
    with client.session_transaction() as session:
        assert session["csrf_token"] != raw_before
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 2


def test_sign_out_ends_the_session_on_the_server(client, world, app):
    """A copy of the cookie taken before signing out is worthless afterwards."""
    shopper = make_shopper(world)
    api_sign_in(client, shopper.email, PASSWORD)
    stolen_cookie = client.get_cookie("shopper_session").value
    response = client.delete("/api/v1/session", headers=csrf_headers(client))
    assert response.status_code == 204
    thief = app.test_client()
    thief.set_cookie("shopper_session", stolen_cookie)
    assert thief.get("/api/v1/session").status_code == 401
    assert db.session.scalar(sa.select(UserSession.ended_at)) is not None


def test_idle_session_expires(client, world, app):
    shopper = make_shopper(world)
    api_sign_in(client, shopper.email, PASSWORD)
    from datetime import timedelta

    record = db.session.scalar(sa.select(UserSession))
    record.last_seen_at -= app.config["SESSION_IDLE_TIMEOUT"] + timedelta(minutes=1)
    db.session.commit()
    response = client.get("/api/v1/session")
    assert response.status_code == 401
    assert response.get_json()["csrf_token"]  # the app can sign in again at once


def test_sign_in_needs_the_csrf_token(client, world):
    shopper = make_shopper(world)
    missing = api_sign_in(client, shopper.email, PASSWORD, headers={})
    wrong = api_sign_in(client, shopper.email, PASSWORD, headers={"X-CSRFToken": "forged"})
    for response in (missing, wrong):
        assert response.status_code == 400
        assert response.get_json()["code"] == "csrf_failed"
    page = client.post("/sign-in", data={"email": shopper.email, "password": PASSWORD})
    assert page.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 0


@pytest.mark.parametrize(
    "limit_name, vary", [("SIGN_IN_LIMIT_PER_ACCOUNT", "address"), ("SIGN_IN_LIMIT_PER_CLIENT", "account")]
)
def test_too_many_failed_attempts_answer_429(own_app, world, limit_name, vary):
    """Per account: from several addresses. Per client: against several accounts."""
    own_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = (
        "3 per minute" if limit_name.endswith("ACCOUNT") else "100 per minute"
    )
    own_app.config["SIGN_IN_LIMIT_PER_CLIENT"] = (
        "3 per minute" if limit_name.endswith("CLIENT") else "100 per minute"
    )
    shopper = make_shopper(world)
    client = own_app.test_client()
    headers = csrf_headers(client)
    for attempt in range(4):
        email = shopper.email if vary == "address" else f"someone{attempt}@example.test"
        address = f"10.0.0.{attempt}" if vary == "address" else "10.0.0.1"
        response = client.post(
            "/api/v1/session",
            json={"email": email, "password": "wrong"},
            headers=headers,
            environ_base={"REMOTE_ADDR": address},
        )
        assert response.status_code == (401 if attempt < 3 else 429), attempt
        if attempt < 3:  # a wrong password is not a reason to wait
            assert "Retry-After" not in response.headers
    assert response.get_json()["code"] == "rate_limited"
    assert (
        0 < int(response.headers["Retry-After"]) <= 61
    )  # when the minute's window lets the next one through (+1 s rounding)
    # The right password is refused too while the limit holds.
    right = client.post(
        "/api/v1/session",
        json={"email": shopper.email, "password": PASSWORD},
        headers=headers,
        environ_base={"REMOTE_ADDR": "10.0.0.1" if vary == "account" else "10.0.0.9"},
    )
    assert right.status_code == 429


def test_the_sign_in_page_says_when_to_try_again(own_app, world):
    own_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "2 per minute"
    shopper = make_shopper(world)
    client = own_app.test_client()
    for attempt in range(3):
        response = client.post(
            "/sign-in", data={"email": shopper.email, "password": "wrong", "csrf_token": page_csrf(client)}
        )
        assert response.status_code == (422 if attempt < 2 else 429) and (
            ("Retry-After" in response.headers) == (attempt == 2)
        ), attempt
    assert 0 < int(response.headers["Retry-After"]) <= 61
    assert "Too many attempts" in response.get_data(as_text=True)


def test_successful_sign_ins_are_not_counted(own_app, world):
    own_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "2 per minute"
    shopper = make_shopper(world)
    client = own_app.test_client()
    for _ in range(4):
        assert api_sign_in(client, shopper.email, PASSWORD).status_code == 200


def test_session_cookie_flags(client, world):
    shopper = make_shopper(world)
    response = api_sign_in(client, shopper.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_coordinator_session_has_no_gate_to_pass_but_reports_it(client, world):
    coordinator = make_user(Role.coordinator, programme=world.programme)
    body = api_sign_in(client, coordinator.email, PASSWORD).get_json()
    assert body["user"]["roles"] == ["coordinator"]
    assert set(body["gate"]) == {"confidentiality", "conflicts", "ready", "confidentiality_version"}
