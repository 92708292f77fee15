"""Answers checked against the questionnaire version they were captured with.

A version's rules are cached per process once the version is frozen: a
frozen version is read-only (SPEC §2), so its questions cannot change under
the cache. Unfrozen versions are read from the database every time.
"""

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.questionnaires.models import CHOICE_TYPES, Question, QuestionType

MAX_TEXT_ANSWER = 5_000
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Rule:
    """What one question accepts."""

    type: QuestionType
    required: bool
    na_allowed: bool
    scale_min: int | None = None
    scale_max: int | None = None
    options: frozenset[str] = frozenset()


def rule_for(question: Question) -> Rule:
    options = frozenset(str(o["value"]) for o in (question.options or []) if "value" in o)
    return Rule(
        question.type,
        question.required,
        question.na_allowed,
        question.scale_min,
        question.scale_max,
        options if question.type in CHOICE_TYPES else frozenset(),
    )


_CACHE_SIZE = 256
_frozen_rules: "OrderedDict[tuple[int, datetime], dict[str, Rule]]" = OrderedDict()


def rules_for_versions(versions) -> dict[int, dict[str, Rule]]:
    """{version id: {question key: Rule}} for these QuestionnaireVersion rows, in at most one query."""
    rules, missing = {}, []
    for version in versions:
        cached = _frozen_rules.get((version.id, version.frozen_at)) if version.frozen_at else None
        if cached is None:
            missing.append(version)
        else:
            rules[version.id] = cached
    if missing:
        loaded = {version.id: {} for version in missing}
        questions = db.session.scalars(sa.select(Question).where(Question.version_id.in_(list(loaded))))
        for question in questions:
            loaded[question.version_id][question.key] = rule_for(question)
        for version in missing:
            rules[version.id] = loaded[version.id]
            if version.frozen_at is not None:
                _frozen_rules[(version.id, version.frozen_at)] = loaded[version.id]
                while len(_frozen_rules) > _CACHE_SIZE:
                    _frozen_rules.popitem(last=False)
    return rules


# The largest whole number a phone's JavaScript holds exactly (Number.MAX_SAFE_INTEGER): anything beyond
# it is a slip, not an answer, and a JSON column's writer (orjson) takes integers of 64 bits at most.
MAX_WHOLE_NUMBER = 2**53 - 1


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_value(rule: Rule, value, photo_ids: set[str]) -> str | None:
    """The problem with ``value`` as an answer under ``rule``, or None."""
    if value is None:
        return None if rule.na_allowed else "This question does not allow N/A."
    if _is_int(value) and abs(value) > MAX_WHOLE_NUMBER:
        return "Too large a number to be an answer."
    kind = rule.type
    if kind is QuestionType.yes_no:
        return None if isinstance(value, bool) else "Answer true or false."
    if kind is QuestionType.scale:
        if not _is_int(value):
            return "Answer a whole number on the scale."
        low = 1 if rule.scale_min is None else rule.scale_min
        high = 5 if rule.scale_max is None else rule.scale_max
        return None if low <= value <= high else f"Must be between {low} and {high}."
    if kind is QuestionType.single_choice:
        if not isinstance(value, str):
            return "Answer one option value."
        return None if value in rule.options else f"Not an option: {value[:60]!r}."
    if kind is QuestionType.multi_choice:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "Answer a list of option values."
        if len(set(value)) != len(value):
            return "An option is given twice."
        unknown = [v for v in value if v not in rule.options]
        return f"Not an option: {unknown[0][:60]!r}." if unknown else None
    if kind is QuestionType.number:
        return None if _is_number(value) else "Answer a number."
    if kind is QuestionType.duration:
        return None if _is_int(value) and value >= 0 else "Answer a whole number of seconds, 0 or more."
    if kind is QuestionType.time:
        return None if isinstance(value, str) and _TIME.match(value) else "Answer a time as HH:MM."
    if kind is QuestionType.text:
        if not isinstance(value, str):
            return "Answer text."
        return None if len(value) <= MAX_TEXT_ANSWER else f"At most {MAX_TEXT_ANSWER} characters."
    if kind is QuestionType.photo:
        if not isinstance(value, str):
            return "Answer the id of a photo in evidence."
        return None if value in photo_ids else "No photo with this id in evidence."
    return f"Questions of type {kind.value} cannot be answered yet."


REQUIRED_MISSING = "An answer is required."


def check_answers(rules: dict[str, Rule], answers: dict, photo_ids: set[str]) -> dict[str, list[str]]:
    """Per-key messages: unknown keys, wrong types, out-of-range values, N/A where not allowed, required missing."""
    errors = {}
    for key, value in answers.items():
        rule = rules.get(key)
        if rule is None:
            errors[key] = ["No such question in this questionnaire version."]
            continue
        message = check_value(rule, value, photo_ids)
        if message:
            errors[key] = [message]
    if "consent" in rules and answers.get("consent") is False:
        # A resident who declines is recorded (it counts in the response rate), and nothing else is.
        for key in answers.keys() - {"consent"}:
            errors[key] = ["Nothing else may be recorded when the resident declines."]
        return errors
    for key, rule in rules.items():
        if rule.required and key not in answers:
            errors[key] = [REQUIRED_MISSING]
    return errors


# How far the device times of a report may lie from its assignment's window. Work done early or late is
# stored and flagged (``early``, ``late``); beyond these it is a wrong clock or a made-up time, and its
# durations (completed minus started) would be nonsense on every page that shows them.
PLAUSIBLE_BEFORE_WINDOW = timedelta(days=90)
PLAUSIBLE_AFTER_WINDOW = timedelta(days=366)  # a letter's reply may come months after the wave


def implausible_times(
    item: dict, window_starts_at: datetime, window_ends_at: datetime
) -> dict[str, list[str]]:
    """Field errors for the device times of ``item`` (loaded ``SubmissionArgs``) too far from the window."""
    earliest, latest = window_starts_at - PLAUSIBLE_BEFORE_WINDOW, window_ends_at + PLAUSIBLE_AFTER_WINDOW
    message = (
        f"Too far from the assignment's window ({window_starts_at:%d %b %Y} to {window_ends_at:%d %b %Y}) "
        "to be when the work was done: check the phone's date and time."
    )

    def wrong(moment) -> bool:
        return moment is not None and not earliest <= moment <= latest

    errors = {name: [message] for name in ("started_at", "completed_at", "sent_at") if wrong(item.get(name))}
    replies = {
        i: {"received_at": [message]}
        for i, r in enumerate(item.get("replies") or ())
        if wrong(r["received_at"])
    }
    if replies:
        errors["replies"] = replies
    call_log = item.get("call_log")
    if call_log is not None and wrong(call_log["dialled_at"]):
        errors["call_log"] = {"dialled_at": [message]}
    return errors
