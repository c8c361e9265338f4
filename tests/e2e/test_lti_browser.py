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
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.settings import Settings
from tests.e2e.browser import require_chromium, tessera_in_a_course
from tests.lti_platform_peer import PeerPlatform

pytestmark = pytest.mark.e2e


@pytest.fixture
def course(settings: Settings, tmp_path: Path) -> Iterator[tuple[PeerPlatform, Path]]:
    require_chromium()
    with tessera_in_a_course(settings, tmp_path) as found:
        yield found.peer, found.log


def _browse(url: str, profile: Path, *, block_all_cookies: bool) -> str:
    profile.mkdir()
    if block_all_cookies:
        (profile / "Default").mkdir()
        (profile / "Default" / "Preferences").write_text(
            json.dumps({"profile": {"default_content_setting_values": {"cookies": 2}}})
        )
    done = subprocess.run(
        [
            require_chromium(),
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
    course: tuple[PeerPlatform, Path], tmp_path: Path
) -> None:
    peer, log = course
    output = _browse(f"{peer.url}/course", tmp_path / "p1", block_all_cookies=False)
    accepted = _accepted(log)
    assert accepted, (
        f"no launch was accepted:\n{log.read_text()[-2000:]}\n{output[-6000:]}"
    )
    assert accepted[0]["lti_binding"] == "cookie"


def test_launch_with_every_cookie_blocked_uses_platform_storage(
    course: tuple[PeerPlatform, Path], tmp_path: Path
) -> None:
    peer, log = course
    output = _browse(
        f"{peer.url}/course?storage=1", tmp_path / "p2", block_all_cookies=True
    )
    accepted = _accepted(log)
    assert accepted, (
        f"no launch was accepted:\n{log.read_text()[-2000:]}\n{output[-6000:]}"
    )
    assert accepted[0]["lti_binding"] == "storage"
