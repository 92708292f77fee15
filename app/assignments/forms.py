"""Forms of planning, manual assignment, bulk actions, a shopper's answer to an offer, and phone-bank blocks."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from app.assignments.listing import AssignmentFilters
from app.assignments.models import AssignmentState
from app.labels import label
from app.programmes.models import Channel
from app.programmes.timezones import LocalDateTimeField

MAX_TARGET = 1000


class PlanForm(FlaskForm):
    """The wave's settings; ``plan_form_class`` adds one target field per grid cell."""

    max_per_shopper = IntegerField(
        "Most assignments per shopper in this wave",
        validators=[InputRequired("Enter a number."), NumberRange(1, 500)],
    )


def target_field_name(cell) -> str:
    return "target_" + cell.key.replace("-", "_")


def plan_form_class(cells):
    form_class = type("WavePlanForm", (PlanForm,), {})
    for cell in cells:
        label = (
            f"Target for {cell.organisation.short_name}, {cell.service_area.name}, "
            f"{cell.channel.value.replace('_', ' ')}"
        )
        setattr(
            form_class,
            target_field_name(cell),
            IntegerField(
                label,
                validators=[InputRequired("Enter a target (0 for none)."), NumberRange(0, MAX_TARGET)],
                default=cell.target,
                render_kw={"inputmode": "numeric", "class": "narrow"},
            ),
        )
    return form_class


class AutoAssignForm(FlaskForm):
    pass


class ReassignForm(FlaskForm):
    pass


class ManualAssignmentForm(FlaskForm):
    shopper_id = SelectField("Shopper", coerce=int, validators=[DataRequired("Choose a shopper.")])
    contact_point_id = SelectField(
        "Contact point", coerce=int, validators=[DataRequired("Choose a contact point.")]
    )
    scenario_id = SelectField("Scenario", coerce=int, validators=[DataRequired("Choose a scenario.")])
    questionnaire_version_id = SelectField(
        "Questionnaire version (must match the contact point's channel)",
        coerce=int,
        validators=[DataRequired("Choose a questionnaire version.")],
    )
    window_starts_at = LocalDateTimeField("Window opens", validators=[InputRequired("Enter when it opens.")])
    window_ends_at = LocalDateTimeField("Window closes", validators=[InputRequired("Enter when it closes.")])

    def validate(self, extra_validators=None):
        # After the fields: the order is checked on the UTC times, which the local ones become only then
        # (an autumn overlap makes local order and real order differ).
        valid = super().validate(extra_validators)
        opens, closes = self.window_starts_at.utc, self.window_ends_at.utc
        if opens and closes and closes <= opens:
            self.window_ends_at.errors = [
                *self.window_ends_at.errors,
                "The window must close after it opens.",
            ]
            valid = False
        return valid


def on_programme_clock(form, programme):
    """Times in ``form`` are typed on the programme's clock: set the zone and name it in each label."""
    form.time_zone = programme.timezone
    for field in form:
        if isinstance(field, LocalDateTimeField):
            field.label.text = f"{field.label.text} ({programme.timezone} time)"
    return form


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignmentFilterForm(Form):
    """The wave's assignments page, filtered: a GET form (it changes nothing, so no CSRF token)."""

    state = SelectField(
        "State",
        default="",
        choices=[SelectChoice("", "Any state")] + [SelectChoice(s.value, label(s)) for s in AssignmentState],
    )
    organisation_id = SelectField("Organisation", coerce=int, default=0)
    channel = SelectField(
        "Channel",
        default="",
        choices=[SelectChoice("", "Any channel")] + [SelectChoice(c.value, label(c)) for c in Channel],
    )
    flagged = BooleanField("Flagged only")
    overdue = BooleanField("Past their window, not done")
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1)])

    def filters(self) -> AssignmentFilters:
        return AssignmentFilters(
            state=AssignmentState(self.state.data) if self.state.data else None,
            organisation_id=self.organisation_id.data or None,
            channel=Channel(self.channel.data) if self.channel.data else None,
            flagged=bool(self.flagged.data),
            overdue=bool(self.overdue.data),
        )

    def args(self) -> dict:
        """The filter as query arguments (defaults left out), for links and the bulk form that keep it."""
        return {
            f.name: ("y" if f in (self.flagged, self.overdue) else f.data)
            for f in (self.state, self.organisation_id, self.channel, self.flagged, self.overdue)
            if f.data and f.data != f.default
        }


class BulkForm(FlaskForm):
    """A bulk action on the ticked assignments of the page, or on every assignment matching the page's
    filter; ``matching`` is the count the coordinator saw, so a selection that has changed since is
    refused rather than acted on."""

    scope = RadioField(
        "Apply to",
        choices=[
            SelectChoice("selected", "The assignments ticked on this page"),
            SelectChoice("matching", "Every assignment that matches the filter"),
        ],
        default="selected",
        validators=[Optional()],  # none chosen is the ticked ones
    )
    assignment_ids = MultiCheckboxField("Assignments", coerce=int, validate_choice=False)
    matching = IntegerField(widget=HiddenInput(), validators=[Optional()])
    action = RadioField(
        "Action",
        choices=[SelectChoice("reassign", "Reassign"), SelectChoice("cancel", "Cancel")],
        validators=[InputRequired("Choose an action.")],
    )
    shopper_id = SelectField(
        "Reassign to (leave as ‘next suitable’ to let the planner choose)",
        coerce=int,
        validators=[Optional()],
    )

    def validate_assignment_ids(self, field):
        if self.scope.data != "matching" and not field.data:
            raise ValidationError("Select at least one assignment.")


DECLINE_REASONS = [
    SelectChoice("not_available", "I am not available in the window"),
    SelectChoice("too_far", "It is too far for me"),
    SelectChoice("conflict", "I have a conflict of interest with this organisation or service"),
    SelectChoice("other", "Another reason"),
]


class AcceptForm(FlaskForm):
    pass


class DeclineForm(FlaskForm):
    reason = RadioField(
        "Why are you declining?",
        choices=DECLINE_REASONS,
        validators=[InputRequired("Choose why you are declining.")],
    )
    detail = StringField(
        "Anything to add (needed for ‘another reason’)", validators=[Optional(), Length(max=400)]
    )

    def validate(self, extra_validators=None):
        # Not an inline validator: Optional() stops the field's chain when it is blank.
        valid = super().validate(extra_validators)
        if self.reason.data == "other" and not (self.detail.data or "").strip():
            self.detail.errors = [*self.detail.errors, "Say briefly why you are declining."]
            valid = False
        return valid


class PhoneBlockForm(FlaskForm):
    starts_at = LocalDateTimeField(
        "Starts (the block lasts four hours)", validators=[InputRequired("Enter when the block starts.")]
    )
    seats = IntegerField(
        "Shoppers who can book it",
        default=4,
        validators=[InputRequired("Enter a number."), NumberRange(1, 100)],
    )


class BookingForm(FlaskForm):
    pass
