"""Who may read and write an organisation's improvement plan: the one load-and-authorise helper per resource.

A partner manager reads and writes their own organisation's plan, for waves released to it; any other
organisation or wave is 404, whatever its id (SPEC §4). A coordinator reads every partner's plan in their
programme (403 ``not_yours`` for another programme's), an admin any; neither writes a partner's plan.
"""

from dataclasses import dataclass

from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found, runs_programme
from app.extensions import db
from app.plans.models import PlanAction
from app.programmes.models import Organisation, Programme, Wave
from app.releases.services import is_released, released_figures, released_waves


def is_partner(user) -> bool:
    return user.has_role(Role.partner_manager) and not user.has_role(Role.coordinator, Role.admin)


@dataclass
class PlanScope:
    """An organisation's plan for one wave, as one viewer may see it."""

    organisation: Organisation
    wave: Wave
    programme: Programme
    partner: bool  # seen by the partner itself: released figures only, and it may write

    def visible_wave_ids(self) -> set[int]:
        if self.partner:
            return {w.id for w in released_waves(self.organisation.id)}
        return {w.id for w in self.programme.waves}

    def released(self, wave: Wave) -> dict | None:
        return released_figures(wave.id, self.organisation.id)


def get_organisation_for_plans(organisation_id: int, user=None) -> Organisation:
    user = user or current_user
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        not_found("No such organisation.")
    if is_partner(user):
        if organisation.id != user.organisation_id:
            not_found("No such organisation.")
    elif not user.has_role(Role.admin):
        programme = db.session.get(Programme, user.programme_id) if user.programme_id else None
        if programme is None or programme.partnership_id != organisation.partnership_id:
            forbid("not_yours", "This organisation is not in your programme.")
    return organisation


def get_plan(organisation_id: int, wave_id: int, user=None, write: bool = False) -> PlanScope:
    """The plan of ``organisation_id`` for ``wave_id``: 404 unless both exist and ``user`` may see them; 403
    when a coordinator or admin asks to write (a plan is the partner's own)."""
    user = user or current_user
    organisation = get_organisation_for_plans(organisation_id, user)
    wave = db.session.get(Wave, wave_id)
    if wave is None or wave.programme.partnership_id != organisation.partnership_id:
        not_found("No such wave.")
    partner = is_partner(user)
    if partner:
        if not is_released(wave.id, organisation.id):
            not_found("No such wave.")
    elif not runs_programme(user, wave.programme_id):
        forbid("not_yours", "This wave is not in your programme.")
    if write and not partner:
        forbid("partners_write", "An improvement plan is written by the partner's own manager.")
    return PlanScope(organisation, wave, wave.programme, partner)


def get_action(action_id: int, user=None, write: bool = False) -> tuple[PlanAction, PlanScope]:
    action = db.session.get(PlanAction, action_id)
    if action is None:
        not_found("No such action.")
    return action, get_plan(action.organisation_id, action.wave_id, user, write)
