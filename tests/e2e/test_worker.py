"""`tessera worker` as real processes: killed with SIGKILL mid-batch, two sharing one queue."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from gateway.outbox.destinations import add_destination
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import deliveries
from tests.delivery_helpers import (
    COMPETENCIES,
    Sink,
    all_settled,
    seed_people,
    set_level,
    settle_levels,
)
from tests.helpers import settings_env

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
WORKER_ENV = {
    "TESSERA_WORKER_BATCH_SIZE": "10",
    "TESSERA_WORKER_POLL_MS": "50",
    "TESSERA_DELIVERY_LEASE_SECONDS": "3",
    "TESSERA_DELIVERY_TIMEOUT_SECONDS": "1",
    "TESSERA_DELIVERY_BACKOFF_MS": "50",
}


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env.pop("DATABASE_URL", None)
    return env | settings_env(settings) | WORKER_ENV


@pytest.fixture
def start_worker(
    settings: Settings, tmp_path: Path
) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        with (tmp_path / f"{name}.log").open("wb") as log:
            proc = subprocess.Popen(
                [BIN / "tessera", "worker", "--name", name, "--json"],
                env=_env(settings),
                stdout=subprocess.PIPE,
                stderr=log,
            )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def _wait(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _stop(proc: subprocess.Popen[bytes]) -> dict[str, object]:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    result: dict[str, object] = json.loads(out)
    return result


def _queue(
    store: Store, httpserver: HTTPServer, sink: Sink, learners: int
) -> list[str]:
    httpserver.expect_request("/hook", method="POST").respond_with_handler(sink)
    add_destination(store, "hook", "webhook", {"url": httpserver.url_for("/hook")})
    people = seed_people(store, learners)
    for n, learner in enumerate(people):
        set_level(store, learner, COMPETENCIES[n % 2], ("near", "mastery")[n % 2])
    return people


def _delivery_ids(store: Store) -> set[str]:
    with store.read() as conn:
        return set(conn.execute(select(deliveries.c.id)).scalars())


def test_a_worker_killed_mid_batch_loses_nothing(
    store: Store,
    httpserver: HTTPServer,
    start_worker: Callable[[str], subprocess.Popen[bytes]],
) -> None:
    sink = Sink(delay=0.05)
    _queue(store, httpserver, sink, 40)
    first = start_worker("first")
    _wait(lambda: len(sink.received) >= 5, 30, "the first deliveries")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    with store.read() as conn:
        held = conn.execute(
            select(deliveries.c.id).where(deliveries.c.claimed_by == "first")
        ).all()
    assert held, "the kill should have left claimed items behind"
    second = start_worker("second")
    _wait(all_settled(store), 60, "every delivery")
    stats = _stop(second)
    with store.read() as conn:
        statuses = set(conn.execute(select(deliveries.c.status)).scalars())
    assert statuses == {"delivered"}
    keys = [r["key"] for r in sink.received]
    assert set(keys) == _delivery_ids(store)  # nothing lost
    assert len(keys) - len(set(keys)) <= 10  # only what was in flight went twice
    assert sink.latest() == settle_levels(store)
    assert stats["attempts"]


def test_two_workers_share_a_queue_without_duplicates(
    store: Store,
    httpserver: HTTPServer,
    start_worker: Callable[[str], subprocess.Popen[bytes]],
) -> None:
    sink = Sink(delay=0.005)
    _queue(store, httpserver, sink, 60)
    a, b = start_worker("a"), start_worker("b")
    _wait(all_settled(store), 60, "every delivery")
    stats = [_stop(a), _stop(b)]
    keys = [r["key"] for r in sink.received]
    assert len(keys) == len(set(keys)) == 60
    assert set(keys) == _delivery_ids(store)
    assert sum(int(str(s["attempts"])) for s in stats) == 60


def test_sigterm_stops_a_worker_and_gives_back_its_claims(
    store: Store,
    httpserver: HTTPServer,
    start_worker: Callable[[str], subprocess.Popen[bytes]],
) -> None:
    sink = Sink(delay=0.1)
    _queue(store, httpserver, sink, 30)
    worker = start_worker("w")
    _wait(lambda: len(sink.received) >= 2, 30, "the first deliveries")
    began = time.monotonic()
    stats = _stop(worker)
    assert time.monotonic() - began < 5
    with store.read() as conn:
        rows = conn.execute(select(deliveries.c.status, deliveries.c.claimed_by)).all()
    assert {r.status for r in rows} <= {"delivered", "pending"}
    assert not [r for r in rows if r.claimed_by]
    delivered = [r for r in rows if r.status == "delivered"]
    assert len(delivered) == stats["attempts"] == len(sink.received)
