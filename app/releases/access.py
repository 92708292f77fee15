"""Load-and-authorise for the coordinator's release pages: the programme's coordinator or an admin; a wave,
organisation or release of another programme is 404 whatever its id."""

from flask_login import current_user

from app.accounts.permissions import forbid, not_found, runs_programme
from app.extensions import db
from app.programmes.models import Organisation, Programme, Wave
from app.releases.models import Release


def get_programme(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        not_found("No such programme.")
    if not runs_programme(current_user, programme.id):
        forbid("not_yours", "Only the programme's coordinator releases its results.")
    return programme


def get_wave(programme_id: int, wave_id: int) -> Wave:
    programme = get_programme(programme_id)
    wave = db.session.get(Wave, wave_id)
    if wave is None or wave.programme_id != programme.id:
        not_found("No such wave in this programme.")
    return wave


def get_partner(wave: Wave, organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.partnership_id != wave.programme.partnership_id:
        not_found("No such partner in this programme.")
    return organisation


def get_release(programme_id: int, release_id: int) -> Release:
    programme = get_programme(programme_id)
    made = db.session.get(Release, release_id)
    if made is None or made.programme_id != programme.id:
        not_found("No such release in this programme.")
    return made
