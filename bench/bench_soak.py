"""Soak: 30 minutes of mixed load on one `tessera run` (2 web processes) over PostgreSQL.

Five kinds of client run side by side on loopback, each in a closed loop: a vendor posting
single xAPI statements, one posting batches of 20, one posting Caliper envelopes of 10 events,
browsers doing whole LTI launches (login, an id_token signed as the platform would, launch),
and a teacher reading learners' mastery through the admin API. The vendors' quizzes are
aligned to a competency of ACT's framework, so every statement becomes evidence and a
mastery decision. Every minute the benchmark prints each kind's requests per second and p99
latency and the resident memory of the gunicorn master and its workers; at the end, rows for
the README: throughput and p99 per kind over the whole run, and memory at the first minute,
the last and its highest. ``TESSERA_SOAK_SECONDS`` shortens the run (default 1800).
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.bench_caliper import _envelope, _template
from bench.bench_capacity import browser_launch, register_platform
from bench.bench_lti import _jwks_server
from bench.bench_xapi import make_statement
from bench.server import SERVERS, cli, database, serve

SECONDS = float(os.environ.get("TESSERA_SOAK_SECONDS", "1800"))
WINDOW = 60.0
ACT = (
    Path(__file__).parents[1]
    / "tests/fixtures/case/act-holistic-framework-math.CFPackage.json"
)


@dataclass
class Kind:
    """One kind of traffic: its latencies, per window, and failures."""

    name: str
    latencies: list[list[float]] = field(default_factory=lambda: [[]])
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, ms: float, ok: bool) -> None:
        with self.lock:
            self.latencies[-1].append(ms)
            self.failures += not ok

    def roll(self) -> list[float]:
        with self.lock:
            done = self.latencies[-1]
            self.latencies.append([])
            return done


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else 0.0


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MB."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(x) for x in (task / "children").read_text().split()]
    total = 0
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _loop(
    kind: Kind, stop: threading.Event, step: Callable[[requests.Session, int], bool]
) -> None:
    session = requests.Session()
    n = 0
    while not stop.is_set():
        n += 1
        began = time.perf_counter()
        try:
            ok = step(session, n)
        except requests.RequestException:
            ok = False
            session = requests.Session()
        kind.record((time.perf_counter() - began) * 1000, ok)


def main() -> list[str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks, jwks_url = _jwks_server(key)
    act = json.loads(ACT.read_text())
    leaf = next(
        i["identifier"]
        for i in act["CFItems"]
        if i.get("humanCodingScheme", "").endswith(".L1.1")
    )
    try:
        with database("postgresql") as env:
            env = env | {"TESSERA_ALLOW_PRIVATE_URLS": "1"}
            cli(env, "init")
            cli(env, "framework", "import", str(ACT))
            made = json.loads(cli(env, "vendor", "add", "soak", "--json"))
            cli(env, "align", "https://vendor.example/quiz/", leaf, "--match", "prefix")
            token = json.loads(cli(env, "admin-token", "create", "teacher", "--json"))[
                "token"
            ]
            register_platform(env, jwks_url)
            xapi = made["xapi"]
            basic = base64.b64encode(
                f"{xapi['key']}:{xapi['secret']}".encode()
            ).decode()
            xh = {
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/json",
                "X-Experience-API-Version": "2.0.0",
            }
            ch = {
                "Authorization": f"Bearer {made['caliper']['token']}",
                "Content-Type": "application/json",
            }
            ah = {"Authorization": f"Bearer {token}"}
            template = _template()
            with serve(env) as base:
                return _soak(base, key, xh, ch, ah, template)
    finally:
        jwks.shutdown()


def _soak(
    base: str,
    key: Any,
    xh: dict[str, str],
    ch: dict[str, str],
    ah: dict[str, str],
    template: str,
) -> list[str]:
    learner_ids: list[str] = []

    def single(s: requests.Session, n: int) -> bool:
        r = s.post(
            f"{base}/xapi/statements",
            data=json.dumps(make_statement(n)),
            headers=xh,
            timeout=30,
        )
        return r.status_code == 200

    def batch(s: requests.Session, n: int) -> bool:
        body = [make_statement(n * 20 + i) for i in range(20)]
        r = s.post(
            f"{base}/xapi/statements", data=json.dumps(body), headers=xh, timeout=30
        )
        return r.status_code == 200

    def caliper(s: requests.Session, n: int) -> bool:
        r = s.post(f"{base}/caliper", data=_envelope(template), headers=ch, timeout=30)
        return r.status_code == 200

    def launch(s: requests.Session, n: int) -> bool:
        landed = browser_launch(
            s, base, key, sub=f"student-{n % 200}", context=f"course-{n % 10}"
        )
        if landed.status_code != 303:
            return False
        page = s.get(base + landed.headers["Location"], timeout=30)
        return page.status_code == 200

    def mastery(s: requests.Session, n: int) -> bool:
        if n % 50 == 1 or not learner_ids:
            listed = s.get(
                f"{base}/api/v1/learners", params={"limit": 100}, headers=ah, timeout=30
            )
            items = listed.json().get("items") or listed.json().get("learners") or []
            learner_ids[:] = [i["id"] for i in items] or learner_ids
            if not learner_ids:
                time.sleep(0.2)
                return listed.status_code == 200
        r = s.get(
            f"{base}/api/v1/learners/{learner_ids[n % len(learner_ids)]}/mastery",
            headers=ah,
            timeout=30,
        )
        return r.status_code == 200

    kinds = {
        "xAPI, 1 statement per request": (Kind("single"), single),
        "xAPI, 20 statements per request": (Kind("batch"), batch),
        "Caliper, 10 events per envelope": (Kind("caliper"), caliper),
        "LTI launch and its page": (Kind("launch"), launch),
        "mastery read (admin API)": (Kind("mastery"), mastery),
    }
    stop = threading.Event()
    threads = [
        threading.Thread(target=_loop, args=(kind, stop, step), daemon=True)
        for kind, step in kinds.values()
    ]
    pid = SERVERS[base]
    memory: list[float] = []
    began = time.monotonic()
    for t in threads:
        t.start()
    try:
        while time.monotonic() - began < SECONDS:
            time.sleep(min(WINDOW, max(0.0, SECONDS - (time.monotonic() - began))))
            memory.append(_rss_mb(pid))
            line = [f"{time.monotonic() - began:6.0f}s rss {memory[-1]:6.1f} MB"]
            for kind, _ in kinds.values():
                window = kind.roll()
                line.append(
                    f"{kind.name} {len(window) / WINDOW:6.1f}/s p99 {_p99(window):6.1f}ms"
                )
            print(" | ".join(line), file=sys.stderr, flush=True)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    elapsed = time.monotonic() - began
    rows = []
    for label, (kind, _) in kinds.items():
        everything = [ms for window in kind.latencies for ms in window]
        rows.append(
            f"| soak {elapsed / 60:.0f} min, PostgreSQL, 2 web processes: {label} "
            f"| {len(everything) / elapsed:,.1f}/s | {statistics.median(everything):.1f} "
            f"| {sorted(everything)[int(0.95 * len(everything))]:.1f} "
            f"| {_p99(everything):.1f} | {kind.failures} |"
        )
    rows.append(
        f"| soak, resident memory of the server (master + 2 workers) | first minute "
        f"{memory[0]:.1f} MB, last {memory[-1]:.1f} MB, highest {max(memory):.1f} MB "
        f"({(memory[-1] - memory[0]) / memory[0] * 100:+.1f}%) | | | | |"
    )
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
