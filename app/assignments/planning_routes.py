"""Pages of the coordinator's planning: waves, the coverage grid, automatic and manual assignment, bulk actions."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts.models import Role, User
from app.accounts.permissions import staff_required
from app.assignments import bp, listing, manual, planning
from app.assignments.access import get_assignment, get_wave
from app.assignments.forms import (
    AssignmentFilterForm,
    AutoAssignForm,
    BulkForm,
    ManualAssignmentForm,
    ReassignForm,
    on_programme_clock,
    plan_form_class,
    target_field_name,
)
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.models import ContactPoint, Organisation, Scenario, Wave
from app.questionnaires.models import Questionnaire, QuestionnaireVersion


@bp.get("/coordinator/planning")
@staff_required
def waves():
    query = sa.select(Wave).order_by(Wave.programme_id, Wave.number)
    if not current_user.has_role(Role.admin):
        query = query.where(Wave.programme_id == current_user.programme_id)
    return render_template("assignments/waves.html", waves=db.session.scalars(query).all())


@bp.route("/coordinator/waves/<id:wave_id>/plan", methods=["GET", "POST"])
@staff_required
def plan(wave_id):
    wave = get_wave(wave_id)
    cells = planning.grid_for(wave)
    form = plan_form_class(cells)(max_per_shopper=planning.settings_for(wave).max_per_shopper)
    if form.validate_on_submit():
        targets = {
            (c.organisation.id, c.service_area.id, c.channel): form[target_field_name(c)].data for c in cells
        }
        planning.set_targets(wave, targets, form.max_per_shopper.data, current_user)
        db.session.commit()
        flash("The plan is saved.", "success")
        return redirect(url_for("assignments.plan", wave_id=wave.id))
    status = 422 if form.errors else 200
    return render_template(
        "assignments/plan.html",
        wave=wave,
        cells=cells,
        form=form,
        field_name=target_field_name,
        auto_form=AutoAssignForm(),
    ), status


@bp.post("/coordinator/waves/<id:wave_id>/auto-assign")
@staff_required
def auto_assign(wave_id):
    wave = get_wave(wave_id)
    if not AutoAssignForm().validate_on_submit():
        abort(400)
    try:
        result = planning.auto_assign(wave, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("assignments.plan", wave_id=wave.id))
    db.session.commit()
    flash(f"{len(result.planned)} assignment(s) offered.", "success")
    for unfilled in result.unfilled:
        flash(f"{unfilled.label}: {unfilled.missing} not filled — {unfilled.why}.", "warning")
    return redirect(url_for("assignments.assignments", wave_id=wave.id))


def _shopper_choices(wave, blank: str):
    return [SelectChoice(0, blank)] + [
        SelectChoice(user_id, name) for user_id, name in planning.shopper_names(wave.programme_id)
    ]


def _filter_form(wave) -> AssignmentFilterForm:
    """The page's filter from the query string (the bulk form posts to a URL that carries it too)."""
    form = AssignmentFilterForm(request.args)
    form.organisation_id.choices = [SelectChoice(0, "Any organisation")] + [
        SelectChoice(o.id, o.name)
        for o in db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.partnership_id == wave.programme.partnership_id)
            .order_by(Organisation.name)
        )
    ]
    return form


@bp.get("/coordinator/waves/<id:wave_id>/assignments")
@staff_required
def assignments(wave_id):
    wave = get_wave(wave_id)
    return _assignments_page(wave, BulkForm())


def _assignments_page(wave, form, status=200, filter_form=None):
    filter_form = filter_form or _filter_form(wave)
    rows = None
    if filter_form.validate():
        rows = listing.page_of(wave, filter_form.filters(), filter_form.page.data or 1)
        form.matching.data = rows.total  # what "every assignment that matches" means when it is sent
    else:
        status = 422
    form.shopper_id.choices = _shopper_choices(wave, "Next suitable shopper")
    to_reassign, reassignable = listing.to_reassign(wave)
    return render_template(
        "assignments/assignments.html",
        wave=wave,
        rows=rows,
        form=form,
        filter_form=filter_form,
        filter_args=filter_form.args() if rows else {},
        to_reassign=to_reassign,
        reassignable=reassignable,
        reassign_form=ReassignForm(),
    ), status


@bp.post("/coordinator/waves/<id:wave_id>/assignments/bulk")
@staff_required
def bulk(wave_id):
    wave = get_wave(wave_id)
    form = BulkForm()
    form.shopper_id.choices = _shopper_choices(wave, "Next suitable shopper")
    filter_form = _filter_form(wave)
    if not filter_form.validate() or not form.validate_on_submit():
        return _assignments_page(wave, form, 422, filter_form)
    if form.scope.data == "matching":
        chosen = listing.all_matching(wave, filter_form.filters())
        if form.matching.data is not None and len(chosen) != form.matching.data:
            form.scope.errors = [
                f"{len(chosen):,} assignments match the filter now, not {form.matching.data:,}: "
                "check the list and apply again. Nothing was changed."
            ]
            return _assignments_page(wave, form, 422, filter_form)
    else:
        chosen = listing.chosen(wave, form.assignment_ids.data)
        if len(chosen) != len(set(form.assignment_ids.data)):
            form.assignment_ids.errors = [
                "Some of those assignments are not in this wave. Nothing was changed."
            ]
            return _assignments_page(wave, form, 422, filter_form)
    try:
        if form.action.data == "cancel":
            done = manual.cancel(chosen, current_user)
        else:
            to = db.session.get(User, form.shopper_id.data) if form.shopper_id.data else None
            done = len([manual.reassign(a, current_user, to) for a in chosen])
    except DomainError as error:
        db.session.rollback()
        form.assignment_ids.errors = [
            error.message + " Nothing was changed." if "Nothing" not in error.message else error.message
        ]
        return _assignments_page(wave, form, 422, filter_form)
    db.session.commit()
    flash(
        f"{done:,} assignment(s) {'cancelled' if form.action.data == 'cancel' else 'reassigned'}.", "success"
    )
    return redirect(url_for("assignments.assignments", wave_id=wave.id, **filter_form.args()))


@bp.post("/coordinator/assignments/<id:assignment_id>/reassign")
@staff_required
def reassign(assignment_id):
    assignment = get_assignment(assignment_id)
    if not ReassignForm().validate_on_submit():
        abort(400)
    try:
        new = manual.reassign(assignment, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            f"#{assignment.id} reassigned to {new.shopper.display_name} as #{new.id}: {new.explanation}",
            "success",
        )
    return redirect(url_for("assignments.assignments", wave_id=assignment.wave_id))


def _manual_choices(form, wave):
    programme = wave.programme
    form.shopper_id.choices = _shopper_choices(wave, "Choose a shopper")
    form.contact_point_id.choices = [SelectChoice(0, "Choose a contact point")] + [
        SelectChoice(p.id, f"{p.organisation.short_name} — {p.name} ({p.channel.value.replace('_', ' ')})")
        for p in db.session.scalars(
            sa.select(ContactPoint)
            .join(Organisation)
            .where(Organisation.partnership_id == programme.partnership_id, ContactPoint.active)
            .order_by(Organisation.name, ContactPoint.name)
        )
    ]
    form.scenario_id.choices = [SelectChoice(0, "Choose a scenario")] + [
        SelectChoice(s.id, f"{s.title} ({s.service_area.name})")
        for s in db.session.scalars(
            sa.select(Scenario).where(Scenario.programme_id == programme.id).order_by(Scenario.title)
        )
    ]
    form.questionnaire_version_id.choices = [SelectChoice(0, "Choose a questionnaire version")] + [
        SelectChoice(
            v.id, f"{v.questionnaire.title} v{v.number} ({v.questionnaire.channel.value.replace('_', ' ')})"
        )
        for v in db.session.scalars(
            sa.select(QuestionnaireVersion)
            .join(Questionnaire)
            .where(Questionnaire.programme_id == programme.id)
            .order_by(Questionnaire.title, QuestionnaireVersion.number)
        )
    ]


@bp.route("/coordinator/waves/<id:wave_id>/assignments/new", methods=["GET", "POST"])
@staff_required
def new_assignment(wave_id):
    wave = get_wave(wave_id)
    form = on_programme_clock(ManualAssignmentForm(), wave.programme)
    _manual_choices(form, wave)
    if form.validate_on_submit():
        data = manual.ManualAssignment(
            db.session.get(User, form.shopper_id.data),
            db.session.get(ContactPoint, form.contact_point_id.data),
            db.session.get(Scenario, form.scenario_id.data),
            db.session.get(QuestionnaireVersion, form.questionnaire_version_id.data),
            form.window_starts_at.utc,
            form.window_ends_at.utc,
        )
        try:
            assignment = manual.assign(wave, data, current_user)
        except DomainError as error:
            db.session.rollback()
            field = form[manual.FIELD_FOR_CODE.get(error.code, "shopper_id")]
            field.errors = [*field.errors, error.message]
        else:
            db.session.commit()
            flash(f"Assignment #{assignment.id} offered to {data.shopper.display_name}.", "success")
            return redirect(url_for("assignments.assignments", wave_id=wave.id))
    status = 422 if form.errors else 200
    return render_template("assignments/new.html", wave=wave, form=form), status
