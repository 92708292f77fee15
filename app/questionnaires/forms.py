"""Forms of the questionnaire pages. The services check again what needs the database (a key already used)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FloatField, IntegerField, RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.labels import QUESTION_TYPE_LABELS
from app.programmes.forms import Stripped, StrippedArea, choices, enum_choices
from app.programmes.models import Channel
from app.questionnaires.models import QuestionType

TYPE_LABELS = {t.value: text for t, text in QUESTION_TYPE_LABELS.items()}
MAX_IMPORT_BYTES = 1024 * 1024


class NewQuestionnaireForm(FlaskForm):
    title = Stripped("Title", validators=[DataRequired("Give the questionnaire a title."), Length(max=200)])
    channel = SelectField("Channel", choices=enum_choices(Channel), validators=[InputRequired()])


class FromTemplateForm(FlaskForm):
    template = SelectField("Template", validators=[InputRequired("Choose a template.")])


class ImportForm(FlaskForm):
    file = FileField(
        "Questionnaire file (.json)",
        validators=[FileRequired("Choose a JSON file to import.")],
        description="In the format the “Export as JSON” link gives.",
    )


class ScoringForm(FlaskForm):
    critical_scope = RadioField(
        "A failed critical question sets to 0",
        choices=choices([("report", "the whole report"), ("section", "only its section")]),
        validators=[InputRequired("Choose one.")],
    )


class SectionForm(FlaskForm):
    title = Stripped("Section title", validators=[DataRequired("Give the section a title."), Length(max=200)])


class MoveForm(FlaskForm):
    direction = SelectField(choices=choices([("up", "Up"), ("down", "Down")]), validators=[InputRequired()])


class ButtonForm(FlaskForm):
    """Only the CSRF token: the action is the button."""


def parse_options(text: str) -> list[dict] | None:
    """Lines of ``value | label | score`` (score optional, 0 to 1) -> option dicts; ValueError says which line."""
    options = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise ValueError(f"Line {number}: write “value | label” or “value | label | score”.")
        score = None
        if len(parts) == 3 and parts[2]:
            try:
                score = float(parts[2])
            except ValueError:
                raise ValueError(f"Line {number}: the score must be a number from 0 to 1.") from None
            if not 0 <= score <= 1:
                raise ValueError(f"Line {number}: the score must be from 0 to 1.")
        if len(parts[0]) > 60 or len(parts[1]) > 200:
            raise ValueError(f"Line {number}: the value may have 60 characters, the label 200.")
        options.append({"value": parts[0], "label": parts[1], "score": score})
    return options or None


def format_options(options) -> str:
    return "\n".join(
        f"{o['value']} | {o['label']}" + ("" if o.get("score") is None else f" | {o['score']:g}")
        for o in options or []
    )


class QuestionForm(FlaskForm):
    section_id = SelectField("Section", coerce=int, validators=[InputRequired("Choose a section.")])
    text = Stripped("Question", validators=[DataRequired("Write the question."), Length(max=500)])
    key = Stripped(
        "Key",
        validators=[DataRequired("Give the question a key."), Length(max=60)],
        description="Unique in this version, in snake_case (e.g. answer_wait); reports store answers "
        "under it.",
    )
    help_text = StrippedArea(
        "Help text for the shopper",
        validators=[Optional(), Length(max=1000)],
        description="Shown under the question.",
    )
    type = SelectField("Type of answer", choices=choices(TYPE_LABELS.items()), validators=[InputRequired()])
    options = StrippedArea(
        "Options (choice questions only)",
        validators=[Optional(), Length(max=10000)],
        description="One per line: value | label | score from 0 to 1 (optional), "
        "e.g. “resolved | Resolved | 1”.",
    )
    scale_min = IntegerField("Lowest point (scale only)", validators=[Optional(), NumberRange(-100, 100)])
    scale_max = IntegerField("Highest point (scale only)", validators=[Optional(), NumberRange(-100, 100)])
    weight = FloatField(
        "Weight",
        default=1.0,
        validators=[InputRequired("Give a weight (0 for unscored)."), NumberRange(0, 100, "From 0 to 100.")],
    )
    standard_id = SelectField("Service standard", coerce=int, validators=[Optional()])
    na_allowed = BooleanField("“Not applicable” allowed")
    critical = BooleanField("Critical: a failed answer fails the report (or section)")
    required = BooleanField("The shopper must answer it", default=True)
    # The question in Welsh, for an interview run in Welsh: the same key and option values, so it counts with the
    # English ones in one result.
    text_cy = Stripped(
        "The question in Welsh (optional)",
        validators=[Optional(), Length(max=500)],
        description="Shown when the app, or an exit interview, is in Welsh.",
    )
    help_text_cy = StrippedArea("Help text in Welsh (optional)", validators=[Optional(), Length(max=1000)])
    translations = StrippedArea(
        "Options in Welsh (choice questions only)",
        validators=[Optional(), Length(max=10000)],
        description="One per line: value | label in Welsh, with the values above, e.g. “resolved | Wedi'i ddatrys”.",
    )

    def validate_translations(self, field):
        self.welsh_options = {}
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 2 or not all(parts):
                raise ValidationError(f"Line {number}: write “value | label in Welsh”.")
            self.welsh_options[parts[0]] = parts[1]
        if self.welsh_options and not self.text_cy.data:
            raise ValidationError("Write the question in Welsh too.")

    def validate_options(self, field):
        try:
            self.parsed_options = parse_options(field.data)
        except ValueError as error:
            self.parsed_options = None
            raise ValidationError(str(error)) from None

    def values(self) -> dict:
        return {
            "key": self.key.data,
            "text": self.text.data,
            "help_text": self.help_text.data or "",
            "type": QuestionType(self.type.data),
            "weight": self.weight.data,
            "na_allowed": self.na_allowed.data,
            "critical": self.critical.data,
            "required": self.required.data,
            "options": getattr(self, "parsed_options", None),
            "scale_min": self.scale_min.data,
            "scale_max": self.scale_max.data,
            "translations": {
                "cy": {
                    "text": self.text_cy.data,
                    "help_text": self.help_text_cy.data or "",
                    "options": getattr(self, "welsh_options", {}),
                }
            }
            if self.text_cy.data
            else {},
        }
