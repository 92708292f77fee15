"""A session ends after its absolute lifetime however often it is used, and a new password ends every other
session of the account (app/accounts/sessions.py, app/accounts/credentials.py)."""

from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import Role, UserSession
from app.accounts.passwords import password_matches
from app.db_types import utcnow
from app.extensions import db
from tests.conftest import csrf_headers, sign_in
from tests.factories import PASSWORD, make_shopper, make_user

NEW_PASSWORD = "a longer one for the winter"


def _age(user, **ago):
    for record in db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)):
        record.created_at = utcnow() - timedelta(**ago)
        record.last_seen_at = utcnow()  # used a moment ago: not idle
    db.session.commit()


def test_a_session_in_use_still_ends_after_its_absolute_lifetime(client, app, world):
    shopper = make_shopper(world)
    sign_in(client, shopper)
    lifetime = app.config["SESSION_ABSOLUTE_LIFETIME"]
    _age(shopper, seconds=lifetime.total_seconds() - 60)
    assert client.get("/api/v1/session").status_code == 200
    _age(shopper, seconds=lifetime.total_seconds() + 60)
    assert client.get("/api/v1/session").status_code == 401
    assert db.session.scalars(sa.select(UserSession.ended_at)).one() is not None


def test_a_new_password_ends_every_other_session(client, app, world):
    user = make_user(Role.coordinator, programme=world.programme)
    phone, laptop = (sign_in(app.test_client(), user) for _ in range(2))
    sign_in(client, user)
    wrong = client.post(
        "/account/password",
        headers=csrf_headers(client),
        data={"current_password": "not it", "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and "That is not your password now." in wrong.get_data(as_text=True)
    assert phone.get("/api/v1/session").status_code == 200

    response = client.post(
        "/account/password",
        headers=csrf_headers(client),
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/api/v1/session").status_code == 200  # this one goes on
    assert (
        phone.get("/api/v1/session").status_code == 401 and laptop.get("/api/v1/session").status_code == 401
    )
    db.session.refresh(user)
    assert password_matches(user.password_hash, NEW_PASSWORD)


def test_a_weak_new_password_is_a_field_error(client, world):
    sign_in(client, make_user(Role.coordinator, programme=world.programme))
    response = client.post(
        "/account/password",
        headers=csrf_headers(client),
        data={"current_password": PASSWORD, "password": "short", "confirm_password": "short"},
    )
    assert response.status_code == 422 and "Use at least 12 characters." in response.get_data(as_text=True)
