"""Per-process caches of what the pipeline looks up on every batch, kept honest by tokens.

Alignment rules and known learner identifiers change rarely but are needed for every payload.
Each process keeps a copy tagged with the token of its kind read from ``pipeline_state`` in
the same transaction; whoever changes the underlying rows (adding or removing an alignment,
importing a framework, merging learners) calls :func:`invalidate`, which writes a new random
token. A database that was emptied or replaced has no tokens or new ones, so no stale copy
survives it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection

ALIGNMENTS = "alignments"
IDENTITY = "identity"
DESTINATIONS = (
    "destinations"  # the topics active destinations take (gateway.outbox.events)
)
T = TypeVar("T")

# (database URL, kind) -> (token, value)
_caches: dict[tuple[str, str], tuple[str, Any]] = {}


def current_tokens(conn: Connection) -> dict[str, str]:
    """The tokens of every cached kind, as this transaction sees them."""
    return dict(conn.exec_driver_sql("SELECT name, token FROM pipeline_state").all())


def cached(
    conn: Connection, kind: str, tokens: dict[str, str], load: Callable[[], T]
) -> T:
    """The process's copy of ``kind``, reloaded with ``load`` when its token changed."""
    token = tokens.get(kind)
    if (
        token is None
    ):  # never invalidated in this database: make a token to tag copies with
        token = invalidate(conn, kind)
        tokens[kind] = token
    key = (conn.engine.url.render_as_string(hide_password=True), kind)
    entry = _caches.get(key)
    if entry is not None and entry[0] == token:
        value: T = entry[1]
        return value
    value = load()
    _caches[key] = (token, value)
    return value


def invalidate(conn: Connection, kind: str) -> str:
    """Give ``kind`` a new token (in the caller's transaction); returns it."""
    token = str(uuid.uuid4())
    updated = conn.exec_driver_sql(
        _UPDATE[conn.dialect.name == "sqlite"], (token, kind)
    ).rowcount
    if not updated:
        conn.exec_driver_sql(_INSERT[conn.dialect.name == "sqlite"], (kind, token))
    return token


_UPDATE = {
    True: "UPDATE pipeline_state SET token = ? WHERE name = ?",
    False: "UPDATE pipeline_state SET token = %s WHERE name = %s",
}
_INSERT = {
    True: "INSERT INTO pipeline_state (name, token) VALUES (?, ?) ON CONFLICT DO NOTHING",
    False: "INSERT INTO pipeline_state (name, token) VALUES (%s, %s) ON CONFLICT DO NOTHING",
}
