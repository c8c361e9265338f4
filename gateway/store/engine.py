"""Engines for the two supported databases, tuned for Tessera's write-heavy hot path."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from gateway.settings import Settings

# Execution option that makes a SQLite transaction take the write lock at BEGIN, so two
# writers queue on the busy timeout instead of failing when a read lock cannot be upgraded.
SQLITE_IMMEDIATE = "tessera_sqlite_immediate"
WAL_BACKSTOP_PAGES = 10_000
CHECKPOINT_EVERY_S = 0.5
ANALYZE_EVERY_S = 600.0
# Rows sampled per index by ANALYZE: enough for the planner, milliseconds on any size.
ANALYSIS_LIMIT = 1000


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
        # Checkpoints run after a writer's turn (WriterQueue.checkpoint), not inside commits;
        # this is only the backstop for a WAL that nothing else checkpoints (40 MB).
        cur.execute(f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}")
        cur.execute(
            "PRAGMA synchronous=NORMAL"
        )  # durable in WAL mode across app crashes
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class WriterQueue:
    """Turns at SQLite's one write lock for every thread of every process on one database.

    SQLite's busy handler retries a taken write lock after sleeping 1, 2, 5, 10, 15, 20, 25 ms
    and so on: two web processes writing short transactions spend much of their waiting
    asleep, which caps throughput and stretches the slowest requests. Here a writer first
    takes its process's turn (a thread lock, woken at once on release), then an advisory
    ``flock`` on a file beside the database, polled every 0.05 to 0.2 ms, and gives both back
    after its commit. SQLite's own lock still guards the data: a writer that waits past the
    busy timeout goes on without its turn and lets SQLite decide, and where the lock file
    can't be made (a read-only folder) SQLite queues writers alone.

    A commit that crosses SQLite's auto-checkpoint threshold copies the WAL back into the
    database (and syncs it) before it returns, while every other writer waits. Instead, after
    its turn, a writer runs a passive checkpoint when the last one in this process is more than
    ``CHECKPOINT_EVERY_S`` old: it never blocks writers, and the WAL stays small. Every
    ``ANALYZE_EVERY_S`` it also refreshes the planner's statistics (:func:`analyze`): without
    them SQLite reads a million statements in storage order to find one agent's hundred.
    """

    def __init__(self, database: Path, timeout_s: float) -> None:
        self.path = Path(f"{database}-writers.lock")
        self.timeout_s = timeout_s
        self._pid: int | None = None
        self._fd: int | None = None
        self._threads = threading.Lock()
        self._local = threading.local()
        self._checkpointed = time.monotonic()
        self._analyzed = time.monotonic()

    def _file(self) -> int | None:
        # First use, or a forked child: its own file and thread lock.
        if self._pid != os.getpid():
            self._threads = threading.Lock()
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                weakref.finalize(self, os.close, self._fd)
            except OSError:
                self._fd = None
            self._pid = os.getpid()
        return self._fd

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold this thread's turn at writing for the block (re-entrant)."""
        local = self._local
        depth = getattr(local, "depth", 0)
        local.depth = depth + 1
        if depth:
            try:
                yield
            finally:
                local.depth = depth
            return
        fd, deadline = self._file(), time.monotonic() + self.timeout_s
        threads = self._threads
        ours = threads.acquire(timeout=self.timeout_s)
        held = ours and fd is not None and _take(fd, deadline)
        try:
            yield
        finally:
            local.depth = depth
            if held and fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            if ours:
                threads.release()

    def checkpoint(self, dbapi_conn: sqlite3.Connection) -> bool:
        """A passive checkpoint on ``dbapi_conn`` (outside any transaction) when one is due."""
        now = time.monotonic()
        inside_a_turn = bool(getattr(self._local, "depth", 0))
        if inside_a_turn or now - self._checkpointed < CHECKPOINT_EVERY_S:
            return False
        self._checkpointed = now
        try:
            dbapi_conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            if now - self._analyzed >= ANALYZE_EVERY_S:
                self._analyzed = now
                with self.turn():  # ANALYZE writes its figures: a writer like any other
                    analyze(dbapi_conn)
        except sqlite3.Error:  # busy or closed: the next writer's turn tries again
            return False
        return True


def analyze(dbapi_conn: sqlite3.Connection) -> None:
    """Refresh SQLite's planner statistics from a sample of each index (outside a transaction)."""
    dbapi_conn.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    dbapi_conn.execute("ANALYZE")


def _take(fd: int, deadline: float) -> bool:
    delay = 0.00005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.0002)


def writer_queue(settings: Settings) -> WriterQueue | None:
    """The writer queue of a SQLite database file (None on PostgreSQL, which needs none)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    if url.database == ":memory:" or url.database.startswith("file:"):
        return None
    database = Path(url.database).expanduser().absolute()
    return WriterQueue(database, settings.sqlite_busy_timeout_ms / 1000)
