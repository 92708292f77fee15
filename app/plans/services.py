"""Improvement plans as plain functions: the findings a plan can answer, each finding's figure in any wave
(read from the results engine's roll-up cells, the figures every results page shows), the follow-up of a
finding in the next wave, and writing actions, notes and responses. The views own the transaction."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.audit import services as audit
from app.extensions import db
from app.plans.models import ActionStatus, FindingKind, FindingResponse, PlanAction, PlanNote
from app.programmes.models import Channel, Programme, Wave
from app.results import figures
from app.results import statistics as stats

KIND_NAMES = {
    FindingKind.question: "Question",
    FindingKind.standard: "Standard",
    FindingKind.service_area: "Service area",
    FindingKind.channel: "Channel",
}
STATUS_NAMES = {
    ActionStatus.planned: "Planned",
    ActionStatus.in_progress: "In progress",
    ActionStatus.done: "Done",
    ActionStatus.dropped: "Dropped",
}
PROGRESS_NAMES = {"on_track": "On track", "overdue": "Overdue", "done": "Done", "dropped": "Dropped"}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    channel: Channel | None
    key: str

    @property
    def value(self) -> str:
        """How a form names the finding: ``kind|channel|key``."""
        return f"{self.kind.value}|{self.channel.value if self.channel else ''}|{self.key}"

    @classmethod
    def parse(cls, value: str) -> "Finding":
        """The finding a form sent; ValueError for anything else."""
        kind, channel, key = value.split("|", 2)
        return cls(FindingKind(kind), Channel(channel) if channel else None, key)

    @classmethod
    def of(cls, row) -> "Finding":
        """The finding of a stored action or response."""
        return cls(row.finding_kind, row.finding_channel, row.finding_key)


def _measure(finding: Finding, organisation_id: int) -> tuple[figures.Filters, str | None, str]:
    """(filters, prefix, measure key) that select the finding's figure in the roll-up cells."""
    if finding.kind is FindingKind.question:
        return (
            figures.Filters(organisation_id=organisation_id, channel=finding.channel),
            "question:",
            "question:" + finding.key,
        )
    if finding.kind is FindingKind.standard:
        return figures.Filters(organisation_id=organisation_id), "standard:", "standard:" + finding.key
    if finding.kind is FindingKind.service_area:
        return (
            figures.Filters(organisation_id=organisation_id, service_area_id=int(finding.key)),
            None,
            "score",
        )
    return figures.Filters(organisation_id=organisation_id, channel=Channel(finding.key)), None, "score"


def finding_rate(programme: Programme, wave_id: int, organisation_id: int, finding: Finding) -> dict:
    """The finding's rate in one wave for one organisation: SPEC §4's ``{k, n, value, ci_low, ...}``."""
    filters, prefix, measure = _measure(finding, organisation_id)
    grouped = figures.sums(programme.id, [wave_id], filters, (), prefix=prefix)
    cell = grouped.get((), {}).get(measure, (0, 0, 0))
    return figures.shaped(measure, cell, programme.min_sample)


def released_rate(released: dict | None, finding: Finding) -> dict | None:
    """The finding's rate in a wave's released figures (``app.releases.snapshot``): what the partner was
    shown, so that a late report reviewed since changes nothing until the next release. None if absent."""
    if not released:
        return None
    if finding.kind is FindingKind.service_area:
        rows = [r for r in released["by_service_area"] if str(r["service_area"]["id"]) == finding.key]
        return rows[0]["score"] if rows else None
    if finding.kind is FindingKind.channel:
        rows = [r for r in released["by_channel"] if r["channel"]["id"] == finding.key]
        return rows[0]["score"] if rows else None
    if finding.kind is FindingKind.standard:
        standards = (released.get("headline") or {}).get("standards", [])
        rates = [s["rate"] for s in standards if s["code"] == finding.key]
        return rates[0] if rates else None
    # A question's rate is kept per service area; its k and n add up to the organisation's.
    parts = [
        q["rate"]
        for q in released["questions"]
        if q["key"] == finding.key and q["channel"]["id"] == finding.channel.value
    ]
    if not parts:
        return None
    return stats.rate(sum(p["k"] for p in parts), sum(p["n"] for p in parts), released["min_sample"])


def follow_up(before: dict | None, after: dict | None, later: Wave) -> dict:
    """The finding in its wave and in ``later`` and the change between them (Newcombe's interval, as the
    results engine computes every change); ``change`` is None when either wave has no sample."""
    return {"wave": later, "before": before, "after": after, "change": stats.change(after, before)}


def next_wave(names: figures.Names, wave: Wave, visible_wave_ids) -> Wave | None:
    """The first wave after ``wave`` that the viewer may see and that has results."""
    with_results = figures.waves_with_results(wave.programme_id)
    for later in names.waves:
        if later.number > wave.number and later.id in visible_wave_ids and later.id in with_results:
            return later
    return None


def findings(programme: Programme, names: figures.Names, wave: Wave, organisation_id: int) -> list[dict]:
    """Every finding of the organisation's results in the wave, with its label and rate: its service areas
    and channels (their scores), the questions and the standards. The plan form offers these."""
    filters = figures.Filters(organisation_id=organisation_id)
    keyed = figures.sums(programme.id, [wave.id], filters, ("service_area", "channel"))
    questions = figures.sums(programme.id, [wave.id], filters, ("channel",), prefix="question:")
    found = [Finding(FindingKind.service_area, None, str(a)) for a in sorted({a for a, _ in keyed})]
    found += [Finding(FindingKind.channel, None, c.value) for c in Channel if c in {c for _, c in keyed}]
    standards = sorted(
        {m[len("standard:") :] for cells in keyed.values() for m in cells if m.startswith("standard:")}
    )
    found += [Finding(FindingKind.standard, None, code) for code in standards]
    for (channel,), cells in sorted(questions.items(), key=lambda item: list(Channel).index(item[0][0])):
        found += [Finding(FindingKind.question, channel, m[len("question:") :]) for m in sorted(cells)]
    return [
        {
            "finding": f,
            "label": label(names, f),
            "rate": finding_rate(programme, wave.id, organisation_id, f),
        }
        for f in found
    ]


def label(names: figures.Names, finding: Finding) -> str:
    """How a page names a finding: "Question (Telephone): Were you greeted?"."""
    if finding.kind is FindingKind.question:
        text = names.question_text.get((finding.channel, finding.key), finding.key)
        return f"Question ({figures.CHANNEL_NAMES[finding.channel]}): {text}"
    if finding.kind is FindingKind.standard:
        return "Standard: " + (names.standards.get(finding.key) or finding.key)
    if finding.kind is FindingKind.service_area:
        return "Service area: " + names.service_area.get(int(finding.key), finding.key)
    return "Channel: " + figures.CHANNEL_NAMES[Channel(finding.key)]


def progress(action: PlanAction, today: date) -> str:
    """on_track, overdue (planned or in progress past its due date), done or dropped."""
    if action.status is ActionStatus.done:
        return "done"
    if action.status is ActionStatus.dropped:
        return "dropped"
    return "overdue" if action.due_on < today else "on_track"


# --- reading plans -------------------------------------------------------------------------------


def actions_of(organisation_id: int, wave_ids) -> list[PlanAction]:
    return list(
        db.session.scalars(
            sa.select(PlanAction)
            .where(PlanAction.organisation_id == organisation_id, PlanAction.wave_id.in_(list(wave_ids)))
            .order_by(PlanAction.due_on, PlanAction.id)
        )
    )


def responses_of(organisation_id: int, wave_ids) -> list[FindingResponse]:
    return list(
        db.session.scalars(
            sa.select(FindingResponse)
            .where(
                FindingResponse.organisation_id == organisation_id,
                FindingResponse.wave_id.in_(list(wave_ids)),
            )
            .order_by(FindingResponse.id)
        )
    )


def dashboard(programme: Programme, names: figures.Names, today: date) -> list[dict]:
    """Per partner organisation: its actions counted by progress, and its responses to findings."""
    counts: dict[int, Counter] = {o: Counter() for o in names.organisation}
    for action in db.session.scalars(sa.select(PlanAction).where(PlanAction.programme_id == programme.id)):
        counts.setdefault(action.organisation_id, Counter())[progress(action, today)] += 1
    responses = Counter(
        db.session.scalars(
            sa.select(FindingResponse.organisation_id).where(FindingResponse.programme_id == programme.id)
        )
    )
    return [
        {
            "organisation": names.organisation[organisation_id],
            "counts": counts[organisation_id],
            "actions": sum(counts[organisation_id].values()),
            "responses": responses.get(organisation_id, 0),
        }
        for organisation_id in sorted(counts, key=lambda o: names.organisation[o].name)
        if organisation_id in names.organisation
    ]


# --- writing -------------------------------------------------------------------------------------


def add_action(wave: Wave, organisation_id: int, finding: Finding, author, **values) -> PlanAction:
    action = PlanAction(
        programme_id=wave.programme_id,
        organisation_id=organisation_id,
        wave_id=wave.id,
        finding_kind=finding.kind,
        finding_channel=finding.channel,
        finding_key=finding.key,
        created_by_id=author.id,
        **values,
    )
    db.session.add(action)
    db.session.flush()
    audit.record("plan_action.added", action, actor=author, finding=finding.value, due_on=str(action.due_on))
    return action


def update_action(action: PlanAction, author, **values) -> None:
    changed = {}
    for name, value in values.items():
        old = getattr(action, name)
        if old != value:
            changed[name] = [_plain(old), _plain(value)]
            setattr(action, name, value)
    if changed:
        audit.record("plan_action.changed", action, actor=author, changed=changed)


def add_note(action: PlanAction, text: str, today: date, author) -> PlanNote:
    note = PlanNote(action=action, written_on=today, text=text, author_id=author.id)
    db.session.add(note)
    db.session.flush()
    audit.record("plan_action.note_added", action, actor=author, note_id=note.id)
    return note


def add_response(wave: Wave, organisation_id: int, finding: Finding, text: str, author) -> FindingResponse:
    response = FindingResponse(
        programme_id=wave.programme_id,
        organisation_id=organisation_id,
        wave_id=wave.id,
        finding_kind=finding.kind,
        finding_channel=finding.channel,
        finding_key=finding.key,
        text=text,
        author_id=author.id,
    )
    db.session.add(response)
    db.session.flush()
    audit.record("finding_response.added", response, actor=author, finding=finding.value)
    return response


def _plain(value):
    if isinstance(value, ActionStatus):
        return value.value
    return str(value) if isinstance(value, date) else value
