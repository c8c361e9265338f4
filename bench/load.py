"""A small, bounded HTTP load generator: N keep-alive clients on loopback, latency percentiles."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

Request = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def row(self, label: str) -> str:
        return (
            f"| {label} | {self.rate:,.0f}/s | {self.p50_ms:.1f} | {self.p95_ms:.1f} "
            f"| {self.p99_ms:.1f} | {self.errors} |"
        )


def run_load(
    base_url: str,
    make_request: Callable[[int], Request],
    *,
    concurrency: int = 4,
    seconds: float = 5.0,
    max_requests: int = 200_000,
    expect: Callable[[int], bool] = lambda status: status < 400,
) -> LoadResult:
    """Send requests from ``concurrency`` threads for ``seconds`` (or ``max_requests``)."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("load is only ever sent to this machine's loopback")
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    statuses: list[dict[int, int]] = [{} for _ in range(concurrency)]
    errors = [0] * concurrency
    counter = iter(range(max_requests))
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        while time.perf_counter() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            method, path, body, headers = make_request(n)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                status = 0
            latencies[slot].append((time.perf_counter() - start) * 1000)
            statuses[slot][status] = statuses[slot].get(status, 0) + 1
            if not expect(status):
                errors[slot] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    flat = sorted(x for per in latencies for x in per)
    merged: dict[int, int] = {}
    for per in statuses:
        for status, count in per.items():
            merged[status] = merged.get(status, 0) + count
    q = (
        statistics.quantiles(flat, n=100, method="inclusive")
        if len(flat) > 1
        else [0.0] * 99
    )
    return LoadResult(len(flat), sum(errors), elapsed, q[49], q[94], q[98], merged)
