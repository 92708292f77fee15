"""Sign-in rate limits: per account and per address, counting failed attempts only.

Limits live in RATELIMIT_STORAGE_URI (memory by default: per process). Several
gunicorn instances share a Redis or Memcached store there.
"""

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from app.accounts.services import normalise_email
from app.extensions import limiter


def _submitted_email() -> str:
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if hasattr(data, "get") else None  # JSON may be a list, a number, or None
    return normalise_email(email) if isinstance(email, str) else ""


def _account_key() -> str:
    return "sign-in-account:" + _submitted_email()


def _address_key() -> str:
    return "sign-in-address:" + get_remote_address()


def _failed(response) -> bool:
    return bool(g.get("sign_in_failed"))


def mark_failed_sign_in() -> None:
    g.sign_in_failed = True


def sign_in_limited(view):
    """Apply both limits to a sign-in view (POST only)."""
    view = limiter.limit(
        lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"],
        key_func=_account_key,
        methods=["POST"],
        deduct_when=_failed,
    )(view)
    view = limiter.limit(
        lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"],
        key_func=_address_key,
        methods=["POST"],
        deduct_when=_failed,
    )(view)
    return view
