"""The partner-visible figures of one wave for one organisation, as a plain JSON-able dict.

A preview computes it now; a release stores what it computed, and the partner's pages render the stored
dict with the same templates, so the preview and the partner's page are the same rendering of the same
data. Every figure comes from ``app.results.figures`` (the roll-up cells); nothing is recomputed here.

Shape (``SCHEMA`` 1; keys are stable, the plans feature reads ``questions``, ``by_service_area``,
``by_channel`` and ``headline``):

- ``wave`` / ``previous_wave``: ``{id, number, name}``; ``organisation``: ``{id, name}``
- ``min_sample``, ``partners_named``, ``commendations_allowed``
- ``headline``: the organisation's row of ``GET /api/v1/results`` (score, score_change, standards,
  measures, critical_failures) or None; ``by_channel``, ``by_service_area``, ``by_area_channel``: rows
- ``questions``: ``[{service_area, channel, key, label, rate, change}]``, every question's rate
- ``strengths``: ``figures.strengths_and_weaknesses`` for the organisation
- ``benchmark``: ``{"organisations": rows, "by_channel": rows, "by_service_area": rows}``, every
  partner, the others named or anonymised ("Partner A"...) as the programme says; no report of theirs
- ``method``: what ``method_figures`` returns
- ``commendations``: ``[{service_area, channel, date, text}]`` where the programme allows them, the text
  through the partner guard (never in a benchmark or league table)
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.programmes.models import Channel, Organisation, Programme, Scenario, ServiceArea, Wave
from app.questionnaires.models import Questionnaire, QuestionnaireVersion
from app.releases.models import Release
from app.releases.redaction import partner_text
from app.results import figures
from app.results import statistics as stats
from app.results.models import ReportResult
from app.visits.models import Submission, SubmissionState

SCHEMA = 1


@dataclass
class WaveReports:
    """What every partner's figures read once for a pack of them: the programme's names, and from the whole
    wave's approved reports the method's counts per organisation id, by each of its groupings, and the
    commendations."""

    names: figures.Names
    contacts: dict = field(default_factory=dict)  # (channel value, service area id) -> {organisation id: n}
    versions: dict = field(default_factory=dict)  # questionnaire version id -> ...
    scenarios: dict = field(default_factory=dict)
    weekdays: dict = field(default_factory=dict)  # weekday name, on the programme's clock -> ...
    times: dict = field(default_factory=dict)  # time band -> ...
    commendations: dict = field(default_factory=dict)  # organisation id -> [{service_area, ...}]
    # (the previous wave's id or None, group keys) -> every partner's rows, the same whoever is shown them
    benchmarks: dict = field(default_factory=dict)


def _wave(wave: Wave | None) -> dict | None:
    return {"id": wave.id, "number": wave.number, "name": wave.name} if wave else None


def partner_figures(
    programme: Programme, wave: Wave, organisation: Organisation, read: WaveReports | None = None
) -> dict:
    """What the partner ``organisation`` sees of ``wave`` if it were released now (``read``: the wave's
    ``wave_reports``, when several partners' figures are computed at once)."""
    read = read if read is not None else wave_reports(programme, wave, organisation)
    # "Change since the last wave" compares with the last wave released to this partner: a change against
    # a wave they have not been shown would give its figures away.
    shown = set(
        db.session.scalars(
            sa.select(Release.wave_id).where(
                Release.organisation_id == organisation.id, Release.withdrawn_at.is_(None)
            )
        )
    )
    names = read.names.showing(shown | {wave.id})
    own = figures.Filters(organisation_id=organisation.id)
    everyone = figures.Filters()
    previous = figures.previous_wave(names, wave)

    def rows(group_by, filters=own):
        return figures.rows(programme, names, wave, filters, group_by)

    def benchmark(group_by):
        key = (previous.id if previous else None, group_by)
        if key not in read.benchmarks:
            read.benchmarks[key] = rows(group_by, everyone)
        return _relabelled(read.benchmarks[key], labels)

    headline = rows(("organisation",))
    labels = _partner_labels(names, organisation.id, programme.partners_named)
    return {
        "schema": SCHEMA,
        "wave": _wave(wave),
        "previous_wave": _wave(previous),
        "organisation": {"id": organisation.id, "name": organisation.name},
        "min_sample": programme.min_sample,
        "partners_named": programme.partners_named,
        "commendations_allowed": programme.commendations_allowed,
        "headline": headline[0] if headline else None,
        "by_channel": rows(("channel",)),
        "by_service_area": rows(("service_area",)),
        "by_area_channel": rows(("service_area", "channel")),
        "questions": _questions(programme, names, wave, previous, own),
        "strengths": figures.strengths_and_weaknesses(programme, names, wave, own),
        "benchmark": {
            "organisations": benchmark(("organisation",)),
            "by_channel": benchmark(("organisation", "channel")),
            "by_service_area": benchmark(("organisation", "service_area")),
        },
        "method": method_figures(programme, wave, labels, read),
        "commendations": read.commendations.get(organisation.id, []),
    }


def _commendations(programme: Programme, wave: Wave, organisation: Organisation | None) -> dict:
    """{organisation id: its commendations in the wave's approved reports}, for the teams, naming no one:
    of ``organisation``, or of every partner (None)."""
    zone = ZoneInfo(programme.timezone)
    # From the wave's scores (an approved report's row, with where and how it was shopped): SQLite, given
    # the wave's assignments instead, reads every report of the wave, each a large row, to find the few.
    rows = db.session.execute(
        sa.select(
            ReportResult.organisation_id,
            Submission.commendation,
            Submission.partner_texts,
            Submission.completed_at,
            ReportResult.channel,
            ServiceArea.name,
            User.display_name,
            User.email,
        )
        .join(Submission, Submission.id == ReportResult.submission_id)
        .join(ServiceArea, ServiceArea.id == ReportResult.service_area_id)
        .join(User, User.id == Submission.shopper_id)
        .where(
            ReportResult.wave_id == wave.id,
            Submission.state == SubmissionState.approved,
            Submission.commendation != "",
            *([ReportResult.organisation_id == organisation.id] if organisation else []),
        )
        .order_by(ServiceArea.name, Submission.completed_at)
    ).all()
    found = {}
    for organisation_id, text, cleared, completed, channel, area, name, email in rows:
        found.setdefault(organisation_id, []).append(
            {
                "service_area": area,
                "channel": figures.CHANNEL_NAMES[channel],
                "date": f"{completed.astimezone(zone):%-d %B %Y}",
                "text": partner_text(text, (name, email), cleared, "commendation"),
            }
        )
    return found


def _partner_labels(names: figures.Names, own_id: int, named: bool) -> dict:
    """{organisation id: {id, name}} as the partner sees them: itself always, the others anonymised
    ("Partner A", in the order of their ids, with no id) unless the programme names partners."""
    labels = {}
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for organisation_id in sorted(names.organisation):
        organisation = names.organisation[organisation_id]
        if named or organisation_id == own_id:
            labels[organisation_id] = {"id": organisation_id, "name": organisation.name, "own": False}
        else:
            labels[organisation_id] = {"id": None, "name": f"Partner {next(letters, '?')}", "own": False}
    labels[own_id] = {**labels[own_id], "own": True}
    return labels


def _relabelled(rows: list[dict], labels: dict) -> list[dict]:
    return [{**row, "organisation": labels[row["organisation"]["id"]]} for row in rows]


def _questions(programme, names, wave, previous, filters) -> list[dict]:
    texts = names.question_text
    group_by = ("service_area", "channel")
    now = figures.sums(programme.id, [wave.id], filters, group_by, prefix="question:")
    before = (
        figures.sums(programme.id, [previous.id], filters, group_by, prefix="question:") if previous else {}
    )
    items = []
    for (area_id, channel), cells in now.items():
        for measure, cell in cells.items():
            key = measure[len("question:") :]
            rate = stats.rate(cell[0], cell[1], programme.min_sample)
            earlier = before.get((area_id, channel), {}).get(measure)
            items.append(
                {
                    "service_area": names.group("service_area", area_id),
                    "channel": names.group("channel", channel),
                    "key": key,
                    "label": texts.get((channel, key), key),
                    "rate": rate,
                    "change": stats.change(rate, stats.rate(earlier[0], earlier[1], programme.min_sample))
                    if earlier
                    else None,
                }
            )
    items.sort(key=lambda i: (i["service_area"]["name"], i["channel"]["name"], i["label"]))
    return items


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIMES_OF_DAY = (("Before 10:00", 10), ("10:00 to 12:00", 12), ("12:00 to 14:00", 14), ("14:00 to 17:00", 17))
LATE = "17:00 or later"


def _time_band(hour: int) -> str:
    return next((label for label, before in TIMES_OF_DAY if hour < before), LATE)


_HOUR, _DAY, _WEEK = 3600, 86400, 7 * 86400


def _offsets(zone: ZoneInfo, first: int, last: int) -> list[tuple[int, int]]:
    """[(from this second since the epoch, the zone's offset from UTC in seconds)] between two such
    seconds: each change of the clocks found day by day, then to the second."""

    def offset(second: int) -> int:
        return int(datetime.fromtimestamp(second, zone).utcoffset().total_seconds())

    periods = [(first, offset(first))]
    day = first
    while day < last:
        following = min(day + _DAY, last)
        if offset(following) != periods[-1][1]:
            before, after = day, following
            while after - before > 1:
                middle = (before + after) // 2
                before, after = (middle, after) if offset(middle) == periods[-1][1] else (before, middle)
            periods.append((after, offset(after)))
        day = following
    return periods


def wave_reports(programme: Programme, wave: Wave, organisation: Organisation | None = None) -> WaveReports:
    """The counts behind ``method_figures`` (the same for every partner of the wave) and the commendations
    where the programme allows them: of ``organisation``, or of every partner (None). Counted in SQL, so
    that a wave of thousands of reports returns a few hundred rows."""
    zone = ZoneInfo(programme.timezone)
    read = WaveReports(
        names=figures.Names(programme),
        commendations=_commendations(programme, wave, organisation)
        if programme.commendations_allowed
        else {},
    )

    def count(*columns):
        return db.session.execute(
            sa.select(ReportResult.organisation_id, *columns, sa.func.count())
            .where(ReportResult.wave_id == wave.id)
            .group_by(ReportResult.organisation_id, *columns)
        )

    def add(table, key, organisation_id, n):
        per = table.setdefault(key, {})
        per[organisation_id] = per.get(organisation_id, 0) + n

    for organisation_id, channel, area_id, version_id, scenario_id, n in count(
        ReportResult.channel,
        ReportResult.service_area_id,
        ReportResult.questionnaire_version_id,
        ReportResult.scenario_id,
    ):
        add(read.contacts, (channel.value, area_id), organisation_id, n)
        add(read.versions, version_id, organisation_id, n)
        add(read.scenarios, scenario_id, organisation_id, n)
    # The weekday and the hour on the programme's clock, in SQL: each report's UTC second plus the offset of
    # its period, taken as an hour of the week (the epoch began on a Thursday).
    first, last = db.session.execute(
        sa.select(sa.func.min(ReportResult.started_at), sa.func.max(ReportResult.started_at)).where(
            ReportResult.wave_id == wave.id
        )
    ).one()
    if first is None:
        return read
    periods = _offsets(zone, int(first.timestamp()), int(last.timestamp()) + 1)
    epoch = sa.extract("epoch", ReportResult.started_at)
    changes = [
        (epoch < start, earlier) for (_, earlier), (start, _) in zip(periods, periods[1:], strict=False)
    ]
    offset = sa.case(*changes, else_=periods[-1][1]) if changes else sa.literal(periods[-1][1])
    local = epoch + offset
    for organisation_id, hour_of_week, n in count((local - local % _HOUR) % _WEEK):
        weekday, hour = (3 + int(hour_of_week) // _DAY) % 7, int(hour_of_week) % _DAY // _HOUR
        add(read.weekdays, WEEKDAYS[weekday], organisation_id, n)
        add(read.times, _time_band(hour), organisation_id, n)
    return read


def method_figures(programme: Programme, wave: Wave, labels: dict, read: WaveReports) -> dict:
    """How every partner was shopped in the wave, side by side: questionnaire versions, scenarios, contacts
    per channel and service area, and their spread over weekdays and times of day (on the programme's clock,
    in bands of hours: never a minute). Counts only, from the approved reports (``read``)."""
    names = read.names
    partners = [labels[i] for i in sorted(labels)]
    ids = sorted(labels)

    def counts(per: dict) -> list[int]:
        return [per.get(i, 0) for i in ids]

    version_rows = db.session.execute(
        sa.select(
            QuestionnaireVersion.id, QuestionnaireVersion.number, Questionnaire.title, Questionnaire.channel
        )
        .join(Questionnaire)
        .where(QuestionnaireVersion.id.in_(list(read.versions)))
    ).all()
    scenario_rows = db.session.scalars(sa.select(Scenario).where(Scenario.id.in_(list(read.scenarios)))).all()
    return {
        "partners": partners,
        "contacts": [
            {
                "channel": names.group("channel", Channel(channel)),
                "service_area": names.group("service_area", area_id),
                "counts": counts(per),
            }
            for (channel, area_id), per in sorted(
                read.contacts.items(),
                key=lambda c: (
                    list(figures.CHANNEL_NAMES).index(Channel(c[0][0])),
                    names.service_area.get(c[0][1], ""),
                ),
            )
        ],
        "questionnaires": [
            {
                "title": title,
                "channel": figures.CHANNEL_NAMES[channel],
                "version": number,
                "counts": counts(read.versions[version_id]),
            }
            for version_id, number, title, channel in sorted(version_rows, key=lambda v: (v.title, v.number))
        ],
        "scenarios": [
            {
                "title": s.title,
                "service_area": names.service_area.get(s.service_area_id, ""),
                "cross_tier": s.cross_tier,
                "counts": counts(read.scenarios[s.id]),
            }
            for s in sorted(scenario_rows, key=lambda s: s.title)
        ],
        "weekdays": [{"label": day, "counts": counts(read.weekdays.get(day, {}))} for day in WEEKDAYS],
        "times": [
            {"label": label, "counts": counts(read.times.get(label, {}))}
            for label in [label for label, _ in TIMES_OF_DAY] + [LATE]
        ],
    }
