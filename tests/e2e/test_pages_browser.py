"""The launch pages in headless Chromium, framed by a real LTI platform's course page.

Each page is launched through the platform, checked with axe-core (no serious or critical
violations) and saved as a screenshot (see :mod:`tests.e2e.browser`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from gateway.competencies import import_package
from gateway.intake.alignment import NewAlignment
from gateway.intake.pipeline import Incoming, ingest, vendor_context
from gateway.intake.service import align
from gateway.mastery.service import TeacherEvidence, add_teacher_evidence, override
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import competencies, learners
from gateway.vendors import add_vendor
from tests.e2e.browser import (
    Course,
    assert_accessible,
    browser,  # noqa: F401  (the session's Chromium, a fixture)
    screenshot,
    tessera_in_a_course,
)
from tests.lti_platform_peer import INSTRUCTOR, LEARNER

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


CLASS = {  # NRPS user id -> name
    "s-ada": "Ada Okafor",
    "s-ben": "Ben Ito",
    "s-cleo": "Cleo Marsh",
    "s-dev": "Dev Patel",
    "s-eli": "Eli Novak",
    "s-fay": "Fay Lund",
}
ACT = (
    Path(__file__).resolve().parents[1]
    / "fixtures/case/act-holistic-framework-math.CFPackage.json"
)
LEVELS = ("below", "near", "mastery", "exceeds")


def _seed_the_class(store: Store) -> tuple[dict[str, str], list[str]]:
    """The ACT framework, and scores on six competencies for each learner of the class."""
    import_package(store, json.loads(ACT.read_text()))
    with store.read() as conn:
        ids = {
            r.display_name: r.id
            for r in conn.execute(
                select(learners.c.id, learners.c.display_name).where(
                    learners.c.display_name.in_(list(CLASS.values()))
                )
            )
        }
        leaves = [
            r.id
            for r in conn.execute(
                select(competencies.c.id)
                .where(
                    competencies.c.human_coding_scheme.like("H.A.MATH.GM.PF.2DFP.L1.%")
                )
                .order_by(competencies.c.human_coding_scheme)
                .limit(6)
            )
        ]
    assert len(ids) == len(CLASS) and len(leaves) == 6, (ids, leaves)
    # A vendor's quiz per competency (two sources, so the rules allow Mastery).
    vendor, _ = add_vendor(store, "mathquest")
    align(store, [NewAlignment(f"https://mathquest.test/q/{c}", c) for c in leaves])
    statements: list[dict[str, Any]] = []
    for n, (uid, name) in enumerate(sorted(CLASS.items())):
        for m, competency in enumerate(leaves):
            if (n + m) % 5 == 4:
                continue  # some cells stay empty
            for k in range(2):
                statements.append(
                    {
                        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{uid}/{m}/{k}")),
                        "actor": {"name": name, "mbox": f"mailto:{uid}@school.test"},
                        "verb": {"id": "http://adlnet.gov/expapi/verbs/scored"},
                        "object": {"id": f"https://mathquest.test/q/{competency}"},
                        "result": {"score": {"scaled": ((n * 3 + m + k) % 5) / 4}},
                        "timestamp": f"2026-11-{2 + 3 * k + m:02d}T10:00:00Z",
                    }
                )
            level = LEVELS[(n + m // 2) % 4]
            add_teacher_evidence(
                store,
                ids[name],
                TeacherEvidence(competency, "Tess Teacher", level=level),
            )
    with store.read() as conn:
        ctx = vendor_context(conn, vendor.id)
    with store.write() as conn:
        ingest(
            conn,
            ctx,
            "xapi",
            [Incoming(str(s["id"]), json.dumps(s), s) for s in statements],
        )
    override(
        store,
        ids["Ada Okafor"],
        leaves[0],
        "exceeds",
        "Explained it to the class",
        "Tess Teacher",
    )
    return ids, leaves


def test_a_teacher_works_the_class_grid_and_a_learner_sees_their_progress(
    course: Course, page: Any, store: Store
) -> None:
    course.peer.members = [
        {"user_id": "teacher-1", "roles": [INSTRUCTOR], "name": "Tess Teacher"}
    ] + [
        {
            "user_id": uid,
            "roles": [LEARNER],
            "name": name,
            "email": f"{uid}@school.test",
        }
        for uid, name in CLASS.items()
    ]
    course.peer.people.update({uid: ([LEARNER], name) for uid, name in CLASS.items()})
    frame = course.launch(page, "teacher-1")  # syncs the roster from NRPS
    ids, leaves = _seed_the_class(store)
    frame.goto(frame.url)
    grid = frame.locator("#grid")
    assert grid.locator("tbody tr").count() == len(CLASS)
    assert grid.locator("thead th").count() == 2 + len(leaves)
    assert_accessible(frame, "class grid")
    screenshot(frame, "class-grid")

    # Keyboard: the first Tab reaches the skip link, and it becomes visible.
    frame.locator("body").focus()
    page.keyboard.press("Tab")
    assert frame.evaluate("document.activeElement.className") == "skip"
    assert frame.locator("a.skip").bounding_box()["x"] >= 0
    frame.evaluate(
        "document.activeElement.blur()"
    )  # it overlays the page while focused

    # Filter: the learners with a competency at Near Mastery, and only those columns.
    def names() -> list[str]:
        return list(frame.locator("#grid tbody th").all_inner_texts())

    near = [
        name
        for name, text in zip(
            names(), grid.locator("tbody tr").all_text_contents(), strict=True
        )
        if "Near Mastery" in text
    ]
    frame.get_by_label("Level", exact=True).select_option("near")
    frame.get_by_label("only who is not yet proficient").check()
    with frame.expect_navigation():
        frame.get_by_role("button", name="Show").click()
    assert "level=near" in frame.url and near and names() == near

    # Sort by the first competency, highest first: the overridden Exceeds comes first.
    frame.goto(frame.url.split("?")[0])
    with frame.expect_navigation():
        frame.locator("#grid thead th").nth(2).get_by_role("link").click()
    frame.locator("#grid thead th").nth(2).get_by_role(
        "link"
    ).click()  # again: descending
    frame.wait_for_load_state("load")
    assert (
        frame.locator("#grid thead th").nth(2).get_attribute("aria-sort")
        == "descending"
    )
    assert frame.locator("#grid tbody th").first.inner_text() == "Ada Okafor"

    exported = requests.get(frame.url.split("?")[0] + "/grid.csv", timeout=10)
    assert exported.status_code == 200
    assert exported.text.splitlines()[0].startswith("learner,learner_id,H.A.MATH")
    assert len(exported.text.splitlines()) == 1 + len(CLASS)

    # Open a learner, score a performance task, override a level with a reason.
    with frame.expect_navigation():
        frame.get_by_role("link", name="Ben Ito").first.click()
    assert frame.get_by_role("heading", level=1).inner_text() == "Ben Ito"
    assert_accessible(frame, "a learner's page, as their teacher")
    frame.get_by_label("Competency").first.select_option(leaves[1])
    frame.locator("#s-level").select_option("exceeds")
    frame.get_by_label("Note").fill("Group project, presented")
    with frame.expect_navigation():
        frame.get_by_role("button", name="Save the score").click()
    assert "Score saved" in frame.locator("#notice").inner_text()
    frame.locator("#o-competency").select_option(leaves[2])
    frame.locator("#o-level").select_option("mastery")
    frame.get_by_label("Reason", exact=False).fill("Showed it on the whiteboard")
    with frame.expect_navigation():
        frame.get_by_role("button", name="Override").click()
    assert "Override saved" in frame.locator("#notice").inner_text()
    assert (
        "Showed it on the whiteboard" in frame.locator(f"#c-{leaves[2]}").inner_text()
    )

    # Moderation: sample the class's scored work, rate one piece blind; calibration shows it.
    frame.goto(frame.url.split("/learners/")[0] + "/moderation")
    frame.get_by_label("Share of the work not sampled yet").select_option("1.0")
    with frame.expect_navigation():
        frame.get_by_role("button", name="Sample").click()
    assert "added to the sample" in frame.locator("#notice").inner_text()
    assert frame.locator("#pieces tbody tr").count() > 0
    assert_accessible(frame, "moderation")
    first = frame.locator("#pieces tbody tr").first
    first.get_by_role("combobox").select_option("near")
    with frame.expect_navigation():
        first.get_by_role("button", name="Rate").click()
    assert "Rating saved" in frame.locator("#notice").inner_text()
    with frame.expect_navigation():
        frame.get_by_role("link", name="Calibration").click()
    assert frame.locator("#agreement tbody tr").count() == 1
    assert_accessible(frame, "calibration")
    screenshot(frame, "calibration")

    # The learner's own launch: levels with labels, a chart, the evidence, no forms.
    other = page.context.new_page()
    mine = course.launch(other, "s-ben")
    assert mine.get_by_role("heading", level=1).inner_text() == "Ben Ito"
    assert mine.locator("svg.chart").count() >= 1
    assert mine.locator("#score-form").count() == 0
    mine.locator("details summary").first.click()
    assert mine.locator("details table").first.is_visible()
    assert_accessible(mine, "a learner's own page")
    mine.evaluate("window.scrollTo(0, 0)")
    screenshot(mine, "learner-view")
