"""The coordinator's release pages: each wave's releases per organisation, the preview of exactly what a
partner will see (the partner's own pages, rendered from the figures as they are now), release to one
organisation or all at once, and withdrawal of a release made in error."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import roles_required
from app.extensions import db
from app.partner_results.views import View, render
from app.programmes.models import Organisation, Wave
from app.releases import services
from app.releases.access import get_partner, get_programme, get_release, get_wave
from app.releases.forms import CloseReviewForm, ReleaseForm, WithdrawForm
from app.releases.models import Release

bp = Blueprint("releases", __name__, url_prefix="/programmes/<id:programme_id>/releases")
coordinator_required = roles_required(Role.coordinator, Role.admin)


@bp.get("")
@coordinator_required
def index(programme_id):
    programme = get_programme(programme_id)
    waves = db.session.scalars(
        sa.select(Wave).filter_by(programme_id=programme.id).order_by(Wave.number)
    ).all()
    released = dict(
        db.session.execute(
            sa.select(Release.wave_id, sa.func.count(sa.distinct(Release.organisation_id)))
            .where(Release.programme_id == programme.id, Release.withdrawn_at.is_(None))
            .group_by(Release.wave_id)
        ).all()
    )
    return render_template("releases/index.html", programme=programme, waves=waves, released=released)


def _wave_page(wave, withdraw_form=None, withdrawing=None, status=200):
    programme = wave.programme
    organisations = db.session.scalars(
        sa.select(Organisation).filter_by(partnership_id=programme.partnership_id).order_by(Organisation.name)
    ).all()
    current = services.current_releases_of_wave(wave)
    approved = services.approved_counts(wave)
    partners = [
        {"organisation": o, "current": current.get(o.id), "approved": approved.get(o.id, 0)}
        for o in organisations
    ]
    history = db.session.scalars(
        sa.select(Release)
        .filter_by(wave_id=wave.id)
        .order_by(Release.id.desc())
        .options(*services.WITHOUT_FIGURES)
    ).all()
    return render_template(
        "releases/wave.html",
        programme=programme,
        wave=wave,
        partners=partners,
        history=history,
        awaiting=services.awaiting_review(wave),
        review_closed=wave.status in services.REVIEW_CLOSED,
        close_form=CloseReviewForm(),
        release_form=ReleaseForm(formdata=None),
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
        withdrawing=withdrawing,
    ), status


@bp.get("/waves/<id:wave_id>")
@coordinator_required
def wave(programme_id, wave_id):
    return _wave_page(get_wave(programme_id, wave_id))


@bp.post("/waves/<id:wave_id>/close")
@coordinator_required
def close_review(programme_id, wave_id):
    found = get_wave(programme_id, wave_id)
    if CloseReviewForm().validate_on_submit():
        waiting = services.awaiting_review(found)
        services.close_review(found, current_user)
        db.session.commit()
        flash(
            "The wave's review is closed: it may now be released."
            + (
                f" {waiting} report(s) still await review; they reach partners at the next release."
                if waiting
                else ""
            ),
            "success",
        )
    return redirect(url_for("releases.wave", programme_id=programme_id, wave_id=wave_id))


@bp.post("/waves/<id:wave_id>/release")
@coordinator_required
def release(programme_id, wave_id):
    found = get_wave(programme_id, wave_id)
    form = ReleaseForm()
    if not form.validate_on_submit():
        flash("The form had expired: try again.", "error")
        return redirect(url_for("releases.wave", programme_id=programme_id, wave_id=wave_id))
    try:
        if form.organisation_id.data:
            organisation = get_partner(found, form.organisation_id.data)
            figures = services.preview(found, organisation)
            if form.digest.data and form.digest.data != services.digest(figures):
                flash(
                    "The figures changed since your preview (a report was reviewed): check the preview again.",
                    "error",
                )
                return redirect(_preview_url(found, organisation))
            services.release(found, organisation, current_user, figures=figures)
            message = f"{found.name} released to {organisation.name}."
        else:
            made = services.release_all(found, current_user)
            message = f"{found.name} released to all {len(made)} partners."
    except services.ReleaseRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("releases.wave", programme_id=programme_id, wave_id=wave_id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("releases.wave", programme_id=programme_id, wave_id=wave_id))


@bp.route("/<id:release_id>/withdraw", methods=["GET", "POST"])
@coordinator_required
def withdraw(programme_id, release_id):
    made = get_release(programme_id, release_id)
    form = WithdrawForm()
    if request.method == "POST" and form.validate_on_submit():
        services.withdraw(made, current_user, form.reason.data.strip())
        db.session.commit()
        flash(f"The release of {made.wave.name} to {made.organisation.name} is withdrawn.", "success")
        return redirect(url_for("releases.wave", programme_id=programme_id, wave_id=made.wave_id))
    return _wave_page(made.wave, withdraw_form=form, withdrawing=made, status=422 if form.errors else 200)


def _preview_url(wave, organisation, which="overview", **args):
    return url_for(
        f"releases.preview_{which}",
        programme_id=wave.programme_id,
        wave_id=wave.id,
        organisation_id=organisation.id,
        **args,
    )


def preview_view(programme_id: int, wave_id: int, organisation_id: int) -> View:
    found = get_wave(programme_id, wave_id)
    organisation = get_partner(found, organisation_id)
    figures = services.preview(found, organisation)
    current = services.current_release(found.id, organisation.id)
    return View(
        programme=found.programme,
        organisation=organisation,
        figures=figures,
        report_ids=services.approved_ids_query(found, organisation),
        url=lambda which, **args: _preview_url(found, organisation, which, **args),
        heading=(
            f"This is exactly what {organisation.name} will see if you release {found.name} to it now."
            + (" It replaces the current release." if current else "")
        ),
        changes=services.changes_between(current.figures, figures) if current else [],
        preview=True,
    )


def _preview(which: str, **args):
    view_args = request.view_args
    view = preview_view(view_args["programme_id"], view_args["wave_id"], view_args["organisation_id"])
    view.actions = {
        "template": "releases/_release_from_preview.html",
        "form": ReleaseForm(
            formdata=None, organisation_id=view.organisation.id, digest=services.digest(view.figures)
        ),
        "action": url_for(
            "releases.release", programme_id=view.programme.id, wave_id=view.figures["wave"]["id"]
        ),
        "back": url_for("releases.wave", programme_id=view.programme.id, wave_id=view.figures["wave"]["id"]),
    }
    return render(view, which, **args)


_PREVIEW = "/waves/<id:wave_id>/organisations/<id:organisation_id>/preview"


@bp.get(_PREVIEW)
@coordinator_required
def preview_overview(programme_id, wave_id, organisation_id):
    return _preview("overview")


@bp.get(_PREVIEW + "/benchmark")
@coordinator_required
def preview_benchmark(programme_id, wave_id, organisation_id):
    return _preview("benchmark")


@bp.get(_PREVIEW + "/log")
@coordinator_required
def preview_log(programme_id, wave_id, organisation_id):
    return _preview("log", page=request.args.get("page", default=1, type=int))


@bp.get(_PREVIEW + "/log/<id:report_id>")
@coordinator_required
def preview_report(programme_id, wave_id, organisation_id, report_id):
    return _preview("report", report_id=report_id)


@bp.get(_PREVIEW + "/method")
@coordinator_required
def preview_method(programme_id, wave_id, organisation_id):
    return _preview("method")
