"""The class grid and a learner's page as an instructor uses them, through the test client.

A real NRPS roster (pytest-httpserver) fills the class; evidence comes from the mastery
service; the instructor filters, sorts and exports the grid, scores a performance task,
overrides a level with a reason and lifts it, all through the launch pages' forms.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer

from gateway.keys import ensure_keys
from gateway.mastery.service import TeacherEvidence, add_teacher_evidence, override
from gateway.store import Store
from gateway.store.tables import audit_log, competency_associations, mastery
from tests.builders import FRAMEWORK, seed_competencies
from tests.integration.lti.test_pages import NRPS_CLAIM, _launch, _token
from tests.lti_peers import INSTRUCTOR, LEARNER, EvilPlatform

A = "ca000000-0000-4000-8000-00000000000a"  # precedes B
B = "cb000000-0000-4000-8000-00000000000b"
C = "cc000000-0000-4000-8000-00000000000c"
KIDS = {"kid-1": "Ann Able", "kid-2": "Ben Baker", "kid-3": "=Cy Formula"}


def _class(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> tuple[str, dict[str, str], EvilPlatform]:
    """A teacher's launch URL and the class's learner ids by name, with three competencies."""
    ensure_keys(store)
    evil = EvilPlatform(httpserver)
    evil.register(store)
    members = [{"user_id": "teacher", "roles": [INSTRUCTOR], "name": "Ms Teacher"}] + [
        {"user_id": sub, "roles": [LEARNER], "name": name} for sub, name in KIDS.items()
    ]
    httpserver.expect_request("/token").respond_with_handler(_token)
    httpserver.expect_request("/roster").respond_with_json({"members": members})
    nrps = {NRPS_CLAIM: {"context_memberships_url": httpserver.url_for("/roster")}}
    teacher = _launch(
        client, evil, sub="teacher", name="Ms Teacher", lti_roles=[INSTRUCTOR], **nrps
    )
    page = client.get(teacher).get_data(as_text=True)
    ids = {
        unescape(name): unescape(href).rsplit("/", 1)[1]
        for href, name in re.findall(
            r'<a href="([^"]+/learners/[^"#]+)">([^<]+)</a>', page
        )
    }
    seed_competencies(store, [(A, None), (B, None), (C, None)])
    with store.write() as conn:
        conn.execute(
            competency_associations.insert().values(
                id="as000000-0000-4000-8000-000000000001",
                framework_id=FRAMEWORK,
                association_type="precedes",
                origin_id=A,
                destination_id=B,
                association={},
            )
        )
    return teacher, ids, evil


def _score(store: Store, learner: str, competency: str, level: str, n: int = 1) -> None:
    for _ in range(n):
        add_teacher_evidence(
            store, learner, TeacherEvidence(competency, "Ms Teacher", level=level)
        )


def _proficient(store: Store, learner: str, competency: str) -> None:
    """Teacher evidence alone never decides (one source): an override makes it so."""
    _score(store, learner, competency, "exceeds")
    override(store, learner, competency, "exceeds", "Seen in the lab", "Ms Teacher")


def test_grid_filters_sorts_and_exports(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    teacher, ids, evil = _class(client, store, httpserver)
    ann, ben, cy = ids["Ann Able"], ids["Ben Baker"], ids["=Cy Formula"]
    _proficient(store, ann, A)
    _score(store, ben, A, "below")
    _score(store, cy, C, "near")
    page = client.get(teacher).get_data(as_text=True)
    assert 'id="grid"' in page and "Levels of 3 learners on 2 competencies" in page
    # Colour is never alone: each cell shows points and names its level.
    assert '<td class="t-near">2<span class="sr"> Near Mastery</span></td>' in page
    assert page.count('class="empty"') == 3  # Ann on C, Ben on C, Cy on A

    def names(html: str) -> list[str]:
        return [
            unescape(n)
            for n in re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a>', html)
        ]

    assert names(page) == ["=Cy Formula", "Ann Able", "Ben Baker"]  # by name
    by_a = client.get(teacher, query_string={"sort": A, "dir": "desc"}).get_data(
        as_text=True
    )
    assert names(by_a) == ["Ann Able", "Ben Baker", "=Cy Formula"]  # 4, 1, none
    assert 'aria-sort="descending"' in by_a
    below = client.get(teacher, query_string={"level": "below"}).get_data(as_text=True)
    assert names(below) == ["Ben Baker"] and "on 1 competency" in below
    open_only = client.get(teacher, query_string={"status": "not_yet"}).get_data(
        as_text=True
    )
    assert names(open_only) == ["=Cy Formula", "Ben Baker"]  # Ann has Exceeds only
    none = client.get(teacher, query_string={"level": "mastery"}).get_data(as_text=True)
    assert 'id="no-match"' in none

    # Who needs support: A has Ben (below), C has Cy (near); one each.
    support = page[page.index('id="not-yet"') :]
    assert "Ben Baker</a> (0 d)" in support and "=Cy Formula</a> (0 d)" in support

    exported = client.get(
        teacher + "/grid.csv", query_string={"sort": A, "dir": "desc"}
    )
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0] == ["learner", "learner_id", f"Competency {A}", f"Competency {C}"]
    assert rows[1] == ["Ann Able", ann, "Exceeds Mastery", ""]
    assert '4*<span class="sr"> Exceeds Mastery, overridden</span>' in page
    assert rows[3] == ["'=Cy Formula", cy, "", "Near Mastery"]  # not run as a formula


def test_instructor_scores_overrides_and_lifts_from_a_learners_page(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    teacher, ids, evil = _class(client, store, httpserver)
    ben = ids["Ben Baker"]
    _score(store, ben, A, "near")
    page = teacher + f"/learners/{ben}"
    html = client.get(page).get_data(as_text=True)
    assert 'id="score-form"' in html and 'id="override-form"' in html
    assert '<svg class="chart"' in html and "Progress: 1 scores from 2.0 to 2.0" in html

    scored = client.post(
        page + "/evidence",
        data={
            "competency": A,
            "level": "exceeds",
            "kind": "performance_task",
            "note": "lab",
        },
    )
    assert scored.status_code == 303 and scored.headers["Location"].endswith(f"#c-{A}")
    after = client.get(scored.headers["Location"]).get_data(as_text=True)
    assert "Score saved" in after and "Evidence (2)" in after

    refused = client.post(page + "/evidence", data={"competency": A, "level": "great"})
    assert refused.status_code == 400
    assert "Not saved:" in refused.get_data(as_text=True)
    no_reason = client.post(
        page + "/overrides", data={"competency": A, "level": "mastery"}
    )
    assert no_reason.status_code == 400 and "needs a reason" in no_reason.get_data(
        as_text=True
    )

    done = client.post(
        page + "/overrides",
        data={"competency": A, "level": "mastery", "reason": "Showed it in class"},
    )
    assert done.status_code == 303
    with store.read() as conn:
        row = conn.execute(mastery.select().where(mastery.c.learner_id == ben)).one()
        actors = [r.actor for r in conn.execute(audit_log.select())]
    assert row.level == "mastery" and row.override_id is not None
    assert any(a.startswith("Ms Teacher (LMS ") for a in actors)
    html = client.get(page).get_data(as_text=True)
    lift = re.search(r'action="([^"]+/lift)"', html)
    assert lift and "Showed it in class" in html
    assert client.post(unescape(lift[1])).status_code == 303
    with store.read() as conn:
        row = conn.execute(mastery.select().where(mastery.c.learner_id == ben)).one()
    assert row.override_id is None

    # Learners cannot use the forms, not even on their own page.
    kid = _launch(client, evil, sub="kid-2", name="Ben Baker", lti_roles=[LEARNER])
    assert (
        client.post(
            f"{kid}/learners/{ben}/evidence", data={"competency": A, "level": "exceeds"}
        ).status_code
        == 404
    )
    assert client.get(kid + "/grid.csv").status_code == 404


def test_learner_sees_what_to_work_on_next(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    teacher, ids, evil = _class(client, store, httpserver)
    ann = ids["Ann Able"]
    _score(store, ann, B, "near")  # B waits on A, which Ann has not mastered
    html = client.get(teacher + f"/learners/{ann}").get_data(as_text=True)
    assert f'Before <a href="#c-{B}">Competency {B}</a>, master Competency {A}.' in html
    _proficient(store, ann, A)
    html = client.get(teacher + f"/learners/{ann}").get_data(as_text=True)
    assert f'Keep going on <a href="#c-{B}">' in html
    assert "Before <a" not in html  # nothing waits on a prerequisite any more


def test_a_teacher_of_one_class_cannot_reach_another_classs_learners(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    teacher, ids, evil = _class(client, store, httpserver)
    ben = ids["Ben Baker"]
    other_class = {"id": "course-2", "label": "ART", "title": "Art 1"}
    other = _launch(
        client,
        evil,
        sub="teacher-2",
        name="Mr Other",
        lti_roles=[INSTRUCTOR],
        lti_context=other_class,
    )
    assert "Art 1" in client.get(other).get_data(as_text=True)
    assert "Ben Baker" not in client.get(other).get_data(as_text=True)
    assert client.get(f"{other}/learners/{ben}").status_code == 404
    for action in ("evidence", "overrides"):
        refused = client.post(
            f"{other}/learners/{ben}/{action}",
            data={"competency": A, "level": "exceeds", "reason": "not mine"},
        )
        assert refused.status_code == 404
    assert "Ben Baker" not in client.get(other + "/grid.csv").get_data(as_text=True)
    with store.read() as conn:
        assert conn.execute(mastery.select()).first() is None  # nothing was written


def test_two_teachers_moderate_and_see_their_agreement(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    teacher, ids, evil = _class(client, store, httpserver)
    ben = ids["Ben Baker"]
    scored = client.post(
        f"{teacher}/learners/{ben}/evidence",
        data={"competency": A, "level": "exceeds", "kind": "performance_task"},
    )
    assert scored.status_code == 303
    sampled = client.post(teacher + "/moderation/sample", data={"share": "1.0"})
    assert sampled.status_code == 303
    own = client.get(unescape(sampled.headers["Location"])).get_data(as_text=True)
    assert "1 piece of work added" in own and 'id="no-pieces"' in own  # not one's own

    second = _launch(
        client, evil, sub="teacher-2", name="Mr Second", lti_roles=[INSTRUCTOR]
    )
    page = client.get(second + "/moderation").get_data(as_text=True)
    assert 'id="pieces"' in page and "Ben Baker" in page
    assert "Exceeds Mastery</td>" not in page  # blind: the first level is not shown
    action = re.search(r'action="([^"]+/moderation/(?!sample")[^"/]+)"', page)
    assert action
    refused = client.post(unescape(action[1]), data={"level": "brilliant"})
    assert refused.status_code == 303  # back to the page, saying why
    told = client.get(unescape(refused.headers["Location"])).get_data(as_text=True)
    assert "Not saved: level &#39;brilliant&#39; is not on this competency" in told
    rated = client.post(unescape(action[1]), data={"level": "near", "note": "unclear"})
    assert rated.status_code == 303
    assert "Rating saved" in client.get(unescape(rated.headers["Location"])).get_data(
        as_text=True
    )
    again = client.post(unescape(action[1]), data={"level": "near"})
    assert again.status_code == 404  # rated already: no longer waiting

    report = client.get(teacher + "/calibration").get_data(as_text=True)
    assert 'id="agreement"' in report and "<td>1</td><td>0%</td><td>0%</td>" in report
    assert (
        "Exceeds Mastery" in report and "Near Mastery" in report and "unclear" in report
    )
    kid = _launch(client, evil, sub="kid-2", name="Ben Baker", lti_roles=[LEARNER])
    assert client.get(kid + "/moderation").status_code == 404
    assert client.get(kid + "/calibration").status_code == 404
