"""Errors that services raise; the web layer turns each into a field error, a flash or a problem."""


class DomainError(Exception):
    """A request the rules refuse. ``code`` is stable and ends up in the API problem."""

    status = 409

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Refused(DomainError):
    """Not allowed for this user (403)."""

    status = 403


class Invalid(DomainError):
    """Well-formed but wrong, e.g. an unknown organisation (422)."""

    status = 422


class ImportRefused(Exception):
    """A file to import (a questionnaire, a shopper's unsent work) that this app cannot take; ``reasons``
    says why, one line each."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
