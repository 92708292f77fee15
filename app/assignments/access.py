"""Load-and-authorise for assignments: 404 if missing, 403 if not the user's to see."""

from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found, runs_programme
from app.assignments.models import VISIBLE_TO_SHOPPER, Assignment
from app.extensions import db


def get_assignment(assignment_id: int, user=None) -> Assignment:
    user = user or current_user
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        not_found("No such assignment.")
    if runs_programme(user, assignment.wave.programme_id):
        return assignment
    if (
        user.has_role(Role.shopper)
        and assignment.shopper_id == user.id
        and assignment.state in VISIBLE_TO_SHOPPER
    ):
        return assignment
    forbid("not_yours", "This assignment is not yours to see.")


def get_wave(wave_id: int, user=None):
    """A wave the coordinator plans: their programme's (any for an admin)."""
    from app.programmes.models import Wave

    user = user or current_user
    wave = db.session.get(Wave, wave_id)
    if wave is None:
        not_found("No such wave.")
    if runs_programme(user, wave.programme_id):
        return wave
    forbid("not_yours", "This wave is not in your programme.")


def get_block(block_id: int, user=None):
    """A phone-bank block: staff of its programme, or a shopper of that programme."""
    from app.assignments.models import PhoneBlock

    user = user or current_user
    block = db.session.get(PhoneBlock, block_id)
    if block is None:
        not_found("No such phone-bank block.")
    if runs_programme(user, block.wave.programme_id):
        return block
    if user.has_role(Role.shopper) and block.wave.programme_id == user.programme_id:
        return block
    forbid("not_yours", "This phone-bank block is not in your programme.")
