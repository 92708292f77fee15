"""API input (``*Args``) and output (``*Schema``) schemas for accounts and the gate."""

import marshmallow as ma
from marshmallow import validate

from app.api.fields import StrictBoolean, not_blank


class SignInArgs(ma.Schema):
    email = ma.fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = ma.fields.String(required=True, validate=validate.Length(min=1, max=200), load_only=True)


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    display_name = ma.fields.String()
    roles = ma.fields.Function(lambda user: sorted(role.value for role in user.roles))
    language = ma.fields.String(
        allow_none=True, metadata={"description": "the language the user chose (en, cy); null: the browser's"}
    )


class GateSchema(ma.Schema):
    confidentiality = ma.fields.Boolean()
    conflicts = ma.fields.Boolean()
    ready = ma.fields.Boolean()
    confidentiality_version = ma.fields.Integer(allow_none=True)


class ExportKeySchema(ma.Schema):
    session = ma.fields.Integer()
    key = ma.fields.String(metadata={"description": "base64url, 32 bytes: the HMAC-SHA-256 key"})


class SessionSchema(ma.Schema):
    user = ma.fields.Nested(UserSchema)
    gate = ma.fields.Nested(GateSchema)
    csrf_token = ma.fields.String()
    export_key = ma.fields.Nested(
        ExportKeySchema,
        allow_none=True,
        metadata={
            "description": "a shopper's: what the app signs a file of unsent work with, in this session "
            "(app/visits/signing.py); keep it with the session, for use offline"
        },
    )


class StatementSchema(ma.Schema):
    version = ma.fields.Integer()
    text = ma.fields.String()
    published_at = ma.fields.DateTime()


class AcknowledgeArgs(ma.Schema):
    version = ma.fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))


class ConflictArgs(ma.Schema):
    organisation_id = ma.fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=1, max=2**31 - 1)
    )
    service_area_id = ma.fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=1, max=2**31 - 1)
    )
    reason = ma.fields.String(required=True, validate=[validate.Length(min=1, max=500), not_blank])

    @ma.validates_schema
    def names_something(self, data, **kwargs):
        if data.get("organisation_id") is None and data.get("service_area_id") is None:
            raise ma.ValidationError("Name an organisation, a service area, or both.", "organisation_id")


class DeclareConflictsArgs(ma.Schema):
    none = StrictBoolean()
    conflicts = ma.fields.List(ma.fields.Nested(ConflictArgs), validate=validate.Length(min=1, max=50))

    @ma.validates_schema
    def one_or_the_other(self, data, **kwargs):
        if data.get("none") and data.get("conflicts"):
            raise ma.ValidationError("Declare either none or a list of conflicts, not both.", "none")
        if not data.get("none") and not data.get("conflicts"):
            raise ma.ValidationError("Declare {none: true} or a list of conflicts.", "conflicts")


class ConflictSchema(ma.Schema):
    id = ma.fields.Integer()
    organisation_id = ma.fields.Integer(allow_none=True)
    service_area_id = ma.fields.Integer(allow_none=True)
    reason = ma.fields.String()


class DeclarationResultSchema(ma.Schema):
    gate = ma.fields.Nested(GateSchema)
    conflicts = ma.fields.List(ma.fields.Nested(ConflictSchema))
    withdrawn_assignment_ids = ma.fields.List(ma.fields.Integer())


class NamedRefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class GateOptionsSchema(ma.Schema):
    """What a shopper may name in a conflict: their programme's organisations and service areas, ids and names only."""

    organisations = ma.fields.List(ma.fields.Nested(NamedRefSchema))
    service_areas = ma.fields.List(ma.fields.Nested(NamedRefSchema))
