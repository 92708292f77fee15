"""Pages: a programme's questionnaires, new ones (blank, from a template, imported), export, preview, new version.

The builder's own pages (sections and questions) are in ``builder_routes``. Views load and authorise
with ``get_programme`` / ``get_version_to_build``, let a service work, and commit once; a refused
change is rolled back whole.
"""

import json
import re

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.permissions import staff_required
from app.errors_domain import DomainError
from app.extensions import db
from app.labels import label
from app.programmes.access import get_programme
from app.programmes.forms import choices
from app.programmes.models import Channel
from app.questionnaires import bp, exchange, services
from app.questionnaires.access import get_version_to_build
from app.questionnaires.forms import (
    MAX_IMPORT_BYTES,
    TYPE_LABELS,
    ButtonForm,
    FromTemplateForm,
    ImportForm,
    NewQuestionnaireForm,
)
from app.questionnaires.models import Questionnaire
from app.questionnaires.ready_templates import ready_templates


@bp.app_context_processor
def _setup_menu():
    from app.programmes.setup_kinds import KINDS

    return {"setup_kinds": KINDS}


def refused(error: DomainError, version=None):
    """A change the rules refuse (a frozen version: 409), explained on a page; nothing was changed."""
    db.session.rollback()
    return render_template("questionnaires/refused.html", error=error, version=version), error.status


def _template_form():
    form = FromTemplateForm()
    form.template.choices = choices(
        (name, f"{content['title']} ({label(content['channel']).lower()})")
        for name, content in ready_templates().items()
    )
    return form


def _index(programme, status=200, **forms):
    questionnaires = db.session.scalars(
        sa.select(Questionnaire)
        .filter_by(programme_id=programme.id)
        .order_by(Questionnaire.channel, Questionnaire.title)
    ).all()
    forms.setdefault("new_form", NewQuestionnaireForm(formdata=None))
    forms.setdefault("template_form", _template_form())
    forms.setdefault("import_form", ImportForm(formdata=None))
    forms.setdefault("import_reasons", [])
    return render_template(
        "questionnaires/index.html", programme=programme, questionnaires=questionnaires, **forms
    ), status


@bp.get("/programmes/<id:programme_id>/questionnaires")
@staff_required
def index(programme_id):
    return _index(get_programme(programme_id))


@bp.post("/programmes/<id:programme_id>/questionnaires/new")
@staff_required
def create(programme_id):
    programme = get_programme(programme_id)
    form = NewQuestionnaireForm()
    if not form.validate_on_submit():
        return _index(programme, 422, new_form=form)
    version = services.create_questionnaire(
        programme, form.title.data, Channel(form.channel.data), current_user
    )
    db.session.commit()
    flash("Questionnaire created. Add its questions.", "success")
    return redirect(url_for("questionnaire_pages.builder", version_id=version.id))


@bp.post("/programmes/<id:programme_id>/questionnaires/from-template")
@staff_required
def from_template(programme_id):
    programme = get_programme(programme_id)
    form = _template_form()
    if not form.validate_on_submit():
        return _index(programme, 422, template_form=form)
    content = ready_templates()[form.template.data]
    version, dropped = services.create_from_content(
        programme,
        content,
        current_user,
        unknown_standards="drop",
        action="questionnaire.created_from_template",
    )
    db.session.commit()
    flash(f"“{content['title']}” made from the template. Change it as you need before it is used.", "success")
    if dropped:
        flash(
            f"The programme has no standard {', '.join(dropped)}; those questions have no standard.", "info"
        )
    return redirect(url_for("questionnaire_pages.builder", version_id=version.id))


@bp.post("/programmes/<id:programme_id>/questionnaires/import")
@staff_required
def import_(programme_id):
    programme = get_programme(programme_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _index(programme, 422, import_form=form)
    raw = form.file.data.read(MAX_IMPORT_BYTES + 1)
    try:
        if len(raw) > MAX_IMPORT_BYTES:
            raise exchange.ImportRefused([f"The file is larger than {MAX_IMPORT_BYTES // 1024} KB."])
        version, _ = services.create_from_content(programme, exchange.parse(raw), current_user)
    except exchange.ImportRefused as error:
        reasons = error.reasons
    except DomainError as error:
        reasons = [error.message]
    else:
        db.session.commit()
        flash(f"“{version.questionnaire.title}” imported.", "success")
        return redirect(url_for("questionnaire_pages.builder", version_id=version.id))
    db.session.rollback()
    form.file.errors.append("The file was not imported: " + " ".join(reasons[:1]))
    return _index(programme, 422, import_form=form, import_reasons=reasons)


@bp.get("/questionnaire-versions/<id:version_id>/export")
@staff_required
def export(version_id):
    version = get_version_to_build(version_id)
    slug = re.sub(r"[^a-z0-9]+", "-", version.questionnaire.title.lower()).strip("-") or "questionnaire"
    body = json.dumps(exchange.export(version), indent=2, ensure_ascii=False) + "\n"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{slug}-v{version.number}.json"'},
    )


@bp.get("/questionnaire-versions/<id:version_id>/preview")
@staff_required
def preview(version_id):
    return render_template("questionnaires/preview.html", version=get_version_to_build(version_id))


@bp.post("/questionnaire-versions/<id:version_id>/new-version")
@staff_required
def new_version(version_id):
    version = get_version_to_build(version_id)
    if ButtonForm().validate_on_submit():
        copy = services.new_version_from(version, current_user)
        db.session.commit()
        flash(f"Version {copy.number} made from version {version.number}; change it here.", "success")
        return redirect(url_for("questionnaire_pages.builder", version_id=copy.id))
    return redirect(url_for("questionnaire_pages.builder", version_id=version.id))


@bp.app_template_filter("question_type")
def _question_type(value) -> str:
    return TYPE_LABELS.get(getattr(value, "value", value), str(value))


@bp.app_template_filter("preview_choices")
def _preview_choices(question) -> list[tuple]:
    """(value, label) of each answer the shopper picks from: yes/no, a scale's points, or the options."""
    if question.type.value == "yes_no":
        return [("yes", "Yes"), ("no", "No")]
    if question.type.value == "scale" and question.scale_min is not None and question.scale_max is not None:
        return [(n, n) for n in range(question.scale_min, question.scale_max + 1)]
    return [(o["value"], o["label"]) for o in question.options or []]
