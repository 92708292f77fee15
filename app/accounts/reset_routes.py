"""Pages: "Forgot your password?" and the e-mailed link that chooses a new one."""

from flask import current_app, flash, redirect, render_template, request, url_for

from app.accounts import reset
from app.accounts.forms import ForgotPasswordForm, ResetPasswordForm
from app.accounts.routes import bp
from app.accounts.services import normalise_email
from app.errors_domain import DomainError
from app.extensions import db, limiter
from app.routing import external_url

SENT = (
    "If that address has an account, we have sent it an e-mail with a link to choose a new password. "
    "The link works once, for an hour. Nothing arrived? Check the address, and your spam folder."
)


def _reset_address() -> str:
    return "password-reset-address:" + normalise_email(request.form.get("email", ""))


def _asked(response) -> bool:
    return response.status_code == 302  # a request that got through the form, whether or not mail went


@bp.route("/account/forgot-password", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ADDRESS"],
    key_func=_reset_address,
    methods=["POST"],
    deduct_when=_asked,
)
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_CLIENT"], methods=["POST"], deduct_when=_asked
)
def forgot_password():
    """The same answer whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(
            form.email.data, lambda token: external_url("accounts.reset_password", token=token)
        )
        db.session.commit()
        return redirect(url_for("accounts.forgot_password_sent"))
    status = 422 if form.errors else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.get("/account/forgot-password/sent")
def forgot_password_sent():
    return render_template("accounts/message.html", title="Check your e-mail", message=SENT)


@bp.route("/account/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        reset.user_for_reset(token)
    except DomainError as error:
        return render_template(
            "accounts/message.html", title="This link does not work", message=error.message, ask_again=True
        ), (404 if error.code == "reset_invalid" else error.status)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.password.errors = [*form.password.errors, error.message]
        else:
            db.session.commit()
            flash(
                "Your new password is set, and every session of your account has ended. Sign in.", "success"
            )
            return redirect(url_for("accounts.sign_in"))
    status = 422 if form.errors else 200
    return render_template("accounts/reset_password.html", form=form), status
