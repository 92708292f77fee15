"""A questionnaire version as JSON: the export, and the checked import (also the format of the templates).

The format (``format_version`` 1)::

    {
      "format": "service-shopper-questionnaire", "format_version": 1,
      "title": "Telephone call", "channel": "telephone",          # a Channel value
      "critical_scope": "report",                                 # or "section": what a failed critical zeroes
      "sections": [
        {"title": "Getting through", "questions": [
          {"key": "answer_wait",            # unique in the version, snake_case, at most 60 characters
           "type": "duration",              # yes_no scale single_choice multi_choice number duration time text photo
           "text": "How long until a person answered?",
           "help_text": "",                 # shown to the shopper under the question
           "weight": 2, "na_allowed": false, "critical": false, "required": true,
           "standard": "TEL_ANSWER_20S",    # a service standard's code in the programme, or null
           "options": null,                 # choices only, 2 or more:
                                            #   [{"value": "a", "label": "A", "score": 0..1 or null}, ...]
           "scale_min": null, "scale_max": null,   # scale only: integers, min < max, at most 10 apart
           "translations": {                # the question in other languages (cy: Welsh); same key and values
             "cy": {"text": "…", "help_text": "…", "options": {"a": "…"}}}}
        ], "translations": {"cy": {"title": "…"}}}
      ]
    }

Unknown fields are refused, so a typo is not silently dropped. Everything but ``key``, ``type`` and
``text`` has the default shown.
"""

import re

import marshmallow as ma

from app import json_provider
from app.api.fields import StrictBoolean, message_lines, not_blank
from app.errors_domain import ImportRefused
from app.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES
from app.programmes.models import Channel
from app.questionnaires.models import CHOICE_TYPES, CriticalScope, QuestionType

FORMAT = "service-shopper-questionnaire"
FORMAT_VERSION = 1
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_QUESTIONS = 300
# Critical (knock-out) questions need an answer that can fail.
CRITICAL_TYPES = {
    QuestionType.yes_no,
    QuestionType.scale,
    QuestionType.single_choice,
    QuestionType.multi_choice,
    QuestionType.number,
    QuestionType.duration,
}


def question_problems(q: dict) -> dict[str, str]:
    """What is wrong with one question's values, by field; shared by the import and the builder's form.

    ``q`` has ``key``, ``type`` (a QuestionType), ``options`` (list or None), ``scale_min``, ``scale_max``,
    ``critical``.
    """
    problems = {}
    if not KEY_PATTERN.match(q.get("key") or ""):
        problems["key"] = (
            "Use snake_case: lower-case letters, digits and underscores, starting with a letter, "
            "at most 60 characters."
        )
    kind, options = q["type"], q.get("options")
    if kind in CHOICE_TYPES:
        if not options or len(options) < 2:
            problems["options"] = "A choice question needs at least two options."
        else:
            values = [o["value"] for o in options]
            duplicates = sorted({v for v in values if values.count(v) > 1})
            if duplicates:
                problems["options"] = f"Option values must differ; repeated: {', '.join(duplicates)}."
    elif options:
        problems["options"] = "Only a single or multiple choice question has options."
    low, high = q.get("scale_min"), q.get("scale_max")
    if kind is QuestionType.scale:
        if low is None or high is None:
            problems["scale_max"] = "A scale needs a lowest and a highest point."
        elif not low < high:
            problems["scale_max"] = "The highest point must be above the lowest."
        elif high - low > 10:
            problems["scale_max"] = "A scale has at most 11 points."
    elif low is not None or high is not None:
        problems["scale_max"] = "Only a scale question has a lowest and highest point."
    if q.get("critical") and kind not in CRITICAL_TYPES:
        problems["critical"] = "A critical question needs an answer that can fail (not text, photo or time)."
    values = {o["value"] for o in options or []}
    for code, translation in (q.get("translations") or {}).items():
        unknown = sorted(set(translation.get("options") or {}) - values)
        if unknown:
            problems["translations"] = (
                f"The {LANGUAGES.get(code, code)} wording names options the question does not have: "
                f"{', '.join(unknown)}."
            )
    return problems


class OptionArgs(ma.Schema):
    value = ma.fields.String(required=True, validate=[not_blank, ma.validate.Length(max=60)])
    label = ma.fields.String(required=True, validate=[not_blank, ma.validate.Length(max=200)])
    score = ma.fields.Float(load_default=None, allow_none=True, validate=ma.validate.Range(0, 1))


TRANSLATED_LANGUAGES = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]


class QuestionTranslationArgs(ma.Schema):
    text = ma.fields.String(required=True, validate=[not_blank, ma.validate.Length(max=500)])
    help_text = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))
    options = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(validate=ma.validate.Length(max=200)),
        load_default=dict,
    )


class SectionTranslationArgs(ma.Schema):
    title = ma.fields.String(required=True, validate=[not_blank, ma.validate.Length(max=200)])


def translations_field(schema):
    return ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(TRANSLATED_LANGUAGES)),
        values=ma.fields.Nested(schema),
        load_default=dict,
    )


class QuestionArgs(ma.Schema):
    key = ma.fields.String(required=True)
    type = ma.fields.Enum(QuestionType, by_value=True, required=True)
    text = ma.fields.String(required=True, validate=[not_blank, ma.validate.Length(max=500)])
    help_text = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))
    weight = ma.fields.Float(load_default=1.0, validate=ma.validate.Range(0, 100))
    na_allowed = StrictBoolean(load_default=False)
    critical = StrictBoolean(load_default=False)
    required = StrictBoolean(load_default=True)
    standard = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=60))
    options = ma.fields.List(
        ma.fields.Nested(OptionArgs), load_default=None, allow_none=True, validate=ma.validate.Length(max=50)
    )
    scale_min = ma.fields.Integer(load_default=None, allow_none=True, strict=True)
    scale_max = ma.fields.Integer(load_default=None, allow_none=True, strict=True)
    translations = translations_field(QuestionTranslationArgs)

    @ma.validates_schema
    def check(self, data, **kwargs):
        problems = question_problems(data)
        if problems:
            raise ma.ValidationError({field: [message] for field, message in problems.items()})


class SectionArgs(ma.Schema):
    title = ma.fields.String(required=True, validate=[not_blank, ma.validate.Length(max=200)])
    questions = ma.fields.List(ma.fields.Nested(QuestionArgs), load_default=list)
    translations = translations_field(SectionTranslationArgs)


class QuestionnaireArgs(ma.Schema):
    format = ma.fields.String(required=True, validate=ma.validate.Equal(FORMAT))
    format_version = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Equal(FORMAT_VERSION))
    title = ma.fields.String(required=True, validate=[not_blank, ma.validate.Length(max=200)])
    channel = ma.fields.Enum(Channel, by_value=True, required=True)
    critical_scope = ma.fields.Enum(CriticalScope, by_value=True, load_default=CriticalScope.report)
    sections = ma.fields.List(
        ma.fields.Nested(SectionArgs), required=True, validate=ma.validate.Length(min=1)
    )

    @ma.validates_schema
    def check(self, data, **kwargs):
        keys = [q["key"] for s in data["sections"] for q in s["questions"]]
        if not keys:
            raise ma.ValidationError("A questionnaire needs at least one question.", "sections")
        if len(keys) > MAX_QUESTIONS:
            raise ma.ValidationError(f"At most {MAX_QUESTIONS} questions.", "sections")
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ma.ValidationError(
                f"Question keys must be unique; repeated: {', '.join(duplicates)}.", "sections"
            )


def parse(text: str | bytes) -> dict:
    """The checked content of a questionnaire JSON document; ``ImportRefused`` with the reasons otherwise."""
    try:
        document = json_provider.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused([f"Not valid JSON: {error}."]) from None
    if not isinstance(document, dict):
        raise ImportRefused(["The file must hold one JSON object (a questionnaire), not a list or a value."])
    try:
        return QuestionnaireArgs().load(document)
    except ma.ValidationError as error:
        raise ImportRefused(message_lines(error.messages, "questionnaire")) from None


def export(version) -> dict:
    """``version`` in the import format: importing it gives an equal version."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "title": version.questionnaire.title,
        "channel": version.questionnaire.channel.value,
        "critical_scope": version.critical_scope.value,
        "sections": [
            {
                "title": section.title,
                "questions": [
                    {
                        "key": q.key,
                        "type": q.type.value,
                        "text": q.text,
                        "help_text": q.help_text,
                        "weight": q.weight,
                        "na_allowed": q.na_allowed,
                        "critical": q.critical,
                        "required": q.required,
                        "standard": q.standard.code if q.standard else None,
                        "options": [
                            {"value": o["value"], "label": o["label"], "score": o.get("score")}
                            for o in q.options
                        ]
                        if q.options
                        else None,
                        "scale_min": q.scale_min,
                        "scale_max": q.scale_max,
                        "translations": q.translations or {},
                    }
                    for q in section.questions
                ],
                "translations": section.translations or {},
            }
            for section in version.sections
        ],
    }
