"""The evidence pipeline in process: xAPI statements to committed evidence rows.

Target (issue 3): at least 20,000 observations per second on one core, in batches of 100.
Each batch is one transaction: raw records stored verbatim, the xAPI adapter, identity,
alignment, observations and evidence. Reported per wall-clock second and per CPU-second of
the benchmark process (the database server's CPU is not included for PostgreSQL).
"""

from __future__ import annotations

import json
import time
import uuid

from bench.server import database
from gateway.intake.alignment import NewAlignment
from gateway.intake.pipeline import Incoming, ingest, vendor_context
from gateway.intake.service import align
from gateway.settings import load_settings
from gateway.store import Store
from gateway.store.tables import competencies, frameworks, utcnow
from gateway.vendors import add_vendor

STATEMENTS = 20_000
BATCH = 100
ACTIVITIES = 200
LEARNERS = 2_000
FRAMEWORK = "b0000000-0000-4000-8000-000000000000"


def _competency(i: int) -> str:
    return f"b{i:07d}-0000-4000-8000-000000000000"


def make_statement(n: int) -> dict[str, object]:
    """An xAPI 1.0.3 statement like the ADL examples: a scored, passed quiz attempt."""
    learner = n % LEARNERS
    return {
        "id": str(uuid.UUID(int=n + 1)),
        "actor": {
            "objectType": "Agent",
            "name": f"Learner {learner}",
            "account": {
                "homePage": "https://lms.school.test",
                "name": f"s{learner:05d}",
            },
        },
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/scored",
            "display": {"en-US": "scored"},
        },
        "object": {
            "objectType": "Activity",
            "id": f"https://vendor.test/activities/quiz-{n % ACTIVITIES}",
            "definition": {"type": "http://adlnet.gov/expapi/activities/assessment"},
        },
        "result": {
            "score": {"scaled": (n % 101) / 100, "raw": n % 101, "min": 0, "max": 100},
            "success": n % 101 >= 70,
            "completion": True,
        },
        "timestamp": "2026-11-02T14:05:00.000Z",
    }


def _seed(store: Store) -> None:
    with store.write() as conn:
        conn.execute(
            frameworks.insert().values(
                id=FRAMEWORK,
                uri=f"https://case.test/{FRAMEWORK}",
                title="Bench framework",
                case_version="1.0",
                document={},
                imported_at=utcnow(),
            )
        )
        conn.execute(
            competencies.insert(),
            [
                {
                    "id": _competency(i),
                    "framework_id": FRAMEWORK,
                    "uri": f"https://case.test/{_competency(i)}",
                    "full_statement": f"Bench competency {i}",
                    "shared_id": _competency(i),
                    "is_competency": True,
                    "status": "active",
                    "item": {},
                }
                for i in range(ACTIVITIES)
            ],
        )
    align(
        store,
        [
            NewAlignment(f"https://vendor.test/activities/quiz-{i}", _competency(i))
            for i in range(ACTIVITIES)
        ],
    )


def run(backend: str) -> str:
    """Ingest STATEMENTS statements in batches of BATCH; return a README table row."""
    with database(backend) as env:
        store = Store.from_settings(load_settings(env))
        store.migrate()
        _seed(store)
        vendor, _ = add_vendor(store, "bench")
        statements = [make_statement(n) for n in range(STATEMENTS)]
        items = [Incoming(str(s["id"]), json.dumps(s), s) for s in statements]
        with store.read() as conn:
            ctx = vendor_context(conn, vendor.id)
        wall, cpu = time.perf_counter(), time.process_time()
        made = 0
        for start in range(0, STATEMENTS, BATCH):
            with store.write() as conn:
                outcomes = ingest(conn, ctx, "xapi", items[start : start + BATCH])
            made += sum(o.evidence for o in outcomes)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        store.dispose()
    assert made == STATEMENTS, f"expected one evidence row per statement, got {made}"
    return (
        f"| pipeline, xAPI statement → evidence, batches of {BATCH} ({backend}) "
        f"| {STATEMENTS / wall:,.0f}/s wall, {STATEMENTS / cpu:,.0f}/s per CPU-second | | | | |"
    )


def main() -> list[str]:
    return [run(backend) for backend in ("sqlite", "postgresql")]


if __name__ == "__main__":
    for row in main():
        print(row)
