"""Start a real Tessera (``tessera run``, gunicorn) on loopback for a benchmark, and stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BIN = Path(sys.executable).parent
PG_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def database(backend: str) -> Iterator[dict[str, str]]:
    """Environment for a fresh, throw-away database of ``backend``."""
    with tempfile.TemporaryDirectory(prefix="tessera-bench-") as tmp:
        # Benchmarks measure throughput: the per-credential rate limit would measure itself.
        env = {"TESSERA_INSTANCE_PATH": tmp, "TESSERA_RATE_LIMIT_PER_SECOND": "0"}
        if backend == "sqlite":
            yield env
            return
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield env | {"DATABASE_URL": url.render_as_string(hide_password=False)}
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def cli(env: dict[str, str], *args: str) -> str:
    """Run a ``tessera`` command with ``env`` and return its stdout."""
    full = _clean_env() | env
    done = subprocess.run(
        [BIN / "tessera", *args], env=full, capture_output=True, text=True, check=True
    )
    return done.stdout


SERVERS: dict[str, int] = {}  # base URL -> pid of its gunicorn master


@contextlib.contextmanager
def serve(env: dict[str, str], *, workers: int = 2, threads: int = 4) -> Iterator[str]:
    """A running ``tessera run`` on a free loopback port; yields its base URL."""
    port = free_port()
    full = (
        _clean_env() | env | {"TESSERA_PORT": str(port), "TESSERA_LOG_LEVEL": "WARNING"}
    )
    proc = subprocess.Popen(
        [BIN / "tessera", "run", "--workers", str(workers), "--threads", str(threads)],
        env=full,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    SERVERS[base] = proc.pid
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            time.sleep(0.2)
        else:
            raise RuntimeError("tessera run did not come up in 60 s")
        yield base
    finally:
        SERVERS.pop(base, None)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env.pop("DATABASE_URL", None)
    return env
