"""The LRS: xAPI statements posted to a real gunicorn (``tessera run``), one by one and by 100.

Each statement is a scored quiz attempt by one of 1,000 learners on one of 50 activities
(unaligned here, so each one is stored in ``xapi_statements``, kept as a raw record and
derived into an observation waiting for an alignment), in one transaction per request.
Figures: statements/s through ``POST /xapi/statements``, with request latency percentiles.

In the same run, the same loads go to Ralph (``ralph-malph`` from PyPI, file-system backend,
uvicorn with the same number of worker processes; see bench/ralph.py), and the ratio of
Tessera's rate to Ralph's is printed. Ralph only stores the statement; Tessera also keeps the
raw record and derives an observation from it.
"""

from __future__ import annotations

import base64
import json
import uuid

from bench.load import LoadResult, run_load
from bench.ralph import PASSWORD, USER, serve_ralph
from bench.ralph import VERSION as VERSION_RALPH
from bench.server import cli, database, serve

BATCH = 100
LEARNERS = 1_000
ACTIVITIES = 50
# As for Caliper: on the 2-CPU bench machine single-threaded workers suit the one SQLite writer.
WORKERS, THREADS, CONCURRENCY = 2, 1, 4
SECONDS = 8.0


def make_statement(n: int) -> dict[str, object]:
    """A fresh xAPI 2.0 statement: a scored, passed quiz attempt."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "name": f"Learner {n % LEARNERS}",
            "mbox": f"mailto:learner{n % LEARNERS}@school.example",
        },
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/passed",
            "display": {"en-US": "passed"},
        },
        "object": {
            "objectType": "Activity",
            "id": f"https://vendor.example/quiz/{n % ACTIVITIES}",
            "definition": {"name": {"en-US": f"Quiz {n % ACTIVITIES}"}},
        },
        "result": {
            "score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10},
            "success": True,
            "duration": "PT4M30S",
        },
        "context": {"registration": str(uuid.uuid4())},
        "timestamp": "2026-11-01T10:00:00.000Z",
    }


def _load(base: str, size: int, headers: dict[str, str], path: str) -> LoadResult:
    def request(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        body = [make_statement(n * size + i) for i in range(size)]
        data = json.dumps(body[0] if size == 1 else body).encode()
        return "POST", path, data, headers

    run_load(base, request, seconds=1, max_requests=200)  # warm-up
    return run_load(base, request, concurrency=CONCURRENCY, seconds=SECONDS)


def _label(server: str, size: int, result: LoadResult) -> str:
    return (
        f"POST statements, {size} statement{'s' if size > 1 else ''}/request, {server}, "
        f"c={CONCURRENCY} ({result.rate * size:,.0f} statements/s)"
    )


def main() -> list[str]:
    rows = []
    rates: dict[tuple[str, int], float] = {}
    for backend in ("sqlite", "postgresql"):
        with database(backend) as env:
            cli(env, "init")
            creds = json.loads(cli(env, "vendor", "add", "acme", "--json"))
            key, secret = creds["xapi"]["key"], creds["xapi"]["secret"]
            token = base64.b64encode(f"{key}:{secret}".encode()).decode()
            headers = {
                "Authorization": f"Basic {token}",
                "Content-Type": "application/json",
                "X-Experience-API-Version": "2.0.0",
            }
            with serve(env, workers=WORKERS, threads=THREADS) as base:
                for size in (1, BATCH):
                    result = _load(base, size, headers, "/xapi/statements")
                    server = f"Tessera {backend}, {WORKERS}×{THREADS} gunicorn"
                    rows.append(result.row(_label(server, size, result)))
                    rates[(backend, size)] = result.rate * size
                    if result.errors:
                        rows.append(f"| statuses | {result.statuses} |")
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    headers = {
        "Authorization": f"Basic {token}",
        "Content-Type": "application/json",
        "X-Experience-API-Version": "1.0.3",  # the version Ralph speaks
    }
    with serve_ralph(workers=WORKERS) as base:
        for size in (1, BATCH):
            result = _load(base, size, headers, "/xAPI/statements")
            server = f"Ralph {VERSION_RALPH} fs backend, {WORKERS} uvicorn workers"
            rows.append(result.row(_label(server, size, result)))
            if result.errors:
                rows.append(f"| statuses | {result.statuses} |")
            ralph = result.rate * size
            rows.append(
                f"| Tessera / Ralph, {size} statement{'s' if size > 1 else ''}/request "
                f"| SQLite {rates[('sqlite', size)] / ralph:.2f}×, PostgreSQL "
                f"{rates[('postgresql', size)] / ralph:.2f}× | | | | |"
            )
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
