"""The session cookie is re-sent when the server record is touched, not on every response."""

from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import UserSession
from app.db_types import utcnow
from app.extensions import db
from tests.conftest import sign_in
from tests.factories import make_shopper


def _set_cookie(response) -> str | None:
    return next(
        (
            value
            for name, value in response.headers.items()
            if name == "Set-Cookie" and value.startswith("shopper_session=")
        ),
        None,
    )


def test_a_signed_in_request_keeps_the_cookie_until_the_record_is_touched(client, world):
    shopper = make_shopper(world)
    sign_in(client, shopper)
    with client.session_transaction() as session:
        session.permanent = True  # as the real sign-in makes it (app.accounts.sessions.start_session)
    client.get("/api/v1/session")  # the CSRF token joins the session: a new cookie once

    quiet = client.get("/api/v1/session")
    assert quiet.status_code == 200
    assert _set_cookie(quiet) is None

    for record in db.session.scalars(sa.select(UserSession)):
        record.last_seen_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    touched = client.get("/api/v1/session")
    assert touched.status_code == 200
    cookie = _set_cookie(touched)
    assert cookie is not None and "Expires=" in cookie  # a permanent session: its expiry moves on

    again = client.get("/api/v1/session")
    assert again.status_code == 200 and again.get_json()["user"]["email"] == shopper.email
