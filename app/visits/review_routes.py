"""Pages of review: the coordinator's queue and one report with its decision forms."""

from collections.abc import Callable
from typing import NamedTuple

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found, review_required, reviews_programme
from app.errors_domain import DomainError
from app.extensions import db
from app.labels import label
from app.programmes.models import Channel, Organisation, Programme, Wave
from app.visits import bp, review
from app.visits.models import Submission, SubmissionState


class FilterForm(Form):
    """A GET form: filters change nothing, so no CSRF token."""

    wave_id = SelectField("Wave", coerce=int, default=0)
    organisation_id = SelectField("Organisation", coerce=int, default=0)
    channel = SelectField(
        "Channel",
        default="",
        choices=[SelectChoice("", "Any channel")] + [SelectChoice(c.value, label(c)) for c in Channel],
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
        + [SelectChoice(s.value, label(s)) for s in SubmissionState],
    )
    sort = SelectField("Order", default="age", choices=[SelectChoice(k, v) for k, v in review.SORTS.items()])
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1)])

    def filters(self) -> review.QueueFilters:
        state = self.state.data
        return review.QueueFilters(
            wave_id=self.wave_id.data or None,
            organisation_id=self.organisation_id.data or None,
            channel=Channel(self.channel.data) if self.channel.data else None,
            flag=self.flag.data or None,
            states=set(review.REVIEWABLE) if state == "waiting" else {SubmissionState(state)},
        )

    def args(self) -> dict:
        """The filter and order as query arguments (defaults left out), for links that keep them."""
        return {
            f.name: f.data
            for f in (self.wave_id, self.organisation_id, self.channel, self.flag, self.state, self.sort)
            if f.data and f.data != f.default
        }


class ApproveForm(FlaskForm):
    """Approval, with a text area per free text of the report (``approve_form_for``)."""


PARTNER_PREFIX = "partner_"


def approve_form_for(submission, **kwargs) -> ApproveForm:
    """The approval form of ``submission``: its free texts as partners would read them, for the reviewer to
    clear (WTForms' dynamic composition: a subclass with a field per text)."""

    class Form(ApproveForm):
        pass

    for name, text_label, text in review.partner_drafts(submission):
        setattr(
            Form,
            PARTNER_PREFIX + name,
            TextAreaField(
                text_label,
                default=text,
                validators=[
                    Length(
                        max=review.PARTNER_TEXT_MAX,
                        message=f"Keep this to {review.PARTNER_TEXT_MAX} characters.",
                    )
                ],
            ),
        )
    return Form(**kwargs)


def partner_fields(form: ApproveForm) -> list:
    return [f for f in form if f.name.startswith(PARTNER_PREFIX)]


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
    if reviews_programme(current_user, submission.assignment.wave.programme_id):
        return submission
    forbid("not_yours", "This report is not in your programme.")


def _programme_scope():
    return None if current_user.has_role(Role.admin) else current_user.programme_id


def _filter_form() -> FilterForm:
    """The queue's filter from the query string, with the choices of the coordinator's programme."""
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
    return form


@bp.get("/coordinator/review")
@review_required
def queue():
    form = _filter_form()
    reports, status = None, 200
    if form.validate():
        reports = review.queue(_programme_scope(), form.filters(), form.sort.data, form.page.data or 1)
    else:
        status = 422
    rows = reports.items if reports else []
    return render_template(
        "review/queue.html",
        form=form,
        reports=reports,
        rows=rows,
        queue_args=form.args() if reports else {},
        flag_labels=review.FLAG_LABELS,
        reviewers=review.reviewer_names(rows),
        States=SubmissionState,
    ), status


def _queue_place(submission):
    """(query arguments of the queue the coordinator came from, the next report in it) — ({}, None) when
    the report was opened from elsewhere or the arguments are not a valid filter."""
    form = _filter_form()
    if not form.validate():
        return {}, None
    return form.args(), review.next_in_queue(_programme_scope(), form.filters(), form.sort.data, submission)


def _report_page(submission, return_form=None, reject_form=None, approve_form=None, status=200):
    history = review.history(submission)
    queue_args, next_report = _queue_place(submission)
    return render_template(
        "review/report.html",
        submission=submission,
        queue_args=queue_args,
        next_report=next_report,
        answers=review.labelled_answers(submission),
        overridden=review.overridden_answers(submission),
        history=history,
        actors=review.display_names(e.actor_id for e in history),
        flag_labels=review.FLAG_LABELS,
        reviewable=submission.state in review.REVIEWABLE,
        approve_form=approve_form or approve_form_for(submission, formdata=None),
        partner_fields=partner_fields,
        start_form=StartReviewForm(),
        States=SubmissionState,
        reviewers=review.reviewer_names([submission]),
        return_form=return_form or ReturnForm(),
        reject_form=reject_form or RejectForm(),
    ), status


@bp.get("/coordinator/review/<id:submission_id>")
@review_required
def report(submission_id):
    return _report_page(get_submission(submission_id))


def _decide(submission, decide, done, then_next=True):
    """Decide, then go on to the next report of the queue the coordinator came from (its filter and
    order travel in the query string), or back to that queue when none is left; claiming a report
    (``then_next=False``) stays on it."""
    try:
        decide()
    except DomainError as error:
        db.session.rollback()
        abort(error.status, error.message)
    db.session.commit()
    flash(done, "success")
    if not then_next:
        return redirect(url_for("visits.report", submission_id=submission.id, **request.args))
    queue_args, next_report = _queue_place(submission)
    if next_report is None:
        return redirect(url_for("visits.queue", **queue_args))
    return redirect(url_for("visits.report", submission_id=next_report.id, **queue_args))


@bp.post("/coordinator/review/<id:submission_id>/start")
@review_required
def start_review(submission_id):
    submission = get_submission(submission_id)
    if not StartReviewForm().validate_on_submit():
        abort(400)
    return _decide(
        submission,
        lambda: review.start_review(submission, current_user),
        "You are reviewing this report; colleagues see your name in the queue.",
        then_next=False,
    )


@bp.post("/coordinator/review/<id:submission_id>/approve")
@review_required
def approve(submission_id):
    submission = get_submission(submission_id)
    form = approve_form_for(submission)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _report_page(submission, approve_form=form, status=422)
    # A field the form did not send (a page opened before this report had it) goes through the guard alone.
    cleared = {f.name.removeprefix(PARTNER_PREFIX): f.data for f in partner_fields(form) if f.raw_data}
    return _decide(
        submission,
        lambda: review.approve(submission, current_user, cleared),
        "The report is approved.",
    )


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


@bp.post("/coordinator/review/<id:submission_id>/return")
@review_required
def return_report(submission_id):
    return _decide_with_text(submission_id, _RETURN)


@bp.post("/coordinator/review/<id:submission_id>/reject")
@review_required
def reject(submission_id):
    return _decide_with_text(submission_id, _REJECT)
