"""Real `tessera run` (gunicorn) processes for the end-to-end tests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from gateway.settings import Settings
from tests.helpers import settings_env

BIN = Path(sys.executable).parent
PROCESSES: dict[
    str, subprocess.Popen[bytes]
] = {}  # base URL -> its `tessera run` master


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
    env.pop("DATABASE_URL", None)
    return env | settings_env(settings) | extra


@contextlib.contextmanager
def running_tessera(
    settings: Settings,
    tmp_path: Path,
    *,
    port: int | None = None,
    args: tuple[str, ...] = (),
    **extra_env: str,
) -> Iterator[tuple[str, dict[str, str], Path]]:
    """Start `tessera run` on a free port; yield (base URL, its environment, its log file).

    ``args`` are more options of ``tessera run`` (e.g. ``--with-worker``).
    """
    port = port or free_port()
    env = server_env(
        settings, TESSERA_LOG_JSON="1", TESSERA_PORT=str(port), **extra_env
    )
    log = tmp_path / f"server-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [BIN / "tessera", "run", "--workers", "2", *args],
            env=env,
            stdout=out,
            stderr=out,
        )
    base = f"http://127.0.0.1:{port}"
    PROCESSES[base] = proc
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, (
                "server did not come up:\n" + log.read_text()
            )
            time.sleep(0.2)
        yield base, env, log
    finally:
        PROCESSES.pop(base, None)
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 0, log.read_text()


def register_platform(env: dict[str, str], peer: Any) -> Any:
    """``tessera platform add`` for a :class:`tests.lti_platform_peer.PeerPlatform`."""
    e = peer.endpoints
    added = subprocess.run(
        [
            BIN / "tessera",
            "platform",
            "add",
            "--issuer",
            e["issuer"],
            "--client-id",
            e["client_id"],
            "--auth-login-url",
            e["auth_login_url"],
            "--auth-token-url",
            e["auth_token_url"],
            "--jwks-url",
            e["jwks_url"],
            "--deployment-id",
            peer.deployment_id,
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    return json.loads(added.stdout)
