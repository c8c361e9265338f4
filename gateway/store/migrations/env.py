"""Alembic environment: Tessera passes its own connection in; the CLI builds one from settings."""

from __future__ import annotations

import os
from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from gateway.store.tables import UTCDateTime, metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write Tessera's UTCDateTime as the plain type it stores, so revisions stand alone."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_item=_render_item,
        render_as_batch=connection.dialect.name
        == "sqlite",  # ALTER via table copy on SQLite
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # `alembic revision --autogenerate` from a developer's shell
    from gateway.settings import load_settings
    from gateway.store.engine import make_engine

    engine = make_engine(load_settings(os.environ))
    with engine.begin() as conn:
        _run(conn)
