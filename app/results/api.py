"""``GET /api/v1/results``: the figures of the results pages, for the partners' own tools (SPEC §4)."""

from flask import jsonify
from flask.views import MethodView
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import roles_required
from app.api.blueprint import Blueprint
from app.api.problems import PROBLEM_MEDIA_TYPE
from app.api.spec import ProblemSchema
from app.partner_results.api import partner_results
from app.programmes.models import Channel
from app.results import figures
from app.results.access import check_organisation, get_results_programme, get_wave
from app.results.schemas import ResultsArgs, ResultsSchema

blp = Blueprint("results_api", __name__, description="Results: scores, standards and measures")


def problem(status: int, description: str):
    return blp.alt_response(
        status, schema=ProblemSchema, description=description, content_type=PROBLEM_MEDIA_TYPE
    )


@blp.route("/results")
class Results(MethodView):
    @roles_required(Role.coordinator, Role.admin, Role.partner_manager)
    @blp.arguments(ResultsArgs, location="query")
    @blp.response(200, ResultsSchema)
    @problem(401, "`not_signed_in`")
    @problem(403, "`not_yours`, `forbidden`, `programme_required`")
    @problem(
        404,
        "`not_found`: no such programme, wave or organisation in it (for a partner manager: or not released to them)",
    )
    @problem(
        422, "`validation_failed` (see `errors`); a partner manager: `not_for_partners`, `filter_needs_group`"
    )
    def get(self, args):
        """One row per group (``group_by``), each with its reports, score (and change since the previous wave),
        critical failures, standards and measures as rates or means; computed ahead, at approval.

        A partner manager gets their organisation's released figures (``app.partner_results.api``): grouped as
        their pages are, other partners only as benchmark rows."""
        if not current_user.has_role(Role.coordinator, Role.admin):
            return jsonify(partner_results(args))
        programme = get_results_programme(args.get("programme"))
        check_organisation(programme, args.get("organisation"))
        names = figures.Names(programme)
        wave = get_wave(programme, args.get("wave"))
        if wave is None and "wave" not in args["group_by"]:
            wave = figures.default_wave(names, programme.id)
        filters = figures.Filters(
            organisation_id=args.get("organisation"),
            service_area_id=args.get("service_area"),
            channel=Channel(args["channel"]) if args.get("channel") else None,
            contact_point_id=args.get("contact_point"),
        )
        # Shaped by app.results.figures as ResultsSchema documents it, and sent as it is (flask-smorest passes a
        # Response through): marshmallow's dump of every nested rate cost more than computing the figures.
        return jsonify(
            {
                "programme": {"id": programme.id, "name": programme.name},
                "wave": {"id": wave.id, "number": wave.number, "name": wave.name} if wave else None,
                "group_by": list(args["group_by"]),
                "min_sample": programme.min_sample,
                "rows": figures.rows(programme, names, wave, filters, args["group_by"]),
            }
        )
