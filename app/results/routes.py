"""The coordinator's results workspace: overview, league tables, trend, measures, strengths and weaknesses,
and the reports behind any figure. Every page reads figures computed ahead (``app.results.figures``)."""

from flask import Blueprint, abort, render_template, request
from wtforms import Form, SelectChoice, SelectField

from app.accounts.models import Role
from app.accounts.permissions import roles_required
from app.programmes.models import Channel
from app.results import charts, figures, reports
from app.results import statistics as stats
from app.results.access import get_results_programme
from app.results.measures import GROUPS, MEASURES, QUESTION_DEFINITION, SCORE_DEFINITION, STANDARD_DEFINITION

bp = Blueprint("results", __name__, url_prefix="/programmes/<id:programme_id>/results")
coordinator_required = roles_required(Role.coordinator, Role.admin)


class FilterForm(Form):
    """A GET form: filters change nothing, so no CSRF token."""

    wave = SelectField("Wave", coerce=int, default=0)
    organisation = SelectField("Organisation", coerce=int, default=0)
    service_area = SelectField("Service area", coerce=int, default=0)
    channel = SelectField(
        "Channel",
        default="",
        choices=[SelectChoice("", "Every channel")]
        + [SelectChoice(c.value, n) for c, n in figures.CHANNEL_NAMES.items()],
    )


class Workspace:
    """What every results page starts from: the programme, its names, the filters and the chosen wave."""

    def __init__(self, programme_id: int):
        self.programme = get_results_programme(programme_id)
        self.names = figures.Names(self.programme)
        self.form = FilterForm(request.args)
        self.form.wave.choices = [SelectChoice(0, "Latest with results")] + [
            SelectChoice(w.id, w.name) for w in self.names.waves
        ]
        self.form.organisation.choices = [SelectChoice(0, "Every organisation")] + [
            SelectChoice(o.id, o.name) for o in sorted(self.names.organisation.values(), key=lambda o: o.name)
        ]
        self.form.service_area.choices = [SelectChoice(0, "Every service area")] + [
            SelectChoice(i, n) for i, n in sorted(self.names.service_area.items(), key=lambda a: a[1])
        ]
        self.valid = self.form.validate()
        data = self.form.data if self.valid else {}
        chosen = data.get("wave") or 0
        self.wave = next((w for w in self.names.waves if w.id == chosen), None) or figures.default_wave(
            self.names, self.programme.id
        )
        self.filters = figures.Filters(
            organisation_id=data.get("organisation") or None,
            service_area_id=data.get("service_area") or None,
            channel=Channel(data["channel"]) if data.get("channel") else None,
        )

    def rows(self, group_by, every_wave=False):
        wave = None if every_wave else self.wave
        if wave is None and not every_wave:
            return []
        return figures.rows(self.programme, self.names, wave, self.filters, group_by)

    def page(self, template, **context):
        return render_template(
            template,
            programme=self.programme,
            form=self.form,
            wave=self.wave,
            filters=self.filters,
            min_sample=self.programme.min_sample,
            score_definition=SCORE_DEFINITION,
            **context,
        ), (200 if self.valid else 422)


@bp.get("")
@coordinator_required
def overview(programme_id):
    space = Workspace(programme_id)
    by_wave = _with_changes(space.rows(("wave",), every_wave=True))
    by_channel_wave = space.rows(("channel", "wave"), every_wave=True)
    by_channel = space.rows(("channel",))
    chart = charts.channel_by_wave(
        by_channel_wave,
        space.names.waves,
        "The partnership's score per channel, wave by wave, beside the reference",
    )
    return space.page(
        "results/overview.html",
        by_wave=by_wave,
        by_channel=by_channel,
        by_channel_wave=by_channel_wave,
        chart=chart,
    )


def _with_changes(rows: list[dict], *within: str) -> list[dict]:
    """Each row's score change since the wave before, among rows ordered by ``within`` then wave."""
    previous = {}
    for row in rows:
        key = tuple(row[name]["id"] for name in within)
        before = previous.get(key)
        row["score_change"] = stats.change(row["score"], before["score"]) if before else None
        previous[key] = row
    return rows


@bp.get("/league")
@coordinator_required
def league(programme_id):
    space = Workspace(programme_id)
    per_channel = _league_tables(space.rows(("organisation", "channel")), "channel", "channel")
    per_area = _league_tables(space.rows(("organisation", "service_area")), "service_area", "service area")
    return space.page("results/league.html", per_channel=per_channel, per_area=per_area)


def _league_tables(rows, key, noun):
    tables = {}
    for row in rows:
        tables.setdefault(row[key]["id"], {"group": row[key], "rows": []})["rows"].append(row)
    for table in tables.values():
        table["rows"].sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["organisation"]["name"]))
        table["chart"] = charts.league(table["rows"], f"League table: {table['group']['name']} ({noun})")
    return sorted(tables.values(), key=lambda t: t["group"]["name"])


@bp.get("/trend")
@coordinator_required
def trend(programme_id):
    space = Workspace(programme_id)
    rows = space.rows(("organisation", "wave"), every_wave=True)
    chart = charts.trend(rows, space.names.waves, "Score per organisation over the waves")
    _with_changes(rows, "organisation")
    by_organisation = {}
    for row in rows:
        by_organisation.setdefault(
            row["organisation"]["id"], {"organisation": row["organisation"], "waves": {}}
        )["waves"][row["wave"]["id"]] = row
    return space.page(
        "results/trend.html",
        chart=chart,
        organisations=sorted(by_organisation.values(), key=lambda o: o["organisation"]["name"]),
        waves=space.names.waves,
    )


@bp.get("/measures")
@coordinator_required
def measures(programme_id):
    space = Workspace(programme_id)
    rows = space.rows(("organisation",))
    standards = sorted({(s["code"], s["name"]) for row in rows for s in row["standards"]})
    panels = [
        {
            "title": title,
            "measures": [
                m for m in MEASURES if m.group == group and any(m.name in r["measures"] for r in rows)
            ],
        }
        for group, title in GROUPS.items()
    ]
    return space.page(
        "results/measures.html",
        rows=rows,
        standards=standards,
        standard_definition=STANDARD_DEFINITION,
        panels=[p for p in panels if p["measures"]],
    )


@bp.get("/strengths")
@coordinator_required
def strengths(programme_id):
    space = Workspace(programme_id)
    areas = []
    if space.wave is not None:
        areas = figures.strengths_and_weaknesses(space.programme, space.names, space.wave, space.filters)
    return space.page("results/strengths.html", areas=areas, question_definition=QUESTION_DEFINITION)


@bp.get("/reports")
@coordinator_required
def report_list(programme_id):
    space = Workspace(programme_id)
    contact_point = request.args.get("contact_point", type=int)
    page = request.args.get("page", default=1, type=int)
    if page < 1:
        abort(404)
    listed = reports.behind(space.programme, space.wave, space.filters, contact_point, page)
    return space.page("results/reports.html", listed=listed, contact_point=contact_point, page=page)
