"""A full recompute folded by child processes writes exactly what one process writes."""

from __future__ import annotations

import random
import shutil
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gateway.mastery import engine
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.upsert import _sqlite_datetime

KINDS = ("practice", "quiz", "assessment", "performance_task")
T0 = datetime(2026, 9, 1, tzinfo=UTC)


def _seed(path: str, rows: int, seed: int) -> None:
    """Evidence for 300 learners on 7 competencies, times and ties shuffled."""
    pick = random.Random(seed)  # noqa: S311 - test data
    raw = sqlite3.connect(path)
    raw.executemany(
        "INSERT INTO evidence (id, observation_id, raw_record_id, learner_id, shared_id,"
        " competency_id, vendor_id, score, kind, dok, weight, observed_at, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                f"{n:08d}-0000-4000-8000-000000000000",
                f"o{n}",
                f"r{n}",
                f"learner-{pick.randrange(300):04d}",
                f"comp-{pick.randrange(7)}",
                "c",
                pick.choice(["vendor-a", "vendor-b", None]),  # None: a teacher's
                pick.random(),
                pick.choice(KINDS),
                pick.choice([None, 1, 2, 3, 4]),
                pick.choice([1.0, 0.5, 0.0]),
                _sqlite_datetime(T0 + timedelta(minutes=pick.randrange(500))),
                _sqlite_datetime(T0 + timedelta(minutes=pick.randrange(500))),
            )
            for n in range(rows)
        ],
    )
    raw.commit()
    raw.close()


def _decisions(path: str) -> tuple[list[Any], list[Any]]:
    db = sqlite3.connect(path)
    try:
        decisions = db.execute(
            "SELECT learner_id, shared_id, level, points, computed_level, score,"
            " estimate, status, status_since, evidence_count, last_observed_at,"
            " last_evidence_id, state, policy, rules FROM mastery ORDER BY 1, 2"
        ).fetchall()
        events = db.execute(
            "SELECT topic, subject, json_remove(payload, '$.at') FROM outbox"
            " ORDER BY subject"
        ).fetchall()
    finally:
        db.close()
    return decisions, events


def test_two_processes_write_what_one_does(
    settings: Settings, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if store.dialect != "sqlite":
        pytest.skip(
            "processes fold a SQLite file; PostgreSQL recomputes in one process"
        )
    monkeypatch.setattr(engine, "PARALLEL_MIN_EVIDENCE", 100)
    forked: list[Any] = []
    in_processes = engine._recompute_in_processes

    def spy(*args: Any) -> Any:
        forked.append(in_processes(*args))
        return forked[-1]

    monkeypatch.setattr(engine, "_recompute_in_processes", spy)
    path = store.engine.url.database
    assert path is not None
    _seed(path, 6_000, seed=7)
    copy = tmp_path / "copy"
    copy.mkdir()
    store.dispose()
    shutil.copy(path, copy / "tessera.db")
    other = Store.from_settings(
        replace(settings, database_url=f"sqlite:///{copy / 'tessera.db'}")
    )
    now = datetime(2026, 11, 23, tzinfo=UTC)
    try:
        with store.write() as conn:
            one = engine.recompute_all(conn, now=now)
        with other.write() as conn:
            two = engine.recompute_all(conn, now=now, processes=3)
        assert forked and forked[0] is not None  # the children did fold
        assert two == one and one.evidence == 6_000 and one.changes > 0
        assert _decisions(str(copy / "tessera.db")) == _decisions(path)
        with other.write() as conn:  # a second pass finds every decision current
            again = engine.recompute_all(conn, now=now, processes=2)
        assert again.changes == 0 and again.decisions == one.decisions
    finally:
        other.dispose()
