"""Load-and-authorise for assignments: 404 if missing, 403 if not the user's to see."""
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid
from app.api.problems import ApiProblem, wants_problem
from app.assignments.models import VISIBLE_TO_SHOPPER, Assignment
from app.extensions import db
from flask import abort


def get_assignment(assignment_id: int, user=None) -> Assignment:
    user = user or current_user
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        if wants_problem():
            raise ApiProblem(404, "not_found", "No such assignment.")
        abort(404)
    if user.has_role(Role.admin):
        return assignment
    if user.has_role(Role.coordinator) and assignment.wave.programme_id == user.programme_id:
        return assignment
    if (user.has_role(Role.shopper) and assignment.shopper_id == user.id
            and assignment.state in VISIBLE_TO_SHOPPER):
        return assignment
    forbid("not_yours", "This assignment is not yours to see.")
