"""The programme's time zone: times are stored in UTC, entered and shown in the programme's local time.

A coordinator in Kent types "9:00" for a phone-bank block and means 9:00 on the office clock, BST or GMT.
Two local times need care (``to_utc``): a time in the spring-forward gap does not exist (01:30 on the last
Sunday of March in London) and is refused with a message that says so; a time in the autumn overlap happens
twice (01:30 on the last Sunday of October) and is taken as the first of the two (``fold=0``, still summer
time), which the form's hint says.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from wtforms import DateTimeLocalField
from wtforms.validators import ValidationError

DEFAULT_TIMEZONE = "Europe/London"


class NonexistentLocalTime(ValueError):
    """The local time falls in a daylight-saving gap: clocks jumped over it."""


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def is_valid_timezone(name: str) -> bool:
    """An IANA name zoneinfo knows ("Europe/London"); abbreviations ("BST") and offsets ("+01:00") are refused."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in available_timezones()


def to_utc(local: datetime, zone_name: str | None) -> datetime:
    """A naive local wall-clock time in ``zone_name`` as an aware UTC datetime.

    Raises ``NonexistentLocalTime`` for a time in a spring-forward gap; an ambiguous autumn time is the
    first occurrence.
    """
    tz = zone(zone_name)
    first = local.replace(tzinfo=tz, fold=0)
    in_utc = first.astimezone(UTC)
    # A gap time does not survive the round trip: it comes back shifted by the jump.
    if in_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(
            f"{local:%H:%M} on {local:%-d %B %Y} does not exist in {tz.key}: the clocks go forward then. "
            "Choose a time before or after the change."
        )
    return in_utc


def to_local(value: datetime, zone_name: str | None) -> datetime:
    return value.astimezone(zone(zone_name))


def local_day_bounds(first: date, last: date, zone_name: str | None) -> tuple[datetime, datetime]:
    """From local midnight at the start of ``first`` to local midnight after ``last``, in UTC."""
    tz = zone(zone_name)
    starts = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    ends = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return starts, ends


def local_time(value: datetime | None, programme, fmt: str = "%-d %b %Y %H:%M") -> str:
    """Template filter: a stored UTC time as the programme's clock shows it, e.g. ``{{ t|local_time(p) }}``."""
    if value is None:
        return ""
    return to_local(value, getattr(programme, "timezone", None)).strftime(fmt)


class LocalDateTimeField(DateTimeLocalField):
    """A date and time typed in the form's ``time_zone`` (set by the view); ``utc`` holds what is stored.

    The view sets ``form.time_zone`` before validating; a time the clocks skip is a field error.
    """

    utc: datetime | None = None

    def post_validate(self, form, validation_stopped):
        self.utc = None
        if validation_stopped or self.data is None or self.errors:
            return
        try:
            self.utc = to_utc(self.data, getattr(form, "time_zone", None))
        except NonexistentLocalTime as error:
            raise ValidationError(str(error)) from error

    def show_utc(self, value: datetime, zone_name: str | None) -> None:
        """Fill the field with a stored UTC time, as the local clock shows it."""
        self.data = to_local(value, zone_name).replace(tzinfo=None)
