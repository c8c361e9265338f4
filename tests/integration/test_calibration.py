"""Moderation, calibration and the equity view through the admin API, on both stores."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.mastery.contexts import put_context
from gateway.mastery.service import TeacherEvidence, add_teacher_evidence, override
from gateway.store import Store
from gateway.store.tables import audit_log, mastery
from tests.api_helpers import ok, problem
from tests.builders import seed_competencies
from tests.delivery_helpers import seed_people

C1 = "c1000000-0000-4000-8000-000000000001"
C2 = "c2000000-0000-4000-8000-000000000002"


def _scored(
    store: Store, learners: list[str], levels: list[str], competency: str = C1
) -> None:
    for learner, level in zip(learners, levels, strict=True):
        entry = TeacherEvidence(
            competency, "Ms A (token test)", level=level, title="Lab report"
        )
        add_teacher_evidence(store, learner, entry)


def test_second_ratings_are_blind_and_give_agreement(
    client: FlaskClient, store: Store, admin: dict[str, str]
) -> None:
    seed_competencies(store, [(C1, None), (C2, None)])
    people = seed_people(store, 6)
    _scored(store, people, ["mastery", "near", "below", "exceeds", "mastery", "near"])
    with store.read() as conn:
        before = {(r.learner_id, r.level) for r in conn.execute(select(mastery))}

    added = ok(
        client.post("/api/v1/moderation/samples", json={"share": 1.0}, headers=admin)
    )
    assert added == {"added": 6}
    again = ok(
        client.post("/api/v1/moderation/samples", json={"share": 1.0}, headers=admin)
    )
    assert again == {"added": 0}  # nothing new to sample
    problem(
        client.post("/api/v1/moderation/samples", json={"share": 0}, headers=admin), 400
    )

    # The first rater has nothing to rate; another teacher sees all six, blind.
    mine = ok(
        client.get(
            "/api/v1/moderation/open", query_string={"rater": "Ms A"}, headers=admin
        )
    )
    assert mine == []
    pieces = ok(
        client.get(
            "/api/v1/moderation/open", query_string={"rater": "Mr B"}, headers=admin
        )
    )
    assert len(pieces) == 6 and all("first" not in p for p in pieces)
    assert pieces[0]["work"]["title"] == "Lab report"

    first = {p["learner"]["id"]: p["evidence_id"] for p in pieces}
    second = [
        "mastery",
        "mastery",
        "below",
        "near",
        "mastery",
        "near",
    ]  # 4 exact, 1 adjacent
    for learner, level in zip(people, second, strict=True):
        url = f"/api/v1/moderation/{first[learner]}/rating"
        ok(client.post(url, json={"level": level, "rater": "Mr B"}, headers=admin))
    url = f"/api/v1/moderation/{first[people[0]]}/rating"
    problem(
        client.post(url, json={"level": "near", "rater": "Mr C"}, headers=admin), 409
    )
    problem(
        client.post(
            "/api/v1/moderation/nope/rating",
            json={"level": "near", "rater": "x"},
            headers=admin,
        ),
        404,
    )

    [report] = ok(client.get("/api/v1/calibration", headers=admin))
    assert report["competency"]["id"] == C1 and report["pairs"] == 6
    assert report["exact_agreement"] == 4 / 6
    assert report["adjacent_agreement"] == 5 / 6  # exceeds vs near is two levels apart
    assert 0 < report["kappa"] < 1
    wrong = {
        (d["learner"]["id"], d["first_label"], d["second_label"])
        for d in report["disagreements"]
    }
    assert wrong == {
        (people[1], "Near Mastery", "Mastery"),
        (people[3], "Exceeds Mastery", "Near Mastery"),
    }
    assert report["disagreements"][0]["first"]["rater"] == "Ms A (token test)"
    with store.read() as conn:  # second ratings never change a level
        assert {
            (r.learner_id, r.level) for r in conn.execute(select(mastery))
        } == before
        actions = [r.action for r in conn.execute(select(audit_log.c.action))]
    assert actions.count("moderation.rate") == 6 and "moderation.sample" in actions


def test_a_teacher_cannot_second_rate_their_own_score(
    client: FlaskClient, store: Store, admin: dict[str, str]
) -> None:
    seed_competencies(store, [(C1, None)])
    [learner] = seed_people(store, 1)
    add_teacher_evidence(
        store, learner, TeacherEvidence(C1, "Ms A (token test)", level="near")
    )
    ok(client.post("/api/v1/moderation/samples", json={"share": 1.0}, headers=admin))
    [piece] = ok(
        client.get(
            "/api/v1/moderation/open", query_string={"rater": "Mr B"}, headers=admin
        )
    )
    url = f"/api/v1/moderation/{piece['evidence_id']}/rating"
    problem(
        client.post(url, json={"level": "near", "rater": "Ms A"}, headers=admin), 403
    )
    problem(
        client.post(url, json={"level": "great", "rater": "Mr B"}, headers=admin), 400
    )


def test_equity_by_group_with_small_groups_suppressed(
    client: FlaskClient, store: Store, admin: dict[str, str]
) -> None:
    seed_competencies(store, [(C1, None)])
    people = seed_people(store, 20)
    ctx = put_context(store, "api", "period-3", title="Math 3", learner_ids=people)
    for n, learner in enumerate(people):
        group = ["EL", "grade:7"] if n < 9 else ["grade:7"]
        ok(
            client.put(
                f"/api/v1/learners/{learner}/groups",
                json={"groups": group},
                headers=admin,
            )
        )
        add_teacher_evidence(store, learner, TeacherEvidence(C1, "Ms A", level="near"))
        if n % 2 == 0:
            override(store, learner, C1, "mastery", "Showed it in class", "Ms A")
    report = ok(
        client.get("/api/v1/equity", query_string={"context": ctx["id"]}, headers=admin)
    )
    assert report["min_group_size"] == 10
    [klass] = report["classes"]
    assert klass["learners"] == 20
    [row] = klass["competencies"]
    groups = {g["group"]: g for g in row["groups"]}
    assert groups["all learners"]["not_yet_proficient"] == 0.5
    assert (
        groups["all learners"]["median_days_to_mastery"] == 0.0
    )  # same day, in the test
    assert groups["grade:7"]["learners"] == 20
    assert groups["EL"] == {
        "group": "EL",
        "suppressed": True,
        "learners": "fewer than 10",
    }
    # One more English learner makes the group big enough to show.
    ok(
        client.put(
            f"/api/v1/learners/{people[9]}/groups",
            json={"groups": ["EL", "grade:7"]},
            headers=admin,
        )
    )
    report = ok(
        client.get("/api/v1/equity", query_string={"context": ctx["id"]}, headers=admin)
    )
    groups = {g["group"]: g for g in report["classes"][0]["competencies"][0]["groups"]}
    assert groups["EL"]["suppressed"] is False and groups["EL"]["learners"] == 10
    assert groups["EL"]["not_yet_proficient"] == 0.5
    problem(
        client.get("/api/v1/equity", query_string={"context": "nope"}, headers=admin),
        404,
    )
    problem(
        client.put("/api/v1/learners/nope/groups", json={"groups": []}, headers=admin),
        404,
    )
