"""``GET /api/v1/results`` as a partner manager asks it: the rows of their organisation's release, the same
figures as their pages (SPEC §4). The release holds the groupings the pages show, so those are what a
partner may ask for; other partners come only as benchmark rows, named or anonymised as the programme says.
"""

from app.accounts.permissions import not_found
from app.api.problems import ApiProblem
from app.extensions import db
from app.partner_results.access import partner_organisation
from app.programmes.models import Programme
from app.releases import services as releases

# group_by (as a set) -> where its rows are in a release's figures
_SOURCES = {
    frozenset({"organisation"}): ("benchmark", "organisations"),
    frozenset({"organisation", "channel"}): ("benchmark", "by_channel"),
    frozenset({"organisation", "service_area"}): ("benchmark", "by_service_area"),
    frozenset({"channel"}): ("by_channel",),
    frozenset({"service_area"}): ("by_service_area",),
    frozenset({"service_area", "channel"}): ("by_area_channel",),
}
PARTNER_GROUPINGS = sorted(",".join(sorted(keys)) for keys in _SOURCES) + ["wave"]


def partner_results(args: dict) -> dict:
    organisation = partner_organisation()
    if args.get("programme") is not None:
        programme = db.session.get(Programme, args["programme"])
        if programme is None or programme.partnership_id != organisation.partnership_id:
            not_found("No such programme.")
    if args.get("organisation") not in (None, organisation.id):
        not_found("No such organisation.")
    if args.get("contact_point") is not None:
        raise ApiProblem(422, "not_for_partners", "Results by contact point are in your visit and call log.")
    group_by = tuple(args["group_by"])
    current = releases.current_releases(organisation.id)
    if args.get("programme") is not None:
        current = [r for r in current if r.programme_id == args["programme"]]
    if args.get("wave") is not None:
        current = [r for r in current if r.wave_id == args["wave"]]
        if not current:
            not_found("No results of this wave have been released to your organisation.")
    if not current:
        not_found("No results have been released to your organisation yet.")
    if group_by == ("wave",):
        rows = [
            dict(r.figures["headline"], wave=_group(r.figures["wave"]))
            for r in current
            if r.figures["headline"]
        ]
        wave = None
    else:
        source = _SOURCES.get(frozenset(group_by))
        if source is None:
            raise ApiProblem(
                422, "not_for_partners", "Group by one of: " + "; ".join(PARTNER_GROUPINGS) + "."
            )
        figures = current[-1].figures
        rows = figures
        for key in source:
            rows = rows[key]
        wave = figures["wave"]
    rows = _filtered(rows, group_by, args, organisation.id)
    figures = current[-1].figures
    programme = current[-1].wave.programme
    return {
        "programme": {"id": programme.id, "name": programme.name},
        "wave": wave,
        "group_by": list(group_by),
        "min_sample": figures["min_sample"],
        "rows": rows,
    }


def _group(wave: dict) -> dict:
    return {"id": wave["id"], "name": wave["name"]}


def _filtered(rows: list[dict], group_by: tuple, args: dict, own_id: int) -> list[dict]:
    wanted = {"service_area": args.get("service_area"), "channel": args.get("channel")}
    if args.get("organisation") is not None:
        wanted["organisation"] = own_id
    for key, value in wanted.items():
        if value is None:
            continue
        if key not in group_by:
            raise ApiProblem(
                422,
                "filter_needs_group",
                f"To narrow by {key.replace('_', ' ')}, group by it too (group_by=...,{key}).",
            )
        rows = [row for row in rows if row[key]["id"] == value]
    return rows
