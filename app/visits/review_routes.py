"""Pages of review: the coordinator's queue and one report with its decision forms."""

from collections.abc import Callable
from typing import NamedTuple

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found, runs_programme, staff_required
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.models import Channel, Organisation, Programme, Wave
from app.visits import review
from app.visits.models import Submission, SubmissionState

bp = Blueprint("review", __name__, url_prefix="/coordinator/review")


class FilterForm(Form):
    """A GET form: filters change nothing, so no CSRF token."""

    wave_id = SelectField("Wave", coerce=int, default=0)
    organisation_id = SelectField("Organisation", coerce=int, default=0)
    channel = SelectField(
        "Channel",
        default="",
        choices=[SelectChoice("", "Any channel")]
        + [SelectChoice(c.value, c.value.replace("_", " ")) for c in Channel],
    )
    flag = SelectField(
        "Flag",
        default="",
        choices=[SelectChoice("", "Any or none")]
        + [SelectChoice(k, v) for k, v in review.FLAG_LABELS.items()],
    )
    state = SelectField(
        "State",
        default="waiting",
        choices=[SelectChoice("waiting", "Waiting for review")]
        + [SelectChoice(s.value, s.value.replace("_", " ")) for s in SubmissionState],
    )


class ApproveForm(FlaskForm):
    pass


class StartReviewForm(FlaskForm):
    pass


class ReturnForm(FlaskForm):
    comment = TextAreaField(
        "What should the shopper change?",
        validators=[DataRequired("Say what the shopper should change."), Length(max=2000)],
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Why is the report rejected?",
        validators=[DataRequired("Give the reason for rejecting the report."), Length(max=2000)],
    )


def get_submission(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        not_found("No such report.")
    if runs_programme(current_user, submission.assignment.wave.programme_id):
        return submission
    forbid("not_yours", "This report is not in your programme.")


def _programme_scope():
    return None if current_user.has_role(Role.admin) else current_user.programme_id


@bp.get("")
@staff_required
def queue():
    form = FilterForm(request.args)
    scope = _programme_scope()
    waves = sa.select(Wave).order_by(Wave.programme_id, Wave.number)
    organisations = sa.select(Organisation).order_by(Organisation.name)
    if scope is not None:
        waves = waves.where(Wave.programme_id == scope)
        organisations = organisations.join(
            Programme, Programme.partnership_id == Organisation.partnership_id
        ).where(Programme.id == scope)
    form.wave_id.choices = [SelectChoice(0, "Any wave")] + [
        SelectChoice(w.id, w.name) for w in db.session.scalars(waves)
    ]
    form.organisation_id.choices = [SelectChoice(0, "Any organisation")] + [
        SelectChoice(o.id, o.name) for o in db.session.scalars(organisations)
    ]
    rows, status = [], 200
    if form.validate():
        state = form.state.data
        filters = review.QueueFilters(
            wave_id=form.wave_id.data or None,
            organisation_id=form.organisation_id.data or None,
            channel=Channel(form.channel.data) if form.channel.data else None,
            flag=form.flag.data or None,
            states=set(review.REVIEWABLE) if state == "waiting" else {SubmissionState(state)},
        )
        rows = review.queue(scope, filters)
    else:
        status = 422
    return render_template(
        "review/queue.html",
        form=form,
        rows=rows,
        flag_labels=review.FLAG_LABELS,
        reviewers=review.reviewer_names(rows),
        States=SubmissionState,
    ), status


def _report_page(submission, return_form=None, reject_form=None, status=200):
    history = review.history(submission)
    return render_template(
        "review/report.html",
        submission=submission,
        answers=review.labelled_answers(submission),
        call_outcome_labels=review.CALL_OUTCOME_LABELS,
        duration_label=review.duration_label,
        history=history,
        actors=review.display_names(e.actor_id for e in history),
        flag_labels=review.FLAG_LABELS,
        reviewable=submission.state in review.REVIEWABLE,
        approve_form=ApproveForm(),
        start_form=StartReviewForm(),
        States=SubmissionState,
        reviewers=review.reviewer_names([submission]),
        return_form=return_form or ReturnForm(),
        reject_form=reject_form or RejectForm(),
    ), status


@bp.get("/<id:submission_id>")
@staff_required
def report(submission_id):
    return _report_page(get_submission(submission_id))


def _decide(submission, decide, done):
    try:
        decide()
    except DomainError as error:
        db.session.rollback()
        abort(error.status, error.message)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("review.report", submission_id=submission.id))


@bp.post("/<id:submission_id>/start")
@staff_required
def start_review(submission_id):
    submission = get_submission(submission_id)
    if not StartReviewForm().validate_on_submit():
        abort(400)
    return _decide(
        submission,
        lambda: review.start_review(submission, current_user),
        "You are reviewing this report; colleagues see your name in the queue.",
    )


@bp.post("/<id:submission_id>/approve")
@staff_required
def approve(submission_id):
    submission = get_submission(submission_id)
    if not ApproveForm().validate_on_submit():
        abort(400)
    return _decide(submission, lambda: review.approve(submission, current_user), "The report is approved.")


class _TextDecision(NamedTuple):
    """Return and reject: a decision that needs words from the coordinator."""

    form_class: type
    form_name: str  # the name ``_report_page`` takes the form under
    text_field: str
    decide: Callable  # (submission, reviewer, text) -> None
    past: str  # "returned": for the 409
    done: str  # the flash after it


_RETURN = _TextDecision(
    ReturnForm,
    "return_form",
    "comment",
    review.return_to_shopper,
    "returned",
    "The report is returned to the shopper with your comment.",
)
_REJECT = _TextDecision(
    RejectForm, "reject_form", "reason", review.reject, "rejected", "The report is rejected."
)


def _decide_with_text(submission_id, decision: _TextDecision):
    """409 for a report no longer waiting for review (before the form: its words do not matter then), 422 with
    the field error when the words are missing, otherwise the service decides."""
    submission = get_submission(submission_id)
    if submission.state not in review.REVIEWABLE:
        abort(
            409, f"This report is {submission.state.value.replace('_', ' ')}; it cannot be {decision.past}."
        )
    form = decision.form_class()
    if not form.validate_on_submit():
        return _report_page(submission, status=422, **{decision.form_name: form})
    text = form[decision.text_field].data
    return _decide(submission, lambda: decision.decide(submission, current_user, text), decision.done)


@bp.post("/<id:submission_id>/return")
@staff_required
def return_report(submission_id):
    return _decide_with_text(submission_id, _RETURN)


@bp.post("/<id:submission_id>/reject")
@staff_required
def reject(submission_id):
    return _decide_with_text(submission_id, _REJECT)
