"""Load-and-authorise for organisations, programmes and their set-up objects."""

from flask import abort, request
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found, runs_programme
from app.extensions import db
from app.programmes.models import Organisation, Programme, ProgrammeCoordinator


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
    if not runs_programme(user, programme.id):
        forbid("not_yours", "This programme is not yours to set up.")
    if programme.archived_at is not None and request.method not in ("GET", "HEAD"):
        abort(409, f"“{programme.name}” is archived, so its set-up cannot change: restore it first.")
    return programme


def get_coordinated_programme(programme_id: int, user=None) -> Programme:
    """A programme the user is part of (to switch to, archive or restore): an admin any; a coordinator one
    of theirs, current or not."""
    user = user or current_user
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        not_found("No such programme.")
    if not may_work_in(user, programme):
        forbid("not_yours", "This programme is not one of yours.")
    return programme


def get_in_programme(model, item_id: int, programme: Programme, belongs):
    """One set-up object of ``programme`` (``belongs(item, programme)``); 404 otherwise, so ids reveal nothing."""
    item = db.session.get(model, item_id)
    if item is None or not belongs(item, programme):
        abort(404)
    return item


def may_work_in(user, programme: Programme) -> bool:
    """An admin any programme; a coordinator their current one and those they are part of."""
    if user.has_role(Role.admin):
        return True
    if not user.has_role(Role.coordinator):
        return False
    if user.programme_id == programme.id:
        return True
    return (
        db.session.get(ProgrammeCoordinator, {"programme_id": programme.id, "user_id": user.id}) is not None
    )
