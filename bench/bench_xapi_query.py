"""Filtered GET pages of 100 statements from an LRS holding 1,000,000 statements (issue 5).

The store is filled in process, a chunk per transaction, with the rows ``store_statements``
writes for the LRS (the statement and its agent/activity references; raw records and
evidence are left out, as GET never reads them): 1,000 learners, 50 activities, 3 verbs, a
registration per statement, stored a second apart. Then a real ``tessera run`` answers GETs
with each filter the spec defines, the ``more`` page after, and no filter at all; latency
percentiles per kind of query. ``TESSERA_BENCH_STATEMENTS`` sets the size (default 1,000,000),
``TESSERA_BENCH_BACKENDS`` the databases (default ``sqlite,postgresql``). On SQLite the planner's
statistics are those ``tessera run`` refreshes as it starts.
"""

from __future__ import annotations

import base64
import json
import os
import random
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

from bench.load import run_load
from bench.server import database, serve
from gateway.settings import load_settings
from gateway.store import Store
from gateway.store.tables import xapi_statement_refs, xapi_statements
from gateway.store.upsert import insert_ignore
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from gateway.xapi.statements import Writer, prepare_statements

TOTAL = int(os.environ.get("TESSERA_BENCH_STATEMENTS", "1000000"))
BACKENDS = os.environ.get("TESSERA_BENCH_BACKENDS", "sqlite,postgresql").split(",")
CHUNK = 5_000
LEARNERS, ACTIVITIES = 1_000, 50
VERBS = ("passed", "failed", "completed")
ADL = "http://adlnet.gov/expapi/verbs/"
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SECONDS = 6.0


def _statement(n: int, rng: random.Random) -> dict[str, object]:
    verb = VERBS[n % 3]
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "actor": {
            "objectType": "Agent",
            "mbox": f"mailto:learner{n % LEARNERS}@school.example",
        },
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": f"https://vendor.example/quiz/{n % ACTIVITIES}",
            "definition": {"name": {"en-US": f"Quiz {n % ACTIVITIES}"}},
        },
        "result": {"score": {"scaled": (n % 11) / 10}, "success": verb == "passed"},
        "context": {
            "registration": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "contextActivities": {
                "parent": [{"id": f"https://vendor.example/course/{n % 7}"}]
            },
        },
        "timestamp": (START + timedelta(seconds=n)).isoformat(),
    }


def _fill(store: Store, writer: Writer) -> tuple[float, str]:
    """Store TOTAL statements; return (seconds taken, a registration of a middle statement)."""
    rng = random.Random(5)  # noqa: S311 - ids for a benchmark
    began, probe = time.perf_counter(), ""
    for start in range(0, TOTAL, CHUNK):
        statements = [
            _statement(n, rng) for n in range(start, min(TOTAL, start + CHUNK))
        ]
        prepared = [
            p
            for i, s in enumerate(statements)
            for p in prepare_statements(
                writer,
                [s],
                [str(s["id"])],
                "2.0.0",
                START + timedelta(seconds=start + i),
            )
        ]
        if start <= TOTAL // 2 < start + CHUNK:
            probe = str(statements[TOTAL // 2 - start]["context"]["registration"])  # type: ignore[index]
        with store.write() as conn:
            insert_ignore(
                conn, xapi_statements, [p.row | {"voided": False} for p in prepared]
            )
            insert_ignore(
                conn, xapi_statement_refs, [r for p in prepared for r in p.refs]
            )
    return time.perf_counter() - began, probe


def _more(base: str, path: str, headers: dict[str, str]) -> str:
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return str(json.load(response)["more"])


def main() -> list[str]:
    rows = []
    for backend in BACKENDS:
        with database(backend) as env:
            store = Store.from_settings(load_settings(env))
            store.migrate()
            vendor, creds = add_vendor(store, "acme")
            cred = next(c for c in creds if c.kind is CredentialKind.XAPI_BASIC)
            writer = Writer(
                vendor.id,
                vendor.name,
                vendor.adapter,
                vendor.settings,
                {
                    "objectType": "Agent",
                    "account": {"homePage": "https://t.test", "name": vendor.id},
                },
            )
            took, registration = _fill(store, writer)
            if (
                backend == "postgresql"
            ):  # what autovacuum does a minute after a bulk load
                with store.write() as conn:
                    conn.exec_driver_sql("ANALYZE")
            store.dispose()
            rows.append(
                f"| fill: {TOTAL:,} statements into the LRS tables, in process, {backend} "
                f"| {took:.0f} s ({TOTAL / took:,.0f}/s) | | | | |"
            )
            token = base64.b64encode(f"{cred.key}:{cred.secret}".encode()).decode()
            headers = {
                "Authorization": f"Basic {token}",
                "X-Experience-API-Version": "2.0.0",
            }
            until = (START + timedelta(seconds=TOTAL // 2)).isoformat()
            queries = {
                "no filter": {},
                "agent": {
                    "agent": json.dumps({"mbox": "mailto:learner17@school.example"})
                },
                "verb": {"verb": ADL + "failed"},
                "activity": {"activity": "https://vendor.example/quiz/7"},
                "activity, related_activities": {
                    "activity": "https://vendor.example/course/3",
                    "related_activities": "true",
                },
                "agent + verb + activity": {
                    "agent": json.dumps({"mbox": "mailto:learner17@school.example"}),
                    "verb": ADL + "passed",
                    "activity": "https://vendor.example/quiz/17",
                },
                "registration": {"registration": registration},
                "until (half the store)": {"until": until},
                "since, ascending": {"since": until, "ascending": "true"},
            }
            with serve(env, workers=2, threads=1) as base:
                paths = {
                    label: "/xapi/statements?"
                    + urllib.parse.urlencode(params | {"limit": "100"})
                    for label, params in queries.items()
                }
                paths["the `more` page after the agent's first"] = _more(
                    base, paths["agent"], headers
                )
                for label, path in paths.items():

                    def request(
                        n: int, path: str = path, headers: dict[str, str] = headers
                    ) -> tuple[str, str, None, dict[str, str]]:
                        return "GET", path, None, headers

                    run_load(base, request, seconds=1, max_requests=20)  # warm-up
                    result = run_load(base, request, concurrency=4, seconds=SECONDS)
                    rows.append(
                        result.row(
                            f"GET /xapi/statements, limit=100, {label}, "
                            f"{TOTAL:,} stored, {backend}, 2×1 gunicorn, c=4"
                        )
                    )
                    if result.errors:
                        rows.append(f"| statuses | {result.statuses} |")
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
