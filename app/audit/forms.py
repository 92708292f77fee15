from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from app.audit.listing import KINDS


class AuditFilterForm(FlaskForm):
    """The audit page's filters, read from the query string (a GET: no CSRF token)."""

    class Meta:
        csrf = False

    person = StringField(
        "Person (e-mail address)", validators=[Optional(), Length(max=254)], render_kw={"autocomplete": "off"}
    )
    kind = SelectField(
        "Kind of action",
        choices=[SelectChoice("", "Any kind")]
        + [SelectChoice(k, label) for k, (label, _, _) in KINDS.items()],
        validators=[Optional()],
        default="",
    )
    object = StringField(
        "Object (for example: user account 12)",
        validators=[
            Optional(),
            Length(max=130),
            Regexp(
                r"^[A-Za-z_ ]+(?:[: ]\s*[\w-]+)?$",
                message="Write the kind of object, and its number if you know it: for example user account 12.",
            ),
        ],
    )
    since = DateField("From (day)", validators=[Optional()])
    until = DateField("To (day, included)", validators=[Optional()])
    actor = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    action = StringField(widget=HiddenField.widget, validators=[Optional(), Length(max=80)])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The last day is before the first.")

    def object_parts(self) -> tuple[str | None, str | None]:
        """``user account 12`` or ``user_account:12`` -> (``user_account``, ``12``)."""
        text = (self.object.data or "").strip()
        if not text:
            return None, None
        head, _, tail = text.replace(":", " ").rpartition(" ")
        if head and tail and (tail.isdigit() or "-" in tail):
            return "_".join(head.lower().split()), tail
        return "_".join(text.lower().split()), None
