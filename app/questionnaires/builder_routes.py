"""Pages: the builder of one version — its sections and questions.

Every POST on a frozen version answers 409 with the reason and changes nothing (the services lock
the version and check again, so this holds beside a first capture arriving at the same moment).
"""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import staff_required
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.forms import choices
from app.programmes.models import ServiceStandard
from app.questionnaires import bp, services
from app.questionnaires.access import get_version_to_build, part_of
from app.questionnaires.forms import (
    ButtonForm,
    MoveForm,
    QuestionForm,
    ScoringForm,
    SectionForm,
    format_options,
)
from app.questionnaires.models import CriticalScope, Question, Section
from app.questionnaires.routes import refused


def _builder_url(version, anchor=None):
    return url_for("questionnaire_pages.builder", version_id=version.id, _anchor=anchor)


def _render_builder(version, status=200, add_form=None, rename_forms=None, scoring_form=None):
    rename_forms = rename_forms or {}
    for section in version.sections:
        rename_forms.setdefault(
            section.id,
            SectionForm(formdata=None, prefix=f"section-{section.id}", data={"title": section.title}),
        )
    return render_template(
        "questionnaires/builder.html",
        version=version,
        add_form=add_form or SectionForm(formdata=None, prefix="new-section"),
        rename_forms=rename_forms,
        button_form=ButtonForm(),
        scoring_form=scoring_form or ScoringForm(formdata=None, critical_scope=version.critical_scope.value),
        used_by=_assignment_count(version),
    ), status


def _assignment_count(version) -> int:
    from app.assignments.models import Assignment

    return db.session.scalar(
        sa.select(sa.func.count(Assignment.id)).filter_by(questionnaire_version_id=version.id)
    )


@bp.get("/questionnaire-versions/<id:version_id>")
@staff_required
def builder(version_id):
    return _render_builder(get_version_to_build(version_id))


def _refuse_if_frozen(version):
    """The early answer for a frozen version (the services check again under a lock)."""
    return refused(services.VersionFrozen(version), version) if version.is_frozen else None


@bp.post("/questionnaire-versions/<id:version_id>/scoring")
@staff_required
def scoring(version_id):
    version = get_version_to_build(version_id)
    if (answer := _refuse_if_frozen(version)) is not None:
        return answer
    form = ScoringForm()
    if not form.validate_on_submit():
        return _render_builder(version, 422, scoring_form=form)
    try:
        services.set_critical_scope(version, CriticalScope(form.critical_scope.data), current_user)
    except DomainError as error:
        return refused(error, version)
    db.session.commit()
    flash("Scoring saved.", "success")
    return redirect(_builder_url(version))


@bp.post("/questionnaire-versions/<id:version_id>/sections")
@staff_required
def add_section(version_id):
    version = get_version_to_build(version_id)
    if (answer := _refuse_if_frozen(version)) is not None:
        return answer
    form = SectionForm(prefix="new-section")
    if not form.validate_on_submit():
        return _render_builder(version, 422, add_form=form)
    try:
        section = services.add_section(version, form.title.data, current_user)
    except DomainError as error:
        return refused(error, version)
    db.session.commit()
    flash(f"Section “{section.title}” added.", "success")
    return redirect(_builder_url(version, f"section-{section.id}"))


@bp.post("/questionnaire-versions/<id:version_id>/sections/<id:section_id>")
@staff_required
def rename_section(version_id, section_id):
    version = get_version_to_build(version_id)
    section = part_of(version, Section, section_id)
    if (answer := _refuse_if_frozen(version)) is not None:
        return answer
    form = SectionForm(prefix=f"section-{section.id}")
    if not form.validate_on_submit():
        return _render_builder(version, 422, rename_forms={section.id: form})
    try:
        services.rename_section(section, form.title.data, current_user)
    except DomainError as error:
        return refused(error, version)
    db.session.commit()
    flash("Section renamed.", "success")
    return redirect(_builder_url(version, f"section-{section.id}"))


def _move(version, item, mover):
    if (answer := _refuse_if_frozen(version)) is not None:
        return answer
    form = MoveForm()
    if form.validate_on_submit():
        try:
            moved = mover(item, form.direction.data, current_user)
        except DomainError as error:
            return refused(error, version)
        db.session.commit()
        if not moved:
            flash(f"It is already at the {'top' if form.direction.data == 'up' else 'bottom'}.", "info")
    return None


@bp.post("/questionnaire-versions/<id:version_id>/sections/<id:section_id>/move")
@staff_required
def move_section(version_id, section_id):
    version = get_version_to_build(version_id)
    section = part_of(version, Section, section_id)
    return _move(version, section, services.move_section) or redirect(
        _builder_url(version, f"section-{section_id}")
    )


@bp.post("/questionnaire-versions/<id:version_id>/sections/<id:section_id>/delete")
@staff_required
def delete_section(version_id, section_id):
    version = get_version_to_build(version_id)
    section = part_of(version, Section, section_id)
    if (answer := _refuse_if_frozen(version)) is not None:
        return answer
    if ButtonForm().validate_on_submit():
        try:
            services.delete_section(section, current_user)
        except services.VersionFrozen as error:
            return refused(error, version)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(_builder_url(version, f"section-{section_id}"))
        db.session.commit()
        flash("Section deleted.", "success")
    return redirect(_builder_url(version))


def _question_form(version, question=None):
    data = None
    if question is not None:
        data = {
            name: getattr(question, name)
            for name in (
                "key",
                "text",
                "help_text",
                "weight",
                "na_allowed",
                "critical",
                "required",
                "scale_min",
                "scale_max",
            )
        }
        data.update(
            type=question.type.value,
            section_id=question.section_id,
            standard_id=question.standard_id or 0,
            options=format_options(question.options),
        )
        welsh = (question.translations or {}).get("cy") or {}
        data.update(
            text_cy=welsh.get("text", ""),
            help_text_cy=welsh.get("help_text", ""),
            translations="\n".join(
                f"{value} | {label}" for value, label in (welsh.get("options") or {}).items()
            ),
        )
    elif request.args.get("section_id", "").isdigit():
        data = {"section_id": int(request.args["section_id"]), "required": True, "weight": 1.0}
    form = QuestionForm(data=data)
    form.section_id.choices = choices((s.id, s.title) for s in version.sections)
    standards = db.session.scalars(
        sa.select(ServiceStandard)
        .filter_by(programme_id=version.questionnaire.programme_id)
        .order_by(ServiceStandard.channel, ServiceStandard.code)
    ).all()
    form.standard_id.choices = choices([(0, "None")] + [(s.id, f"{s.name} ({s.code})") for s in standards])
    return form, {s.id: s for s in standards}


def _question_view(version_id, question_id=None):
    version = get_version_to_build(version_id)
    question = part_of(version, Question, question_id) if question_id else None
    if request.method == "POST" and (answer := _refuse_if_frozen(version)) is not None:
        return answer
    form, standards = _question_form(version, question)
    if form.validate_on_submit():
        section = part_of(version, Section, form.section_id.data)
        try:
            saved = services.save_question(
                version, question, section, form.values(), standards.get(form.standard_id.data), current_user
            )
        except services.FieldInvalid as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        except DomainError as error:
            return refused(error, version)
        else:
            db.session.commit()
            flash(f"Question “{saved.key}” saved.", "success")
            return redirect(_builder_url(version, f"question-{saved.id}"))
    return render_template(
        "questionnaires/question_form.html", version=version, question=question, form=form
    ), 422 if form.errors else 200


@bp.route("/questionnaire-versions/<id:version_id>/questions/new", methods=["GET", "POST"])
@staff_required
def new_question(version_id):
    return _question_view(version_id)


@bp.route("/questionnaire-versions/<id:version_id>/questions/<id:question_id>", methods=["GET", "POST"])
@staff_required
def edit_question(version_id, question_id):
    return _question_view(version_id, question_id)


@bp.post("/questionnaire-versions/<id:version_id>/questions/<id:question_id>/move")
@staff_required
def move_question(version_id, question_id):
    version = get_version_to_build(version_id)
    question = part_of(version, Question, question_id)
    return _move(version, question, services.move_question) or redirect(
        _builder_url(version, f"question-{question_id}")
    )


@bp.post("/questionnaire-versions/<id:version_id>/questions/<id:question_id>/delete")
@staff_required
def delete_question(version_id, question_id):
    version = get_version_to_build(version_id)
    question = part_of(version, Question, question_id)
    if (answer := _refuse_if_frozen(version)) is not None:
        return answer
    if ButtonForm().validate_on_submit():
        key = question.key
        try:
            services.delete_question(question, current_user)
        except DomainError as error:
            return refused(error, version)
        db.session.commit()
        flash(f"Question “{key}” deleted.", "success")
    return redirect(_builder_url(version))
