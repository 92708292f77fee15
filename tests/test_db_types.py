"""UTCDateTime's quick SQLite processors (app/db_types.py) give what SQLAlchemy's own give."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from app.db_types import UTCDateTime

SQLITE = sqlite.dialect()
OURS = UTCDateTime().dialect_impl(SQLITE)  # as SQLAlchemy uses it on SQLite
QUICK_BIND, QUICK_RESULT = OURS.bind_processor(SQLITE), OURS.result_processor(SQLITE, None)
# SQLAlchemy's way: this class's process_*_value chained with SQLite DATETIME's text format and parser.
SLOW_BIND = sa.types.TypeDecorator.bind_processor(OURS, SQLITE)
SLOW_RESULT = sa.types.TypeDecorator.result_processor(OURS, SQLITE, None)

aware = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-23 * 60, max_value=23 * 60),
)


@given(aware)
def test_written_and_read_back_as_sqlalchemy_would(moment):
    text = QUICK_BIND(moment)
    assert text == SLOW_BIND(moment)
    assert QUICK_RESULT(text) == SLOW_RESULT(text) == moment
    assert QUICK_RESULT(text).tzinfo == UTC


def test_none_naive_and_other_texts():
    assert QUICK_BIND(None) is None and QUICK_RESULT(None) is None
    with pytest.raises(ValueError):
        QUICK_BIND(datetime(2026, 11, 30))
    for text in (
        "2026-11-30 12:00:00",
        "2026-11-30 12:00:00.5",
        "2026-11-30",
    ):  # CURRENT_TIMESTAMP, hand-written
        assert QUICK_RESULT(text) == SLOW_RESULT(text)


def test_other_databases_keep_sqlalchemys_processors():
    on_postgresql = UTCDateTime().dialect_impl(postgresql.dialect())
    moment = datetime(2026, 11, 30, 13, tzinfo=timezone(timedelta(hours=1)))
    bind = on_postgresql.bind_processor(postgresql.dialect())
    assert bind(moment) == datetime(2026, 11, 30, 12, tzinfo=UTC)  # a datetime for psycopg, not text


def test_the_same_moment_again_and_then_another():
    first, second = (
        datetime(2026, 11, 30, 12, tzinfo=UTC),
        datetime(2026, 11, 30, 13, tzinfo=UTC),
    )
    assert [QUICK_BIND(v) for v in (first, first, second, first)] == [
        SLOW_BIND(v) for v in (first, first, second, first)
    ]
