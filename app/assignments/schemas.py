import marshmallow as ma

from app.assignments.services import returned_report


class OrganisationRefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class ContactPointBriefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    channel = ma.fields.Function(lambda cp: cp.channel.value)
    locator = ma.fields.String()
    opening_hours = ma.fields.String()
    organisation = ma.fields.Nested(OrganisationRefSchema)


class ScenarioBriefSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    persona = ma.fields.String()
    question = ma.fields.String()
    cross_tier = ma.fields.Boolean()
    service_area = ma.fields.Nested(OrganisationRefSchema)


class WaveRefSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.Integer()
    name = ma.fields.String()


class BriefSchema(ma.Schema):
    """What the app needs to carry out one assignment offline. No shopper identity."""

    id = ma.fields.Integer()
    state = ma.fields.Function(lambda a: a.state.value)
    channel = ma.fields.Function(lambda a: a.channel.value)
    window_starts_at = ma.fields.DateTime()
    window_ends_at = ma.fields.DateTime()
    questionnaire_id = ma.fields.Function(lambda a: a.questionnaire_version.questionnaire_id)
    questionnaire_version = ma.fields.Function(lambda a: a.questionnaire_version.number)
    contact_point = ma.fields.Nested(ContactPointBriefSchema)
    scenario = ma.fields.Nested(ScenarioBriefSchema)
    wave = ma.fields.Nested(WaveRefSchema)
    general_instructions = ma.fields.Function(lambda a: a.wave.programme.general_instructions)
    flagged = ma.fields.Boolean()
    returned_report = ma.fields.Function(
        lambda a: returned_report(a), allow_none=True,
        metadata={"description": "for a returned assignment: the report's uuid, revision and the coordinator's "
                                 "review_comment; resubmit under that uuid"})


class BriefListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BriefSchema))
