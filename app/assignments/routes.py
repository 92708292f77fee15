"""Pages: the shopper's briefs (server-rendered; the offline app uses the API), and their answer to an offer."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.permissions import gate_required, shopper_required
from app.assignments import bp, manual
from app.assignments.access import get_assignment
from app.assignments.forms import AcceptForm, DeclineForm
from app.assignments.services import briefs_for
from app.errors_domain import DomainError
from app.extensions import db


@bp.get("/briefs")
@shopper_required
@gate_required
def briefs():
    return render_template("assignments/briefs.html", briefs=briefs_for(current_user))


@bp.get("/briefs/<id:assignment_id>")
@shopper_required
@gate_required
def brief(assignment_id):
    return _brief_page(get_assignment(assignment_id), DeclineForm())


def _brief_page(assignment, decline_form, status=200):
    return render_template(
        "assignments/brief.html", brief=assignment, accept_form=AcceptForm(), decline_form=decline_form
    ), status


@bp.post("/briefs/<id:assignment_id>/accept")
@shopper_required
@gate_required
def accept(assignment_id):
    assignment = get_assignment(assignment_id)
    if not AcceptForm().validate_on_submit():
        abort(400)
    try:
        manual.accept(assignment, current_user)
    except DomainError as error:
        db.session.rollback()
        abort(409, error.message)
    db.session.commit()
    flash("Thank you: the assignment is yours.", "success")
    return redirect(url_for("assignments.brief", assignment_id=assignment.id))


@bp.post("/briefs/<id:assignment_id>/decline")
@shopper_required
@gate_required
def decline(assignment_id):
    assignment = get_assignment(assignment_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _brief_page(assignment, form, 422)
    try:
        manual.decline(assignment, current_user, form.reason.data, (form.detail.data or "").strip())
    except DomainError as error:
        db.session.rollback()
        abort(409, error.message)
    db.session.commit()
    if form.reason.data == manual.CONFLICT_REASON:
        flash(
            "Your conflict of interest is recorded; the work it touches was passed back to the coordinator.",
            "success",
        )
    else:
        flash("You declined the assignment; the coordinator will offer it to someone else.", "success")
    return redirect(url_for("assignments.briefs"))
