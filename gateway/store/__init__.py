"""The store: one SQLAlchemy engine, short transactions, and Alembic migrations.

Use ``store.write()`` for a transaction that writes (on SQLite it takes the write lock at BEGIN,
so concurrent writers queue instead of failing) and ``store.read()`` for one that only reads.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from gateway.errors import SchemaTooNew, StoreError
from gateway.settings import Settings
from gateway.store.engine import (
    SQLITE_IMMEDIATE,
    WriterQueue,
    analyze,
    make_engine,
    writer_queue,
)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any fixed number: serializes concurrent `tessera init` runs on one PostgreSQL database.
_MIGRATION_LOCK_ID = 0x7E55E4A
_REVISION_QUERY = text("SELECT version_num FROM alembic_version")


class SchemaState(StrEnum):
    """How the database's schema relates to this version of the code."""

    EMPTY = "empty"  # no Tessera tables yet: run `tessera init`
    BEHIND = "behind"  # migrations pending: run `tessera init`
    READY = "ready"
    AHEAD = "ahead"  # migrated by a newer Tessera: refuse


_MASTERY_REVISION = "0006"  # the first schema with mastery decisions


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """What ``/healthz`` reports about the store."""

    dialect: str
    reachable: bool
    state: SchemaState | None
    revision: str | None
    expected_revision: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether this node can serve requests that need the store."""
        return self.reachable and self.state is SchemaState.READY


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """Revisions before and after :meth:`Store.migrate`."""

    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        """Whether any migration ran."""
        return self.before != self.after


def _alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def _script_revisions() -> tuple[str, frozenset[str]]:
    """(head, every known revision), read from the migration files once per process."""
    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    assert head is not None  # noqa: S101 - the project ships at least one migration
    return head, frozenset(rev.revision for rev in script.walk_revisions())


def expected_revision() -> str:
    """The schema revision this version of the code needs."""
    return _script_revisions()[0]


class Store:
    """Tessera's database: an engine plus the transaction and migration helpers."""

    def __init__(self, engine: Engine, writers: WriterQueue | None = None) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(**{SQLITE_IMMEDIATE: True})
        self._writers = writers

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """A store on ``settings.database_url``."""
        return cls(make_engine(settings), writer_queue(settings))

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A transaction for reading; rolled back at the end."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that commits when the block ends without an exception."""
        writers = self._writers
        if writers is None:
            with self._write_engine.begin() as conn:
                yield conn
            return
        with self._write_engine.connect() as conn:
            with writers.turn(), conn.begin():
                yield conn
            writers.checkpoint(conn.connection.dbapi_connection)  # type: ignore[arg-type]

    def refresh_statistics(self) -> None:
        """Bring SQLite's query planner statistics up to date (PostgreSQL's autovacuum does).

        ``tessera run`` does it at start; on SQLite, writers do it every few minutes after.
        """
        if self.dialect != "sqlite":
            return
        with self.engine.connect() as conn:
            analyze(conn.connection.dbapi_connection)  # type: ignore[arg-type]

    def current_revision(self, conn: Connection) -> str | None:
        """The schema revision recorded in the database, or None when it has none."""
        heads = MigrationContext.configure(conn).get_current_heads()
        return heads[0] if heads else None

    def schema_state(self, revision: str | None) -> SchemaState:
        """How a database at ``revision`` relates to this code."""
        head, known = _script_revisions()
        if revision is None:
            return SchemaState.EMPTY
        if revision not in known:
            return SchemaState.AHEAD
        return SchemaState.READY if revision == head else SchemaState.BEHIND

    def status(self) -> StoreStatus:
        """Reachability and schema state, for ``/healthz``; never raises for a down database."""
        head = expected_revision()
        try:
            revision = self._read_revision()
        except SQLAlchemyError as exc:
            return StoreStatus(self.dialect, False, None, None, head, _one_line(exc))
        return StoreStatus(
            self.dialect, True, self.schema_state(revision), revision, head
        )

    def _read_revision(self) -> str | None:
        """One plain SELECT on the common path; Alembic's own look-up only when it fails."""
        with self.read() as conn:
            try:
                return conn.execute(_REVISION_QUERY).scalar()
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
        with self.read() as conn:  # no version table yet, most likely
            return self.current_revision(conn)

    def migrate(self) -> MigrationResult:
        """Bring the schema to this code's head; refuse a database migrated by newer code."""
        try:
            with self.write() as conn:
                if self.dialect == "postgresql":
                    conn.execute(
                        text("SELECT pg_advisory_xact_lock(:id)"),
                        {"id": _MIGRATION_LOCK_ID},
                    )
                before = self.current_revision(conn)
                if self.schema_state(before) is SchemaState.AHEAD:
                    raise SchemaTooNew(
                        f"The database is at schema revision {before!r}, which this version of "
                        f"Tessera does not know (it expects {expected_revision()!r}); it was "
                        "migrated by a newer Tessera. Upgrade Tessera, or point DATABASE_URL "
                        "at another database. Nothing was changed."
                    )
                command.upgrade(_alembic_config(conn), "head")
                after = self.current_revision(conn)
                if before is not None and after and before < _MASTERY_REVISION <= after:
                    # Evidence stored before mastery existed gets its decisions now.
                    from gateway.mastery.engine import recompute_all

                    recompute_all(conn)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"Could not migrate the database: {_one_line(exc)}"
            ) from exc
        assert after is not None  # noqa: S101
        return MigrationResult(before, after)

    def require_ready(self) -> None:
        """Raise a clear :class:`StoreError` unless the schema is exactly this code's."""
        status = self.status()
        if not status.reachable:
            raise StoreError(f"The database cannot be reached: {status.error}")
        if status.state is SchemaState.AHEAD:
            raise SchemaTooNew(
                f"The database is at schema revision {status.revision!r}, newer than this "
                "Tessera knows; upgrade Tessera."
            )
        if status.state is not SchemaState.READY:
            raise StoreError(
                "The database is not initialized or not up to date; run `tessera init`."
            )

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split())[:300]
