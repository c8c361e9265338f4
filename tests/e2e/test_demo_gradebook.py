"""The demo end to end: `tessera demo`, then `tessera run --with-worker` delivers its grades.

Every level the demo's school week decided reaches the demo gradebook as a signed webhook,
and what the gradebook shows is each learner's current level; a forged delivery is refused.
"""

from __future__ import annotations

import re
import subprocess
import time
from html import unescape
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from gateway.mastery.config import ConfigResolver
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import mastery
from tests.e2e.conftest import BIN, free_port, running_tessera, server_env

pytestmark = pytest.mark.e2e


def test_the_demo_delivers_its_grades_to_the_demo_gradebook(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    dev = {"TESSERA_BASE_URL": base, "TESSERA_ALLOW_PRIVATE_URLS": "1"}
    made = subprocess.run(
        [BIN / "tessera", "demo"],
        env=server_env(settings, **dev),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert f"{base}/demo/gradebook" in made.stdout
    with store.read() as conn:
        resolver = ConfigResolver(conn)
        expected = {}
        for r in conn.execute(select(mastery)):
            if r.level is None:
                continue
            scale = resolver.for_shared(r.shared_id).scale
            expected[(r.learner_id, r.shared_id)] = scale.levels[
                scale.index(r.level)
            ].label
    assert len(expected) > 50

    with running_tessera(settings, tmp_path, port=port, args=("--with-worker",), **dev):
        deadline = time.monotonic() + 90
        while True:
            page = requests.get(f"{base}/demo/gradebook", timeout=10)
            assert page.status_code == 200
            shown = re.findall(
                r"<tr><th scope=\"row\">([^<]+)</th><td>[^<]*</td><td>([^<]+)</td>",
                page.text,
            )
            if len(shown) >= len(expected) or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert len(shown) == len(expected), (
            f"{len(shown)} of {len(expected)} grades arrived"
        )
        assert sorted(unescape(label) for _, label in shown) == sorted(
            expected.values()
        )
        forged = requests.post(
            f"{base}/demo/gradebook",
            json={"type": "mastery.changed", "data": {}},
            headers={
                "Tessera-Timestamp": str(int(time.time())),
                "Tessera-Signature": "v1=00",
            },
            timeout=10,
        )
        assert forged.status_code == 401
