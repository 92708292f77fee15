"""The partner manager's results: their organisation's released waves, each as overview, benchmark, log
(and each report in it) and method, rendered from the release by ``app.partner_results.views``."""

from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request, url_for

from app.accounts.models import Role
from app.accounts.permissions import roles_required
from app.partner_results.access import get_partner_wave, partner_organisation
from app.partner_results.views import View, render
from app.releases import services as releases

bp = Blueprint("partner_results", __name__, url_prefix="/results")
partner_required = roles_required(Role.partner_manager)


@bp.get("")
@partner_required
def index():
    organisation = partner_organisation()
    return render_template(
        "partner_results/index.html",
        organisation=organisation,
        releases=releases.current_releases(organisation.id),
    )


def partner_view(wave_id: int) -> View:
    seen = get_partner_wave(wave_id)
    release = seen.release
    return View(
        programme=seen.programme,
        organisation=seen.organisation,
        figures=seen.figures,
        report_ids=seen.report_ids(),
        url=lambda which, **args: url_for(f"partner_results.{which}", wave_id=wave_id, **args),
        heading=f"Released on {release.released_at.astimezone(ZoneInfo(seen.programme.timezone)):%-d %B %Y}.",
        changes=release.changes,
        released_at=release.released_at,
    )


@bp.get("/waves/<id:wave_id>")
@partner_required
def overview(wave_id):
    return render(partner_view(wave_id), "overview")


@bp.get("/waves/<id:wave_id>/benchmark")
@partner_required
def benchmark(wave_id):
    return render(partner_view(wave_id), "benchmark")


@bp.get("/waves/<id:wave_id>/log")
@partner_required
def log(wave_id):
    return render(partner_view(wave_id), "log", page=request.args.get("page", default=1, type=int))


@bp.get("/waves/<id:wave_id>/log/<id:report_id>")
@partner_required
def report(wave_id, report_id):
    return render(partner_view(wave_id), "report", report_id=report_id)


@bp.get("/waves/<id:wave_id>/method")
@partner_required
def method(wave_id):
    return render(partner_view(wave_id), "method")
