"""Who may see a programme's results (issue 17): its coordinators and the admin; a coordinator of another
programme is refused this one's (403 ``not_yours``); partner managers wait for released waves (issue 18)."""

from tests.permissions_kit import HTML, JSON, NOT_YOURS, Route, api_for, page_for, problem

PAGE = page_for(coordinator=HTML, admin=HTML)


def _page(suffix=""):
    return Route(lambda c: f"/programmes/{c.world.programme.id}/results{suffix}", PAGE)


ROWS = {
    ("GET", "/programmes/<id:programme_id>/results" + suffix): _page(suffix)
    for suffix in ("", "/league", "/trend", "/measures", "/strengths", "/reports")
}
ROWS[("GET", "/api/v1/results")] = Route(
    lambda c: f"/api/v1/results?programme={c.world.programme.id}",
    api_for(
        coordinator=JSON,
        admin=JSON,
        other_coordinator=NOT_YOURS,
        partner_manager=problem(404, "not_found"),
        other_partner_manager=problem(404, "not_found"),
    ),
)
