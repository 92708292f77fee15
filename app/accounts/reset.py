"""Forgotten passwords: an e-mailed link, signed (itsdangerous) and timed (``PASSWORD_RESET_MAX_AGE``,
an hour). It names the account and a fingerprint of its password hash, so it works once: the new password
changes the hash, and the link no longer matches. Nothing is stored. Plain functions; the caller commits."""

import hashlib

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.credentials import set_password
from app.accounts.models import User
from app.accounts.services import normalise_email
from app.audit.services import record
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.recruitment.mail import send_mail

SALT = "password-reset"


class LinkGone(DomainError):
    """A link that worked once and no longer does (expired or used)."""

    status = 410


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def reset_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "password": _fingerprint(user)})


def request_reset(email: str, link_for) -> User | None:
    """Mail a reset link (``link_for(token)`` makes it absolute) to the active account with this address.
    An unknown or deactivated address gets nothing, and the caller answers the same either way."""
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return None
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    send_mail(
        user.email,
        "Choose a new Service Shopper password",
        (
            f"Hello {user.display_name},\n\n"
            "Someone (we hope you) asked to choose a new password for your Service Shopper account.\n"
            f"Open this link to choose it:\n\n{link_for(reset_token(user))}\n\n"
            f"The link works once, for {minutes} minutes. Choosing a new password signs you out everywhere.\n"
            "If you did not ask, ignore this e-mail: your password stays as it is.\n"
        ),
        user.programme_id,
    )
    record("account.password_reset_requested", user)
    return user


def user_for_reset(token: str) -> User:
    """The account a reset link is for; an expired, used or forged link says which it is."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as error:
        raise LinkGone(
            "reset_expired", "This link has expired (it works for an hour). Ask for a new one."
        ) from error
    except BadSignature as error:
        raise Invalid("reset_invalid", "This link is not valid. Ask for a new one.") from error
    user = db.session.get(User, payload.get("user")) if isinstance(payload, dict) else None
    if user is None or not user.active:
        raise Invalid("reset_invalid", "This link is not valid. Ask for a new one.")
    if payload.get("password") != _fingerprint(user):
        raise LinkGone("reset_used", "This link has been used already. Ask for a new one if you need to.")
    return user


def reset_password(token: str, password: str) -> User:
    """Set the new password of the link's account; every session of it ends (``set_password``)."""
    user = user_for_reset(token)
    set_password(user, password, action="account.password_reset")
    return user
