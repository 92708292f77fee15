"""The partner's pages, rendered from a release's figures: one function per page, shared by the partner's
own routes and the coordinator's preview, so the preview is the same rendering of the same data.

A ``View`` says whose figures are shown, which reports make the log, and where the pages' links point
(the partner's pages, or the preview's).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import abort, render_template

from app.partner_results import log
from app.plans import services as plans
from app.programmes.models import Organisation, Programme
from app.releases import services as releases
from app.results import charts
from app.results import figures as results_figures
from app.results.measures import GROUPS, MEASURES, QUESTION_DEFINITION, SCORE_DEFINITION, STANDARD_DEFINITION

PAGES = (
    ("overview", "Our results"),
    ("benchmark", "Benchmark"),
    ("log", "Visit and call log"),
    ("method", "How we were shopped"),
)


@dataclass
class View:
    programme: Programme
    organisation: Organisation
    figures: dict
    report_ids: object  # a SELECT of the submission ids in the log
    url: Callable[..., str]  # url(page, **args): where a link to one of these pages points
    heading: str = ""  # above the shared part: the release (date, what changed) or the preview's notice
    changes: list = field(default_factory=list)
    released_at: object = None
    preview: bool = False
    actions: dict | None = None  # the preview's release form: {"template", ...}, outside the shared part


def render(view: View, which: str, **args):
    if which == "overview":
        return _page(
            view,
            which,
            panels=_panels(view.figures),
            question_definition=QUESTION_DEFINITION,
            plan_follow_up=plan_follow_up(view),
        )
    if which == "benchmark":
        overall = charts.league(view.figures["benchmark"]["organisations"], "League table: every channel")
        return _page(view, which, leagues=_leagues(view.figures), overall=overall)
    if which == "log":
        number = args.get("page") or 1
        listed = log.page_of(view.programme, view.report_ids, max(number, 1))
        if number < 1 or number > listed.pages:
            abort(404)
        return _page(view, which, listed=listed)
    if which == "report":
        item = log.one(view.programme, view.report_ids, args["report_id"])
        if item is None:
            abort(404)
        return _page(view, which, item=item)
    if which == "method":
        return _page(view, which, method=view.figures["method"])
    abort(404)


def _page(view: View, which: str, **context):
    return render_template(
        f"partner_results/{which}.html",
        view=view,
        figures=view.figures,
        page_name=which,
        pages=PAGES,
        score_definition=SCORE_DEFINITION,
        standard_definition=STANDARD_DEFINITION,
        **context,
    )


def plan_follow_up(view: View) -> dict | None:
    """The plan of the organisation's previous released wave, each action beside its finding's change from
    that wave to this one: the plans feature's follow-up, read from released figures only (this page's, and
    the earlier wave's as the partner was shown them). None when there is no earlier released wave."""
    this = view.figures["wave"]
    earlier = [w for w in releases.released_waves(view.organisation.id) if w.number < this["number"]]
    if not earlier:
        return None
    before = earlier[-1]
    then = releases.released_figures(before.id, view.organisation.id)
    names = results_figures.Names(view.programme)
    later = next(w for w in names.waves if w.id == this["id"])
    rows = []
    for action in plans.actions_of(view.organisation.id, [before.id]):
        finding = plans.Finding.of(action)
        rows.append(
            {
                "action": action,
                "status": plans.STATUS_NAMES[action.status],
                "label": plans.label(names, finding),
                **plans.follow_up(
                    plans.released_rate(then, finding), plans.released_rate(view.figures, finding), later
                ),
            }
        )
    return {"wave": before, "rows": rows}


def _panels(figures: dict) -> list[dict]:
    """The headline's contact-centre, pillar-to-post and exit-interview measures, where any were measured."""
    measured = (figures.get("headline") or {}).get("measures", {})
    panels = []
    for group, title in GROUPS.items():
        shown = [m for m in MEASURES if m.group == group and m.name in measured]
        if shown:
            panels.append({"title": title, "measures": shown})
    return panels


def _leagues(figures: dict) -> list[dict]:
    tables = []
    for key, rows_key, noun in (
        ("channel", "by_channel", "channel"),
        ("service_area", "by_service_area", "service area"),
    ):
        grouped = {}
        for row in figures["benchmark"][rows_key]:
            grouped.setdefault(row[key]["id"], {"group": row[key], "rows": []})["rows"].append(row)
        for table in sorted(grouped.values(), key=lambda t: t["group"]["name"]):
            table["rows"].sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["organisation"]["name"]))
            table["chart"] = charts.league(table["rows"], f"League table: {table['group']['name']} ({noun})")
            table["noun"] = noun
            tables.append(table)
    return tables
