"""The launch pages in headless Chromium, framed by a real LTI platform's course page.

Each page is launched through the platform, checked with axe-core (no serious or critical
violations) and saved as a screenshot (see :mod:`tests.e2e.browser`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.settings import Settings
from tests.e2e.browser import (
    Course,
    assert_accessible,
    browser,  # noqa: F401  (the session's Chromium, a fixture)
    screenshot,
    tessera_in_a_course,
)
from tests.lti_platform_peer import INSTRUCTOR

pytestmark = pytest.mark.e2e


@pytest.fixture
def course(settings: Settings, tmp_path: Path) -> Iterator[Course]:
    with tessera_in_a_course(settings, tmp_path) as found:
        found.peer.people["teacher-1"] = ([INSTRUCTOR], "Tess Teacher")
        yield found


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_learner_launch_shows_their_own_page(course: Course, page: Any) -> None:
    frame = course.launch(page, "browser-learner")
    assert frame.get_by_role("heading", level=1).count() == 1
    assert_accessible(frame, "learner page")
    screenshot(frame, "learner")


def test_an_instructor_launch_shows_the_class(course: Course, page: Any) -> None:
    frame = course.launch(page, "teacher-1")
    assert "Biology 1" in frame.content()
    assert_accessible(frame, "class page")
    screenshot(frame, "class")
