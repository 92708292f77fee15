"""Automatic assignment as a pure function of plain data: who does which piece of a wave's work, and why.

No database here: ``planning.py`` loads everything up front in a few queries, calls
``plan_assignments`` and bulk-inserts the result. That keeps a wave of thousands of
assignments to seconds and lets tests and the benchmark drive it with made-up data.

The rules, in order of strength:

1. never against a declared conflict (same test as ``Conflict.touches``);
2. availability: offices and phone lines keep weekday office hours, so in-person, exit-interview and
   telephone work goes only to shoppers free on weekday daytimes; e-mail, letter and website tasks
   fit any time;
3. workload: at most ``max_per_shopper`` live assignments per shopper in the wave;
4. rotation: never the same shopper twice on one contact point in a wave;
5. phone bank: when the wave runs phone-bank blocks (``phone_bank``), telephone work goes only to a shopper
   with a booked seat that still has room (one seat rings 4 hours x the programme's telephone shops per
   hour), into the earliest such block;
then, among those left, prefer a shopper who lives in the neighbourhood named in the contact point's
address (in-person work only), then one who did not shop that contact point last wave, then the one
with the least work so far (spreading the load), then the lowest id (so the result is repeatable).
"""

from dataclasses import dataclass, field
from math import sqrt

from app.programmes.models import Channel

# Work done in office hours, by going there or ringing the line.
OFFICE_HOURS_CHANNELS = frozenset({Channel.in_person, Channel.exit_interview, Channel.telephone})
# Work where living nearby matters.
LOCAL_CHANNELS = frozenset({Channel.in_person, Channel.exit_interview})


def touches(
    conflict: tuple[int | None, int | None], organisation_id: int, service_area_id: int | None
) -> bool:
    """Whether a conflict ``(organisation_id or None, service_area_id or None)`` covers this work.

    Mirrors ``app.accounts.models.Conflict.touches`` on plain tuples (a test holds them equal).
    """
    conflict_organisation, conflict_area = conflict
    if conflict_organisation is not None and conflict_organisation != organisation_id:
        return False
    if conflict_area is not None and conflict_area != service_area_id:
        return False
    return True


def wilson_half_width(n: int, z: float = 1.96) -> float | None:
    """Half-width of the 95% Wilson interval at p = 0.5 for ``n`` reports: the precision a target buys."""
    if n <= 0:
        return None
    p = 0.5
    return z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)


@dataclass(frozen=True)
class PhoneSeat:
    """A booked seat in a phone-bank block and how many more calls it has room for."""

    block_id: int
    room: int
    label: str = ""  # when the block is, as the programme's clock shows it


@dataclass(frozen=True)
class ShopperInfo:
    id: int
    name: str = ""
    conflicts: tuple[tuple[int | None, int | None], ...] = ()
    weekday_daytime: bool = True
    neighbourhood: str = ""
    load: int = 0  # live assignments already held in the wave
    phone_seats: tuple[PhoneSeat, ...] = ()  # earliest block first


@dataclass(frozen=True)
class PointInfo:
    id: int
    name: str = ""
    locator: str = ""


@dataclass(frozen=True)
class CellNeed:
    """One grid cell still short of its target, with what the work would be done with."""

    organisation_id: int
    service_area_id: int
    channel: Channel
    missing: int
    contact_points: tuple[PointInfo, ...]
    scenario_ids: tuple[int, ...]
    questionnaire_version_id: int | None
    label: str = ""


@dataclass(frozen=True)
class Planned:
    shopper_id: int
    contact_point_id: int
    scenario_id: int
    questionnaire_version_id: int
    channel: Channel
    reason: str
    phone_block_id: int | None = None  # the booked block the call is made in


@dataclass(frozen=True)
class Unfilled:
    label: str
    missing: int
    why: str


@dataclass
class PlanResult:
    planned: list[Planned] = field(default_factory=list)
    unfilled: list[Unfilled] = field(default_factory=list)


def is_local(shopper: ShopperInfo, point: PointInfo, channel: Channel) -> bool:
    hood = shopper.neighbourhood.strip().lower()
    return bool(hood) and channel in LOCAL_CHANNELS and hood in point.locator.lower()


def plan_assignments(
    cells: list[CellNeed],
    shoppers: list[ShopperInfo],
    max_per_shopper: int,
    taken: set[tuple[int, int]] = frozenset(),
    last_wave: set[tuple[int, int]] = frozenset(),
    phone_bank: bool = False,
) -> PlanResult:
    """Fill each cell's missing count; what cannot be filled is reported with the reason.

    ``taken`` holds (shopper id, contact point id) pairs already in the wave (any state: a shopper who
    declined a contact point is not offered it again); ``last_wave`` the pairs of the previous wave;
    ``phone_bank`` says telephone work needs a booked seat with room (rule 5).
    """
    result = PlanResult()
    # Calls each booked seat can still take, spent as telephone work is planned: [block id, room, label].
    seats = {
        s.id: [[seat.block_id, seat.room, seat.label] for seat in s.phone_seats if seat.room > 0]
        for s in shoppers
    }
    load = {s.id: s.load for s in shoppers}
    by_id = {s.id: s for s in shoppers}
    conflict_sets = {s.id: frozenset(s.conflicts) for s in shoppers}
    taken_at = {}  # contact point id -> shopper ids already on it this wave
    for shopper_id, point_id in taken:
        taken_at.setdefault(point_id, set()).add(shopper_id)
    last_at = {}
    for shopper_id, point_id in last_wave:
        last_at.setdefault(point_id, set()).add(shopper_id)
    for cell in cells:
        if cell.missing <= 0:
            continue
        missing_what = _missing_means(cell)
        if missing_what:
            result.unfilled.append(Unfilled(cell.label, cell.missing, missing_what))
            continue
        # The conflicts that would touch this cell, as set lookups (same test as ``touches``).
        blocking = {
            (cell.organisation_id, cell.service_area_id),
            (cell.organisation_id, None),
            (None, cell.service_area_id),
            (None, None),
        }
        daytime_needed = cell.channel in OFFICE_HOURS_CHANNELS
        seat_needed = phone_bank and cell.channel is Channel.telephone
        candidate_ids = [
            s.id
            for s in shoppers
            if conflict_sets[s.id].isdisjoint(blocking)
            and (s.weekday_daytime or not daytime_needed)
            and (seats[s.id] or not seat_needed)
        ]
        points = cell.contact_points
        # Per point: who lives near it, who shopped it last wave (small sets; the rest rank the same).
        with_hood = (
            [i for i in candidate_ids if by_id[i].neighbourhood] if cell.channel in LOCAL_CHANNELS else []
        )
        near = {p.id: {i for i in with_hood if is_local(by_id[i], p, cell.channel)} for p in points}
        filled = 0
        for slot in range(cell.missing):
            point = points[slot % len(points)]
            taken_here = taken_at.setdefault(point.id, set())
            near_here, last_here = near[point.id], last_at.get(point.id, ())
            # One integer per candidate, smallest best: (far, shopped last wave), then load, then id.
            best_score, best = None, None
            for shopper_id in candidate_ids:
                held = load[shopper_id]
                if (
                    held >= max_per_shopper
                    or shopper_id in taken_here
                    or (seat_needed and not seats[shopper_id])
                ):
                    continue
                rank = (0 if shopper_id in near_here else 2) + (1 if shopper_id in last_here else 0)
                score = ((rank << 16) + held << 32) + shopper_id
                if best_score is None or score < best_score:
                    best_score, best = score, shopper_id
            if best is None:
                continue
            load[best] += 1
            taken_here.add(best)
            key = (best not in near_here, best in last_here)
            seat = _take_seat(seats[best]) if seat_needed else None
            result.planned.append(
                Planned(
                    best,
                    point.id,
                    cell.scenario_ids[slot % len(cell.scenario_ids)],
                    cell.questionnaire_version_id,
                    cell.channel,
                    _reason(by_id[best], point, cell, key, max_per_shopper, load[best], seat),
                    seat[0] if seat else None,
                )
            )
            filled += 1
        if filled < cell.missing:
            result.unfilled.append(
                Unfilled(
                    cell.label,
                    cell.missing - filled,
                    "no shopper left who is free of conflicts, available, under the workload limit "
                    "and new to the contact point this wave"
                    + (", with a booked phone-bank block that has room" if seat_needed else ""),
                )
            )
    return result


def _take_seat(open_seats: list[list]) -> tuple[int, str]:
    """One call from the shopper's earliest booked seat with room; a full seat drops out."""
    seat = open_seats[0]
    seat[1] -= 1
    if seat[1] <= 0:
        open_seats.pop(0)
    return seat[0], seat[2]


def _missing_means(cell: CellNeed) -> str:
    if not cell.contact_points:
        return "no active contact point of this organisation serves this area on this channel"
    if not cell.scenario_ids:
        return "no scenario for this service area"
    if cell.questionnaire_version_id is None:
        return "no questionnaire for this channel"
    return ""


def _reason(shopper, point, cell, key, max_per_shopper, held, seat=None) -> str:
    far_away, visited_last_wave = key
    parts = ["Automatic: no declared conflict with this organisation or service area"]
    if cell.channel in OFFICE_HOURS_CHANNELS:
        parts.append("free on weekday daytimes")
    if seat is not None:
        parts.append(f"booked the phone-bank block of {seat[1]}" if seat[1] else "booked a phone-bank block")
    if not far_away:
        parts.append(f"lives in {shopper.neighbourhood}, near {point.name or 'the contact point'}")
    parts.append(
        "shopped this contact point last wave (no one new to it was free)"
        if visited_last_wave
        else "did not shop this contact point last wave"
    )
    parts.append(f"assignment {held} of at most {max_per_shopper} this wave")
    return "; ".join(parts) + "."
