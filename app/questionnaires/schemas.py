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
    translations = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Dict(),
        metadata={
            "description": 'the question in other languages: {"cy": {"text", "help_text", "options": {value: label}}}'
        },
    )


class SectionSchema(ma.Schema):
    title = ma.fields.String()
    translations = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Dict(), metadata={"description": '{"cy": {"title": ...}}'}
    )
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


# How answers are scored: a coordinator's to know. Shoppers are briefed on what is measured, not on how it is
# scored (the seeds' programmes do the same), so that their answers describe the service rather than chase
# points; the shopper's copy of a version leaves these out (SECURITY.md).
SCORING_FIELDS = (
    "critical_scope",
    "sections.questions.weight",
    "sections.questions.critical",
    "sections.questions.options.score",
    "sections.questions.standard.threshold",
)


class ShopperQuestionnaireVersionSchema(QuestionnaireVersionSchema):
    """A version as a shopper's app gets it: the questions, without their scoring (``SCORING_FIELDS``)."""

    class Meta:
        exclude = SCORING_FIELDS
