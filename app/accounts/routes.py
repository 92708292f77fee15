"""Pages: sign in, sign out, a new password, and the gate."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts import services
from app.accounts.credentials import change_password
from app.accounts.forms import ChangePasswordForm, ConfidentialityForm, ConflictsForm, SignInForm, SignOutForm
from app.accounts.limits import mark_failed_sign_in, sign_in_limited
from app.accounts.permissions import shopper_required
from app.accounts.sessions import end_session, start_session
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.models import Organisation, ServiceArea

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so that ?next= cannot send someone to another site."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@sign_in_limited
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            mark_failed_sign_in()
            services.record_failed(form.email.data)
            db.session.commit()
            form.password.errors.append("That e-mail address and password do not match an account.")
        else:
            start_session(user)
            services.record_sign_in(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    status = 422 if form.errors else 200
    return render_template("accounts/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    form = SignOutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        user = current_user._get_current_object()
        services.record_sign_out(user)
        end_session(user)
        db.session.commit()
        flash("You are signed out.", "info")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """A new password; every other session of the account ends (``credentials.set_password``)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(
                current_user._get_current_object(), form.current_password.data, form.password.data
            )
        except DomainError as error:
            db.session.rollback()
            field = form.current_password if error.code == "wrong_password" else form.password
            field.errors = [*field.errors, error.message]
        else:
            db.session.commit()
            flash("Your password is changed. You are signed out everywhere else.", "success")
            return redirect(url_for("main.home"))
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form), status


@bp.route("/gate/confidentiality", methods=["GET", "POST"])
@shopper_required
def confidentiality():
    statement = services.current_statement(current_user.programme_id)
    form = ConfidentialityForm(version=statement.version if statement else "")
    if statement is not None and form.validate_on_submit():
        try:
            services.acknowledge_confidentiality(current_user, int(form.version.data))
        except (DomainError, ValueError) as error:
            db.session.rollback()
            form.agree.errors.append(getattr(error, "message", "The statement has changed; read it again."))
        else:
            db.session.commit()
            return redirect(
                url_for("accounts.conflicts")
                if not services.gate_status(current_user).conflicts
                else url_for("assignments.briefs")
            )
    status = 422 if form.errors else 200
    return render_template(
        "gate/confidentiality.html", form=form, statement=statement, gate=services.gate_status(current_user)
    ), status


@bp.route("/gate/conflicts", methods=["GET", "POST"])
@shopper_required
def conflicts():
    partnership_id = current_user.programme.partnership_id if current_user.programme else None
    organisations = db.session.scalars(
        sa.select(Organisation).filter_by(partnership_id=partnership_id).order_by(Organisation.name)
    ).all()
    areas = db.session.scalars(
        sa.select(ServiceArea).filter_by(partnership_id=partnership_id).order_by(ServiceArea.name)
    ).all()
    form = ConflictsForm()
    form.set_choices(organisations, areas)
    on_record = services.conflicts_of(current_user)
    if form.validate_on_submit():
        try:
            if form.choice.data == "none":
                services.declare_no_conflicts(current_user)
                withdrawn = []
            else:
                items = [
                    services.ConflictInput(
                        row.organisation_id.data or None, row.service_area_id.data or None, row.reason.data
                    )
                    for row in form.conflict_rows()
                ]
                _, withdrawn = services.declare_conflicts(current_user, items)
        except DomainError as error:
            db.session.rollback()
            form.choice.errors.append(error.message)
        else:
            db.session.commit()
            flash("Thank you: your declaration is recorded.", "success")
            if withdrawn:
                flash(
                    f"{len(withdrawn)} assignment(s) touched by it were withdrawn and passed to the coordinator.",
                    "info",
                )
            return redirect(url_for("assignments.briefs"))
    status = 422 if form.errors else 200
    return render_template(
        "gate/conflicts.html", form=form, on_record=on_record, gate=services.gate_status(current_user)
    ), status
