"""Run every benchmark (or those named) and print Markdown rows for the README's table."""

from __future__ import annotations

import importlib
import sys

BENCHES = (
    "bench_auth",
    "bench_case_import",
    "bench_pipeline",
    "bench_xapi_validation",
    "bench_caliper",
    "bench_xapi",
    "bench_xapi_query",
    "bench_mastery",
    "bench_lti",
    "bench_delivery",
    "bench_console",
    "bench_pages",
    "bench_capacity",
)


def main(names: list[str]) -> None:
    print("| measure | rate | p50 ms | p95 ms | p99 ms | errors |")
    for name in names or BENCHES:
        module = importlib.import_module(f"bench.{name}")
        for row in module.main():
            print(row, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
