"""Idempotent bulk inserts: rows whose key is already stored are skipped, on both databases.

``insert_ignore`` is ``INSERT ... ON CONFLICT DO NOTHING`` as one executemany. The statement is
compiled once per table and dialect, and values are converted by one small function per column
type, instead of SQLAlchemy's per-row parameter processing: on the intake hot path that
processing cost more than the database's own work. Inside a transaction these statements go
straight to the driver's cursor (``run``), with its errors wrapped as SQLAlchemy's, so callers
and error handlers see what ``exec_driver_sql`` would have raised.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from gateway.store.tables import UTCDateTime

Convert = Callable[[Any], Any]


_last_datetime: tuple[datetime | None, str | None] = (None, None)


def _sqlite_datetime(value: datetime | None) -> str | None:
    # The storage format of SQLAlchemy's SQLite DATETIME, in UTC (as UTCDateTime stores it).
    # A batch stamps many rows with one ``now``: the last value converted is remembered.
    global _last_datetime
    if value is None:
        return None
    last = _last_datetime
    if value is last[0]:
        return last[1]
    utc = value if value.tzinfo is UTC else value.astimezone(UTC)
    text = utc.isoformat(" ", "microseconds")[:26]  # without the "+00:00"
    _last_datetime = (value, text)
    return text


def _pg_datetime(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


_encode = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    return "[]" if value == [] else _encode(value)


def _pg_json(value: Any) -> Any:
    from psycopg.types.json import Json

    return None if value is None else Json(value)


@functools.cache
def _plan(
    table: Table, dialect_name: str, mode: str = "ignore"
) -> tuple[str, tuple[str, ...], tuple[tuple[int, Convert], ...]]:
    """(SQL text, column order, converters by position) for one table on one dialect.

    ``mode``: "ignore" skips a row whose key is stored; "replace" overwrites the stored
    row's other columns; "append" is a plain insert. An autoincrement primary key (a ``seq``
    storage order) is left to the database.
    """
    module = sqlite if dialect_name == "sqlite" else postgresql
    serial = table.autoincrement_column
    columns = tuple(c.name for c in table.columns if c is not serial)
    insert = module.insert(table)
    statement: Any = insert  # "append"
    if mode == "replace":
        keys = [c.name for c in table.primary_key.columns]
        statement = insert.on_conflict_do_update(
            index_elements=keys,
            set_={
                c.name: insert.excluded[c.name]
                for c in table.columns
                if c.name not in keys
            },
        )
    elif mode == "ignore":
        statement = insert.on_conflict_do_nothing()
    compiled = statement.compile(
        dialect=module.dialect(paramstyle="qmark" if module is sqlite else "format"),
        column_keys=list(columns),
    )
    # Bind parameters appear in the order of compiled.positiontup.
    order = tuple(compiled.positiontup or ())
    assert set(order) == set(columns)  # noqa: S101 - every column is bound
    converters: list[tuple[int, Convert]] = []
    for position, name in enumerate(order):
        col_type = table.c[name].type
        if isinstance(col_type, UTCDateTime):
            converters.append(
                (position, _sqlite_datetime if module is sqlite else _pg_datetime)
            )
        elif isinstance(col_type, JSON):
            converters.append((position, _json_text if module is sqlite else _pg_json))
        elif isinstance(col_type, Boolean) and module is sqlite:
            converters.append((position, _sqlite_bool))
    return str(compiled), order, tuple(converters)


def _sqlite_bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def insert_ignore(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]]
) -> None:
    """``INSERT ... ON CONFLICT DO NOTHING`` for ``rows`` (absent keys are NULL)."""
    _execute(conn, table, rows, "ignore")


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``INSERT ... ON CONFLICT (primary key) DO UPDATE`` for ``rows``: new rows or new values."""
    _execute(conn, table, rows, "replace")


def append(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """A plain ``INSERT`` of ``rows`` into a table whose key the database numbers (``seq``)."""
    _execute(conn, table, rows, "append")


def bind(
    table: Table, dialect_name: str, mode: str, rows: Sequence[dict[str, Any]]
) -> tuple[str, list[tuple[Any, ...]]]:
    """The SQL text and the driver's parameters for writing ``rows`` (``mode``: see _plan).

    Plain values only, so they can be made in one process and executed in another.
    """
    sql, order, converters = _plan(table, dialect_name, mode)
    pick, width = operator.itemgetter(*order), len(order)
    params = []
    for row in rows:
        values = list(pick(row)) if len(row) == width else [row.get(k) for k in order]
        for position, convert in converters:
            values[position] = convert(values[position])
        params.append(tuple(values))
    return sql, params


def _execute(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], mode: str
) -> None:
    if rows:
        sql, params = bind(table, conn.dialect.name, mode, rows)
        run(conn, sql, params[0] if len(params) == 1 else params, many=len(params) > 1)


def run(
    conn: Connection, sql: str, params: Any, *, many: bool = False
) -> list[tuple[Any, ...]]:
    """Execute driver-level ``sql`` in ``conn``'s transaction; its rows, if it has any.

    SQLAlchemy's execution path (events, result objects, per-call bookkeeping) costs more
    than SQLite's own work for these small statements, so within a transaction the driver's
    cursor is used directly. A driver error is raised as the SQLAlchemy error
    ``exec_driver_sql`` would raise (so 503s and retries work the same), and a lost
    connection is invalidated so the pool never hands it out again. Outside a transaction,
    SQLAlchemy runs it (and begins the transaction as it always does).
    """
    if not conn.in_transaction():
        result = conn.exec_driver_sql(sql, params)
        return [tuple(row) for row in result] if result.returns_rows else []
    dialect = conn.dialect
    dbapi_conn: Any = conn.connection.dbapi_connection
    cursor = dbapi_conn.cursor()
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []
    except dialect.loaded_dbapi.Error as exc:
        lost = dialect.is_disconnect(exc, dbapi_conn, cursor)
        if lost:
            conn.invalidate(exc)
        raise DBAPIError.instance(
            sql,
            params,
            exc,
            dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=dialect,
            ismulti=many,
        ) from exc
    finally:
        cursor.close()


def select_in(
    conn: Connection, sql: str, values: Sequence[Any], *, before: Sequence[Any] = ()
) -> list[Any]:
    """Run ``sql`` with ``{in}`` replaced by one placeholder per value (a hot-path look-up).

    ``before`` are parameters for placeholders written as ``{p}`` ahead of ``{in}``; ``{in}``
    may appear more than once, each time with ``values``. Built as text each call: cheaper
    than compiling an expanding IN, and still parameterized.
    """
    if not values:
        return []
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    text = sql.format(p=mark, **{"in": ", ".join([mark] * len(values))})
    repeated = list(values) * sql.count("{in}")
    return run(conn, text, (*before, *repeated))
