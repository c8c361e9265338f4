"""Headless Chromium for the page tests: Playwright driving Debian's chromium, with axe-core.

- :func:`tessera_in_a_course` runs a real ``tessera run`` and an independent LTI platform
  (lti1p3platform, on ``localhost``, another site than Tessera on ``127.0.0.1``) registered in it;
  :meth:`Course.launch` opens the platform's course page, which frames Tessera and launches it
  as one of the platform's people, and returns the tool's frame.
- The ``browser`` fixture is a session's Chromium (third-party cookies blocked, as browsers
  now ship); tests open pages in their own context (``browser.new_context()``).
- :func:`assert_accessible` runs axe-core (npm, tests/browser) in a page or frame and fails on
  any serious or critical violation, naming rule, help and elements.
- :func:`screenshot` saves a PNG under ``.artifacts/screenshots`` (or ``TESSERA_SCREENSHOTS``,
  e.g. ``docs/screenshots`` to refresh the README's pictures).

Chromium is installed by ``make test`` (Debian package ``chromium``) and axe-core by its
``npm ci``; the tests skip, saying why, only when either cannot be found.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gateway.settings import Settings
from tests.e2e.conftest import free_port, register_platform, running_tessera
from tests.lti_platform_peer import PeerPlatform

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p), None
)
AXE_JS = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(
    os.environ.get("TESSERA_SCREENSHOTS", ROOT / ".artifacts" / "screenshots")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--test-third-party-cookie-phaseout",  # third-party cookies blocked
]


def require_chromium() -> str:
    """Chromium's path, or skip the test saying how to get it."""
    if CHROMIUM is None:
        pytest.skip(
            "no Chromium: `make test` installs the Debian package chromium when it runs as "
            "root with apt-get; install it (apt-get install chromium) to run this test"
        )
    return CHROMIUM


# Each test module that imports the fixture gets its own session-scoped copy, but Playwright's
# sync API runs once per process: the copies share one Chromium, closed with the last.
_SHARED: dict[str, Any] = {"users": 0}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session, driven by Playwright."""
    executable = require_chromium()
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is missing: run `cd {AXE_JS.parents[2]} && npm ci`")
    from playwright.sync_api import sync_playwright

    if not _SHARED["users"]:
        pw = sync_playwright().start()
        _SHARED["pw"] = pw
        _SHARED["chromium"] = pw.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
    _SHARED["users"] += 1
    try:
        yield _SHARED["chromium"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            _SHARED.pop("chromium").close()
            _SHARED.pop("pw").stop()


def serious_violations(target: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations in a Playwright page or frame."""
    target.add_script_tag(path=str(AXE_JS))
    found = target.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in found if v.get("impact") in ("serious", "critical")]


def assert_accessible(target: Any, what: str) -> None:
    """Fail, listing each problem, when axe-core finds a serious or critical violation."""
    problems = serious_violations(target)
    assert not problems, f"{what}: axe-core found serious or critical violations:\n" + (
        "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:5])
            for v in problems
        )
    )


def screenshot(target: Any, name: str) -> Path:
    """Save a full-page PNG of ``target`` (a page, or a frame's element) as ``name``.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if hasattr(
        target, "frame_element"
    ):  # a frame: shoot the iframe element in its page
        target.frame_element().screenshot(path=str(path))
    else:
        target.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class Course:
    """A running Tessera and the platform whose course page frames it."""

    peer: PeerPlatform
    base: str  # Tessera's base URL
    env: dict[str, str]  # Tessera's environment (for CLI calls against the same store)
    log: Path  # Tessera's JSON log

    def launch(self, page: Any, user: str, *, timeout: float = 30.0) -> Any:
        """Open the course page as ``user`` (one of ``peer.people``); the tool's frame."""
        page.goto(f"{self.peer.url}/course?user={user}", wait_until="domcontentloaded")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for frame in page.frames:
                if "/lti/view/" in frame.url:
                    frame.wait_for_load_state("load")
                    return frame
            page.wait_for_timeout(100)
        raise AssertionError(
            f"no launch page appeared in the course page's frame for {user!r}; "
            f"frames: {[f.url for f in page.frames]}\n{self.log.read_text()[-3000:]}"
        )


@contextlib.contextmanager
def tessera_in_a_course(
    settings: Settings, tmp_path: Path, **extra_env: str
) -> Iterator[Course]:
    """``tessera run`` on 127.0.0.1 with lti1p3platform (on ``localhost``) registered."""
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
            **extra_env,
        ) as (_, env, log):
            register_platform(env, peer)
            yield Course(peer, base, env, log)
    finally:
        peer.stop()
