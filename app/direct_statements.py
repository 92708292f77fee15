"""Core statements on a hot path, compiled once per database and run on the session connection's cursor.

``connection.execute(statement)`` costs some 60 µs of Python per statement on top of the driver's own
work: the compiled cache's key, an execution context, the result's metadata and Row objects. A PUT of one
report runs six statements, and that overhead was a fifth of its CPU: what kept it under 1,000 PUTs/s
(bench/README.md, session 9). A ``DirectStatement`` compiles its statement once for each database and
each set of parameter names, with that database's dialect, and keeps what the execution would work out
every time: the SQL text, the parameters' order and the conversions of their column types (the same
``bind_processor`` and ``result_processor`` SQLAlchemy itself uses, so that what is written and read stays
in step with the models). Each run is then the driver's ``execute`` and a loop over the values.

What it keeps of ``Connection.execute``: the same connection and transaction, the engine's
``before_cursor_execute`` and ``after_cursor_execute`` listeners (SQLite's write turns in
``app.database`` are one, tests that count statements another), and the driver's errors as SQLAlchemy's
(``IntegrityError`` for a unique constraint). A statement whose SQL depends on the values (an expanding
``IN``) cannot be compiled once: it goes through ``connection.execute``, with the same answers. Left out:
Python-side column defaults (an INSERT must be given every column that has one: refused when compiled),
the execution context (listeners are given None for it) and echo logging.
"""

from collections import namedtuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection


class _Compiled:
    """One statement compiled for one dialect and one set of parameter names."""

    def __init__(self, statement, dialect, keys: tuple[str, ...] | None):
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        self.expanding = any(bind.expanding for bind in compiled.binds.values())
        unset = [column.key for column in [*compiled.insert_prefetch, *compiled.update_prefetch]]
        if unset:
            raise ValueError(f"give these columns' values (their defaults are Python's): {', '.join(unset)}")
        self.sql = compiled.string
        self.names = list(compiled.positiontup) if compiled.positional else list(compiled.bind_names.values())
        # (parameter key, whether it must be given, else its fixed value, conversion), in the SQL's order
        self.binds = [
            (bind.key, bind.required, bind.value, bind.type.dialect_impl(dialect).bind_processor(dialect))
            for bind in (compiled.binds[name] for name in self.names)
        ]
        self.positional = compiled.positional
        # A SELECT's columns; an INSERT's or UPDATE's RETURNING (none without it).
        columns = list(
            statement.selected_columns if isinstance(statement, sa.Select) else statement.exported_columns
        )
        self.row = namedtuple("Row", [column.key for column in columns]) if columns else None
        self.conversions = [
            (index, converter)
            for index, column in enumerate(columns)
            if (converter := column.type.dialect_impl(dialect).result_processor(dialect, None))
        ]

    def parameters(self, values: dict):
        converted = []
        for key, required, fixed, convert in self.binds:
            value = values[key] if required else values.get(key, fixed)
            converted.append(value if convert is None else convert(value))
        return converted if self.positional else dict(zip(self.names, converted, strict=False))

    def make_row(self, raw):
        if not self.conversions:
            return self.row._make(raw)
        values = list(raw)
        for index, convert in self.conversions:
            values[index] = convert(values[index])
        return self.row._make(values)


class DirectStatement:
    """A Core statement run as ``connection.execute`` would run it, without its per-execution work."""

    def __init__(self, statement):
        self.statement = statement
        # (database, driver, parameter names) -> _Compiled. By name, not by engine: the app's engines of one
        # database are configured alike (``app.database.engine_options``), and tests make many.
        self._compiled = {}

    def _compiled_for(self, connection: Connection, values: dict) -> _Compiled:
        dialect = connection.dialect
        key = (dialect.name, dialect.driver, tuple(values) if self.statement.is_insert else None)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self.statement, dialect, key[2])
        return compiled

    def rows(self, connection: Connection, values: dict) -> list:
        """The rows of a SELECT or a statement with RETURNING, as named tuples of converted values."""
        compiled = self._compiled_for(connection, values)
        if compiled.expanding:
            return connection.execute(self.statement, values).all()
        cursor = _run(connection, compiled, compiled.parameters(values), many=False)
        rows = [compiled.make_row(raw) for raw in cursor.fetchall()]
        cursor.close()
        return rows

    def executemany(self, connection: Connection, list_of_values: list[dict]) -> None:
        """One statement, run for each dict of values (the same keys in each)."""
        compiled = self._compiled_for(connection, list_of_values[0])
        if compiled.expanding:
            connection.execute(self.statement, list_of_values)
            return
        _run(
            connection, compiled, [compiled.parameters(values) for values in list_of_values], many=True
        ).close()


def _run(connection: Connection, compiled: _Compiled, parameters, many: bool):
    cursor = connection.connection.cursor()
    sql = compiled.sql
    for listener in connection.dispatch.before_cursor_execute:  # wrapped by SQLAlchemy to hand both back
        sql, parameters = listener(connection, cursor, sql, parameters, None, many)
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
    except connection.dialect.loaded_dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(
            sql, parameters, error, connection.dialect.loaded_dbapi.Error
        ) from error
    for listener in connection.dispatch.after_cursor_execute:
        listener(connection, cursor, sql, parameters, None, many)
    return cursor
