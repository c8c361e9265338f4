"""Deliveries per second of ``tessera worker`` against a local HTTP sink (target: 300/s each).

N ``mastery.changed`` events (one per learner, each learner with a SIS id, so the worker's
look-ups are real) are written to the outbox, a webhook destination points at a sink (a
threaded HTTP/1.1 server with keep-alive in its own process, answering 204), and real
``tessera worker --once`` processes drain the queue: fan-out, claims, signed POSTs, outcomes.
The rate is deliveries over the time from the first claim to the last recorded outcome (process
start-up left out); "per worker CPU-second" divides by the workers' own CPU time (start-up
included), which says what a worker costs when it does not share two cores with the sink and
the database. Measured with one worker on SQLite and on PostgreSQL, and two workers on
PostgreSQL; the sink, the workers and the database share the machine's two cores.
"""

from __future__ import annotations

import multiprocessing
import resource
import subprocess
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import func, insert, select

from bench.server import BIN, _clean_env, cli, database, free_port
from gateway.outbox.destinations import add_destination
from gateway.settings import load_settings
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    deliveries,
    frameworks,
    learner_identifiers,
    learners,
    outbox,
    utcnow,
)
from gateway.store.upsert import append

EVENTS = 3000
COMPETENCY = "c0000000-0000-4000-8000-0000000000be"


class _Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 - the http.server naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet."""


def _serve_sink(port: int) -> None:
    ThreadingHTTPServer(("127.0.0.1", port), _Sink).serve_forever()


def _seed(store: Store, sink_url: str) -> None:
    now = utcnow()
    ids = [str(uuid.uuid4()) for _ in range(EVENTS)]
    with store.write() as conn:
        conn.execute(
            insert(frameworks).values(
                id="f-bench",
                uri="https://case.test/f-bench",
                title="Bench",
                case_version="1.0",
                document={},
                imported_at=now,
            )
        )
        conn.execute(
            insert(competencies).values(
                id=COMPETENCY,
                framework_id="f-bench",
                uri=f"https://case.test/{COMPETENCY}",
                human_coding_scheme="3.MD.B.3",
                full_statement="Measure lengths",
                shared_id=COMPETENCY,
                is_competency=True,
                status="active",
                item={},
            )
        )
        conn.execute(
            insert(learners),
            [{"id": i, "status": "active", "created_at": now} for i in ids],
        )
        conn.execute(
            insert(learner_identifiers),
            [
                {"kind": "sis", "value": f"S{n}", "learner_id": i, "created_at": now}
                for n, i in enumerate(ids)
            ],
        )
        append(
            conn,
            outbox,
            [
                {
                    "event_id": str(uuid.uuid4()),
                    "topic": "mastery.changed",
                    "subject": f"{i}|{COMPETENCY}",
                    "payload": {
                        "learner_id": i,
                        "shared_id": COMPETENCY,
                        "level": "mastery",
                        "label": "Mastery",
                        "points": 3,
                        "previous_level": "near",
                        "status": "proficient",
                        "score": 3.1,
                        "scale_top_points": 4,
                        "mastery_points": 3,
                        "overridden": False,
                        "at": now.isoformat(),
                    },
                    "created_at": now,
                }
                for i in ids
            ],
        )
    add_destination(store, "sink", "webhook", {"url": sink_url})


def _measure(backend: str, workers: int, sink_url: str) -> str:
    with database(backend) as env:
        cli(env, "init")
        store = Store.from_settings(load_settings(env))
        _seed(store, sink_url)
        full = _clean_env() | env | {"TESSERA_LOG_LEVEL": "WARNING"}
        cpu_before = _children_cpu()
        procs = [
            subprocess.Popen(
                [BIN / "tessera", "worker", "--once", "--name", f"w{n}"],
                env=full,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for n in range(workers)
        ]
        for proc in procs:
            proc.wait(timeout=600)
        cpu = _children_cpu() - cpu_before
        with store.read() as conn:
            done, first, last = conn.execute(
                select(
                    func.count(),
                    func.min(deliveries.c.created_at),
                    func.max(deliveries.c.delivered_at),
                ).where(deliveries.c.status == "delivered")
            ).one()
        store.dispose()
    seconds = (last - first).total_seconds()
    rate = done / seconds
    per_worker = rate / workers
    who = "one worker" if workers == 1 else f"{workers} workers"
    return (
        f"| webhook deliveries, {who}, {backend}, {done} events | {rate:,.0f}/s wall "
        f"({per_worker:,.0f}/s per worker), {done / cpu:,.0f}/s per worker CPU-second "
        f"| | | | {EVENTS - done} |"
    )


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> list[str]:
    port = free_port()
    sink = multiprocessing.Process(target=_serve_sink, args=(port,), daemon=True)
    sink.start()
    time.sleep(0.5)
    url = f"http://127.0.0.1:{port}/hook"
    try:
        return [
            _measure("sqlite", 1, url),
            _measure("postgresql", 1, url),
            _measure("postgresql", 2, url),
        ]
    finally:
        sink.terminate()
        sink.join()
