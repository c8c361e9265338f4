"""A launch in headless Chromium, inside a cross-site iframe, with third-party cookies blocked.

The course page of an independent platform (lti1p3platform, on ``localhost``) frames Tessera
(on ``127.0.0.1``, another site). Two runs: third-party cookies blocked (the partitioned state
cookie must carry the launch), and every cookie blocked with the platform offering postMessage
storage (the state must be bound through ``lti.put_data`` / ``lti.get_data``). Chromium is
installed by ``make test`` (Debian package ``chromium``); the test skips, saying why, only when
no Chromium can be found.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.settings import Settings
from tests.e2e.conftest import BIN, free_port, running_tessera
from tests.lti_platform_peer import PeerPlatform

pytestmark = pytest.mark.e2e
CHROMIUM = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p), None
)


@pytest.fixture
def tessera_in_a_course(
    settings: Settings, tmp_path: Path
) -> Iterator[tuple[PeerPlatform, Path]]:
    if CHROMIUM is None:
        pytest.skip(
            "no Chromium: `make test` installs the Debian package chromium when it runs as "
            "root with apt-get; install it (apt-get install chromium) to run this test"
        )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    peer = PeerPlatform(base, host="localhost")
    try:
        with running_tessera(
            settings,
            tmp_path,
            port=port,
            TESSERA_BASE_URL=base,
            TESSERA_ALLOW_PRIVATE_URLS="1",
        ) as (_, env, log):
            e = peer.endpoints
            subprocess.run(
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
                ],
                env=env,
                check=True,
                capture_output=True,
                timeout=60,
            )
            yield peer, log
    finally:
        peer.stop()


def _browse(url: str, profile: Path, *, block_all_cookies: bool) -> str:
    profile.mkdir()
    if block_all_cookies:
        (profile / "Default").mkdir()
        (profile / "Default" / "Preferences").write_text(
            json.dumps({"profile": {"default_content_setting_values": {"cookies": 2}}})
        )
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--test-third-party-cookie-phaseout",  # third-party cookies blocked
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout + done.stderr


def _accepted(log: Path) -> list[dict[str, object]]:
    deadline = time.monotonic() + 10
    while True:
        lines = [
            json.loads(line)
            for line in log.read_text().splitlines()
            if line.startswith("{")
        ]
        found = [e for e in lines if e.get("lti_check") == "ok"]
        if found or time.monotonic() > deadline:
            views = [
                e for e in lines if str(e.get("path", "")).startswith("/lti/view/")
            ]
            assert not found or any(v.get("status") == 200 for v in views), lines
            return found
        time.sleep(0.3)


def test_launch_in_a_cross_site_iframe_with_partitioned_cookies(
    tessera_in_a_course: tuple[PeerPlatform, Path], tmp_path: Path
) -> None:
    peer, log = tessera_in_a_course
    output = _browse(f"{peer.url}/course", tmp_path / "p1", block_all_cookies=False)
    accepted = _accepted(log)
    assert accepted, (
        f"no launch was accepted:\n{log.read_text()[-2000:]}\n{output[-6000:]}"
    )
    assert accepted[0]["lti_binding"] == "cookie"


def test_launch_with_every_cookie_blocked_uses_platform_storage(
    tessera_in_a_course: tuple[PeerPlatform, Path], tmp_path: Path
) -> None:
    peer, log = tessera_in_a_course
    output = _browse(
        f"{peer.url}/course?storage=1", tmp_path / "p2", block_all_cookies=True
    )
    accepted = _accepted(log)
    assert accepted, (
        f"no launch was accepted:\n{log.read_text()[-2000:]}\n{output[-6000:]}"
    )
    assert accepted[0]["lti_binding"] == "storage"
