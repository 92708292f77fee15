"""Server-side session records behind Flask-Login.

The Flask session cookie carries a random token; the user is loaded from
its live ``UserSession``. Signing out ends the record, so the same cookie
replayed later is anonymous. An idle session ends after SESSION_IDLE_TIMEOUT, any session after
SESSION_ABSOLUTE_LIFETIME, and a new password ends the account's other sessions (``end_other_sessions``).
"""

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from app.accounts.models import Role, User, UserRole, UserSession
from app.accounts.services import GateStatus, gate_columns, gate_of
from app.api.problems import ApiProblem, wants_problem
from app.db_types import utcnow
from app.direct_statements import DirectStatement
from app.extensions import db, login_manager

# Refresh last_seen_at at most this often, so that reads do not write on every request.
_TOUCH_INTERVAL = timedelta(minutes=5)
_USER_COLUMNS = [column.key for column in User.__table__.c]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class LiveSession:
    """The signed-in session of this request: the cookie's token and, when ``load_user`` read it, the
    gate as it stood when the request began (``gate_required``; None: read when asked)."""

    token: str
    gate: GateStatus | None = None


@functools.cache
def _live_session_statement():
    """Session, user, roles (a row each) and the user's gate in one Core statement, built once after every
    model is mapped. It runs on every signed-in request, so it reads plain rows: having the ORM load the
    session, the user and the roles collection took a fifth of a report's upload (bench/README.md), and
    runs directly (``app.direct_statements``)."""
    user = User.__table__
    return DirectStatement(
        sa.select(
            UserSession.id.label("session_id"),
            UserSession.created_at.label("session_started_at"),
            UserSession.last_seen_at,
            UserRole.role.label("role"),
            *user.c,
            *gate_columns(user.c.programme_id, user.c.id),
        )
        .select_from(
            UserSession.__table__.join(user, user.c.id == UserSession.user_id).outerjoin(
                UserRole.__table__, UserRole.user_id == user.c.id
            )
        )
        .where(UserSession.token_hash == sa.bindparam("token_hash"), UserSession.ended_at.is_(None))
    )


def _user_of(row, roles: list[Role]) -> User:
    """The row's user, persistent in this request's session: what a query would have made of the row (every
    column is set from it), without the query. Its roles are kept as read, without role objects (making
    and adding them was a third of this); ``role_rows`` loads as usual when a page asks."""
    existing = db.session.identity_map.get(identity_key(User, row.id))
    if existing is not None:
        return existing
    user = User(**{name: getattr(row, name) for name in _USER_COLUMNS})
    make_transient_to_detached(user)
    db.session.add(user)
    user.signed_in_roles = frozenset(roles)
    return user


def _update_record(session_id: int, **values) -> None:
    db.session.execute(sa.update(UserSession.__table__).where(UserSession.id == session_id).values(**values))
    db.session.commit()


def load_user(token: str) -> User | None:
    rows = _live_session_statement().rows(db.session.connection(), {"token_hash": _digest(token)})
    if not rows or not rows[0].active:
        return None
    first = rows[0]
    now = utcnow()
    if (
        now - first.last_seen_at > current_app.config["SESSION_IDLE_TIMEOUT"]
        or now - first.session_started_at > current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    ):
        _update_record(first.session_id, ended_at=now)
        return None
    if now - first.last_seen_at > _TOUCH_INTERVAL:
        _update_record(first.session_id, last_seen_at=now)
        # The cookie is sent again only now (SESSION_REFRESH_EACH_REQUEST is off), so that its expiry
        # follows use as closely as the server record's does, without a new cookie on every response.
        session.modified = True
    user = _user_of(first, [row.role for row in rows if row.role is not None])
    user.session_record = LiveSession(token, gate_of(first))
    return user


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
    if user.session_record is None:
        return None
    return db.session.scalar(
        sa.select(UserSession.id).where(
            UserSession.token_hash == _digest(user.session_record.token), UserSession.ended_at.is_(None)
        )
    )


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
