"""Server-side session records behind Flask-Login.

The Flask session cookie carries a random token; the user is loaded from
its live ``UserSession``. Signing out ends the record, so the same cookie
replayed later is anonymous. An idle session ends after SESSION_IDLE_TIMEOUT.
"""
import functools
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user
from sqlalchemy.orm import contains_eager

from app.accounts.models import User, UserSession
from app.accounts.services import gate_columns, gate_of
from app.api.problems import ApiProblem, wants_problem
from app.db_types import utcnow
from app.extensions import db, login_manager

# Refresh last_seen_at at most this often, so that reads do not write on every request.
_TOUCH_INTERVAL = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@functools.cache
def _live_session_query():
    """Session, user, roles and the user's gate in one statement (built once, after every model is
    mapped): this runs on every signed-in request, and ``gate_required`` then needs no statement of its own."""
    return (
        sa.select(UserSession, *gate_columns(User.programme_id, User.id))
        .join(UserSession.user)
        .options(contains_eager(UserSession.user).joinedload(User.role_rows))
        .where(UserSession.token_hash == sa.bindparam("token_hash"), UserSession.ended_at.is_(None))
    )


def load_user(token: str) -> User | None:
    row = db.session.execute(_live_session_query(), {"token_hash": _digest(token)}).unique().first()
    record = row[0] if row is not None else None
    if record is None or not record.user.active:
        return None
    now = utcnow()
    if now - record.last_seen_at > current_app.config["SESSION_IDLE_TIMEOUT"]:
        record.ended_at = now
        db.session.commit()
        return None
    if now - record.last_seen_at > _TOUCH_INTERVAL:
        record.last_seen_at = now
        db.session.commit()
        # The cookie is sent again only now (SESSION_REFRESH_EACH_REQUEST is off), so that its expiry
        # follows use as closely as the server record's does, without a new cookie on every response.
        session.modified = True
    record.token = token
    # The gate as it stood when the request began, for this request only (``gate_required``; a new
    # record from ``start_session`` has none, and the gate is then read when asked).
    record.gate = gate_of(row)
    record.user.session_record = record
    return record.user


def unauthorized():
    if wants_problem():
        raise ApiProblem(401, "not_signed_in", "Sign in to continue.")
    return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))


class SigningSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its signing serializer made once per secret key rather than
    twice on every request (to read the cookie, and to write it)."""

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = app.extensions.get("session_signing_serializer")
        if cached is None or cached[0] != key:
            cached = app.extensions["session_signing_serializer"] = (key, super().get_signing_serializer(app))
        return cached[1]


def init_login(app):
    app.session_interface = SigningSessionInterface()
    login_manager.init_app(app)
    login_manager.session_protection = None  # phones change address; the server record is the protection
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)


def start_session(user: User) -> None:
    """Sign ``user`` in with a fresh session (and so a fresh CSRF token). The caller commits."""
    token = secrets.token_urlsafe(32)
    record = UserSession(token_hash=_digest(token), user=user)
    record.token = token
    db.session.add(record)
    user.session_record = record
    session.clear()
    session.permanent = True
    login_user(user)


def end_session(user: User) -> None:
    """End the current session record and clear the cookie session. The caller commits."""
    if user.session_record is not None:
        user.session_record.ended_at = utcnow()
    logout_user()
    session.clear()
