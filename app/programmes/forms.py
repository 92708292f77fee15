"""Set-up forms: one per kind of object, with the field errors a coordinator sees.

Forms check what one field can tell; rules that need the database (a name already used, an
organisation of another partnership) are the services' and come back as field errors too.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.labels import label
from app.phones import country_choices
from app.programmes.calendar import parse_bank_holidays
from app.programmes.models import STANDARD_UNITS, Channel, Tier, WaveStatus
from app.programmes.timezones import is_valid_timezone


def enum_choices(enum_class) -> list[SelectChoice]:
    return [SelectChoice(member.value, label(member)) for member in enum_class]


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms wants them."""
    return [SelectChoice(value, label) for value, label in pairs]


class Stripped(StringField):
    """Text with the surrounding spaces removed, so that "  " counts as empty."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.strip()


class StrippedArea(TextAreaField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.strip()


class CheckboxesField(SelectMultipleField):
    """Several choices as a group of checkboxes (rendered as a fieldset by the set-up templates)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


REQUIRED = "Fill this in."


class OrganisationForm(FlaskForm):
    name = Stripped("Name", validators=[DataRequired(REQUIRED), Length(max=200)])
    short_name = Stripped(
        "Short name",
        validators=[DataRequired(REQUIRED), Length(max=40)],
        description="Used in tables and charts, e.g. “Kingsmere DC”.",
    )
    tier = SelectField("Tier of government", choices=enum_choices(Tier), validators=[InputRequired()])


class ServiceAreaForm(FlaskForm):
    code = Stripped(
        "Code",
        validators=[DataRequired(REQUIRED), Length(max=40)],
        description="A short code shared by every partner, e.g. REV.",
    )
    name = Stripped("Name", validators=[DataRequired(REQUIRED), Length(max=200)])


class ContactPointForm(FlaskForm):
    organisation_id = SelectField(
        "Organisation", coerce=int, validators=[InputRequired("Choose an organisation.")]
    )
    channel = SelectField("Channel", choices=enum_choices(Channel), validators=[InputRequired()])
    name = Stripped(
        "Name",
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description="E.g. “Civic Centre reception” or “Council tax line”.",
    )
    locator = Stripped(
        "Address, number, e-mail address or web page",
        validators=[DataRequired(REQUIRED), Length(max=500)],
        description="As a shopper would use it.",
    )
    opening_hours = Stripped("Opening hours", validators=[Optional(), Length(max=500)])
    service_area_ids = CheckboxesField(
        "Service areas it serves", coerce=int, validators=[DataRequired("Choose at least one service area.")]
    )
    active = BooleanField("In use (shoppers may be sent here)", default=True)


class WaveForm(FlaskForm):
    number = IntegerField("Number", validators=[InputRequired(REQUIRED), NumberRange(min=1, max=999)])
    name = Stripped("Name", validators=[DataRequired(REQUIRED), Length(max=200)])
    starts_on = DateField("Starts on", validators=[InputRequired("Give a date.")])
    ends_on = DateField("Ends on", validators=[InputRequired("Give a date.")])
    status = SelectField("Status", choices=enum_choices(WaveStatus), validators=[InputRequired()])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The wave cannot end before it starts.")


class ScenarioForm(FlaskForm):
    title = Stripped("Title", validators=[DataRequired(REQUIRED), Length(max=200)])
    service_area_id = SelectField(
        "Service area it targets", coerce=int, validators=[InputRequired("Choose a service area.")]
    )
    persona = StrippedArea(
        "Persona",
        validators=[DataRequired(REQUIRED), Length(max=5000)],
        description="Who the shopper plays, in a sentence or two.",
    )
    question = StrippedArea(
        "The question",
        validators=[DataRequired(REQUIRED), Length(max=5000)],
        description="A realistic question; shoppers may put it in their own words.",
    )
    cross_tier = BooleanField("Cross-tier: asks one tier of government for the other tier’s service")
    expected_outcome = StrippedArea(
        "Expected outcome",
        validators=[Optional(), Length(max=5000)],
        description="What a good answer looks like (for a cross-tier scenario: a correct redirection).",
    )


class StandardForm(FlaskForm):
    code = Stripped(
        "Code",
        validators=[DataRequired(REQUIRED), Length(max=60)],
        description="A short code questions and imports refer to, e.g. TEL_ANSWER_20S.",
    )
    name = Stripped("Name", validators=[DataRequired(REQUIRED), Length(max=200)])
    channel = SelectField("Channel", choices=enum_choices(Channel), validators=[InputRequired()])
    threshold = FloatField(
        "Threshold",
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
        description="Leave empty for a standard that is simply met or not met.",
    )
    unit = SelectField("Unit", choices=choices(STANDARD_UNITS.items()), validators=[InputRequired()])

    def validate(self, extra_validators=None):
        # Here, not in validate_threshold: an empty threshold stops that field's own validators (Optional).
        valid = super().validate(extra_validators)
        if self.threshold.errors or self.unit.errors:
            return valid
        if self.threshold.data is None and self.unit.data:
            self.threshold.errors.append("Give a threshold for this unit, or choose “No threshold”.")
        elif self.threshold.data is not None and not self.unit.data:
            self.threshold.errors.append("Choose the threshold’s unit, or leave the threshold empty.")
        else:
            return valid
        return False


class ReferenceFigureForm(FlaskForm):
    channel = SelectField("Channel", choices=enum_choices(Channel), validators=[InputRequired()])
    value = FloatField(
        "Figure (per cent)",
        validators=[
            InputRequired("Give a figure from 0 to 100."),
            NumberRange(min=0, max=100, message="From 0 to 100."),
        ],
    )
    source = Stripped(
        "Source",
        validators=[DataRequired(REQUIRED), Length(max=300)],
        description="E.g. “National average, LGA resident survey 2026”.",
    )


class SettingsForm(FlaskForm):
    name = Stripped("Programme name", validators=[DataRequired(REQUIRED), Length(max=200)])
    general_instructions = StrippedArea("General instructions for shoppers", validators=[Length(max=20000)])
    min_sample = IntegerField(
        "Minimum sample (reports)",
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=1000)],
        description="Units with fewer reports are flagged and left out of rankings.",
    )
    phone_shops_per_hour = IntegerField(
        "Telephone shops per shopper-hour", validators=[InputRequired(REQUIRED), NumberRange(min=1, max=60)]
    )
    exit_interviews_per_hour = IntegerField(
        "Exit interviews per shopper-hour", validators=[InputRequired(REQUIRED), NumberRange(min=1, max=60)]
    )
    visits_per_hour = IntegerField(
        "In-person visits per shopper-hour", validators=[InputRequired(REQUIRED), NumberRange(min=1, max=60)]
    )
    give_up_minutes = IntegerField(
        "Give-up time for a telephone call (minutes)",
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=120)],
        description="A call not answered by then counts as abandoned.",
    )
    timezone = Stripped(
        "Time zone",
        validators=[DataRequired(REQUIRED), Length(max=64)],
        description="The programme's clock, as an IANA name such as Europe/London or "
        "Europe/Dublin: coordinators enter and shoppers see times on it.",
    )
    reply_wait_working_days = IntegerField(
        "Wait for a reply to an e-mail or letter (working days)",
        validators=[Optional(), NumberRange(min=1, max=60)],
        description="With no complete reply by then, the shop is finished as “no reply”: itself a result.",
    )
    bank_holidays = StrippedArea(
        "Bank holidays",
        validators=[Length(max=20000)],
        description="One a line, as 2026-12-25 Christmas Day. Weekends and these are not working days.",
    )
    country = SelectField(
        "Country",
        choices=choices(country_choices()),
        validators=[InputRequired(REQUIRED)],
        description="Telephone numbers typed without + and a country code are read as this country's.",
    )
    retention_days = IntegerField(
        "Retention period (days)",
        validators=[InputRequired(REQUIRED), NumberRange(min=30, max=3650)],
        description="After this, exit-interview free text and photos are deleted.",
    )
    staff_policy = RadioField(
        "Staff identification",
        choices=choices(
            [
                ("no_individuals", "No individuals: reports never single anyone out"),
                (
                    "commendations",
                    "Commendations allowed: exceptional service may be passed to the department",
                ),
            ]
        ),
        validators=[InputRequired("Choose one.")],
    )
    partner_visibility = RadioField(
        "How partners see each other in benchmarks",
        choices=choices([("named", "Named"), ("anonymised", "Anonymised (“Partner A”, “Partner B”)")]),
        validators=[InputRequired("Choose one.")],
    )

    def validate_bank_holidays(self, field):
        try:
            parse_bank_holidays(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_timezone(self, field):
        if field.data and not is_valid_timezone(field.data):
            raise ValidationError(
                "Give an IANA time zone name such as Europe/London (not an abbreviation like BST)."
            )


class StatementForm(FlaskForm):
    text = StrippedArea(
        "Text of the new version",
        validators=[DataRequired(REQUIRED), Length(max=20000)],
        description="Every shopper must acknowledge it again before seeing a brief.",
    )


class DeleteForm(FlaskForm):
    """Only the CSRF token: deleting is one button."""


class NewProgrammeForm(FlaskForm):
    """A programme from nothing or as a copy of a finished one, with its first wave.

    ``source_id`` and ``partnership_id`` get their choices from the view (the user's programmes).
    """

    name = Stripped("Name of the programme", validators=[DataRequired(REQUIRED), Length(max=200)])
    source_id = SelectField(
        "Start from",
        coerce=int,
        default=0,
        description="A copy takes the programme's settings, scenarios, standards, reference figures, "
        "confidentiality statement, knowledge quiz and questionnaires (as new drafts). Only a finished "
        "programme, all of whose waves are closed, can be copied.",
    )
    partnership_id = SelectField(
        "Partnership",
        coerce=int,
        default=0,
        description="Its partner organisations, service areas and contact points. A copy into a new "
        "partnership gets copies of its source's.",
    )
    new_partnership_name = Stripped(
        "Name of the new partnership",
        validators=[Length(max=200)],
        description="Only for a new partnership, e.g. “Northshire Councils”.",
    )
    country = SelectField(
        "Country",
        choices=choices(country_choices()),
        default="GB",
        validators=[InputRequired(REQUIRED)],
        description="Telephone numbers typed without + and a country code are read as this country's.",
    )
    timezone = Stripped(
        "Time zone",
        default="Europe/London",
        validators=[DataRequired(REQUIRED), Length(max=64)],
        description="An IANA name such as Europe/London: coordinators enter and shoppers see times on it.",
    )
    wave_name = Stripped(
        "Name of the first wave", default="Wave 1", validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    wave_starts_on = DateField("First wave starts on", validators=[InputRequired("Give the first day.")])
    wave_ends_on = DateField("First wave ends on", validators=[InputRequired("Give the last day.")])

    def validate_timezone(self, field):
        if field.data and not is_valid_timezone(field.data):
            raise ValidationError(
                "Give an IANA time zone name such as Europe/London (not an abbreviation like BST)."
            )

    def validate_new_partnership_name(self, field):
        if self.partnership_id.data == 0 and not field.data:
            raise ValidationError("Name the new partnership, or choose one of yours.")


class ProgrammeActionForm(FlaskForm):
    """Switch to, archive or restore a programme: a button with its CSRF token."""
