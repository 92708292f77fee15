"""A quick load of the plain report: what ``SubmissionArgs().load`` gives, without marshmallow's work.

Most of what the app sends is plain (no evidence, replies, sent time or call log; not an e-mail or letter
shop); a sync batch loads a hundred of them. ``load_plain`` accepts only what the schema accepts and
gives what the schema gives (property-tested in tests/visits/test_plain_load.py); for anything unusual,
invalid or not plain it steps aside, so that every error message still comes from the schema.
"""

import math
import uuid
from datetime import UTC, datetime

from app.visits.models import SubmissionKind
from app.visits.schemas import MAX_ANSWERS, MAX_ID, SubmissionArgs, plausible_device_time

# The plain report: every field but these, which it leaves at their defaults.
_NOT_PLAIN = (
    "evidence",
    "sent_at",
    "replies",
    "call_log",
    "sent_to",
    "sent_from",
    "finished_by",
    "website",
    "derived_answers",
)
_FIELDS = SubmissionArgs().fields
_PLAIN_KEYS = frozenset(_FIELDS) - set(_NOT_PLAIN)
_PLAIN_REQUIRED = frozenset(name for name in _PLAIN_KEYS if _FIELDS[name].required)
_PLAIN_KINDS = {
    kind.value: kind for kind in SubmissionKind if kind not in (SubmissionKind.email, SubmissionKind.letter)
}


def _plain_id(value) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def _plain_time(value) -> datetime | None:
    if type(value) is not str:
        return None
    try:
        moment = datetime.fromisoformat(value)  # what AwareDateTime(format="iso") uses
        moment = moment.astimezone(UTC) if moment.utcoffset() is not None else None
    except (ValueError, OverflowError):
        return None
    return moment if moment is not None and plausible_device_time(moment) else None


_ABSENT = object()


def _plain_text(value, default: str, longest: int) -> str | None:
    if value is _ABSENT:
        return default
    return value if type(value) is str and len(value) <= longest else None


def load_plain(raw) -> dict | None:
    """``SubmissionArgs().load(raw)`` for a plain report, or None for anything else (the schema decides then).

    It accepts only what the schema accepts and gives what the schema gives (property-tested in
    tests/visits/test_plain_load.py); for anything unusual, invalid or not plain it steps aside, so
    that every error message still comes from the schema.
    """
    if type(raw) is not dict or not (_PLAIN_REQUIRED <= raw.keys() <= _PLAIN_KEYS):
        return None
    submission_uuid, kind, answers = raw["uuid"], raw["kind"], raw["answers"]
    if type(submission_uuid) is not str or type(kind) is not str or kind not in _PLAIN_KINDS:
        return None
    if not (
        _plain_id(raw["assignment_id"])
        and _plain_id(raw["questionnaire_id"])
        and _plain_id(raw["questionnaire_version"])
    ):
        return None
    if type(answers) is not dict or len(answers) > MAX_ANSWERS:
        return None
    for key, value in answers.items():
        if (
            type(key) is not str
            or not 1 <= len(key) <= 60
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            return None
    started_at, completed_at = _plain_time(raw["started_at"]), _plain_time(raw["completed_at"])
    notes = _plain_text(raw.get("notes", _ABSENT), "", 10_000)
    commendation = _plain_text(raw.get("commendation", _ABSENT), "", 2_000)
    if (
        started_at is None
        or completed_at is None
        or completed_at < started_at
        or notes is None
        or commendation is None
    ):
        return None
    try:
        submission_uuid = uuid.UUID(submission_uuid)
    except ValueError:
        return None
    return {
        "uuid": submission_uuid,
        "assignment_id": raw["assignment_id"],
        "kind": _PLAIN_KINDS[kind],
        "questionnaire_id": raw["questionnaire_id"],
        "questionnaire_version": raw["questionnaire_version"],
        "started_at": started_at,
        "completed_at": completed_at,
        "answers": dict(answers),
        "notes": notes,
        "commendation": commendation,
        **{name: _default(name) for name in _NOT_PLAIN},
    }


def _default(name: str):
    default = _FIELDS[name].load_default
    return default() if callable(default) else default
