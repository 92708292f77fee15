"""Password hashing with argon2id.

argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, m=64 MiB, p=4)
are above OWASP's minimum for argon2id (m=19 MiB, t=2, p=1).
"""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()

# Verified when an e-mail address is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user, password: str) -> bool:
    """Check ``password`` against ``user`` (None: spend the same time, answer False).

    A hash made with weaker parameters than today's is upgraded in place (the caller commits).
    """
    if user is None:
        password_matches(_DUMMY_HASH, password)
        return False
    if not password_matches(user.password_hash, password):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True
