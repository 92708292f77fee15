"""Server-side session records behind Flask-Login.

The Flask session cookie carries a random token; the user is loaded from
its live ``UserSession``. Signing out ends the record, so the same cookie
replayed later is anonymous. An idle session ends after SESSION_IDLE_TIMEOUT, any session after
SESSION_ABSOLUTE_LIFETIME, and a new password ends the account's other sessions (``end_other_sessions``).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, redirect, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy.orm import joinedload

from app.accounts.models import User, UserSession
from app.accounts.services import GateStatus, gate_columns, gate_of
from app.api.problems import ApiProblem, wants_problem
from app.db_types import utcnow
from app.extensions import db, login_manager

# Refresh last_seen_at at most this often, so that reads do not write on every request.
_TOUCH_INTERVAL = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class LiveSession:
    """The signed-in session of this request: the cookie's token and, when ``load_user`` read it, the
    gate as it stood when the request began (``gate_required``; None: read when asked) and the id of the
    session record."""

    token: str
    gate: GateStatus | None = None
    id: int | None = None


_sessions = UserSession.__table__


def _update_record(record_id: int, **values) -> None:
    db.session.execute(sa.update(_sessions).where(_sessions.c.id == record_id).values(**values))
    db.session.commit()


# Built once: it runs on every signed-in request. The session record's columns as a plain row: only the
# user is an object of the ORM.
_LIVE_SESSION = (
    sa.select(
        User,
        _sessions.c.id.label("session_id"),
        _sessions.c.created_at,
        _sessions.c.last_seen_at,
        *gate_columns(User.programme_id, User.id),
    )
    .join(_sessions, _sessions.c.user_id == User.id)
    .options(joinedload(User.role_rows))  # the roles in the same statement: every page checks one
    .where(_sessions.c.token_hash == sa.bindparam("token_hash"), _sessions.c.ended_at.is_(None))
)


def load_user(token: str) -> User | None:
    """The user of a live session record, with the gate as it stood when the request began."""
    found = db.session.execute(_LIVE_SESSION, {"token_hash": _digest(token)}).unique().first()
    if found is None or not found.User.active:
        return None
    user = found.User
    now = utcnow()
    if (
        now - found.last_seen_at > current_app.config["SESSION_IDLE_TIMEOUT"]
        or now - found.created_at > current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    ):
        _update_record(found.session_id, ended_at=now)
        return None
    if now - found.last_seen_at > _TOUCH_INTERVAL:
        _update_record(found.session_id, last_seen_at=now)
        # The cookie is sent again only now (SESSION_REFRESH_EACH_REQUEST is off), so that its expiry
        # follows use as closely as the server record's does, without a new cookie on every response.
        session.modified = True
    user.session_record = LiveSession(token, gate_of(found), found.session_id)
    return user


def unauthorized():
    if wants_problem():
        raise ApiProblem(401, "not_signed_in", "Sign in to continue.")
    return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))


def init_login(app):
    login_manager.init_app(app)
    login_manager.session_protection = None  # phones change address; the server record is the protection
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)


def start_session(user: User) -> None:
    """Sign ``user`` in with a fresh session (and so a fresh CSRF token). The caller commits."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_digest(token), user=user))
    user.session_record = LiveSession(token)
    session.clear()
    session.permanent = True
    login_user(user)


def end_session(user: User) -> None:
    """End the current session record and clear the cookie session. The caller commits."""
    if user.session_record is not None:
        db.session.execute(
            sa.update(UserSession.__table__)
            .where(UserSession.token_hash == _digest(user.session_record.token))
            .values(ended_at=utcnow())
        )
    logout_user()
    session.clear()


def session_id_of(user: User) -> int | None:
    """The id of ``user``'s signed-in session record (None when they are not signed in)."""
    record = user.session_record
    if record is None:
        return None
    if record.id is None:  # signed in by this request: the record is written at its commit
        return db.session.scalar(
            sa.select(UserSession.id).where(
                UserSession.token_hash == _digest(record.token), UserSession.ended_at.is_(None)
            )
        )
    return record.id


def end_other_sessions(user: User) -> None:
    """End every live session of ``user`` but the current one (after a new password). The caller commits."""
    current = _digest(user.session_record.token) if user.session_record is not None else None
    db.session.execute(
        sa.update(UserSession.__table__)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.token_hash != current if current else sa.true(),
        )
        .values(ended_at=utcnow())
    )
