"""/api/v1/questionnaires: versions as the app renders them."""

from flask import jsonify
from flask.views import MethodView
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import gate_required, roles_required
from app.api.blueprint import Blueprint
from app.questionnaires.access import get_version
from app.questionnaires.schemas import QuestionnaireVersionSchema, ShopperQuestionnaireVersionSchema

blp = Blueprint("questionnaires_api", __name__, description="Questionnaire versions")


@blp.route("/questionnaires/<id:questionnaire_id>/versions/<id:number>")
class Version(MethodView):
    @roles_required(Role.shopper, Role.coordinator, Role.admin)
    @blp.response(200, QuestionnaireVersionSchema)
    def get(self, questionnaire_id, number):
        """One version; every question has a ``key``, a ``type`` and, for choices, its ``options``.

        A shopper's copy leaves out how answers are scored: ``critical_scope``, and each question's
        ``weight``, ``critical``, its options' ``score`` and its standard's ``threshold``.
        """
        if not current_user.has_role(Role.coordinator, Role.admin):
            version = gate_required(lambda: get_version(questionnaire_id, number))()
            return jsonify(ShopperQuestionnaireVersionSchema().dump(version))
        return get_version(questionnaire_id, number)
