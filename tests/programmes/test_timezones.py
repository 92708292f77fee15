"""The programme's clock: local wall-clock times to UTC and back, across daylight-saving changes."""

from datetime import UTC, date, datetime

import pytest

from app.programmes.timezones import (
    NonexistentLocalTime,
    is_valid_timezone,
    local_day_bounds,
    local_time,
    to_utc,
)


@pytest.mark.parametrize(
    "local, expected",
    [
        (datetime(2027, 1, 15, 9, 0), datetime(2027, 1, 15, 9, 0, tzinfo=UTC)),  # GMT
        (datetime(2027, 7, 15, 9, 0), datetime(2027, 7, 15, 8, 0, tzinfo=UTC)),  # BST
        # 01:30 happens twice when the clocks go back: the first one, still summer time
        (datetime(2027, 10, 31, 1, 30), datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
    ],
)
def test_local_london_times_become_utc(local, expected):
    assert to_utc(local, "Europe/London") == expected


def test_a_time_the_clocks_skip_does_not_exist():
    with pytest.raises(NonexistentLocalTime, match="does not exist in Europe/London"):
        to_utc(datetime(2027, 3, 28, 1, 30), "Europe/London")
    assert to_utc(datetime(2027, 3, 28, 2, 0), "Europe/London") == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "name, valid",
    [
        ("Europe/London", True),
        ("America/New_York", True),
        ("UTC", True),
        ("BST", False),
        ("Europe/Atlantis", False),
        ("../etc/passwd", False),
        ("", False),
        ("+01:00", False),
    ],
)
def test_only_iana_names_are_time_zones(name, valid):
    assert is_valid_timezone(name) is valid


def test_stored_times_are_shown_on_the_programmes_clock_and_days_are_local():
    class Programme:
        timezone = "Europe/London"

    assert local_time(datetime(2027, 7, 1, 8, 0, tzinfo=UTC), Programme, "%H:%M %Z") == "09:00 BST"
    starts, ends = local_day_bounds(date(2027, 7, 1), date(2027, 7, 2), "Europe/London")
    assert starts == datetime(2027, 6, 30, 23, 0, tzinfo=UTC)
    assert ends == datetime(2027, 7, 2, 23, 0, tzinfo=UTC)
