"""Pages for residents, applicants and volunteers: sign-up, confirmation, training, quiz, own data, invitations.

The coordinator's pages are in ``staff_routes.py``, on the same blueprint.
"""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    json,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from wtforms import SelectChoice

from app.accounts.models import Role
from app.accounts.passwords import verify_password
from app.accounts.permissions import roles_required
from app.accounts.services import normalise_email
from app.accounts.sessions import start_session
from app.errors_domain import DomainError
from app.extensions import db, limiter
from app.recruitment import bp, manual, services
from app.recruitment import quiz as quiz_service
from app.recruitment.forms import AcceptInviteForm, DeleteAccountForm, ResendForm, SignUpForm, quiz_form_class
from app.recruitment.models import ApplicationStatus, VolunteerApplication
from app.recruitment.pdf import training_manual_pdf
from app.recruitment.personal_data import application_of, delete_personal_data, personal_data
from app.routing import external_url

volunteers_only = roles_required(Role.applicant, Role.shopper)


def _fail(form, field_name: str, error: DomainError):
    db.session.rollback()
    form[field_name].errors = list(form[field_name].errors) + [error.message]


def _sign_up_address() -> str:
    email = request.form.get("email", "")
    return "sign-up-address:" + normalise_email(email)


def _sent_mail(response) -> bool:
    return response.status_code == 302  # a sign-up that got through the form (and mailed the address)


CHECK_YOUR_EMAIL = _l(
    "Thank you. We have sent an e-mail to the address you gave: open it to confirm your address (or, if you "
    "have an account already, to sign in). Then sign in with your e-mail address and password."
)


@bp.route("/volunteer", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGN_UP_LIMIT_PER_ADDRESS"],
    key_func=_sign_up_address,
    methods=["POST"],
    deduct_when=_sent_mail,
)
@limiter.limit(
    lambda: current_app.config["SIGN_UP_LIMIT_PER_CLIENT"], methods=["POST"], deduct_when=_sent_mail
)
def volunteer():
    """Sign-up. A new address and one with an account get the same answer, and the same kind of e-mail
    (``services.sign_up``); each address and each client may sign up only so often (config)."""
    programmes = services.open_programmes()
    form = SignUpForm()
    form.programme_id.choices = [SelectChoice(p.id, p.name) for p in programmes]
    if len(programmes) == 1 and not form.is_submitted():
        form.programme_id.data = programmes[0].id
    if not form.is_submitted():
        form.language.data = str(get_locale())
    # A phone number without + is read in the chosen programme's country (before validation reads it).
    chosen = next((p for p in programmes if str(p.id) == (form.programme_id.raw_data or [""])[0]), None)
    form.phone_country = (chosen or programmes[0]).country if programmes else None
    if programmes and form.validate_on_submit():
        programme = next(p for p in programmes if p.id == form.programme_id.data)
        data = services.SignUp(
            full_name=form.full_name.data,
            email=form.email.data,
            password=form.password.data,
            phone=form.phone.data or "",
            neighbourhood=form.neighbourhood.data,
            languages=form.languages.data,
            availability=form.availability.data,
            accessibility_needs=form.accessibility_needs.data or "",
            available_times=frozenset(form.available_times.data),
            language=form.language.data,
        )
        try:
            signed_up = services.sign_up(data, programme)
        except DomainError as error:
            _fail(form, "password" if error.code == "weak_password" else "email", error)
        else:
            if isinstance(signed_up, VolunteerApplication):
                token = services.confirmation_token(signed_up)
                services.send_confirmation(signed_up, external_url("recruitment.confirm", token=token))
            else:
                services.send_already_registered(signed_up, external_url("accounts.sign_in"))
            db.session.commit()
            return redirect(url_for("recruitment.check_email"))
    status = 422 if form.errors else 200
    return render_template("recruitment/volunteer.html", form=form, programmes=programmes), status


@bp.get("/volunteer/sent")
def check_email():
    return render_template(
        "recruitment/message.html", title=_("Check your e-mail"), message=CHECK_YOUR_EMAIL, sign_in_link=True
    )


@bp.get("/volunteer/confirm/<token>")
def confirm(token):
    try:
        services.confirm_email(token)
    except DomainError as error:
        db.session.rollback()
        return render_template(
            "recruitment/message.html", title=_("Confirmation link not valid"), message=error.message
        ), 410 if error.code == "token_expired" else 400
    db.session.commit()
    return render_template(
        "recruitment/message.html",
        title=_("E-mail address confirmed"),
        message=_("Thank you: your e-mail address is confirmed."),
        next_link=True,
    )


@bp.get("/training")
def training():
    return render_template("recruitment/training.html", manual=manual, sections=list(manual.blocks()))


@bp.get("/training.pdf")
def training_pdf():
    response = Response(training_manual_pdf(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="service-shopper-training-manual.pdf"'
    return response


@bp.get("/application")
@volunteers_only
def application():
    own = application_of(current_user)
    quiz = quiz_service.quiz_for(own.programme_id) if own else None
    return render_template(
        "recruitment/application.html",
        application=own,
        quiz=quiz,
        latest=quiz_service.latest_attempt(current_user.id),
        resend_form=ResendForm(),
        Status=ApplicationStatus,
    )


@bp.post("/application/confirmation")
@roles_required(Role.applicant)
def resend_confirmation():
    own = application_of(current_user)
    if ResendForm().validate_on_submit() and own is not None and own.email_confirmed_at is None:
        refused = services.confirmation_refused(own)
        if refused:
            flash(refused, "info")
        else:
            token = services.confirmation_token(own)
            services.send_confirmation(own, external_url("recruitment.confirm", token=token))
            db.session.commit()
            flash("We have sent the confirmation e-mail again.", "success")
    return redirect(url_for("recruitment.application"))


@bp.route("/application/quiz", methods=["GET", "POST"])
@roles_required(Role.applicant)
def take_quiz():
    own = application_of(current_user)
    if own is None:
        abort(404, "You have no application.")
    quiz = quiz_service.quiz_for(own.programme_id)
    questions = list(quiz.questions) if quiz else []
    round_number = quiz_service.rounds_taken(current_user.id)
    key = current_app.config["SECRET_KEY"]
    orders = {q.id: quiz_service.option_order(q, current_user.id, round_number, key) for q in questions}
    form = quiz_form_class(questions, orders)()
    open_ = own.status == ApplicationStatus.pending and bool(questions)
    if open_ and form.validate_on_submit():
        answers = form.answers()
        try:
            attempt = quiz_service.take_quiz(own, quiz, answers)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                f"You scored {attempt.score}%. "
                + ("You passed." if attempt.passed else "You have not passed yet."),
                "success" if attempt.passed else "info",
            )
            return redirect(url_for("recruitment.take_quiz"))
    status = 422 if form.errors else 409 if form.is_submitted() and not open_ else 200
    return render_template(
        "recruitment/quiz.html",
        form=form,
        quiz=quiz,
        questions=questions,
        application=own,
        open_=open_,
        latest=quiz_service.latest_attempt(current_user.id),
    ), status


@bp.route("/account/data", methods=["GET", "POST"])
@volunteers_only
def account_data():
    """Download or delete one's own personal data. Deleting needs the phrase and the password again."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not verify_password(current_user, form.password.data):
            form.password.errors.append("That is not your password.")
        else:
            outcome = delete_personal_data(current_user._get_current_object())  # ends every session too
            db.session.commit()
            logout_user()
            session.clear()
            flash(
                "Your account and personal data are deleted."
                if outcome == "deleted"
                else "Your personal data is deleted; the work you recorded stays, no longer linked to you.",
                "success",
            )
            return redirect(url_for("main.home"))
    status = 422 if form.errors else 200
    return render_template("recruitment/account_data.html", form=form), status


@bp.get("/account/data.json")
@volunteers_only
def account_data_download():
    body = json.dumps(personal_data(current_user), indent=2, ensure_ascii=False)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-service-shopper-data.json"'
    return response


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token):
    try:
        invite = services.find_invite(token)
    except DomainError as error:
        status = {"invite_unknown": 404, "invite_used": 410, "invite_expired": 410}[error.code]
        return render_template(
            "recruitment/message.html",
            title="Invitation not usable",
            message=error.message,
            sign_in_link=True,
        ), status
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invite(invite, form.display_name.data, form.password.data)
        except DomainError as error:
            _fail(form, "password" if error.code == "weak_password" else "display_name", error)
        else:
            start_session(user)
            db.session.commit()
            flash(
                "Welcome. Before your first assignment, read the confidentiality statement and declare any "
                "conflicts of interest.",
                "success",
            )
            return redirect(url_for("assignments.briefs"))
    status = 422 if form.errors else 200
    return render_template("recruitment/invite_accept.html", form=form, invite=invite), status
