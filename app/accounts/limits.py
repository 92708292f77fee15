"""The sign-in limit: one count for every way of signing in, of failed attempts only.

The sign-in page and ``POST /api/v1/session`` share it (Flask-Limiter's ``shared_limit``, one scope),
so a guess costs the same at either door. It is counted three ways, each its own setting:

- per account and client (``SIGN_IN_LIMIT_PER_ACCOUNT_AND_CLIENT``, the tightest): an attacker guessing
  one account's password from one address is slowed down at once, while the owner, from their own
  address, still signs in;
- per account (``SIGN_IN_LIMIT_PER_ACCOUNT``, looser): a ceiling on guesses at one account from many
  addresses;
- per client (``SIGN_IN_LIMIT_PER_CLIENT``): a ceiling on one address trying many accounts.

The client is the request's address (behind proxies, as ``PROXY_HOPS`` says). Counts live in
``RATELIMIT_STORAGE_URI``: Redis when ``REDIS_URL`` is set, shared by every process and instance; else
memory, which each process counts on its own.
"""

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from app.accounts.services import normalise_email
from app.extensions import limiter

SCOPE = "sign-in"


def _submitted_email() -> str:
    # The app's JSON reader refuses nesting beyond its depth limit (app/json_provider.py): ``None`` here.
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if hasattr(data, "get") else None  # JSON may be a list, a number, or None
    return normalise_email(email) if isinstance(email, str) else ""


def _account_and_client_key() -> str:
    return f"account-and-client:{_submitted_email()}|{get_remote_address()}"


def _account_key() -> str:
    return "account:" + _submitted_email()


def _client_key() -> str:
    return "client:" + get_remote_address()


def _failed(response) -> bool:
    return bool(g.get("sign_in_failed"))


def mark_failed_sign_in() -> None:
    g.sign_in_failed = True


def _setting(name: str):
    return lambda: current_app.config[name]


def sign_in_limited(view):
    """Put a sign-in view (its POST) under the shared sign-in limit."""
    for setting, key in (
        ("SIGN_IN_LIMIT_PER_ACCOUNT_AND_CLIENT", _account_and_client_key),
        ("SIGN_IN_LIMIT_PER_ACCOUNT", _account_key),
        ("SIGN_IN_LIMIT_PER_CLIENT", _client_key),
    ):
        view = limiter.shared_limit(
            _setting(setting), scope=SCOPE, key_func=key, methods=["POST"], deduct_when=_failed
        )(view)
    return view
