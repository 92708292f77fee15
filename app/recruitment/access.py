"""Load-and-authorise for recruitment: which programme a staff member works on, and its objects."""

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, runs_programme
from app.extensions import db
from app.programmes.models import Programme
from app.recruitment.models import QuizQuestion, TrainingQuiz, VolunteerApplication


def staff_programme(user=None) -> Programme:
    """The programme a coordinator runs; an admin picks one with ``?programme=<id>`` (default: their own,
    else the first). 404 when there is none to work on."""
    user = user or current_user
    if user.has_role(Role.admin):
        chosen = request.args.get("programme", type=int)
        programme = (
            db.session.get(Programme, chosen)
            if chosen
            else user.programme or db.session.scalar(sa.select(Programme).order_by(Programme.id).limit(1))
        )
    else:
        programme = user.programme
    if programme is None:
        abort(404, "There is no programme to work on.")
    return programme


def get_application(application_id: int, user=None) -> VolunteerApplication:
    user = user or current_user
    application = db.session.get(VolunteerApplication, application_id)
    if application is None:
        abort(404)
    if not runs_programme(user, application.programme_id):
        forbid("not_yours", "This application belongs to another programme.")
    return application


def get_question(question_id: int, user=None) -> QuizQuestion:
    user = user or current_user
    question = db.session.get(QuizQuestion, question_id)
    if question is None:
        abort(404)
    quiz = db.session.get(TrainingQuiz, question.quiz_id)
    if not runs_programme(user, quiz.programme_id):
        forbid("not_yours", "This question belongs to another programme's quiz.")
    return question
