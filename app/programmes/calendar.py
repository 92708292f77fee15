"""The programme's calendar: working days are Monday to Friday, less the bank holidays a coordinator entered."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.extensions import db
from app.programmes.models import BankHoliday


def parse_bank_holidays(text: str) -> list[tuple[date, str]]:
    """One bank holiday a line, as a coordinator types it: "2026-12-25 Christmas Day" (the name optional).
    Raises ValueError naming the first line that is not so."""
    days = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        first, _, name = line.partition(" ")
        try:
            day = date.fromisoformat(first)
        except ValueError:
            raise ValueError(
                f"Line {number} (“{line[:40]}”) does not start with a date written as 2026-12-25."
            ) from None
        days[day] = name.strip()[:200]
    return sorted(days.items())


def bank_holidays_text(programme_id: int) -> str:
    rows = db.session.execute(
        sa.select(BankHoliday.day, BankHoliday.name)
        .where(BankHoliday.programme_id == programme_id)
        .order_by(BankHoliday.day)
    )
    return "\n".join(f"{day.isoformat()} {name}".strip() for day, name in rows)


def replace_bank_holidays(programme_id: int, days: list[tuple[date, str]]) -> bool:
    """The programme's bank holidays become ``days``; whether anything changed. The caller commits."""
    held = dict(
        db.session.execute(
            sa.select(BankHoliday.day, BankHoliday.name).where(BankHoliday.programme_id == programme_id)
        ).all()
    )
    if held == dict(days):
        return False
    db.session.execute(sa.delete(BankHoliday).where(BankHoliday.programme_id == programme_id))
    db.session.add_all(BankHoliday(programme_id=programme_id, day=day, name=name) for day, name in days)
    return True


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, count: int, holidays: set[date]) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count -= 1
    return day


def holidays_of(programme_id: int, since: date | None = None, until: date | None = None) -> set[date]:
    query = sa.select(BankHoliday.day).where(BankHoliday.programme_id == programme_id)
    if since is not None:
        query = query.where(BankHoliday.day >= since)
    if until is not None:
        query = query.where(BankHoliday.day <= until)
    return set(db.session.scalars(query))


def last_day_to_reply(sent_at: datetime, timezone: str, working_days: int, holidays: set[date]) -> date:
    """The last day, on the programme's clock, on which a reply to a message sent at ``sent_at`` is in time."""
    return add_working_days(sent_at.astimezone(ZoneInfo(timezone)).date(), working_days, holidays)


def local_date(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()
