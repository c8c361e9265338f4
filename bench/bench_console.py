"""Server time of the admin console's pages, in process, with a store of some size.

The store holds 50 vendors, a CASE framework (the Smarter Balanced fixture, 48 items),
2,000 xAPI statements from one vendor over 100 activities no rule aligns yet (so the
alignment inbox is full), and 2,000 audit log lines. Each page is requested by a signed-in
admin (session cookie) through the Flask test client; the time is taken around the app's WSGI
callable as a server would see it. Rows give the median and p95 CPU time of the serving
thread (steadier than wall time on a shared machine).
"""

from __future__ import annotations

import json
import logging
import re
import statistics
import time
from pathlib import Path
from typing import Any

from bench.server import database
from gateway import create_app
from gateway.api.tokens import create_admin_token
from gateway.cli import initialize
from gateway.competencies import import_package
from gateway.console.queries import record_action
from gateway.intake.pipeline import Incoming, ingest, vendor_context
from gateway.settings import load_settings
from gateway.store import Store
from gateway.vendors import add_vendor

ROUNDS = 30
CASE_FILE = (
    Path(__file__).resolve().parents[1]
    / "tests/fixtures/case/smarterbalanced-grade3-math-spec-C1-TH.CFPackage.json"
)


def _statement(n: int) -> dict[str, Any]:
    return {
        "id": f"5e000000-0000-4000-8000-{n:012d}",
        "actor": {
            "objectType": "Agent",
            "mbox": f"mailto:learner{n % 300}@school.test",
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/scored"},
        "object": {"id": f"https://vendor.example/activity/{n % 100}"},
        "result": {"score": {"scaled": (n % 10) / 10}},
        "timestamp": "2026-11-01T10:00:00Z",
    }


def _seed(store: Store) -> str:
    vendor_ids = [add_vendor(store, f"vendor-{n:02d}")[0].id for n in range(50)]
    import_package(store, json.loads(CASE_FILE.read_text()))
    statements = [_statement(n) for n in range(2000)]
    for start in range(0, len(statements), 200):
        with store.write() as conn:
            ingest(
                conn,
                vendor_context(conn, vendor_ids[0]),
                "xapi",
                [
                    Incoming(s["id"], json.dumps(s), s)
                    for s in statements[start : start + 200]
                ],
            )
    for n in range(2000):
        record_action(
            store, f"tester-{n % 7}", "thing.do", f"thing:{n}", None, {"n": n}
        )
    _, token = create_admin_token(store, "bench")
    return token


def _run(backend: str) -> list[str]:
    with database(backend) as env:
        settings = load_settings(env)
        store = Store.from_settings(settings)
        initialize(settings, store)
        token = _seed(store)
        app = create_app(settings, store)
        spent: list[float] = []
        inner = app.wsgi_app

        def timed(environ: Any, start_response: Any) -> Any:
            c0 = time.thread_time()
            try:
                # Consume a streamed body inside the timing, as a server would.
                return list(inner(environ, start_response))
            finally:
                spent.append(time.thread_time() - c0)

        app.wsgi_app = timed  # type: ignore[method-assign]
        logging.getLogger("gateway").setLevel(logging.WARNING)
        client = app.test_client()
        form = client.get("/admin/sign-in").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert csrf
        client.post("/admin/sign-in", data={"token": token, "csrf_token": csrf[1]})
        page = client.get("/admin/vendors").get_data(as_text=True)
        session_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert session_csrf
        framework = client.get("/admin/frameworks").get_data(as_text=True)
        framework_link = re.search(r'href="(/admin/frameworks/[0-9a-f-]+)"', framework)
        assert framework_link
        preview = json.dumps([_statement(10_000 + n) for n in range(50)])
        cases: list[tuple[str, Any]] = [
            ("overview", lambda: client.get("/admin/")),
            ("vendors (50)", lambda: client.get("/admin/vendors")),
            (
                "alignments (inbox of 100, competency search)",
                lambda: client.get("/admin/alignments?q=graph"),
            ),
            ("framework tree and crosswalks", lambda: client.get(framework_link[1])),
            ("audit log page (50 of 2,000)", lambda: client.get("/admin/audit")),
            (
                "audit log filtered by who",
                lambda: client.get("/admin/audit?actor=tester-3"),
            ),
            ("deliveries", lambda: client.get("/admin/deliveries")),
            (
                "test a payload of 50 xAPI statements",
                lambda: client.post(
                    "/admin/vendors/vendor-00/test",
                    data={
                        "protocol": "xapi",
                        "payload": preview,
                        "csrf_token": session_csrf[1],
                    },
                ),
            ),
        ]
        rows = []
        for label, call in cases:
            cpu = []
            for i in range(ROUNDS + 3):
                response = call()
                assert response.status_code == 200, (label, response.status_code)
                if i >= 3:
                    cpu.append(spent[-1] * 1000)
            ordered = sorted(cpu)
            rows.append(
                f"| admin console: {label}, {backend}, CPU time | "
                f"| {statistics.median(cpu):.2f} "
                f"| {ordered[int(0.95 * (len(ordered) - 1))]:.2f} | | 0 |"
            )
        store.dispose()
    return rows


def main() -> list[str]:
    return [row for backend in ("sqlite", "postgresql") for row in _run(backend)]


if __name__ == "__main__":
    print("| measure | rate | p50 ms | p95 ms | p99 ms | errors |")
    for line in main():
        print(line)
