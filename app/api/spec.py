"""The flask-smorest Api, made to speak problem+json in behaviour and in the OpenAPI document."""

import http

import marshmallow as ma
from flask_smorest import Api as SmorestApi
from flask_smorest.spec import prepare_response

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


class Api(SmorestApi):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Errors are handled app-wide by ``app.errors`` (problem+json under /api, HTML elsewhere)."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


api = Api()
