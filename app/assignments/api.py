"""/api/v1/assignments: the shopper's briefs."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.accounts.models import Role
from app.accounts.permissions import gate_required, roles_required, shopper_required
from app.assignments.access import get_assignment
from app.assignments.schemas import BriefListSchema, BriefSchema
from app.assignments.services import briefs_for

blp = Blueprint("assignments_api", __name__, description="Assignment briefs")


@blp.route("/assignments")
class Briefs(MethodView):
    @shopper_required
    @gate_required
    @blp.response(200, BriefListSchema)
    def get(self):
        """The shopper's briefs; 403 ``gate_incomplete`` until the gate is passed."""
        return {"items": briefs_for(current_user)}


@blp.route("/assignments/<id:assignment_id>")
class Brief(MethodView):
    @roles_required(Role.shopper, Role.coordinator, Role.admin)
    @blp.response(200, BriefSchema)
    def get(self, assignment_id):
        """One brief: the shopper's own (after the gate), or any in the coordinator's programme."""
        if not current_user.has_role(Role.coordinator, Role.admin):
            return gate_required(lambda: get_assignment(assignment_id))()
        return get_assignment(assignment_id)
