"""Load-and-authorise for questionnaire versions: the app's reading, and the builder's."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found, runs_programme
from app.api.problems import ApiProblem
from app.assignments.models import VISIBLE_TO_SHOPPER, Assignment
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion


def get_version(questionnaire_id: int, number: int, user=None) -> QuestionnaireVersion:
    """A version the user may read: staff in its programme, or a shopper with a brief that uses it."""
    user = user or current_user
    version = db.session.scalar(
        sa.select(QuestionnaireVersion).filter_by(questionnaire_id=questionnaire_id, number=number)
    )
    if version is None:
        raise ApiProblem(404, "unknown_questionnaire_version", "No such questionnaire version.")
    if runs_programme(user, version.questionnaire.programme_id):
        return version
    if user.has_role(Role.shopper) and db.session.scalar(
        sa.select(
            sa.exists().where(
                Assignment.shopper_id == user.id,
                Assignment.questionnaire_version_id == version.id,
                Assignment.state.in_(VISIBLE_TO_SHOPPER),
            )
        )
    ):
        return version
    forbid("not_yours", "This questionnaire is not part of your assignments.")


def get_version_to_build(version_id: int, user=None) -> QuestionnaireVersion:
    """A version for the builder's pages: an admin any, a coordinator their programme's; 404 / 403 otherwise."""
    user = user or current_user
    version = db.session.get(QuestionnaireVersion, version_id)
    if version is None:
        not_found("No such questionnaire version.")
    if runs_programme(user, version.questionnaire.programme_id):
        return version
    forbid("not_yours", "This questionnaire is not part of your programme.")


def part_of(version: QuestionnaireVersion, model, item_id: int):
    """A section or question of ``version``; 404 for anything else."""
    item = db.session.get(model, item_id)
    if item is None or item.version_id != version.id:
        abort(404)
    return item
