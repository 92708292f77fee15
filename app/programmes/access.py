"""Load-and-authorise for organisations."""
from flask import abort
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid
from app.api.problems import ApiProblem, wants_problem
from app.extensions import db
from app.programmes.models import Organisation


def get_organisation(organisation_id: int, user=None) -> Organisation:
    """Staff see every organisation of their programme's partnership; a partner manager only their own."""
    user = user or current_user
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        if wants_problem():
            raise ApiProblem(404, "not_found", "No such organisation.")
        abort(404)
    if user.has_role(Role.admin):
        return organisation
    if user.has_role(Role.coordinator) and user.programme and (
        user.programme.partnership_id == organisation.partnership_id
    ):
        return organisation
    if user.has_role(Role.partner_manager) and user.organisation_id == organisation.id:
        return organisation
    forbid("not_yours", "This organisation's detail is not yours to see.")
