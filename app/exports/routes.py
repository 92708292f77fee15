"""The wave report pages: one organisation's report (printable page and PDF), for its partner manager once the
wave is released to it, and for the programme's coordinator; all partners as one pack, for the coordinator."""

import sqlalchemy as sa
from flask import Blueprint, Response
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, not_found, roles_required, runs_programme
from app.exports import report
from app.extensions import db
from app.plans.access import is_partner
from app.programmes.models import Organisation, Wave
from app.releases.services import is_released, released_waves
from app.results.models import ResultCell

bp = Blueprint("exports", __name__)
report_readers = roles_required(Role.partner_manager, Role.coordinator, Role.admin)


def get_report(wave_id: int, organisation_id: int | None, user=None):
    """(wave, organisations, partner?, visible wave ids) of a report ``user`` may read: a partner manager
    their own organisation's released waves (anything else 404), a coordinator their programme's (403
    ``not_yours`` for another's), the pack (``organisation_id`` None) coordinators and admins only."""
    user = user or current_user
    wave = db.session.get(Wave, wave_id)
    if wave is None:
        not_found("No such wave.")
    partner = is_partner(user)
    if partner:
        if organisation_id != user.organisation_id or not is_released(wave.id, organisation_id):
            not_found("No such report.")
        organisations = [db.session.get(Organisation, organisation_id)]
        visible = {w.id for w in released_waves(organisation_id)}
        return wave, organisations, True, visible
    if not runs_programme(user, wave.programme_id):
        forbid("not_yours", "This wave is not in your programme.")
    partnership_id = wave.programme.partnership_id
    if organisation_id is None:
        with_results = sa.select(ResultCell.organisation_id).where(ResultCell.wave_id == wave.id)
        organisations = list(
            db.session.scalars(
                sa.select(Organisation)
                .where(Organisation.partnership_id == partnership_id, Organisation.id.in_(with_results))
                .order_by(Organisation.name)
            )
        )
    else:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None or organisation.partnership_id != partnership_id:
            not_found("No such organisation in this programme.")
        organisations = [organisation]
    return wave, organisations, False, {w.id for w in wave.programme.waves}


def _page(wave_id, organisation_id, pdf):
    wave, organisations, partner, visible = get_report(wave_id, organisation_id)
    html = report.render(wave.programme, wave, organisations, partner, visible, pdf=pdf)
    if not pdf:
        return html
    name = f"wave-{wave.number}-report" + (f"-organisation-{organisation_id}" if organisation_id else "-all")
    return Response(
        report.pdf_bytes(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"', "Cache-Control": "no-store"},
    )


@bp.get("/waves/<id:wave_id>/report/<id:organisation_id>")
@report_readers
def wave_report(wave_id, organisation_id):
    return _page(wave_id, organisation_id, pdf=False)


@bp.get("/waves/<id:wave_id>/report/<id:organisation_id>.pdf")
@report_readers
def wave_report_pdf(wave_id, organisation_id):
    return _page(wave_id, organisation_id, pdf=True)


@bp.get("/waves/<id:wave_id>/report")
@roles_required(Role.coordinator, Role.admin)
def wave_pack(wave_id):
    return _page(wave_id, None, pdf=False)


@bp.get("/waves/<id:wave_id>/report.pdf")
@roles_required(Role.coordinator, Role.admin)
def wave_pack_pdf(wave_id):
    return _page(wave_id, None, pdf=True)
