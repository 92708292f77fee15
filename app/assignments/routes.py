"""Pages: the shopper's briefs (server-rendered; the offline app uses the API)."""
from flask import Blueprint, render_template
from flask_login import current_user

from app.accounts.permissions import gate_required, shopper_required
from app.assignments.access import get_assignment
from app.assignments.services import briefs_for

bp = Blueprint("assignments", __name__)


@bp.get("/briefs")
@shopper_required
@gate_required
def briefs():
    return render_template("assignments/briefs.html", briefs=briefs_for(current_user))


@bp.get("/briefs/<id:assignment_id>")
@shopper_required
@gate_required
def brief(assignment_id):
    return render_template("assignments/brief.html", brief=get_assignment(assignment_id))
