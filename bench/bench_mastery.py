"""The mastery engine: incremental updates per second, and a full recompute of 1,000,000 rows.

Targets (issue 4): 50,000 incremental updates/s in process, and a full recompute of 1,000,000
evidence rows in under 30 s on SQLite. Three measures, with the default configuration
(decaying average, the 4+1 scale, every evidence rule):

- the engine's own step: one new score folded into a stored decision and the decision read
  out (policy, rules, status), in memory: the O(1) work per update;
- ``on_evidence`` on SQLite in batches of 100, as the pipeline calls it: the stored decisions
  read, each new score folded in, the decisions written back (one upsert per batch);
- ``recompute_all`` over 1,000,000 evidence rows (200,000 decisions) in one transaction.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.server import database
from gateway.mastery import engine
from gateway.mastery.config import DEFAULT_CONFIG
from gateway.settings import load_settings
from gateway.store import Store
from gateway.store.upsert import _sqlite_datetime

T0 = datetime(2026, 9, 1, tzinfo=UTC)
KINDS = ("practice", "quiz", "assessment", "performance_task")


def _row(n: int, learners: int, comps: int) -> dict[str, Any]:
    at = T0 + timedelta(seconds=n)
    return {
        "id": f"{n:08d}-0000-4000-8000-000000000000",
        "learner_id": f"learner-{n % learners:06d}",
        "shared_id": f"comp-{(n // learners) % comps:04d}",
        "observed_at": at,
        "received_at": at,
        "score": (n * 37 % 101) / 100,
        "weight": 1.0,
        "kind": KINDS[n % 4],
        "dok": n % 4 + 1,
        "vendor_id": f"vendor-{n % 3}",
    }


def bench_step(updates: int = 200_000) -> str:
    """The fold step and decision read-out per update, in memory."""
    config = DEFAULT_CONFIG
    pieces = [engine.Piece.of(_row(n, 1, 1)) for n in range(updates)]
    fold = engine.start(config)
    began = time.process_time()
    for piece in pieces:
        engine.step(config, fold, piece)
        engine.decide(config, fold)
    took = time.process_time() - began
    return (
        "| mastery, one incremental update in process (fold one score in, read the decision "
        f"out) | {updates / took:,.0f}/s per CPU-second | | | | |"
    )


def bench_incremental(updates: int = 20_000, batch: int = 100) -> str:
    """``on_evidence`` with batches of new evidence on SQLite (decisions read and written)."""
    with database("sqlite") as env:
        store = Store.from_settings(load_settings(env))
        store.migrate()
        rows = [
            _row(n, 500, 10) for n in range(updates)
        ]  # 5,000 decisions, 4 updates each
        spent, cpu, latencies = 0.0, 0.0, []
        for start in range(0, updates, batch):
            chunk = rows[start : start + batch]
            with store.write() as conn:
                began, c0 = time.perf_counter(), time.process_time()
                engine.on_evidence(conn, chunk)
                took = time.perf_counter() - began
                cpu += time.process_time() - c0
            spent += took
            latencies.append(took * 1000)
        store.dispose()
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    return (
        f"| mastery, incremental updates in batches of {batch} (sqlite, decisions read + "
        f"written; ms per batch) | {updates / spent:,.0f}/s wall, {updates / cpu:,.0f}/s per "
        f"CPU-second | {p50:.1f} | | {p99:.1f} | 0 |"
    )


def bench_recompute(rows: int = 1_000_000) -> str:
    """A full recompute of ``rows`` evidence rows on SQLite."""
    with database("sqlite") as env:
        settings = load_settings(env)
        store = Store.from_settings(settings)
        store.migrate()
        path = store.engine.url.database
        assert path is not None
        # Bulk-load evidence with a plain connection: the benchmark measures the recompute.
        raw = sqlite3.connect(path)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.executemany(
            "INSERT INTO evidence (id, observation_id, raw_record_id, learner_id, shared_id,"
            " competency_id, vendor_id, score, kind, dok, weight, observed_at, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    r["id"],
                    r["id"],
                    r["id"],
                    r["learner_id"],
                    r["shared_id"],
                    r["shared_id"],
                    r["vendor_id"],
                    r["score"],
                    r["kind"],
                    r["dok"],
                    r["weight"],
                    _sqlite_datetime(r["observed_at"]),
                    _sqlite_datetime(r["received_at"]),
                )
                for r in (_row(n, 20_000, 10) for n in range(rows))
            ),
        )
        raw.commit()
        raw.close()
        figures = []
        for processes in (1, 2):  # the second pass rewrites every decision unchanged
            with store.write() as conn:  # start each pass from no decisions
                conn.exec_driver_sql("DELETE FROM mastery")
                conn.exec_driver_sql("DELETE FROM outbox")
            began, cpu = time.perf_counter(), time.process_time()
            with store.write() as conn:
                result = engine.recompute_all(conn, processes=processes)
            took, cpu = time.perf_counter() - began, time.process_time() - cpu
            assert result.evidence == rows, result
            figures.append(
                f"{processes} process{'es' if processes > 1 else ''}: {took:.1f} s wall"
                f" ({cpu:.1f} CPU-s in the writing process)"
            )
        store.dispose()
    return (
        f"| mastery, full recompute of {rows:,} evidence rows into {result.decisions:,} "
        f"decisions (sqlite) | {'; '.join(figures)} | | | | |"
    )


def main() -> list[str]:
    return [bench_step(), bench_incremental(), bench_recompute()]


if __name__ == "__main__":
    for line in main():
        print(line)
