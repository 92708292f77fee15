"""The flask-smorest Api, made to speak problem+json in behaviour and in the OpenAPI document."""

import marshmallow as ma
from apispec import BasePlugin
from flask_smorest import Api as SmorestApi

from app.api.problems import PROBLEM_MEDIA_TYPE


class FieldErrorsField(ma.fields.Dict):
    pass


class GateStepsSchema(ma.Schema):
    confidentiality = ma.fields.Boolean(required=True)
    conflicts = ma.fields.Boolean(required=True)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details. Every extension member a problem may carry is listed here:
    the document says ``additionalProperties: false``, so an undocumented one fails the API tests."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    code = ma.fields.String(required=True, metadata={"description": "stable machine-readable error code"})
    errors = ma.fields.Dict(metadata={"description": "per-field validation messages"})
    csrf_token = ma.fields.String(
        metadata={"description": "on 401 from GET /session: a token for signing in"}
    )
    gate = ma.fields.Nested(
        GateStepsSchema, metadata={"description": "on 403 gate_incomplete: the steps done"}
    )


class ProblemMediaType(BasePlugin):
    """The error responses flask-smorest documents (``ERROR_SCHEMA``), under the media type the app
    sends them with (``app.errors``): ``application/problem+json``."""

    def response_helper(self, response, **kwargs):
        content = response.get("content") or {}
        if list(content) == ["application/json"] and content["application/json"].get("schema") in (
            ProblemSchema,
            _PROBLEM_REF,
        ):
            return {"content": {PROBLEM_MEDIA_TYPE: content["application/json"]}}
        return None


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


class Api(SmorestApi):
    ERROR_SCHEMA = ProblemSchema


def make_api(app) -> Api:
    """The API of one app, with its OpenAPI document. Errors are handled app-wide by ``app.errors``
    (problem+json under /api, HTML elsewhere), registered after this, so its handler is the one used."""
    return Api(app, spec_kwargs={"extra_plugins": [ProblemMediaType()]})
