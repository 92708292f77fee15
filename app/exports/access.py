"""Who may export what: the one load-and-authorise helper of the exports.

A coordinator exports their own programme, an admin any; a partner manager only their own organisation's
reports as released to it (``app.releases``): another organisation is ``not_yours``, a wave not released
to them (or nothing released yet) ``not_released``.
"""

from dataclasses import dataclass

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found
from app.extensions import db
from app.programmes.models import Organisation, Programme, Wave
from app.releases import services as releases


@dataclass(frozen=True)
class ExportScope:
    """What an export holds: a programme's reports (every programme's for ``None``), perhaps narrowed."""

    programme_id: int | None
    wave_id: int | None = None
    organisation_id: int | None = None
    # A partner's export: only the reports in this organisation's current releases, free text guarded.
    released_to: int | None = None

    def filename(self, table: str, extension: str) -> str:
        parts = [table]
        if self.wave_id:
            parts.append(f"wave-{self.wave_id}")
        if self.organisation_id:
            parts.append(f"organisation-{self.organisation_id}")
        return "-".join(parts) + "." + extension


def export_scope(user, wave_id: int | None, organisation_id: int | None) -> ExportScope:
    wave = _get(Wave, wave_id, "No such wave.")
    organisation = _get(Organisation, organisation_id, "No such organisation.")
    if user.has_role(Role.partner_manager) and not user.has_role(Role.coordinator, Role.admin):
        if user.organisation_id is None or (
            organisation is not None and organisation.id != user.organisation_id
        ):
            forbid("not_yours", "You may export your own organisation only.")
        if wave is not None and not releases.is_released(wave.id, user.organisation_id):
            forbid("not_released", "This wave's results have not been released to your organisation.")
        if wave is None and not releases.released_waves(user.organisation_id):
            forbid("not_released", "No results have been released to your organisation yet.")
        return ExportScope(None, wave_id, user.organisation_id, released_to=user.organisation_id)
    if user.has_role(Role.admin):
        programme_id = wave.programme_id if wave else None
    elif user.has_role(Role.coordinator) and user.programme_id is not None:
        programme_id = user.programme_id
        if wave is not None and wave.programme_id != programme_id:
            forbid("not_yours", "This wave is not in your programme.")
    else:
        forbid()
    if organisation is not None and programme_id is not None:
        programme = db.session.get(Programme, programme_id)
        if organisation.partnership_id != programme.partnership_id:
            forbid("not_yours", "This organisation is not in the programme.")
    return ExportScope(programme_id, wave_id, organisation_id)


def _get(model, object_id, detail):
    if object_id is None:
        return None
    found = db.session.get(model, object_id)
    if found is None:
        not_found(detail)
    return found
