"""A user's language setting; the caller commits."""

from app.audit.services import record
from app.i18n.languages import LANGUAGES


def set_language(user, code: str) -> None:
    """Keep ``code`` (one of ``LANGUAGES``) as the language ``user`` reads pages, e-mails and the app in."""
    if code not in LANGUAGES:
        raise ValueError(code)
    if user.language != code:
        record("user.language_changed", user, actor=user, language=code)
        user.language = code
