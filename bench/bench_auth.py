"""Cost of a vendor credential check, in process and through a real gunicorn.

Figures: microseconds per ``authenticate()`` call (one indexed lookup + one SHA-256), and
``GET /whoami`` (auth only) and ``GET /healthz`` throughput and latency at concurrency 4.
"""

from __future__ import annotations

import base64
import json
import time

from bench.load import run_load
from bench.server import cli, database, serve
from gateway.settings import load_settings
from gateway.store import Store
from gateway.vendors import authenticate
from gateway.vendors.credentials import CredentialKind

CALLS = 5000


def main() -> list[str]:
    rows = []
    for backend in ("sqlite", "postgresql"):
        with database(backend) as env:
            cli(env, "init")
            creds = json.loads(cli(env, "vendor", "add", "acme", "--json"))
            key, secret = creds["xapi"]["key"], creds["xapi"]["secret"]

            store = Store.from_settings(load_settings(env))
            with store.read() as conn:
                start = time.perf_counter()
                for _ in range(CALLS):
                    assert authenticate(conn, CredentialKind.XAPI_BASIC, key, secret)
                per_call = (time.perf_counter() - start) / CALLS * 1e6
            store.dispose()
            rows.append(
                f"| credential check, in process ({backend}) | {per_call:.0f} µs/check |"
            )

            basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
            auth = {"Authorization": f"Basic {basic}"}
            with serve(env) as base:
                run_load(
                    base, lambda n: ("GET", "/healthz", None, {}), seconds=1
                )  # warm-up
                for label, path, headers in (
                    ("GET /whoami (Basic auth)", "/whoami", auth),
                    ("GET /healthz", "/healthz", {}),
                ):
                    result = run_load(
                        base,
                        lambda n, p=path, h=headers: ("GET", p, None, h),
                        seconds=5,
                    )
                    rows.append(result.row(f"{label}, {backend}, 2×4 gunicorn, c=4"))
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
