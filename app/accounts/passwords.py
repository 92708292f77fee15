"""Password hashing with argon2id.

argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, m=64 MiB, p=4)
are above OWASP's minimum for argon2id (m=19 MiB, t=2, p=1), and every
configuration but the tests' uses them. ``PASSWORD_HASH_PARAMETERS`` (keyword
arguments of ``argon2.PasswordHasher``) lets ``TestConfig`` hash cheaply: the
test suite signs people in thousands of times. Verifying reads the parameters
from the stored hash, so any hash verifies under any configuration, and a hash
weaker than the configuration's is upgraded at the next sign-in.
"""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

hasher = PasswordHasher()  # the production parameters (argon2-cffi's defaults)


@cache
def _hasher_for(parameters: tuple) -> PasswordHasher:
    return PasswordHasher(**dict(parameters)) if parameters else hasher


def current_hasher() -> PasswordHasher:
    """The hasher of the current app's configuration (the defaults outside an app)."""
    parameters = current_app.config.get("PASSWORD_HASH_PARAMETERS") if has_app_context() else None
    return _hasher_for(tuple(sorted((parameters or {}).items())))


@cache
def _dummy_hash(for_hasher: PasswordHasher) -> str:
    """Verified when an e-mail address is unknown, so a wrong address takes as long as a wrong password."""
    return for_hasher.hash("not a real password")


_dummy_hash(hasher)  # made now, so that even the first unknown address takes as long as a wrong password


def hash_password(password: str) -> str:
    return current_hasher().hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)  # the parameters come from the hash
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user, password: str) -> bool:
    """Check ``password`` against ``user`` (None: spend the same time, answer False).

    A hash made with weaker parameters than today's is upgraded in place (the caller commits).
    """
    chosen = current_hasher()
    if user is None:
        password_matches(_dummy_hash(chosen), password)
        return False
    if not password_matches(user.password_hash, password):
        return False
    if chosen.check_needs_rehash(user.password_hash):
        user.password_hash = chosen.hash(password)
    return True


MIN_PASSWORD_LENGTH = 12


def password_problem(password: str) -> str | None:
    """Why ``password`` will not do, or None. The demo password is refused: it is published in the README."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if password == current_app.config.get("DEMO_PASSWORD"):
        return "That password is published for the demo; choose your own."
    return None
