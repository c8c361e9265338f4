"""The admin console in headless Chromium against a real `tessera run` (two web processes).

One admin signs in with a token and works through every page as a person would; an LMS
administrator opens the console from a launch inside the course iframe (third-party cookies
blocked). Each page is checked with axe-core and saved as a screenshot.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from gateway.settings import Settings
from tests.api_helpers import make_statement
from tests.e2e.browser import (
    Course,
    assert_accessible,
    browser,  # noqa: F401  (the session's Chromium, a fixture)
    screenshot,
    tessera_in_a_course,
)
from tests.e2e.conftest import BIN
from tests.lti_platform_peer import ADMINISTRATOR

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CASE_FILE = (
    ROOT / "tests/fixtures/case/smarterbalanced-grade3-math-spec-C1-TH.CFPackage.json"
)
ACTIVITY = "https://vendor.example/quiz/fractions-7"


@pytest.fixture
def course(settings: Settings, tmp_path: Path) -> Iterator[Course]:
    with tessera_in_a_course(settings, tmp_path) as found:
        yield found


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def tessera_cli(course: Course, *args: str) -> Any:
    done = subprocess.run(
        [BIN / "tessera", *args, "--json"],
        env=course.env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def check_page(page: Any, name: str) -> None:
    """axe-core finds nothing serious; keyboard focus is visible; save a screenshot."""
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page, name)
    screenshot(page, f"admin-{name}")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle"
    )
    assert outline not in ("", "none"), f"{name}: the focused element shows no outline"


def test_an_admin_signs_in_with_a_token_and_works_through_each_page(
    course: Course, page: Any, httpserver: HTTPServer
) -> None:
    base = course.base
    token = tessera_cli(course, "admin-token", "create", "browser-admin")["token"]
    refusals: list[int] = []

    def refuse(_request: Request) -> Response:
        refusals.append(1)
        return Response("no such learner here", status=422)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(refuse)
    tessera_cli(
        course, "destination", "add", "district-hook", "--kind", "webhook",
        "--url", httpserver.url_for("/hook"),
    )  # fmt: skip

    # Sign in.
    page.goto(f"{base}/admin/vendors")
    assert "/admin/sign-in" in page.url
    check_page(page, "sign-in")
    page.get_by_label("Admin token").fill("ta_wrong.token")
    page.get_by_role("button", name="Sign in").click()
    assert "not a valid admin token" in page.locator("#problem").inner_text()
    page.get_by_label("Admin token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/admin/vendors")

    # Vendors: create one, see its secret once.
    page.get_by_label("Name", exact=True).fill("acme-math")
    page.get_by_label("Display name (optional)").fill("Acme Math")
    page.get_by_role("button", name="Add the vendor").click()
    key = page.locator("#xapi-key").inner_text()
    secret = page.locator("#xapi-secret").inner_text()
    assert key and secret
    check_page(page, "vendor-secrets")
    page.get_by_role("link", name="Continue to acme-math").click()
    assert secret not in page.content()
    check_page(page, "vendor")

    # Test a payload: observations shown, nothing stored.
    statement = make_statement(
        "5e000000-0000-4000-8000-0000000000b1", activity=ACTIVITY, scaled=0.9
    )
    page.get_by_label("Payload (JSON)").fill(json.dumps(statement))
    page.get_by_role("button", name="Show the observations").click()
    preview = page.locator("#preview")
    assert "0.900" in preview.inner_text() and ACTIVITY in preview.inner_text()
    assert "wait in the unaligned inbox" in preview.inner_text()
    check_page(page, "test-payload")
    assert page.get_by_label("Payload (JSON)").input_value()  # kept for another try

    # The vendor sends the statement for real, with the credentials shown once.
    sent = requests.post(
        f"{base}/xapi/statements",
        json=statement,
        auth=(key, secret),
        headers={"X-Experience-API-Version": "2.0.0"},
        timeout=30,
    )
    assert sent.status_code == 200, sent.text

    # Frameworks: import the fixture file, with progress, and browse the tree.
    page.get_by_role("link", name="Frameworks").click()
    page.get_by_label("CFPackage file").set_input_files(str(CASE_FILE))
    page.get_by_role("button", name="Import").click()
    page.locator("#import-done").wait_for()
    steps = page.locator("#steps li").all_inner_texts()
    assert steps[0].startswith("Step 1 of 3") and steps[-1] == "Finished."
    check_page(page, "framework-import")
    page.get_by_role("link", name="Browse the framework").click()
    first_branch = page.locator("#tree summary").first
    first_branch.click()
    assert page.locator("#tree details[open]").count() >= 1
    check_page(page, "framework")

    # Alignments: the activity waits in the inbox; find a competency, align in one click.
    page.get_by_role("link", name="Alignments").click()
    assert ACTIVITY in page.locator("#inbox").inner_text()
    page.get_by_label("Coding scheme or words of the statement").fill("how many more")
    page.get_by_role("button", name="Find").click()
    page.locator("#found").get_by_role("link", name="Choose").first.click()
    check_page(page, "alignments")
    page.get_by_role("button", name=f"Align and replay {ACTIVITY}").click()
    notice = page.locator("#notice").inner_text()
    assert "1 waiting observations replayed, 1 evidence made" in notice
    assert page.locator("#inbox-empty").is_visible()

    # Deliveries: the mastery change is refused by the district's hook: a dead letter.
    tessera_cli(course, "worker", "--once")
    assert refusals
    page.get_by_role("link", name="Deliveries").click()
    assert "HTTP 422" in page.locator("#dead").inner_text()
    check_page(page, "deliveries")
    page.locator("#dead").get_by_role("button", name="Retry").first.click()
    assert "is pending now" in page.locator("#notice").inner_text()
    assert page.locator("#no-dead").is_visible()

    # Platforms: the course's LMS, registered by hand, with its deployment.
    page.get_by_role("link", name="Platforms").click()
    assert course.peer.deployment_id in page.content()
    check_page(page, "platforms")

    # Equity: no class in this store yet, said so.
    page.get_by_role("link", name="Equity").click()
    assert page.locator("#no-classes").is_visible()
    check_page(page, "equity")

    # Overview, then the audit log names who did each of these things.
    page.get_by_role("link", name="Overview").click()
    check_page(page, "console")
    page.get_by_role("link", name="Audit log").click()
    log_text = page.locator("#audit").inner_text()
    for action in (
        "console.sign-in",
        "vendor.create",
        "vendor.test-payload",
        "framework.import",
        "alignment.create",
        "delivery.retry",
    ):
        assert action in log_text, action
    assert "admin-token:browser-admin" in log_text
    page.get_by_label("Action").fill("vendor")
    page.get_by_role("button", name="Filter").click()
    assert "framework.import" not in page.locator("#audit").inner_text()
    check_page(page, "audit")

    # Keyboard: sign out without the mouse.
    page.locator("#sign-out").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/admin/sign-in")
    page.goto(f"{base}/admin/")
    assert "/admin/sign-in" in page.url


def _console_frame(page: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "/admin/l/" in frame.url:
                frame.wait_for_load_state("load")
                return frame
        page.wait_for_timeout(100)
    raise AssertionError(
        f"no console in the course frame: {[f.url for f in page.frames]}"
    )


def test_an_lms_administrator_opens_the_console_inside_the_course_iframe(
    course: Course, page: Any
) -> None:
    course.peer.people["admin-1"] = ([ADMINISTRATOR], "Ada Admin")
    page.goto(f"{course.peer.url}/course?user=admin-1", wait_until="domcontentloaded")
    frame = _console_frame(page)
    assert "Ada Admin (LMS administrator)" in frame.locator("nav").inner_text()
    assert frame.get_by_role("heading", level=1).inner_text() == "Admin console"
    assert_accessible(frame, "console in the course frame")
    screenshot(frame, "admin-console-in-lms")
    # Links stay inside the launch, without cookies (third-party cookies are blocked).
    frame.get_by_role("navigation").get_by_role("link", name="Vendors").click()
    frame.wait_for_url("**/admin/l/*/vendors")
    frame.get_by_label("Name", exact=True).fill("from-the-lms")
    frame.get_by_role("button", name="Add the vendor").click()
    frame.locator("#xapi-secret").wait_for()
    frame.get_by_role("link", name="Audit log").click()
    entry = frame.locator("#audit").inner_text()
    assert "vendor.create" in entry and "Ada Admin" in entry
