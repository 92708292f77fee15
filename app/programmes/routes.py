"""Pages: the coordinator's overview and an organisation's page."""

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.accounts.models import Role
from app.accounts.permissions import roles_required, staff_required
from app.assignments.models import Assignment
from app.extensions import db
from app.programmes import bp, lifecycle, today
from app.programmes.access import get_organisation
from app.programmes.forms import ProgrammeActionForm
from app.programmes.models import ContactPoint, Organisation, Programme, Wave
from app.programmes.timezones import local_time

FLAGGED_SHOWN = 20  # the newest; each wave's assignments page lists every flagged one
# Every page shows stored UTC times on the programme's clock: ``{{ when|local_time(programme) }}``.
bp.add_app_template_filter(local_time, "local_time")


@bp.get("/coordinator")
@staff_required
def coordinator_home():
    programme = current_user.programme
    flagged = None
    organisations, todos, progress = [], [], []
    if programme is not None:
        grids = {}  # each running wave's coverage grid, read once for both
        todos, progress = today.todos(programme, grids=grids), today.progress(programme, grids)
        flagged_query = (
            sa.select(Assignment)
            .join(Wave)
            .where(Wave.programme_id == programme.id, Assignment.flagged)
            .options(selectinload(Assignment.contact_point).selectinload(ContactPoint.organisation))
            .order_by(Assignment.state_changed_at.desc(), Assignment.id.desc())
        )
        flagged = db.paginate(flagged_query, page=1, per_page=FLAGGED_SHOWN, error_out=False)
        organisations = db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.partnership_id == programme.partnership_id)
            .order_by(Organisation.name)
        ).all()
    # An admin sets up any programme; a coordinator only their own.
    programmes = (
        db.session.scalars(sa.select(Programme).order_by(Programme.name)).all()
        if current_user.has_role(Role.admin)
        else []
    )
    return render_template(
        "programmes/coordinator_home.html",
        switch_to=[
            p
            for p in lifecycle.coordinated(current_user, include_archived=False)
            if p.id != current_user.programme_id
        ]
        if not current_user.has_role(Role.admin)
        else [],
        switch_form=ProgrammeActionForm(),
        programme=programme,
        flagged=flagged,
        todos=todos,
        progress=progress,
        organisations=organisations,
        programmes=programmes,
    )


@bp.get("/organisations/<id:organisation_id>")
@roles_required(Role.coordinator, Role.admin, Role.partner_manager)
def organisation(organisation_id):
    return render_template("programmes/organisation.html", organisation=get_organisation(organisation_id))
