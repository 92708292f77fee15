"""Demo planning: targets on the open wave's coverage grid, its workload limit, an evening-only shopper,
and two phone-bank blocks to book."""

from datetime import datetime, time, timedelta

from app.assignments.models import CoverageTarget, PhoneBlock, ShopperAvailability, WavePlan
from app.extensions import db
from app.programmes.models import Channel, WaveStatus
from app.programmes.timezones import to_utc

SATURDAY = 5


def working_days_after(today, count: int) -> list:
    """The next ``count`` weekdays after ``today``: phone banks run in office hours, never at a weekend."""
    days, day = [], today
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY:
            days.append(day)
    return days


def build_planning(partners, people: dict, today) -> None:
    db.session.flush()  # ids of contact points, areas and waves
    wave = next(w for w in partners.waves if w.status is WaveStatus.open)
    db.session.add(WavePlan(wave_id=wave.id, max_per_shopper=12))
    cells = sorted(
        {
            (p.organisation_id, a.id, p.channel)
            for p in partners.contact_points
            if p.active
            for a in p.service_areas
        },
        key=lambda c: (c[0], c[1], c[2].value),
    )
    # In person and telephone: a useful sample; the rest small, to show the minimum-sample flag.
    for _index, (organisation_id, area_id, channel) in enumerate(cells[:12]):
        target = 6 if channel in (Channel.in_person, Channel.telephone) else 3
        db.session.add(
            CoverageTarget(
                wave_id=wave.id,
                organisation_id=organisation_id,
                service_area_id=area_id,
                channel=channel,
                target=target,
            )
        )
    if "shopper3" in people:
        db.session.add(ShopperAvailability(user_id=people["shopper3"].id, weekday_daytime=False))
    # Two blocks from 9:00 on the programme's clock, on the second and third working day from today.
    for day in working_days_after(today, 3)[1:]:
        starts = to_utc(datetime.combine(day, time(9)), wave.programme.timezone)
        if day <= wave.ends_on:
            db.session.add(
                PhoneBlock(wave_id=wave.id, starts_at=starts, ends_at=starts + timedelta(hours=4), seats=4)
            )
