"""Pages: setting up a programme (coordinator of the programme, or an admin).

Every kind in ``setup_kinds.KINDS`` gets the same four routes: list, add, change, delete. Each view
loads and authorises with ``get_programme`` / ``get_in_programme``, lets a service do the work, and
commits once; a refused change is rolled back whole and shown on the form (422).
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import ConfidentialityStatement
from app.accounts.permissions import staff_required
from app.audit.services import record
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes import bp, calendar, services
from app.programmes.access import get_in_programme, get_programme
from app.programmes.forms import DeleteForm, SettingsForm, StatementForm
from app.programmes.setup_kinds import KINDS

SETTINGS_FIELDS = (
    "name",
    "general_instructions",
    "min_sample",
    "phone_shops_per_hour",
    "exit_interviews_per_hour",
    "visits_per_hour",
    "give_up_minutes",
    "retention_days",
    "timezone",
    "country",
)
RACE_MESSAGE = (
    "Someone saved a clashing change at the same moment; nothing of yours was saved. Check and try again."
)


def _commit_or_error(form_field) -> bool:
    """Commit; on a unique-constraint race roll back and put the reason on ``form_field``."""
    try:
        db.session.commit()
        return True
    except sa.exc.IntegrityError:
        db.session.rollback()
        form_field.errors.append(RACE_MESSAGE)
        return False


@bp.get("/programmes/<id:programme_id>/setup")
@staff_required
def overview(programme_id):
    programme = get_programme(programme_id)
    counts = {kind.slug: kind.count(programme) for kind in KINDS}
    return render_template("programmes/setup_overview.html", programme=programme, kinds=KINDS, counts=counts)


def _list_view(kind):
    @staff_required
    def view(programme_id):
        programme = get_programme(programme_id)
        page = request.args.get("page", 1, type=int)
        if page < 1:
            abort(404, "There is no such page.")
        search = request.args.get("q", "")[:100]
        return render_template(
            "programmes/setup_list.html",
            programme=programme,
            kind=kind,
            items=kind.page(programme, search, page),
            search=search,
        )

    return view


def _form_view(kind, is_new: bool):
    @staff_required
    def view(programme_id, item_id=None):
        programme = get_programme(programme_id)
        item = None if is_new else get_in_programme(kind.model, item_id, programme, kind.belongs)
        form = kind.form(data=None if is_new else kind.form_data(item))
        kind.choices(form, programme)
        if form.validate_on_submit():
            try:
                saved = kind.save(programme, item, kind.values(form), current_user)
            except services.FieldInvalid as error:
                db.session.rollback()
                form[error.field].errors.append(error.message)
            else:
                first_field = form[kind.field_names[0]]
                if _commit_or_error(first_field):
                    flash(f"{kind.singular.capitalize()} “{kind.title_of(saved)}” saved.", "success")
                    return redirect(url_for(f"programmes.{kind.endpoint}_list", programme_id=programme.id))
        status = 422 if form.errors else 200
        return render_template(
            "programmes/setup_form.html",
            programme=programme,
            kind=kind,
            form=form,
            item=item,
            delete_form=DeleteForm(),
        ), status

    return view


def _delete_view(kind):
    @staff_required
    def view(programme_id, item_id):
        programme = get_programme(programme_id)
        item = get_in_programme(kind.model, item_id, programme, kind.belongs)
        title = kind.title_of(item)
        form = DeleteForm()
        if form.validate_on_submit():
            try:
                services.delete(item, current_user)
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                flash(f"“{title}” was not deleted. {error.message}", "error")
                return redirect(
                    url_for(f"programmes.{kind.endpoint}_edit", programme_id=programme.id, item_id=item_id)
                )
            except sa.exc.IntegrityError:
                db.session.rollback()
                flash(f"“{title}” was not deleted: other records still refer to it.", "error")
                return redirect(
                    url_for(f"programmes.{kind.endpoint}_edit", programme_id=programme.id, item_id=item_id)
                )
            flash(f"{kind.singular.capitalize()} “{title}” deleted.", "success")
        return redirect(url_for(f"programmes.{kind.endpoint}_list", programme_id=programme.id))

    return view


for _kind in KINDS:
    _base = f"/programmes/<id:programme_id>/{_kind.slug}"
    bp.add_url_rule(_base, f"{_kind.endpoint}_list", _list_view(_kind), methods=["GET"])
    bp.add_url_rule(f"{_base}/new", f"{_kind.endpoint}_new", _form_view(_kind, True), methods=["GET", "POST"])
    bp.add_url_rule(
        f"{_base}/<id:item_id>", f"{_kind.endpoint}_edit", _form_view(_kind, False), methods=["GET", "POST"]
    )
    bp.add_url_rule(
        f"{_base}/<id:item_id>/delete", f"{_kind.endpoint}_delete", _delete_view(_kind), methods=["POST"]
    )


@bp.route("/programmes/<id:programme_id>/settings", methods=["GET", "POST"])
@staff_required
def settings(programme_id):
    programme = get_programme(programme_id)
    form = SettingsForm(
        data={
            **{name: getattr(programme, name) for name in SETTINGS_FIELDS},
            "staff_policy": "commendations" if programme.commendations_allowed else "no_individuals",
            "partner_visibility": "named" if programme.partners_named else "anonymised",
            "reply_wait_working_days": programme.reply_wait_working_days,
            "bank_holidays": calendar.bank_holidays_text(programme.id),
        }
    )
    if form.validate_on_submit():
        values = {name: form[name].data for name in SETTINGS_FIELDS}
        values["commendations_allowed"] = form.staff_policy.data == "commendations"
        values["partners_named"] = form.partner_visibility.data == "named"
        if form.reply_wait_working_days.data is not None:  # left out: kept as it was
            values["reply_wait_working_days"] = form.reply_wait_working_days.data
        services.update_settings(programme, values, current_user)
        if calendar.replace_bank_holidays(
            programme.id, calendar.parse_bank_holidays(form.bank_holidays.data)
        ):
            record("programme.bank_holidays_changed", programme, actor=current_user)
        db.session.commit()
        flash("Programme settings saved.", "success")
        return redirect(url_for("programmes.settings", programme_id=programme.id))
    return render_template(
        "programmes/settings.html", programme=programme, form=form
    ), 422 if form.errors else 200


@bp.route("/programmes/<id:programme_id>/confidentiality", methods=["GET", "POST"])
@staff_required
def statements(programme_id):
    programme = get_programme(programme_id)
    versions = db.session.scalars(
        sa.select(ConfidentialityStatement)
        .filter_by(programme_id=programme.id)
        .order_by(ConfidentialityStatement.version.desc())
    ).all()
    form = StatementForm(data={"text": versions[0].text if versions else ""})
    if form.validate_on_submit():
        try:
            statement = services.publish_statement(programme, form.text.data, current_user)
        except services.FieldInvalid as error:
            db.session.rollback()
            form.text.errors.append(error.message)
        else:
            version = statement.version
            if _commit_or_error(form.text):
                flash(
                    f"Version {version} published. Every shopper must acknowledge it before seeing a brief.",
                    "success",
                )
                return redirect(url_for("programmes.statements", programme_id=programme.id))
    return render_template("programmes/statements.html", programme=programme, form=form, versions=versions), (
        422 if form.errors else 200
    )
