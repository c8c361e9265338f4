"""Engines for the two supported databases, tuned for Tessera's write-heavy hot path."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from gateway.settings import Settings

# Execution option that makes a SQLite transaction take the write lock at BEGIN, so two
# writers queue on the busy timeout instead of failing when a read lock cannot be upgraded.
SQLITE_IMMEDIATE = "tessera_sqlite_immediate"


def make_engine(settings: Settings) -> Engine:
    """Create the engine for ``settings.database_url``; nothing connects until first use."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(settings)
    return create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,  # a restarted PostgreSQL costs one retry, not a 500
        pool_recycle=1800,
    )


def _sqlite_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url)
    assert url.database  # noqa: S101 - guaranteed by settings validation
    Path(url.database).expanduser().absolute().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={
            "timeout": settings.sqlite_busy_timeout_ms / 1000,
            "check_same_thread": False,
        },
    )
    busy_ms = settings.sqlite_busy_timeout_ms

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(
            "PRAGMA synchronous=NORMAL"
        )  # durable in WAL mode across app crashes
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
