"""Server time of the launch pages: a teacher's class grid and a learner's own view.

The store holds a framework of 60 competencies (each but the first preceded by the one
before it), one vendor whose 60 activities are aligned one to one, and a class of 40
learners with three scored statements per learner and competency (7,200 statements through
the real pipeline, so every one of the 2,400 grid cells has a decision). The class grid
(GET /lti/view/<launch>) is requested by an instructor's launch, the learner view by the
same launch opening one learner. Time is taken around the app's WSGI callable as a server
would see it; rows give wall and CPU time of the serving thread.
Target (issue 10): the 40 x 60 grid renders in under 300 ms server time.
"""

from __future__ import annotations

import json
import logging
import statistics
import time
from datetime import timedelta
from typing import Any

from werkzeug.test import EnvironBuilder

from bench.server import database
from gateway import create_app
from gateway.cli import initialize
from gateway.intake.alignment import NewAlignment
from gateway.intake.pipeline import Incoming, ingest, vendor_context
from gateway.intake.service import align
from gateway.mastery.contexts import put_context
from gateway.settings import load_settings
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    competency_associations,
    frameworks,
    learners,
    lti_launches,
    utcnow,
)
from gateway.vendors import add_vendor

LEARNERS = 40
COMPETENCIES = 60
PER_CELL = 3
ROUNDS = 30
FRAMEWORK = "c0000000-0000-4000-8000-000000000000"
LAUNCH = "bench-pages-launch"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def _competency(i: int) -> str:
    return f"c{i:07d}-0000-4000-8000-000000000000"


def _activity(i: int) -> str:
    return f"https://vendor.test/activities/task-{i}"


def _statement(n: int, learner: int, comp: int) -> dict[str, Any]:
    scaled = ((learner * 7 + comp * 3 + n * 11) % 100) / 100
    return {
        "id": f"9a000000-0000-4000-8000-{n:012d}",
        "actor": {
            "name": f"Learner {learner:02d}",
            "account": {"homePage": "https://lms.test", "name": f"s{learner:03d}"},
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/scored"},
        "object": {
            "id": _activity(comp),
            "definition": {"type": "http://adlnet.gov/expapi/activities/assessment"},
        },
        "result": {"score": {"scaled": scaled}},
        "timestamp": f"2026-10-{1 + n % 28:02d}T10:00:00Z",
    }


def _seed(store: Store) -> tuple[str, list[str]]:
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            frameworks.insert().values(
                id=FRAMEWORK,
                uri=f"https://case.test/{FRAMEWORK}",
                title="Bench framework",
                case_version="1.0",
                document={},
                imported_at=now,
            )
        )
        conn.execute(
            competencies.insert(),
            [
                {
                    "id": _competency(i),
                    "framework_id": FRAMEWORK,
                    "uri": f"https://case.test/{_competency(i)}",
                    "human_coding_scheme": f"M.{i // 10}.{i % 10}",
                    "full_statement": f"Bench competency number {i}",
                    "shared_id": _competency(i),
                    "is_competency": True,
                    "status": "active",
                    "sequence": i,
                    "item": {},
                }
                for i in range(COMPETENCIES)
            ],
        )
        conn.execute(
            competency_associations.insert(),
            [
                {
                    "id": f"a{i:07d}-0000-4000-8000-000000000000",
                    "framework_id": FRAMEWORK,
                    "association_type": "precedes",
                    "origin_id": _competency(i - 1),
                    "destination_id": _competency(i),
                    "association": {},
                }
                for i in range(1, COMPETENCIES)
            ],
        )
    align(
        store,
        [NewAlignment(_activity(i), _competency(i)) for i in range(COMPETENCIES)],
    )
    vendor, _ = add_vendor(store, "bench-pages")
    with store.read() as conn:
        ctx = vendor_context(conn, vendor.id)
    items = []
    n = 0
    for learner in range(LEARNERS):
        for comp in range(COMPETENCIES):
            for _ in range(PER_CELL):
                s = _statement(n, learner, comp)
                items.append(Incoming(str(s["id"]), json.dumps(s), s))
                n += 1
    for start in range(0, len(items), 200):
        with store.write() as conn:
            ingest(conn, ctx, "xapi", items[start : start + 200])
    with store.read() as conn:
        ids = [r.id for r in conn.execute(learners.select().order_by(learners.c.id))]
    context = put_context(
        store, "api", "bench-class", title="Bench class", learner_ids=ids
    )
    with store.write() as conn:
        conn.execute(
            lti_launches.insert().values(
                id=LAUNCH,
                registration_id="bench",
                deployment_id="bench",
                message_type="LtiResourceLinkRequest",
                sub="teacher",
                learner_id=None,
                context_id=context["id"],
                roles=[INSTRUCTOR],
                claims={},
                created_at=now,
                expires_at=now + timedelta(days=1),
            )
        )
    return str(context["id"]), ids


def _timed(app: Any, path: str) -> tuple[float, float, int]:
    environ = EnvironBuilder(path=path).get_environ()
    status: list[str] = []

    def start(code: str, headers: Any, exc_info: Any = None) -> Any:
        status.append(code)
        return lambda data: None

    wall, cpu = time.perf_counter(), time.thread_time()
    body = b"".join(app(environ, start))
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    if not status[0].startswith("200"):
        raise RuntimeError(f"{path}: {status[0]} {body[:300]!r}")
    return wall * 1000, cpu * 1000, len(body)


def _rows(label: str, runs: list[tuple[float, float, int]]) -> list[str]:
    def q(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    wall = [r[0] for r in runs]
    cpu = [r[1] for r in runs]
    size = runs[0][2] // 1024
    return [
        f"| {label} ({size} KB) | | {statistics.median(wall):.1f} | {q(wall, 0.95):.1f} "
        f"| {q(wall, 0.99):.1f} | 0 |",
        f"| {label}, CPU time | | {statistics.median(cpu):.1f} | {q(cpu, 0.95):.1f} "
        f"| {q(cpu, 0.99):.1f} | 0 |",
    ]


def run(backend: str) -> list[str]:
    """Seed a class, then time the grid and a learner's page; return README rows."""
    logging.getLogger("gateway").setLevel(logging.WARNING)
    with database(backend) as env:
        settings = load_settings(env)
        store = Store.from_settings(settings)
        initialize(settings, store)
        _, ids = _seed(store)
        app = create_app(settings).wsgi_app
        rows: list[str] = []
        pages = {
            f"class grid {LEARNERS} x {COMPETENCIES}": f"/lti/view/{LAUNCH}",
            f"learner view, {COMPETENCIES} competencies": (
                f"/lti/view/{LAUNCH}/learners/{ids[0]}"
            ),
        }
        for name, path in pages.items():
            for _ in range(3):
                _timed(app, path)
            runs = [_timed(app, path) for _ in range(ROUNDS)]
            rows += _rows(f"{name}, {backend}", runs)
        store.dispose()
    return rows


def main() -> list[str]:
    return [row for backend in ("sqlite", "postgresql") for row in run(backend)]


if __name__ == "__main__":
    for row in main():
        print(row)
