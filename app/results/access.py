"""Who may see a programme's results: in this issue its coordinators and the admin (SPEC §4).

A partner manager will see their organisation's released waves (issue 18); until then, 403 like a shopper.
"""

from flask_login import current_user

from app.accounts.permissions import forbid, not_found, runs_programme
from app.extensions import db
from app.programmes.models import Organisation, Programme, Wave


def get_results_programme(programme_id: int | None, user=None) -> Programme:
    """The programme whose results ``user`` may see: 404 if there is none, 403 if not theirs."""
    user = user or current_user
    if programme_id is None:
        programme_id = user.programme_id
    if programme_id is None:
        forbid("programme_required", "Say which programme's results (programme=...).")
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        not_found("No such programme.")
    if not runs_programme(user, programme.id):
        forbid("not_yours", "These results are not yours to see.")
    return programme


def get_wave(programme: Programme, wave_id: int | None) -> Wave | None:
    """A wave of the programme, 404 for any other id (so ids reveal nothing); None if none was asked for."""
    if wave_id is None:
        return None
    wave = db.session.get(Wave, wave_id)
    if wave is None or wave.programme_id != programme.id:
        not_found("No such wave in this programme.")
    return wave


def check_organisation(programme: Programme, organisation_id: int | None) -> None:
    if organisation_id is None:
        return
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.partnership_id != programme.partnership_id:
        not_found("No such organisation in this programme.")
