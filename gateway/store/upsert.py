"""Idempotent inserts: rows whose key is already stored are skipped, on both databases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]]
) -> None:
    """``INSERT ... ON CONFLICT DO NOTHING`` for ``rows`` in one executemany."""
    if not rows:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), list(rows))
