"""Helpers for delivery tests: learners and competencies, real mastery changes, a sink."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from werkzeug import Request, Response

from gateway.mastery import service
from gateway.outbox.queue import delivery_counts, fanout_lag
from gateway.outbox.worker import Worker
from gateway.store import Store
from gateway.store.tables import learner_identifiers, learners, utcnow
from tests.builders import seed_competencies

COMPETENCIES = (
    "c0000000-0000-4000-8000-00000000000a",
    "c0000000-0000-4000-8000-00000000000b",
)


def seed_people(store: Store, count: int) -> list[str]:
    """``count`` learners (with an ``sis`` identifier each) and two competencies."""
    seed_competencies(store, [(c, None) for c in COMPETENCIES])
    ids = [f"1e000000-0000-4000-8000-{n:012d}" for n in range(count)]
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            insert(learners),
            [
                {"id": i, "display_name": None, "status": "active", "created_at": now}
                for i in ids
            ],
        )
        conn.execute(
            insert(learner_identifiers),
            [
                {
                    "kind": "sis",
                    "value": f"S{n:05d}",
                    "learner_id": i,
                    "created_at": now,
                }
                for n, i in enumerate(ids)
            ],
        )
    return ids


def set_level(store: Store, learner: str, competency: str, level: str) -> None:
    """A teacher's override: the real engine writes the mastery.changed event."""
    service.override(store, learner, competency, level, "test", "tester")


def settle_levels(store: Store) -> dict[tuple[str, str], str | None]:
    """The current level per (learner, shared competency), as the mastery table says."""
    from gateway.store.tables import mastery

    with store.read() as conn:
        return {
            (r.learner_id, r.shared_id): r.level
            for r in conn.execute(
                select(mastery.c.learner_id, mastery.c.shared_id, mastery.c.level)
            )
        }


def drain(worker: Worker, done: Callable[[], bool], timeout: float = 30.0) -> None:
    """Step ``worker`` until ``done()`` (failing after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "deliveries did not settle in time"
        if worker.step() == 0:
            time.sleep(0.02)


def all_settled(store: Store) -> Callable[[], bool]:
    """Every event fanned out, nothing pending or in flight any more."""

    def check() -> bool:
        with store.read() as conn:
            counts = delivery_counts(conn)
            lag = fanout_lag(conn)
        return lag == 0 and counts["pending"] == 0 and counts["in_flight"] == 0

    return check


@dataclass
class Sink:
    """A webhook receiver that records what arrived; ``script`` answers the first requests."""

    script: list[Callable[[Request], Response]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.requests += 1
            step = self.script.pop(0) if self.script else None
        if self.delay:
            time.sleep(self.delay)
        if step is not None:
            return step(request)
        raw = request.get_data()
        body = json.loads(raw)
        with self.lock:
            self.received.append(
                {
                    "key": request.headers["Idempotency-Key"],
                    "raw": raw,
                    "body": body,
                    "headers": dict(request.headers),
                }
            )
        return Response("", 204)

    def latest(self) -> dict[tuple[str, str], str | None]:
        """The last level received per (learner, competency)."""
        out: dict[tuple[str, str], str | None] = {}
        for item in self.received:
            data = item["body"]["data"]
            out[(data["learner_id"], data["shared_id"])] = data["level"]
        return out


def status(
    code: int, headers: dict[str, str] | None = None
) -> Callable[[Request], Response]:
    """A scripted answer."""
    return lambda _request: Response("scripted", code, headers=headers)
