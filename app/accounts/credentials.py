"""Changing a password. A new password ends every other session of the account (ASVS 7.4.3): whoever had
the old one, on another phone or computer, is signed out there. A reset by e-mail, when the app has one,
goes through ``set_password`` too."""

from app.accounts.models import User
from app.accounts.passwords import hash_password, password_problem, verify_password
from app.accounts.sessions import end_other_sessions
from app.audit.services import record
from app.errors_domain import Invalid


def set_password(user: User, password: str, action: str = "account.password_changed") -> None:
    """Store ``password`` as ``user``'s and end their other sessions (the current one, if any, goes on).
    ``action`` names it in the audit trail. The caller commits."""
    problem = password_problem(password)
    if problem:
        raise Invalid("weak_password", problem)
    user.password_hash = hash_password(password)
    end_other_sessions(user)
    record(action, user, actor=user)


def change_password(user: User, current: str, new: str) -> None:
    """``set_password``, once ``current`` is the password now."""
    if not verify_password(user, current):
        raise Invalid("wrong_password", "That is not your password now.")
    set_password(user, new)
