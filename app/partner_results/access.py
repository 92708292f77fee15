"""Load-and-authorise for the partner's results: one helper, so every page refuses in the same way.

A partner manager sees their own organisation's released waves. Any other wave — unreleased, withdrawn,
another programme's, or no such wave — is 404 whatever its id (SPEC §4), so an id reveals nothing.
"""

from dataclasses import dataclass

from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found
from app.extensions import db
from app.programmes.models import Organisation, Programme, Wave
from app.releases import services as releases
from app.releases.models import Release


@dataclass
class PartnerWave:
    release: Release
    wave: Wave
    organisation: Organisation
    programme: Programme

    @property
    def figures(self) -> dict:
        return self.release.figures

    def report_ids(self):
        return releases.released_report_ids(self.organisation.id, self.wave.id)


def partner_organisation(user=None) -> Organisation:
    """The partner manager's own organisation (403 for anyone else, or a manager without one)."""
    user = user or current_user
    if not user.has_role(Role.partner_manager) or user.organisation_id is None:
        forbid("not_a_partner", "These pages are for partner managers.")
    return db.session.get(Organisation, user.organisation_id)


def get_partner_wave(wave_id: int, user=None) -> PartnerWave:
    organisation = partner_organisation(user)
    release = releases.current_release(wave_id, organisation.id)
    if release is None:
        not_found("No results of this wave have been released to your organisation.")
    return PartnerWave(release, release.wave, organisation, release.wave.programme)
