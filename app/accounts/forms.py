from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.passwords import MIN_PASSWORD_LENGTH


class SignInForm(FlaskForm):
    email = EmailField(
        "E-mail address", validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class SignOutForm(FlaskForm):
    pass


PASSWORD_HINT = f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong one."


class NewPassword:
    """A new password, typed twice (sign-up, an invitation, a change)."""

    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=MIN_PASSWORD_LENGTH, max=200, message=f"Use at least {MIN_PASSWORD_LENGTH} characters."
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        "Password again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPassword, FlaskForm):
    current_password = PasswordField(
        "Your password now",
        validators=[DataRequired("Type your password now."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ConfidentialityForm(FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    agree = BooleanField(
        "I have read the confidentiality statement and will keep to it",
        validators=[DataRequired("Tick the box to confirm you will keep to the statement.")],
    )


class ConflictEntryForm(Form):
    """One conflict row. A row left wholly blank is ignored."""

    organisation_id = SelectField("Organisation", coerce=int, validators=[Optional()])
    service_area_id = SelectField("Service area", coerce=int, validators=[Optional()])
    reason = StringField("Why (for example: my sister works there)", validators=[Optional(), Length(max=500)])

    def is_blank(self) -> bool:
        return not (
            self.organisation_id.data or self.service_area_id.data or (self.reason.data or "").strip()
        )


class ConflictsForm(FlaskForm):
    choice = RadioField(
        "Do you, or close family, work for or have a case with any partner organisation?",
        choices=[
            SelectChoice("none", "No, I have no conflicts of interest"),
            SelectChoice("conflicts", "Yes, I have conflicts to declare"),
        ],
        validators=[InputRequired("Choose one answer.")],
    )
    conflicts = FieldList(FormField(ConflictEntryForm), min_entries=3, max_entries=10)

    def set_choices(self, organisations, service_areas):
        for entry in self.conflicts:
            entry.organisation_id.choices = [SelectChoice(0, "Any organisation")] + [
                SelectChoice(o.id, o.name) for o in organisations
            ]
            entry.service_area_id.choices = [SelectChoice(0, "Any service area")] + [
                SelectChoice(a.id, a.name) for a in service_areas
            ]

    def validate_conflicts(self, field):
        if self.choice.data != "conflicts":
            return
        filled = [entry for entry in field if not entry.form.is_blank()]
        if not filled:
            raise ValidationError("Fill in at least one conflict, or choose “No”.")
        for entry in filled:
            if not (entry.form.organisation_id.data or entry.form.service_area_id.data):
                entry.form.organisation_id.errors.append("Choose an organisation, a service area, or both.")
            if not (entry.form.reason.data or "").strip():
                entry.form.reason.errors.append("Say briefly why.")
        if any(entry.form.organisation_id.errors or entry.form.reason.errors for entry in filled):
            raise ValidationError("Some conflicts need more detail.")

    def conflict_rows(self):
        return [entry.form for entry in self.conflicts if not entry.form.is_blank()]


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        validators=[DataRequired("Type the e-mail address you sign in with."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )


class ResetPasswordForm(NewPassword, FlaskForm):
    pass


class RolesField(SelectMultipleField):
    """Roles as checkboxes; a value not offered is a field error, never a server error."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        offered = {choice.value for choice in self.iter_choices()} if self.choices else set()
        if any(value not in offered for value in self.data or ()):
            raise ValidationError("Choose only from the roles listed.")


class _RolesAndOrganisation:
    roles = RolesField("Roles")  # no ``required`` on each box: one ticked is enough

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError("Choose at least one role.")

    organisation_id = SelectField(
        "Organisation (for a partner manager)", coerce=int, validators=[Optional()], default=0
    )


class InviteForm(_RolesAndOrganisation, FlaskForm):
    display_name = StringField(
        "Name",
        validators=[DataRequired("Type the person's name."), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        "E-mail address",
        validators=[
            DataRequired("Type the person's e-mail address."),
            Length(max=254),
            Email("Type a whole e-mail address, like name@council.gov.uk.", check_deliverability=False),
        ],
        render_kw={"autocomplete": "off"},
    )
    programme_id = SelectField("Programme", coerce=int, validators=[Optional()], default=0)


class RolesForm(_RolesAndOrganisation, FlaskForm):
    pass


class AccountStateForm(FlaskForm):
    """Deactivate or reactivate: nothing to fill in but the CSRF token."""


class AcceptInviteForm(NewPassword, FlaskForm):
    pass
