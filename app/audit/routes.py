"""Pages: the audit trail for admins (every event) and coordinators (their programme's), and its CSV."""

from datetime import date

import sqlalchemy as sa
from flask import Response, abort, render_template, request, stream_with_context
from flask_login import current_user

from app.accounts.models import Role, User
from app.accounts.permissions import staff_required
from app.audit import bp, listing
from app.audit.forms import AuditFilterForm
from app.audit.services import record
from app.exports.writers import csv_chunks
from app.extensions import db


def _reader_scope() -> tuple[int | None, bool]:
    """(programme, everything) the signed-in user may read: an admin all, a coordinator their programme."""
    if current_user.has_role(Role.admin):
        return None, True
    if current_user.programme_id is None:
        abort(404, "You run no programme yet.")
    return current_user.programme_id, False


def _filters(form) -> listing.AuditFilters | None:
    """The filters of a valid form (None: show its field errors). A person is named by e-mail address."""
    if not form.validate():
        return None
    actor_id = form.actor.data
    if form.person.data:
        actor_id = db.session.scalar(sa.select(User.id).where(User.email == form.person.data.strip().lower()))
        if actor_id is None:
            form.person.errors = [*form.person.errors, "Nobody has this e-mail address."]
            return None
    object_type, object_id = form.object_parts()
    return listing.AuditFilters(
        actor_id=actor_id,
        kind=form.kind.data or None,
        action=form.action.data or None,
        object_type=object_type,
        object_id=object_id,
        since=form.since.data,
        until=form.until.data,
    )


@bp.get("/audit")
@staff_required
def entries():
    programme_id, everything = _reader_scope()
    form = AuditFilterForm(request.args)
    filters = _filters(form)
    before = request.args.get("before", type=int)
    after = request.args.get("after", type=int)
    page = (
        listing.page_of(programme_id, filters, everything, before=before, after=after)
        if filters is not None
        else listing.AuditPage([], None, None)
    )
    return render_template(
        "audit/entries.html",
        form=form,
        page=page,
        filter_args=filters.args() if filters else {},
        filtered=bool(filters and filters.args()),
        humanise_action=listing.humanise_action,
        humanise_object=listing.humanise_object,
        details=listing.details,
        actor_name=db.session.scalar(sa.select(User.display_name).where(User.id == filters.actor_id))
        if filters and filters.actor_id
        else None,
    ), (200 if filters is not None else 422)


@bp.get("/audit.csv")
@staff_required
def download():
    programme_id, everything = _reader_scope()
    form = AuditFilterForm(request.args)
    filters = _filters(form)
    if filters is None:
        abort(422, "; ".join(e for errors in form.errors.values() for e in errors))
    # Downloading the trail is itself an export: in the trail, before the first byte goes.
    record(
        "export.audit_downloaded",
        current_user._get_current_object(),
        actor=current_user,
        programme_id=programme_id,
        filters=filters.args(),
    )
    db.session.commit()
    rows = listing.csv_rows(listing.events_query(programme_id, filters, everything))
    return Response(
        stream_with_context(csv_chunks(listing.CSV_HEADER, rows)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="audit-{date.today().isoformat()}.csv"',
            "Cache-Control": "no-store",
        },
    )
