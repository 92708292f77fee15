"""Who may read and write improvement plans: a partner manager their own organisation's, on waves released
to it (another organisation's, or an unreleased wave, is 404); coordinators read their programme's (403
``not_yours`` for another's) and write none (403); an admin reads any."""

from tests.permissions_kit import HTML, Expect, Route, page_for
from tests.plans.helpers import an_action, released_plan

NOT_FOUND_PAGE = Expect(404, "text/html")


def _plan_url(suffix=""):
    def url(cast):
        world = released_plan(cast)
        return f"/organisations/{world.district.id}/waves/{world.wave.id}/plan{suffix}"

    return url


READ = dict(partner_manager=HTML, other_partner_manager=NOT_FOUND_PAGE, coordinator=HTML, admin=HTML)
WRITE = dict(partner_manager=Expect(302), other_partner_manager=NOT_FOUND_PAGE)


def _action_body(cast, user):
    return {
        "data": {
            "finding": "channel||in_person",
            "action": "Greet",
            "owner_role": "Team leader",
            "due_on": "2030-01-31",
            "status": "planned",
        }
    }


ROWS = {
    ("GET", "/organisations/<id:organisation_id>/plans"): Route(
        lambda c: f"/organisations/{c.world.district.id}/plans", page_for(**READ)
    ),
    ("GET", "/organisations/<id:organisation_id>/waves/<id:wave_id>/plan"): Route(
        _plan_url(), page_for(**READ)
    ),
    ("POST", "/organisations/<id:organisation_id>/waves/<id:wave_id>/plan/actions"): Route(
        _plan_url("/actions"), page_for(**WRITE), body=_action_body
    ),
    ("POST", "/organisations/<id:organisation_id>/waves/<id:wave_id>/plan/responses"): Route(
        _plan_url("/responses"),
        page_for(**WRITE),
        body=lambda c, u: {
            "data": {"finding": "channel||in_person", "text": "Our office was closed for works."}
        },
    ),
    ("GET", "/plans/actions/<id:action_id>"): Route(
        lambda c: f"/plans/actions/{an_action(c).id}", page_for(**READ)
    ),
    ("POST", "/plans/actions/<id:action_id>"): Route(
        lambda c: f"/plans/actions/{an_action(c).id}",
        page_for(**WRITE),
        body=lambda c, u: {"data": {"status": "in_progress", "note": "Briefed the reception team."}},
    ),
    ("GET", "/programmes/<id:programme_id>/plans"): Route(
        lambda c: f"/programmes/{c.world.programme.id}/plans", page_for(coordinator=HTML, admin=HTML)
    ),
}


# --- the wave report (app/exports/routes.py): a partner manager their own released waves, coordinators their
# programme's, the pack of every partner coordinators and admins only.
def _report_url(suffix=""):
    def url(cast):
        world = released_plan(cast)
        return f"/waves/{world.wave.id}/report/{world.district.id}{suffix}"

    return url


def _pack_url(suffix=""):
    return lambda c: f"/waves/{released_plan(c).wave.id}/report{suffix}"


PDF = Expect(200, "application/pdf")
NOT_YOURS_PAGE = Expect(403, "text/html")
ROWS.update(
    {
        ("GET", "/waves/<id:wave_id>/report/<id:organisation_id>"): Route(
            _report_url(), page_for(**READ, other_coordinator=NOT_YOURS_PAGE)
        ),
        ("GET", "/waves/<id:wave_id>/report/<id:organisation_id>.pdf"): Route(
            _report_url(".pdf"),
            page_for(partner_manager=PDF, other_partner_manager=NOT_FOUND_PAGE, coordinator=PDF, admin=PDF),
        ),
        ("GET", "/waves/<id:wave_id>/report"): Route(_pack_url(), page_for(coordinator=HTML, admin=HTML)),
        ("GET", "/waves/<id:wave_id>/report.pdf"): Route(
            _pack_url(".pdf"), page_for(coordinator=PDF, admin=PDF)
        ),
    }
)
