"""URL converters."""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; a larger id is simply not found


class IdConverter(IntegerConverter):
    """``<id:name>``: a database id, 1 to MAX_ID. Anything else is a 404, never a database error."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def id_parameter_schema(converter):
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def register_converters(app, api):
    app.url_map.converters["id"] = IdConverter
    api.register_converter(IdConverter, id_parameter_schema)
