"""The release pages' forms: each a POST with its CSRF token."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class CloseReviewForm(FlaskForm):
    pass


class ReleaseForm(FlaskForm):
    """Release to one organisation (``organisation_id``) or, without one, to every partner. ``digest`` is the
    preview's, when released from it: if the figures changed since, the coordinator previews again."""

    organisation_id = IntegerField("Organisation", validators=[Optional()])
    digest = HiddenField()


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        "Why is this release withdrawn?",
        validators=[DataRequired("Say why, for the audit trail."), Length(max=1000)],
        description="The partner no longer sees these results; the reason is kept in the audit trail.",
    )
