"""Load-and-authorise for organisations, programmes and their set-up objects."""

from flask import abort
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found, runs_programme
from app.extensions import db
from app.programmes.models import Organisation, Programme


def get_organisation(organisation_id: int, user=None) -> Organisation:
    """Staff see every organisation of their programme's partnership; a partner manager only their own."""
    user = user or current_user
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        not_found("No such organisation.")
    if user.has_role(Role.admin):
        return organisation
    if (
        user.has_role(Role.coordinator)
        and user.programme
        and (user.programme.partnership_id == organisation.partnership_id)
    ):
        return organisation
    if user.has_role(Role.partner_manager) and user.organisation_id == organisation.id:
        return organisation
    forbid("not_yours", "This organisation's detail is not yours to see.")


def get_programme(programme_id: int, user=None) -> Programme:
    """A programme the user may set up: an admin any; a coordinator only their own (403 otherwise)."""
    user = user or current_user
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        not_found("No such programme.")
    if runs_programme(user, programme.id):
        return programme
    forbid("not_yours", "This programme is not yours to set up.")


def get_in_programme(model, item_id: int, programme: Programme, belongs):
    """One set-up object of ``programme`` (``belongs(item, programme)``); 404 otherwise, so ids reveal nothing."""
    item = db.session.get(model, item_id)
    if item is None or not belongs(item, programme):
        abort(404)
    return item
