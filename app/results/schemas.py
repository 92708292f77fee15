"""The shapes of ``GET /api/v1/results``: its query (``ResultsArgs``) and its answer (``ResultsSchema``).

A rate is SPEC §4's ``{k, n, value, ci_low, ci_high, small_sample}``; a mean (seconds, a 1-5 scale) is
``{n, mean, ci_low, ci_high, small_sample}``; a change is ``{difference, ci_low, ci_high, call}``.
"""

import marshmallow as ma
from marshmallow import validate

from app.programmes.models import Channel
from app.results.figures import GROUP_KEYS


class Number(ma.fields.Raw):
    """A JSON number as computed (a count stays whole)."""


def _number(**kwargs):
    return Number(metadata={"type": "number"}, **kwargs)


class GroupBy(ma.fields.String):
    """A comma list of group keys, e.g. ``organisation,channel``; each at most once."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        keys = tuple(k.strip() for k in text.split(",") if k.strip())
        unknown = [k for k in keys if k not in GROUP_KEYS]
        if unknown:
            raise ma.ValidationError(
                f"Not a group: {unknown[0][:40]!r}. Choose from {', '.join(GROUP_KEYS)}."
            )
        if len(set(keys)) != len(keys):
            raise ma.ValidationError("A group is named twice.")
        return keys


_ID = dict(validate=validate.Range(min=1, max=2**31 - 1))


class ResultsArgs(ma.Schema):
    programme = ma.fields.Integer(
        **_ID, metadata={"description": "the programme (a coordinator's own by default)"}
    )
    wave = ma.fields.Integer(**_ID, metadata={"description": "default: the latest wave with results"})
    organisation = ma.fields.Integer(**_ID)
    service_area = ma.fields.Integer(**_ID)
    contact_point = ma.fields.Integer(**_ID)
    channel = ma.fields.String(validate=validate.OneOf([c.value for c in Channel]))
    group_by = GroupBy(
        load_default=("organisation",),
        metadata={"description": "comma list of " + ", ".join(GROUP_KEYS) + "; default organisation"},
    )


class GroupSchema(ma.Schema):
    id = Number(required=True, metadata={"description": "an integer id; for a channel its value"})
    name = ma.fields.String(required=True)


class RateSchema(ma.Schema):
    k = _number(required=True)
    n = ma.fields.Integer(required=True)
    value = ma.fields.Float(required=True, allow_none=True)
    ci_low = ma.fields.Float(required=True, allow_none=True)
    ci_high = ma.fields.Float(required=True, allow_none=True)
    small_sample = ma.fields.Boolean(required=True)


class MeasureSchema(ma.Schema):
    """A rate (k, n, value, ...) or a mean (n, mean, ...)."""

    k = _number()
    n = ma.fields.Integer(required=True)
    value = ma.fields.Float(allow_none=True)
    mean = ma.fields.Float(allow_none=True)
    ci_low = ma.fields.Float(required=True, allow_none=True)
    ci_high = ma.fields.Float(required=True, allow_none=True)
    small_sample = ma.fields.Boolean(required=True)


class ChangeSchema(ma.Schema):
    difference = ma.fields.Float(required=True)
    ci_low = ma.fields.Float(required=True)
    ci_high = ma.fields.Float(required=True)
    call = ma.fields.String(
        required=True, validate=validate.OneOf(["improved", "declined", "no_clear_change"])
    )


class StandardRateSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    rate = ma.fields.Nested(RateSchema, required=True)


class ReferenceSchema(ma.Schema):
    value = ma.fields.Float(required=True, metadata={"description": "as a share, 0-1, like a score"})
    source = ma.fields.String(required=True)


class ResultRowSchema(ma.Schema):
    organisation = ma.fields.Nested(GroupSchema)
    service_area = ma.fields.Nested(GroupSchema)
    channel = ma.fields.Nested(GroupSchema)
    contact_point = ma.fields.Nested(GroupSchema)
    wave = ma.fields.Nested(GroupSchema)
    reports = ma.fields.Integer(required=True)
    score = ma.fields.Nested(RateSchema, required=True)
    score_change = ma.fields.Nested(
        ChangeSchema, required=True, allow_none=True, metadata={"description": "since the previous wave"}
    )
    critical_failures = ma.fields.Nested(RateSchema, required=True)
    standards = ma.fields.List(ma.fields.Nested(StandardRateSchema), required=True)
    measures = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(MeasureSchema), required=True)
    reference = ma.fields.Nested(
        ReferenceSchema, allow_none=True, metadata={"description": "the channel's external reference figure"}
    )
    rank = ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "among organisations sharing the other groups; null for a small sample"},
    )


class WaveSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class ResultsSchema(ma.Schema):
    programme = ma.fields.Nested(GroupSchema, required=True)
    wave = ma.fields.Nested(WaveSchema, required=True, allow_none=True)
    group_by = ma.fields.List(ma.fields.String(), required=True)
    min_sample = ma.fields.Integer(required=True)
    rows = ma.fields.List(ma.fields.Nested(ResultRowSchema), required=True)
