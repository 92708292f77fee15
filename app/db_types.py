"""Column types shared by the models."""

import enum
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every database.

    SQLite drops the offset on the way back; this puts UTC back so that
    Python comparisons never mix naive and aware datetimes.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given for a UTC column")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    # On SQLite, where the value is text, each way is one step instead of two (this class's, then
    # SQLAlchemy's text format and its regular expression): a sync writes four hundred of these.
    # The text is SQLAlchemy's own ("2026-11-30 12:00:00.000000"); tests/test_db_types.py holds that
    # both ways give what SQLAlchemy's would.

    def bind_processor(self, dialect):
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        last = (
            None,
            None,
        )  # the last moment written and its text: a batch writes its own moment hundreds of times

        def as_text(value):
            nonlocal last
            if value is None:
                return None
            seen, text = last  # one tuple, read and replaced whole: threads may share this processor
            if value is seen:
                return text
            text = self.process_bind_param(value, dialect).replace(tzinfo=None).isoformat(" ", "microseconds")
            last = (value, text)
            return text

        return as_text

    def result_processor(self, dialect, coltype):
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        slow = super().result_processor(dialect, coltype)

        def from_text(value):
            if value is None:
                return None
            try:
                parsed = datetime.fromisoformat(value)
            except (TypeError, ValueError):  # not the text SQLAlchemy writes: its own parser decides
                return slow(value)
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)

        return from_text


def enum_column(enum_class: type[enum.Enum], **kwargs) -> sa.Enum:
    """A portable enum: a VARCHAR with a CHECK constraint, storing the values."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        name=kwargs.pop("name", enum_class.__name__.lower()),
        **kwargs,
    )
