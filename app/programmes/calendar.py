"""The programme's calendar: working days are Monday to Friday, less the bank holidays a coordinator entered."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.extensions import db
from app.programmes.models import BankHoliday


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
