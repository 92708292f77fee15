import marshmallow as ma


class StandardRefSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    threshold = ma.fields.Float(allow_none=True)
    unit = ma.fields.String()


class OptionSchema(ma.Schema):
    value = ma.fields.String()
    label = ma.fields.String()
    score = ma.fields.Float(allow_none=True)


class QuestionSchema(ma.Schema):
    key = ma.fields.String()
    text = ma.fields.String()
    help_text = ma.fields.String()
    type = ma.fields.Function(lambda q: q.type.value)
    weight = ma.fields.Float()
    na_allowed = ma.fields.Boolean()
    critical = ma.fields.Boolean()
    required = ma.fields.Boolean()
    options = ma.fields.List(ma.fields.Nested(OptionSchema), allow_none=True)
    scale_min = ma.fields.Integer(allow_none=True)
    scale_max = ma.fields.Integer(allow_none=True)
    standard = ma.fields.Nested(StandardRefSchema, allow_none=True)


class SectionSchema(ma.Schema):
    title = ma.fields.String()
    position = ma.fields.Integer()
    questions = ma.fields.List(ma.fields.Nested(QuestionSchema))


class QuestionnaireVersionSchema(ma.Schema):
    questionnaire_id = ma.fields.Integer()
    number = ma.fields.Integer()
    title = ma.fields.Function(lambda v: v.questionnaire.title)
    channel = ma.fields.Function(lambda v: v.questionnaire.channel.value)
    frozen = ma.fields.Boolean(attribute="is_frozen")
    critical_scope = ma.fields.Function(lambda v: v.critical_scope.value)
    sections = ma.fields.List(ma.fields.Nested(SectionSchema))
