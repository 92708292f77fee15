"""Figures read from the roll-up cells: the rows of ``GET /api/v1/results`` and of every results page.

Each figure is a sum over ``ResultCell`` rows (a few thousand per wave at most, whatever the number of
reports), shaped by ``app.results.statistics``. Pages and the API call the same functions, so they show the
same numbers.
"""

import copy
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.labels import CHANNEL_LABELS
from app.programmes.models import (
    Channel,
    ContactPoint,
    Organisation,
    Programme,
    ReferenceFigure,
    ServiceArea,
    ServiceStandard,
    Wave,
)
from app.questionnaires.models import Question, Questionnaire, QuestionnaireVersion
from app.results import statistics as stats
from app.results.measures import BY_KEY, MEASURES
from app.results.models import ResultCell

GROUP_KEYS = ("organisation", "service_area", "channel", "contact_point", "wave")
_COLUMNS = {
    "organisation": ResultCell.organisation_id,
    "service_area": ResultCell.service_area_id,
    "channel": ResultCell.channel,
    "contact_point": ResultCell.contact_point_id,
    "wave": ResultCell.wave_id,
}
# The channels as every page names them (app/labels.py).
CHANNEL_NAMES = CHANNEL_LABELS


@dataclass(frozen=True)
class Filters:
    organisation_id: int | None = None
    service_area_id: int | None = None
    channel: Channel | None = None
    contact_point_id: int | None = None


class Names:
    """The names of a programme's groups, read once per request (tens to hundreds of rows), and what else
    its figures are labelled with: question texts and reference figures, read when first asked for."""

    def __init__(self, programme: Programme):
        self.programme_id = programme.id
        partnership_id = programme.partnership_id
        self.organisation = {
            o.id: o
            for o in db.session.scalars(sa.select(Organisation).filter_by(partnership_id=partnership_id))
        }
        self.service_area = {
            a.id: a.name
            for a in db.session.scalars(sa.select(ServiceArea).filter_by(partnership_id=partnership_id))
        }
        self.contact_point = dict(
            db.session.execute(
                sa.select(ContactPoint.id, ContactPoint.name)
                .join(Organisation)
                .where(Organisation.partnership_id == partnership_id)
            ).all()
        )
        self.waves = list(
            db.session.scalars(sa.select(Wave).filter_by(programme_id=programme.id).order_by(Wave.number))
        )
        self.wave = {w.id: w.name for w in self.waves}
        self.wave_number = {w.id: w.number for w in self.waves}
        self._groups = {}
        self._read = {}  # what is read when first asked for, by name
        self.standards = {
            s.code: s.name
            for s in db.session.scalars(sa.select(ServiceStandard).filter_by(programme_id=programme.id))
        }

    def showing(self, wave_ids) -> "Names":
        """These names with only the waves among ``wave_ids`` (those released to a partner), sharing the
        rest: what is read already, and what is read later through either."""
        shown = copy.copy(self)
        shown.waves = [w for w in self.waves if w.id in wave_ids]
        return shown

    def _once(self, name: str, read):
        if name not in self._read:
            self._read[name] = read()
        return self._read[name]

    @property
    def question_text(self) -> dict:
        """{(channel, key): text} from the latest version of each of the programme's questionnaires."""
        return self._once("question_text", self._question_text)

    @property
    def reference(self) -> dict:
        """{channel: the programme's reference figure for it}."""
        return self._once("reference", self._reference)

    def _question_text(self) -> dict:
        texts = {}
        query = (
            sa.select(Questionnaire.channel, Question.key, Question.text)
            .join(QuestionnaireVersion, QuestionnaireVersion.id == Question.version_id)
            .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
            .where(Questionnaire.programme_id == self.programme_id)
            .order_by(QuestionnaireVersion.number)
        )
        for channel, key, text in db.session.execute(query):
            texts[(channel, key)] = text
        return texts

    def _reference(self) -> dict:
        return {
            r.channel: r
            for r in db.session.scalars(sa.select(ReferenceFigure).filter_by(programme_id=self.programme_id))
        }

    def group(self, key: str, value) -> dict:
        """``{"id", "name"}`` of one group; made once per request and shared by the rows that name it."""
        made = self._groups.get((key, value))
        if made is None:
            made = self._groups[(key, value)] = self._group(key, value)
        return made

    def _group(self, key: str, value) -> dict:
        if key == "channel":
            return {"id": value.value, "name": CHANNEL_NAMES[value]}
        if key == "organisation":
            organisation = self.organisation.get(value)
            return {"id": value, "name": organisation.name if organisation else str(value)}
        return {"id": value, "name": getattr(self, key).get(value, str(value))}


def waves_with_results(programme_id: int) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(ResultCell.wave_id).where(ResultCell.programme_id == programme_id).distinct()
        )
    )


def default_wave(names: Names, programme_id: int) -> Wave | None:
    """The latest wave with results, else the latest wave."""
    with_results = waves_with_results(programme_id)
    for wave in reversed(names.waves):
        if wave.id in with_results:
            return wave
    return names.waves[-1] if names.waves else None


def previous_wave(names: Names, wave: Wave) -> Wave | None:
    earlier = [w for w in names.waves if w.number < wave.number]
    return earlier[-1] if earlier else None


def sums(programme_id: int, wave_ids, filters: Filters, group_by: tuple, prefix: str | None = None) -> dict:
    """{group values: {measure: (total, n, squares)}} over the cells that match: the headline measures, or with
    ``prefix`` those whose key starts with it (``question:`` and ``section:`` are kept in the cells' details)."""
    keys = [_COLUMNS[key] for key in group_by]
    column = ResultCell.details if prefix in ("question:", "section:") else ResultCell.tallies
    query = sa.select(*keys, column).where(ResultCell.programme_id == programme_id)
    if wave_ids is not None:
        query = query.where(ResultCell.wave_id.in_(list(wave_ids)))
    if filters.organisation_id:
        query = query.where(ResultCell.organisation_id == filters.organisation_id)
    if filters.service_area_id:
        query = query.where(ResultCell.service_area_id == filters.service_area_id)
    if filters.channel:
        query = query.where(ResultCell.channel == filters.channel)
    if filters.contact_point_id:
        query = query.where(ResultCell.contact_point_id == filters.contact_point_id)
    grouped: dict = {}
    width = len(keys)
    for row in db.session.execute(query):
        group = grouped.setdefault(tuple(row[:width]), {})
        for measure, (total, n, squares) in row[width].items():
            if prefix and not measure.startswith(prefix):
                continue
            cell = group.get(measure)
            if cell is None:
                group[measure] = [total, n, squares]
            else:
                cell[0] += total
                cell[1] += n
                cell[2] += squares
    return grouped


def shaped(measure_key: str, cell, min_sample: int) -> dict:
    total, n, squares = cell
    if BY_KEY.get(measure_key) and BY_KEY[measure_key].kind == "mean":
        return stats.mean(total, squares, n, min_sample)
    return stats.rate(total, n, min_sample)


def rows(
    programme: Programme, names: Names, wave: Wave | None, filters: Filters, group_by: tuple
) -> list[dict]:
    """The API's rows: one per group, with reports, score, change since the previous wave, standards, measures,
    and, when organisations are compared, their rank (small samples left out)."""
    minimum = programme.min_sample
    all_waves = "wave" in group_by
    wave_ids = None if all_waves and wave is None else ([wave.id] if wave else [])
    current = sums(programme.id, wave_ids, filters, group_by)
    earlier = {}
    before = previous_wave(names, wave) if wave and not all_waves else None
    if before is not None:
        earlier = sums(programme.id, [before.id], filters, group_by)
    references = names.reference if "channel" in group_by else {}
    result = []
    for key in sorted(current, key=lambda k: _sort_key(names, group_by, k)):
        cells = current[key]
        row = {name: names.group(name, value) for name, value in zip(group_by, key, strict=True)}
        row["reports"] = int(cells.get("reports", (0, 0, 0))[1])
        row["score"] = shaped("score", cells.get("score", (0, 0, 0)), minimum)
        previous = earlier.get(key, {}).get("score")
        row["score_change"] = (
            stats.change(row["score"], shaped("score", previous, minimum)) if previous else None
        )
        row["critical_failures"] = shaped(
            "critical_failure", cells.get("critical_failure", (0, 0, 0)), minimum
        )
        row["standards"] = [
            {
                "code": code[len("standard:") :],
                "name": names.standards.get(code[len("standard:") :], ""),
                "rate": stats.rate(cell[0], cell[1], minimum),
            }
            for code, cell in sorted(cells.items())
            if code.startswith("standard:")
        ]
        row["measures"] = {
            measure.name: shaped(measure.key, cells[measure.key], minimum)
            for measure in MEASURES
            if measure.group and measure.key in cells
        }
        if references:
            reference = references.get(key[group_by.index("channel")])
            row["reference"] = (
                {"value": round(reference.value / 100, 4), "source": reference.source} if reference else None
            )
        row["rank"] = None
        result.append(row)
    if "organisation" in group_by:
        _rank(result, group_by)
    return result


def _sort_key(names: Names, group_by, key):
    order = []
    for name, value in zip(group_by, key, strict=True):
        if name == "wave":
            order.append(names.wave_number.get(value, 0))
        elif name == "channel":
            order.append(list(Channel).index(value))
        else:
            order.append(str(names.group(name, value)["name"]))
    return tuple(order)


def _rank(result: list[dict], group_by: tuple) -> None:
    """Rank organisations within each set of rows that share the other group keys; small samples unranked."""
    others = [name for name in group_by if name != "organisation"]
    partitions: dict = {}
    for row in result:
        partitions.setdefault(tuple(row[name]["id"] for name in others), []).append(row)
    for members in partitions.values():
        ranked = sorted(
            (r for r in members if r["score"]["value"] is not None and not r["score"]["small_sample"]),
            key=lambda r: -r["score"]["value"],
        )
        for position, row in enumerate(ranked):
            same = position and ranked[position - 1]["score"]["value"] == row["score"]["value"]
            row["rank"] = ranked[position - 1]["rank"] if same else position + 1


def strengths_and_weaknesses(
    programme: Programme, names: Names, wave: Wave, filters: Filters, how_many: int = 3
):
    """Per service area: the highest- and lowest-scoring questions and standards (samples of at least the
    programme's minimum only), each with its rate."""
    texts = names.question_text
    grouped = sums(programme.id, [wave.id], filters, ("service_area", "channel"), prefix="question:")
    standards = sums(programme.id, [wave.id], filters, ("service_area", "channel"), prefix="standard:")
    areas: dict = {}
    for source, prefix in ((grouped, "question:"), (standards, "standard:")):
        for (area_id, channel), cells in source.items():
            for measure, cell in cells.items():
                key = measure[len(prefix) :]
                label = (
                    texts.get((channel, key), key) if prefix == "question:" else names.standards.get(key, key)
                )
                item = {
                    "kind": "question" if prefix == "question:" else "standard",
                    "channel": CHANNEL_NAMES[channel],
                    "label": label,
                    "rate": stats.rate(cell[0], cell[1], programme.min_sample),
                }
                areas.setdefault(area_id, []).append(item)
    result = []
    for area_id, items in sorted(areas.items(), key=lambda a: names.service_area.get(a[0], "")):
        trusted = sorted(
            (i for i in items if not i["rate"]["small_sample"]), key=lambda i: -i["rate"]["value"]
        )
        result.append(
            {
                "service_area": names.group("service_area", area_id),
                "strengths": trusted[:how_many],
                "weaknesses": list(reversed(trusted[how_many:]))[:how_many],
                "left_out": sum(1 for i in items if i["rate"]["small_sample"]),
            }
        )
    return result
