"""Pages: a coordinator's programmes (switch, archive, restore) and a new programme."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.permissions import staff_required
from app.errors_domain import DomainError
from app.extensions import db
from app.labels import label
from app.programmes import bp, lifecycle
from app.programmes.access import get_coordinated_programme
from app.programmes.forms import NewProgrammeForm, ProgrammeActionForm
from app.programmes.models import Partnership, Programme
from app.programmes.services import FieldInvalid


@bp.get("/programmes")
@staff_required
def programmes():
    mine = lifecycle.coordinated(current_user)
    return render_template(
        "programmes/programmes.html",
        active=[p for p in mine if p.archived_at is None],
        archived=[p for p in mine if p.archived_at is not None],
        form=ProgrammeActionForm(),
        unfinished={p.id: lifecycle.unfinished_waves(p) for p in mine},
    )


def _source_label(programme: Programme) -> str:
    unfinished = lifecycle.unfinished_waves(programme)
    if not unfinished:
        return f"A copy of {programme.name}"
    return f"A copy of {programme.name} (still running: {', '.join(label(w.status).lower() for w in unfinished)})"


@bp.route("/programmes/new", methods=["GET", "POST"])
@staff_required
def new_programme():
    mine = lifecycle.coordinated(current_user)
    partnerships = lifecycle.partnerships_of(current_user)
    form = NewProgrammeForm()
    form.source_id.choices = [(0, "Nothing: a new, empty programme")] + [
        (p.id, _source_label(p)) for p in mine
    ]
    form.partnership_id.choices = [(0, "A new partnership")] + [
        (p.id, f"{p.name} (the partnership of an existing programme)") for p in partnerships
    ]
    if form.validate_on_submit():
        sources = {p.id: p for p in mine}
        values = lifecycle.NewProgramme(
            name=form.name.data,
            country=form.country.data,
            timezone=form.timezone.data,
            wave_name=form.wave_name.data,
            wave_starts_on=form.wave_starts_on.data,
            wave_ends_on=form.wave_ends_on.data,
            partnership=db.session.get(Partnership, form.partnership_id.data)
            if form.partnership_id.data
            else None,
            new_partnership_name=form.new_partnership_name.data,
            source=sources.get(form.source_id.data),
        )
        try:
            programme = lifecycle.create(values, current_user)
        except FieldInvalid as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            what = f"copied from {values.source.name}" if values.source else "created"
            flash(f"Programme “{programme.name}” {what}, with {form.wave_name.data}.", "success")
            return redirect(url_for("programmes.overview", programme_id=programme.id))
    return render_template("programmes/new.html", form=form), 422 if form.errors else 200


def _action(programme_id, act, done: str):
    programme = get_coordinated_programme(programme_id)
    if ProgrammeActionForm().validate_on_submit():
        try:
            act(programme, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(done.format(name=programme.name), "success")
    return redirect(url_for("programmes.programmes"))


@bp.post("/programmes/<id:programme_id>/switch")
@staff_required
def switch_programme(programme_id):
    programme = get_coordinated_programme(programme_id)
    if ProgrammeActionForm().validate_on_submit():
        lifecycle.switch(current_user, programme)
        db.session.commit()
        flash(f"You are now working in “{programme.name}”.", "success")
    return redirect(url_for("programmes.coordinator_home"))


@bp.post("/programmes/<id:programme_id>/archive")
@staff_required
def archive_programme(programme_id):
    return _action(
        programme_id, lifecycle.archive, "“{name}” archived. Its results stay; restore it to change it."
    )


@bp.post("/programmes/<id:programme_id>/restore")
@staff_required
def restore_programme(programme_id):
    return _action(programme_id, lifecycle.restore, "“{name}” restored.")
