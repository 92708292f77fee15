"""The coordinator's recruitment pages: the applicant queue, the quiz editor, staff invitations, the dev outbox."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import staff_required
from app.db_types import utcnow
from app.errors_domain import DomainError
from app.extensions import db
from app.recruitment import bp, details, services
from app.recruitment import quiz as quiz_service
from app.recruitment.access import get_application, get_question, staff_programme
from app.recruitment.forms import (
    ApproveForm,
    DeclineForm,
    InviteForm,
    PassMarkForm,
    QuizQuestionForm,
    RemoveForm,
)
from app.recruitment.models import ApplicationStatus, OutboxMessage
from app.routing import external_url

# --- the applicant queue --------------------------------------------------------------------------


@bp.get("/coordinator/applicants")
@staff_required
def applicants():
    programme_id = current_user.programme_id  # an admin without a programme sees every programme's
    if programme_id is None and not current_user.has_role(Role.admin):
        abort(404, "You run no programme yet.")
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404, "There is no such page.")
    pending = services.pending_applications(programme_id, page)
    return render_template(
        "recruitment/staff/applicants.html",
        pending=pending,
        latest=quiz_service.latest_attempts(a.user_id for a in pending.items),
        decided=services.recent_decisions(programme_id),
    )


@bp.get("/coordinator/shoppers")
@staff_required
def shoppers():
    """The programme's shoppers, a page at a time, found by name or e-mail, with their gate and their work."""
    programme_id = current_user.programme_id  # an admin without a programme sees every programme's
    if programme_id is None and not current_user.has_role(Role.admin):
        abort(404, "You run no programme yet.")
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404, "There is no such page.")
    search = request.args.get("q", "")[:100]
    return render_template(
        "recruitment/staff/shoppers.html",
        shoppers=services.shoppers_page(programme_id, search, page),
        search=search,
    )


def _applicant_page(application, approve_form=None, decline_form=None, status=200, problem=None):
    return render_template(
        "recruitment/staff/applicant.html",
        application=application,
        problem=problem,
        attempts=quiz_service.attempts_of(application.user_id),
        Status=ApplicationStatus,
        times=[
            details.TIME_LABELS[t].split(" (")[0]
            for t in details.times_of(details.availability_of(application.user))
        ],
        approve_form=approve_form or ApproveForm(formdata=None),
        decline_form=decline_form or DeclineForm(formdata=None),
    ), status


@bp.get("/coordinator/applicants/<id:application_id>")
@staff_required
def applicant(application_id):
    return _applicant_page(get_application(application_id))


@bp.post("/coordinator/applicants/<id:application_id>/approve")
@staff_required
def approve(application_id):
    application = get_application(application_id)
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            services.approve(application, current_user, form.override_reason.data or "")
        except DomainError as error:
            db.session.rollback()
            if error.status == 409:
                return _applicant_page(application, approve_form=form, status=409, problem=error.message)
            form.override_reason.errors = [error.message]
        else:
            db.session.commit()
            flash(f"{application.full_name} is approved and can now sign in as a shopper.", "success")
            return redirect(url_for("recruitment.applicants"))
    return _applicant_page(application, approve_form=form, status=422)


@bp.post("/coordinator/applicants/<id:application_id>/decline")
@staff_required
def decline(application_id):
    application = get_application(application_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline(application, current_user, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            if error.status == 409:
                return _applicant_page(application, decline_form=form, status=409, problem=error.message)
            form.reason.errors = [error.message]
        else:
            db.session.commit()
            flash(f"{application.full_name}'s application is declined; they will see your reason.", "success")
            return redirect(url_for("recruitment.applicants"))
    return _applicant_page(application, decline_form=form, status=422)


# --- the quiz -------------------------------------------------------------------------------------


@bp.route("/coordinator/quiz", methods=["GET", "POST"])
@staff_required
def quiz():
    programme = staff_programme()
    quiz = quiz_service.quiz_for(programme.id)
    form = PassMarkForm(pass_mark=quiz.pass_mark if quiz else quiz_service.DEFAULT_PASS_MARK)
    if form.validate_on_submit():
        quiz = quiz or quiz_service.quiz_for(programme.id, create=True)
        quiz_service.set_pass_mark(quiz, form.pass_mark.data, current_user)
        db.session.commit()
        flash(f"The pass mark is now {quiz.pass_mark}%.", "success")
        return redirect(url_for("recruitment.quiz", **_programme_arg(programme)))
    status = 422 if form.errors else 200
    return render_template(
        "recruitment/staff/quiz.html",
        programme=programme,
        quiz=quiz,
        form=form,
        remove_form=RemoveForm(),
        programme_arg=_programme_arg(programme),
    ), status


def _programme_arg(programme) -> dict:
    """Keeps an admin on the programme they chose."""
    return {"programme": programme.id} if current_user.programme_id != programme.id else {}


def _question_page(programme, form, question=None):
    if form.validate_on_submit():
        quiz = quiz_service.quiz_for(programme.id, create=True)
        try:
            quiz_service.save_question(
                quiz,
                question,
                form.text.data,
                form.options(),
                form.correct.data - 1,
                form.explanation.data or "",
                current_user,
            )
        except DomainError as error:
            db.session.rollback()
            target = form.correct if error.code == "correct_option_blank" else form.option_1
            target.errors = list(target.errors) + [error.message]
        else:
            db.session.commit()
            flash("The question is saved.", "success")
            return redirect(url_for("recruitment.quiz", **_programme_arg(programme)))
    status = 422 if form.errors else 200
    return render_template(
        "recruitment/staff/question.html", form=form, question=question, programme=programme
    ), status


@bp.route("/coordinator/quiz/questions/new", methods=["GET", "POST"])
@staff_required
def new_question():
    return _question_page(staff_programme(), QuizQuestionForm())


@bp.route("/coordinator/quiz/questions/<id:question_id>", methods=["GET", "POST"])
@staff_required
def edit_question(question_id):
    question = get_question(question_id)
    form = QuizQuestionForm()
    if not form.is_submitted():
        form.fill_from(question)
    return _question_page(question.quiz.programme, form, question)


@bp.post("/coordinator/quiz/questions/<id:question_id>/remove")
@staff_required
def remove_question(question_id):
    question = get_question(question_id)
    programme = question.quiz.programme
    if RemoveForm().validate_on_submit():
        quiz_service.remove_question(question, current_user)
        db.session.commit()
        flash("The question is removed.", "success")
    return redirect(url_for("recruitment.quiz", **_programme_arg(programme)))


# --- staff on loan --------------------------------------------------------------------------------


@bp.route("/coordinator/invites", methods=["GET", "POST"])
@staff_required
def invites():
    programme = staff_programme()
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invite, token = services.invite_staff(programme, form.email.data, current_user)
        except DomainError as error:
            db.session.rollback()
            form.email.errors = list(form.email.errors) + [error.message]
        else:
            services.send_invite(invite, external_url("recruitment.accept_invite", token=token))
            db.session.commit()
            flash(f"The invitation is sent to {invite.email}. The link works once, for 7 days.", "success")
            return redirect(url_for("recruitment.invites", **_programme_arg(programme)))
    status = 422 if form.errors else 200
    return render_template(
        "recruitment/staff/invites.html",
        form=form,
        programme=programme,
        invites=services.invites_of(programme.id),
        now=utcnow(),
    ), status


# --- development outbox ---------------------------------------------------------------------------


@bp.get("/dev/outbox")
@staff_required
def outbox():
    """The e-mails kept instead of sent, of the coordinator's programme (an admin's: all). Never in
    production, where mail goes out by SMTP."""
    if current_app.config.get("ENV_NAME") == "production":
        abort(404)
    query = sa.select(OutboxMessage)
    if not current_user.has_role(Role.admin):  # a coordinator sees their own programme's mail only
        query = query.where(OutboxMessage.programme_id == current_user.programme_id)
    messages = db.session.scalars(query.order_by(OutboxMessage.id.desc()).limit(100)).all()
    return render_template("recruitment/staff/outbox.html", messages=messages)
