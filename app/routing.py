"""URL converters, links for e-mails, and the request class with its per-view body limit and its answer to a
body that is not JSON."""

import flask
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


class Request(flask.Request):
    """Flask's request, whose body limit is the view's own where it has one (``body_limit``), else
    MAX_CONTENT_LENGTH. It is known from the URL alone, so it holds from the first read of the body, which
    is the CSRF check's, before the view runs."""

    @property
    def max_content_length(self) -> int | None:
        view = flask.current_app.view_functions.get(self.endpoint) if self.endpoint else None
        return getattr(view, "max_content_length", None) or flask.Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        flask.Request.max_content_length.fset(self, value)

    def on_json_loading_failed(self, e: ValueError | None):
        """``get_json()`` of a body that is not JSON (or nested too deeply: ``app.json_provider``): under the
        API the same 400 ``malformed_json`` as the API's parser gives."""
        from app.api.problems import ApiProblem, wants_problem

        if e is not None and wants_problem():
            raise ApiProblem(400, "malformed_json", "The request body is not valid JSON.") from e
        return super().on_json_loading_failed(e)


def body_limit(nbytes: int):
    """A view that takes larger bodies than MAX_CONTENT_LENGTH (a file, rather than a form or an API call).
    Put it above the route's other decorators but below the route itself."""

    def decorator(view):
        view.max_content_length = nbytes
        return view

    return decorator


def external_url(endpoint: str, **values) -> str:
    """An absolute link to ``endpoint`` for an e-mail: on BASE_URL (required in production), never on the
    request's Host header, which whoever sends the request chooses. Without BASE_URL (development, tests)
    the request's host, which TRUSTED_HOSTS limits where it is set."""
    base = flask.current_app.config.get("BASE_URL") or flask.request.host_url
    return base.rstrip("/") + flask.url_for(endpoint, **values)
