"""The wave report to take away: one organisation's figures of one wave, as a printable page and its PDF.

The figures are those the partner sees (``app.releases.snapshot``): the released ones for a partner
manager, computed now for a coordinator (what a release would hold). Charts are the results engine's SVG
geometry (``app.results.charts``) with their numbers in tables beside them; the report ends with every
figure's definition and the duty-of-care statement (SPEC §7).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template

from app.plans import services as plans
from app.programmes.models import Organisation, Programme, Wave
from app.releases.services import released_figures
from app.releases.snapshot import WaveReports, partner_figures, wave_reports
from app.results import charts, figures
from app.results.measures import GROUPS, MEASURES, QUESTION_DEFINITION, SCORE_DEFINITION, STANDARD_DEFINITION

DUTY_OF_CARE = (
    "Staff of every partner organisation were told in advance that mystery shopping takes place, what it "
    "measures and at what level it is reported. Results are never used against an individual: this report "
    "stops at service area and contact point, describes staff by role at most, and names no one. Exit "
    "interviews were given with the resident's consent and record nothing that identifies them; their free "
    "text and any evidence photos are deleted after the programme's retention period, and the deletion is "
    "logged."
)
UNCERTAINTY = (
    "Every rate shows its sample (n) and a 95% Wilson interval. A change between waves is called an "
    "improvement or a decline only when the Newcombe interval of the difference leaves out zero. Groups with "
    "fewer reports than the programme's minimum are shown, flagged as a small sample, and left out of "
    "league-table ranking."
)


@dataclass
class OrganisationReport:
    organisation: Organisation
    figures: dict
    anchor: str


def definitions() -> list[tuple[str, str]]:
    found = [
        ("Report score", SCORE_DEFINITION),
        ("Standards compliance", STANDARD_DEFINITION),
        ("Question score", QUESTION_DEFINITION),
    ]
    found += [(m.label, m.definition) for m in MEASURES if m.group in GROUPS]
    found.append(("Uncertainty", UNCERTAINTY))
    return found


def organisation_report(
    programme: Programme, wave: Wave, organisation: Organisation, partner: bool, read: WaveReports | None
) -> OrganisationReport:
    """The figures of the report: released (a partner) or computed now (a coordinator, with the wave's
    ``read``, the wave's reports as every partner's figures read them)."""
    shown = (
        released_figures(wave.id, organisation.id)
        if partner
        else partner_figures(programme, wave, organisation, read)
    )
    return OrganisationReport(organisation, shown, f"organisation-{organisation.id}")


def _charts(report: OrganisationReport, wave: Wave) -> dict:
    shown = report.figures
    by_channel = [{**row, "wave": {"id": wave.id}} for row in shown["by_channel"]]
    by_area = [{**row, "organisation": row["service_area"], "rank": None} for row in shown["by_service_area"]]
    return {
        "channels": charts.channel_by_wave(
            by_channel, [wave], f"{report.organisation.name}: score per channel"
        ),
        "areas": charts.league(by_area, f"{report.organisation.name}: score per service area"),
        "benchmark": charts.league(shown["benchmark"]["organisations"], "The partnership's league table"),
    }


def _plan(
    programme: Programme,
    names: figures.Names,
    wave: Wave,
    report: OrganisationReport,
    partner: bool,
    visible: set[int],
) -> dict:
    """The plan on this wave's findings, and the follow-up in this wave of the plan of the wave before."""
    organisation_id = report.organisation.id
    earlier = [w for w in names.waves if w.number < wave.number and w.id in visible]
    before = earlier[-1] if earlier else None

    def rate(wave_, finding):
        if partner:
            return plans.released_rate(released_figures(wave_.id, organisation_id), finding)
        return plans.finding_rate(programme, wave_.id, organisation_id, finding)

    followed = []
    if before is not None:
        for action in plans.actions_of(organisation_id, [before.id]):
            finding = plans.Finding.of(action)
            then, now = rate(before, finding), rate(wave, finding)
            followed.append(
                {
                    "action": action,
                    "label": plans.label(names, finding),
                    **plans.follow_up(then, now, wave),
                }
            )
    current = [
        {"action": a, "label": plans.label(names, plans.Finding.of(a))}
        for a in plans.actions_of(organisation_id, [wave.id])
    ]
    return {"before": before, "followed": followed, "current": current}


def render(
    programme: Programme, wave: Wave, organisations: list[Organisation], partner: bool, visible, pdf: bool
):
    """The report's HTML: one organisation, or all of them as one pack."""
    read = None if partner else wave_reports(programme, wave)
    names = read.names if read else figures.Names(programme)
    reports = [organisation_report(programme, wave, o, partner, read) for o in organisations]
    sections = [
        {"report": r, "charts": _charts(r, wave), "plan": _plan(programme, names, wave, r, partner, visible)}
        for r in reports
        if r.figures is not None
    ]
    styles = ""
    if pdf:
        folder = Path(current_app.static_folder) / "css"
        styles = "\n".join((folder / name).read_text() for name in ("results.css", "report.css"))
    html = render_template(
        "exports/wave_report_pdf.html" if pdf else "exports/wave_report.html",
        programme=programme,
        wave=wave,
        sections=sections,
        pack=len(organisations) > 1,
        definitions=definitions(),
        duty_of_care=DUTY_OF_CARE,
        measures=[m for m in MEASURES if m.group in GROUPS],
        groups=GROUPS,
        status_names=plans.STATUS_NAMES,
        styles=styles,
    )
    return _styled_charts(html, styles) if pdf else html


def _styled_charts(html: str, styles: str) -> str:
    """Each chart with its own ``<style>``: WeasyPrint draws an inline SVG on its own, with the SVG's styles
    and not the page's (the page's ``.chart`` rules, without the ``.chart`` before them)."""
    rules = "".join(
        line[len(".chart ") :]
        for line in styles.splitlines(keepends=True)
        if line.startswith(".chart ") and not line.startswith(".chart {")
    )
    return re.sub(r'(<svg class="chart"[^>]*>)', lambda m: m.group(1) + f"<style>{rules}</style>", html)


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML  # imported when a PDF is asked for: it loads pango

    return HTML(string=html).write_pdf()
