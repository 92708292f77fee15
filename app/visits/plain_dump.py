"""A quick dump: what ``schema.dump(values)`` gives for a dict of values, derived from the schema's fields.

marshmallow's dump does general work for every field of every object (an accessor, defaults, hooks), and a
sync dumps each of its hundred reports twice (its canonical content and its answer). ``dumper(schema)``
reads the schema's fields once and formats each value as its field would: a string, UUID, integer, enum,
ISO date-time, raw value, or a list or dict of them. Whatever else there is (a nested schema with
something in it, a field that formats values its own way, a value the dict lacks) the field itself
serialises, so the result is always marshmallow's (property-tested in tests/visits/test_plain_dump.py).
For schemas without dump hooks of their own (``pre_dump``/``post_dump``); nested schemas may have them.
"""

import marshmallow as ma
from marshmallow.utils import ensure_text_type


def _text(value):
    return value if type(value) is str else None if value is None else ensure_text_type(value)


def _whole(value):
    return None if value is None else int(value)


def _uuid(value):
    return None if value is None else str(value)


def _raw(value):
    return value


def _format_of(field: ma.fields.Field):
    """How ``field`` formats one value, or None when the field must do it itself."""
    for cls in type(field).__mro__:
        if cls in _KINDS:
            return _KINDS[cls](field)
        if "_serialize" in vars(cls):  # formats its values its own way
            return None
    return None


def _datetime(field):
    if field.format not in ("iso", "iso8601"):
        return None
    return lambda value: None if value is None else value.isoformat()


def _number(field):
    return None if field.as_string else _whole


def _enum(field):
    if field.by_value is True:
        return lambda value: None if value is None else value.value
    if field.by_value is False:
        return lambda value: None if value is None else value.name
    return None  # by_value names a field of its own


def _list(field):
    inner = _format_of(field.inner)
    if inner is None:
        return None
    return lambda value: None if value is None else [inner(each) for each in value]


def _dict(field):
    if field.key_field is None and field.value_field is None:
        return lambda value: None if value is None else dict(value)
    key = _raw if field.key_field is None else _format_of(field.key_field)
    inner = _raw if field.value_field is None else _format_of(field.value_field)
    if key is None or inner is None or field.mapping_type is not dict:
        return None
    return lambda value: None if value is None else {key(k): inner(v) for k, v in value.items()}


_KINDS = {
    ma.fields.String: lambda field: _text,
    ma.fields.UUID: lambda field: _uuid,
    ma.fields.Integer: _number,
    ma.fields.DateTime: _datetime,
    ma.fields.Enum: _enum,
    ma.fields.List: _list,
    ma.fields.Dict: _dict,
    ma.fields.Raw: lambda field: _raw,
}


def _empty_of(field: ma.fields.Field) -> tuple:
    """The values a nested schema, or a list of them, dumps as they are: nothing in them."""
    if isinstance(field, ma.fields.List) and isinstance(field.inner, ma.fields.Nested):
        return (None, [])
    if isinstance(field, ma.fields.Nested):
        return (None, []) if field.many or field.schema.many else (None,)
    return ()


def dumper(schema: ma.Schema):
    """A function of a dict that returns ``schema.dump`` of it."""
    plan = []
    for name, field in schema.dump_fields.items():
        source = field.attribute or name
        quick = _format_of(field) if "." not in source else None
        plan.append((field.data_key or name, source, quick, _empty_of(field) if quick is None else (), field))

    def dump(values: dict) -> dict:
        result = {}
        for key, source, quick, empty, field in plan:
            value = values.get(source, ma.missing)
            if quick is not None and value is not ma.missing:
                result[key] = quick(value)
            elif value is None and None in empty or value == [] and [] in empty:
                result[key] = None if value is None else []
            else:
                formatted = field.serialize(source, values)
                if formatted is not ma.missing:
                    result[key] = formatted
        return result

    return dump
