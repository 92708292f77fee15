"""The plan's forms: an action, its progress (status and a note), and a response to a finding.

The owner is a role, never a person (SPEC §7): the field offers common roles and takes any role text, and
refuses what reads as a person — an e-mail address, a telephone number, a title such as "Mrs".
"""

import re

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.plans.models import ActionStatus
from app.plans.services import STATUS_NAMES
from app.programmes.forms import Stripped, StrippedArea

OWNER_ROLES = [
    "Head of service",
    "Customer services manager",
    "Contact centre manager",
    "Contact centre team leader",
    "Reception team leader",
    "Digital services manager",
    "Web content editor",
    "Training and development lead",
    "Complaints and feedback officer",
]
_PERSON = re.compile(r"@|\d{5,}|\b(mr|mrs|ms|miss|mx|dr|sir|dame)\b\.?", re.IGNORECASE)
NOT_A_PERSON = (
    "Name a role (for example “Contact centre team leader”), not a person: no names, titles, e-mail "
    "addresses or telephone numbers."
)


def role_only(form, field):
    if _PERSON.search(field.data or ""):
        raise ValidationError(NOT_A_PERSON)


class ActionForm(FlaskForm):
    finding = SelectField("Finding it answers", validators=[InputRequired("Choose the finding.")])
    action = StrippedArea(
        "What will be done",
        validators=[DataRequired("Say what will be done."), Length(max=2000)],
    )
    owner_role = Stripped(
        "Owner (a role, not a person)",
        validators=[DataRequired("Name the role that owns this action."), Length(max=120), role_only],
        render_kw={"list": "owner-roles", "autocomplete": "off"},
    )
    due_on = DateField("Due by", validators=[InputRequired("Give the date it is due by, as 2027-03-31.")])
    status = SelectField(
        "Status",
        choices=[SelectChoice(s.value, n) for s, n in STATUS_NAMES.items()],
        default=ActionStatus.planned.value,
    )


class ProgressForm(FlaskForm):
    status = SelectField("Status", choices=[SelectChoice(s.value, n) for s, n in STATUS_NAMES.items()])
    note = StrippedArea(
        "Progress note (optional)",
        validators=[Length(max=2000)],
        description="Dated today and added to the action's notes; describe staff by role, not by name.",
    )


class ResponseForm(FlaskForm):
    finding = SelectField("Finding you dispute", validators=[InputRequired("Choose the finding.")])
    text = StrippedArea(
        "Your response",
        validators=[DataRequired("Say why you dispute this finding."), Length(max=4000)],
        description="The coordinator reads it beside the finding.",
    )
