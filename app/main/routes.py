from flask import Blueprint, current_app, redirect, render_template, send_from_directory, url_for
from flask_login import current_user

from app.accounts.models import Role

bp = Blueprint("main", __name__)

HOME_BY_ROLE = [
    (Role.coordinator, "programmes.coordinator_home"),
    (Role.admin, "programmes.coordinator_home"),
    (Role.shopper, "assignments.briefs"),
    (Role.applicant, "recruitment.application"),
    (Role.reviewer, "visits.queue"),
]


@bp.get("/")
def home():
    if current_user.is_authenticated:
        for role, endpoint in HOME_BY_ROLE:
            if current_user.has_role(role):
                return redirect(url_for(endpoint))
        if current_user.has_role(Role.partner_manager) and current_user.organisation_id:
            return redirect(url_for("partner_results.index"))
    return render_template("main/home.html")


@bp.get("/sw.js")
def service_worker():
    """Served from the root so its scope is the whole app; no-cache so that updates reach phones."""
    response = send_from_directory(current_app.static_folder, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    response = send_from_directory(
        current_app.static_folder, "manifest.webmanifest", mimetype="application/manifest+json", max_age=0
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
