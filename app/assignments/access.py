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


def get_wave(wave_id: int, user=None):
    """A wave the coordinator plans: their programme's (any for an admin)."""
    from app.programmes.models import Wave

    user = user or current_user
    wave = db.session.get(Wave, wave_id)
    if wave is None:
        abort(404)
    if user.has_role(Role.admin) or (user.has_role(Role.coordinator) and wave.programme_id == user.programme_id):
        return wave
    forbid("not_yours", "This wave is not in your programme.")


def get_block(block_id: int, user=None):
    """A phone-bank block: staff of its programme, or a shopper of that programme."""
    from app.assignments.models import PhoneBlock

    user = user or current_user
    block = db.session.get(PhoneBlock, block_id)
    if block is None:
        abort(404)
    if user.has_role(Role.admin):
        return block
    if user.has_role(Role.coordinator, Role.shopper) and block.wave.programme_id == user.programme_id:
        return block
    forbid("not_yours", "This phone-bank block is not in your programme.")
