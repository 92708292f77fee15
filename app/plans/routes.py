"""The improvement plan pages: a partner's plans per released wave, an action and its progress, responses to
findings, and the coordinator's progress dashboard. Each view loads and authorises with ``app.plans.access``
and commits once."""

from datetime import date

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts.models import Role
from app.accounts.permissions import roles_required
from app.extensions import db
from app.plans import bp, services
from app.plans.access import PlanScope, get_action, get_organisation_for_plans, get_plan, is_partner
from app.plans.forms import OWNER_ROLES, ActionForm, ProgressForm, ResponseForm
from app.plans.models import ActionStatus
from app.programmes.models import Programme, Wave
from app.releases.services import released_waves
from app.results import figures
from app.results.access import get_results_programme

plans_readers = roles_required(Role.partner_manager, Role.coordinator, Role.admin)


def _today() -> date:
    return date.today()


def _with_figures(scope: PlanScope, items) -> list[dict]:
    """Each action or response with its finding's label, its figure in the plan's wave and, once a later wave
    is out, the follow-up: the finding in that wave and the change with its interval. A partner sees the
    figures released to it; the coordinator the live ones."""
    names = figures.Names(scope.programme)
    later = services.next_wave(names, scope.wave, scope.visible_wave_ids())
    released_now = scope.released(scope.wave) if scope.partner else None
    released_later = scope.released(later) if scope.partner and later else None
    shown = []
    for item in items:
        finding = services.Finding.of(item)
        if scope.partner:
            rate = services.released_rate(released_now, finding)
            after = services.released_rate(released_later, finding) if later else None
        else:
            rate = services.finding_rate(scope.programme, scope.wave.id, scope.organisation.id, finding)
            after = (
                services.finding_rate(scope.programme, later.id, scope.organisation.id, finding)
                if later
                else None
            )
        shown.append(
            {
                "item": item,
                "label": services.label(names, finding),
                "rate": rate,
                "follow_up": services.follow_up(rate, after, later) if later else None,
                "progress": services.progress(item, _today()) if hasattr(item, "due_on") else None,
            }
        )
    return shown


def _finding_choices(scope: PlanScope) -> list[SelectChoice]:
    names = figures.Names(scope.programme)
    found = services.findings(scope.programme, names, scope.wave, scope.organisation.id)
    return [SelectChoice("", "Choose a finding")] + [
        SelectChoice(f["finding"].value, f["label"]) for f in found
    ]


def _plan_page(scope: PlanScope, action_form=None, response_form=None, status=200):
    actions = services.actions_of(scope.organisation.id, [scope.wave.id])
    responses = services.responses_of(scope.organisation.id, [scope.wave.id])
    if scope.partner:
        choices = _finding_choices(scope)
        action_form = action_form or ActionForm(formdata=None)
        response_form = response_form or ResponseForm(formdata=None)
        action_form.finding.choices = response_form.finding.choices = choices
    return render_template(
        "plans/plan.html",
        scope=scope,
        actions=_with_figures(scope, actions),
        responses=_with_figures(scope, responses),
        action_form=action_form,
        response_form=response_form,
        owner_roles=OWNER_ROLES,
        status_names=services.STATUS_NAMES,
        progress_names=services.PROGRESS_NAMES,
        kind_names=services.KIND_NAMES,
    ), status


@bp.get("/organisations/<id:organisation_id>/plans")
@plans_readers
def plans(organisation_id):
    organisation = get_organisation_for_plans(organisation_id)
    if is_partner(current_user):
        waves = released_waves(organisation.id)
    else:
        query = sa.select(Wave).join(Programme).where(Programme.partnership_id == organisation.partnership_id)
        if not current_user.has_role(Role.admin):
            query = query.where(Programme.id == current_user.programme_id)
        waves = list(db.session.scalars(query.order_by(Wave.programme_id, Wave.number)))
    wave_ids = [w.id for w in waves]
    actions = services.actions_of(organisation.id, wave_ids)
    today = _today()
    per_wave = {
        w.id: {"wave": w, "actions": [a for a in actions if a.wave_id == w.id]} for w in reversed(waves)
    }
    for entry in per_wave.values():
        entry["progress"] = {
            p: sum(1 for a in entry["actions"] if services.progress(a, today) == p)
            for p in services.PROGRESS_NAMES
        }
    return render_template(
        "plans/index.html",
        organisation=organisation,
        waves=list(per_wave.values()),
        progress_names=services.PROGRESS_NAMES,
    )


@bp.get("/organisations/<id:organisation_id>/waves/<id:wave_id>/plan")
@plans_readers
def plan(organisation_id, wave_id):
    return _plan_page(get_plan(organisation_id, wave_id))


@bp.post("/organisations/<id:organisation_id>/waves/<id:wave_id>/plan/actions")
@plans_readers
def add_action(organisation_id, wave_id):
    scope = get_plan(organisation_id, wave_id, write=True)
    form = ActionForm()
    form.finding.choices = _finding_choices(scope)
    if not form.validate():
        return _plan_page(scope, action_form=form, status=422)
    action = services.add_action(
        scope.wave,
        scope.organisation.id,
        services.Finding.parse(form.finding.data),
        current_user,
        action=form.action.data,
        owner_role=form.owner_role.data,
        due_on=form.due_on.data,
        status=ActionStatus(form.status.data),
    )
    db.session.commit()
    flash("Action added to the plan.", "success")
    return redirect(url_for("plans.action", action_id=action.id))


@bp.post("/organisations/<id:organisation_id>/waves/<id:wave_id>/plan/responses")
@plans_readers
def add_response(organisation_id, wave_id):
    scope = get_plan(organisation_id, wave_id, write=True)
    form = ResponseForm()
    form.finding.choices = _finding_choices(scope)
    if not form.validate():
        return _plan_page(scope, response_form=form, status=422)
    services.add_response(
        scope.wave,
        scope.organisation.id,
        services.Finding.parse(form.finding.data),
        form.text.data,
        current_user,
    )
    db.session.commit()
    flash("Your response is recorded; the coordinator sees it beside the finding.", "success")
    return redirect(url_for("plans.plan", organisation_id=scope.organisation.id, wave_id=scope.wave.id))


def _action_page(action, scope, form=None, status=200):
    if scope.partner and form is None:
        form = ProgressForm(formdata=None, status=action.status.value)
    [shown] = _with_figures(scope, [action])
    return render_template(
        "plans/action.html",
        scope=scope,
        shown=shown,
        action=action,
        form=form,
        status_names=services.STATUS_NAMES,
        progress_names=services.PROGRESS_NAMES,
    ), status


@bp.get("/plans/actions/<id:action_id>")
@plans_readers
def action(action_id):
    return _action_page(*get_action(action_id))


@bp.post("/plans/actions/<id:action_id>")
@plans_readers
def update_action(action_id):
    action, scope = get_action(action_id, write=True)
    form = ProgressForm()
    if not form.validate():
        return _action_page(action, scope, form, 422)
    services.update_action(action, current_user, status=ActionStatus(form.status.data))
    if form.note.data:
        services.add_note(action, form.note.data, _today(), current_user)
    db.session.commit()
    flash("Progress saved.", "success")
    return redirect(url_for("plans.action", action_id=action.id))


@bp.get("/programmes/<id:programme_id>/plans")
@roles_required(Role.coordinator, Role.admin)
def dashboard(programme_id):
    programme: Programme = get_results_programme(programme_id)
    names = figures.Names(programme)
    return render_template(
        "plans/dashboard.html",
        programme=programme,
        rows=services.dashboard(programme, names, _today()),
        progress_names=services.PROGRESS_NAMES,
    )
