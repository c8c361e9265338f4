"""The alignments endpoints of the admin API: rules in, evidence made; rules out, gone."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gateway.store import Store
from gateway.store.tables import evidence, raw_records
from gateway.vendors import add_vendor
from tests.api_helpers import make_statement, ok, problem, send_statements
from tests.case_packages import SMARTER_BALANCED, real_package

SKILL = "d65d1838-d5ee-11e7-ab62-2da15be1aaa5"  # M.G3.C1MD.TH.3.MD.B.3
OTHER = "d65d33fe-d5ee-11e7-97ee-7932ca98509c"  # M.G3.C1MD.TH.3.MD.B.4
QUIZ = "https://vendor.example/quiz/7"
GAME = "https://vendor.example/game/1"


@pytest.fixture
def setup(client: FlaskClient, admin: dict[str, str], store: Store) -> str:
    """A framework, a vendor 'acme' and three statements on two activities; its id."""
    ok(
        client.post(
            "/api/v1/frameworks", json=real_package(SMARTER_BALANCED), headers=admin
        ),
        201,
    )
    vendor, _ = add_vendor(store, "acme")
    send_statements(
        store,
        vendor.id,
        make_statement("a0000000-0000-4000-8000-000000000001"),
        make_statement(
            "a0000000-0000-4000-8000-000000000002", email="bo@school.example"
        ),
        make_statement("a0000000-0000-4000-8000-000000000003", activity=GAME),
    )
    return vendor.id


def _evidence(store: Store) -> int:
    with store.read() as conn:
        return int(
            conn.execute(select(func.count()).select_from(evidence)).scalar_one()
        )


def _statuses(store: Store) -> list[str]:
    with store.read() as conn:
        return sorted(r.status for r in conn.execute(select(raw_records.c.status)))


def test_align_list_and_delete(
    client: FlaskClient, admin: dict[str, str], store: Store, setup: str
) -> None:
    inbox = ok(client.get("/api/v1/alignments/inbox", headers=admin))["items"]
    assert [(e["vendor"], e["activity_id"], e["observations"]) for e in inbox] == [
        ("acme", QUIZ, 2),
        ("acme", GAME, 1),
    ]
    assert _evidence(store) == 0 and _statuses(store) == ["unaligned"] * 3

    result = ok(
        client.post(
            "/api/v1/alignments",
            json={
                "activity": QUIZ,
                "competency": SKILL,
                "vendor": "acme",
                "kind": "quiz",
            },
            headers=admin,
        )
    )
    assert result["observations_replayed"] == 2 and result["evidence"] == 2
    [rule] = result["alignments"]
    assert rule["vendor_id"] == setup and rule["competency_id"] == SKILL
    assert _evidence(store) == 2
    assert _statuses(store) == ["processed", "processed", "unaligned"]
    inbox = ok(client.get("/api/v1/alignments/inbox", headers=admin))["items"]
    assert [e["activity_id"] for e in inbox] == [GAME]

    listing = ok(client.get("/api/v1/alignments", headers=admin))
    [shown] = listing["items"]
    assert shown["id"] == rule["id"] and shown["vendor"] == "acme"
    assert shown["human_coding_scheme"] == "M.G3.C1MD.TH.3.MD.B.3"
    assert shown["kind"] == "quiz" and shown["source"] == "api"
    assert listing["next_cursor"] is None

    response = client.delete(f"/api/v1/alignments/{rule['id']}", headers=admin)
    assert response.status_code == 204 and response.get_data() == b""
    assert _evidence(store) == 0 and _statuses(store) == ["unaligned"] * 3
    assert ok(client.get("/api/v1/alignments", headers=admin))["items"] == []
    problem(client.delete(f"/api/v1/alignments/{rule['id']}", headers=admin), 404)


def test_a_list_of_alignments_is_all_or_nothing(
    client: FlaskClient, admin: dict[str, str], store: Store, setup: str
) -> None:
    rules: list[dict[str, Any]] = [
        {"activity": QUIZ, "competency": SKILL},
        {
            "activity": "https://vendor.example/game/",
            "match": "prefix",
            "competency": OTHER,
            "vendor": "acme",
            "dok": 2,
        },
        {"activity": QUIZ, "competency": "not-a-competency"},
    ]
    body = problem(
        client.post("/api/v1/alignments", json={"alignments": rules}, headers=admin),
        400,
    )
    assert "'competency'" in body["detail"] and "not-a-competency" in body["detail"]
    assert _evidence(store) == 0
    assert ok(client.get("/api/v1/alignments", headers=admin))["items"] == []

    result = ok(
        client.post("/api/v1/alignments", json={"alignments": rules[:2]}, headers=admin)
    )
    assert len(result["alignments"]) == 2 and result["evidence"] == 3
    assert _evidence(store) == 3

    by_vendor = ok(client.get("/api/v1/alignments?vendor=acme", headers=admin))
    assert [a["competency_id"] for a in by_vendor["items"]] == [OTHER]
    by_competency = ok(
        client.get(f"/api/v1/alignments?competency_id={SKILL}", headers=admin)
    )
    assert [a["activity"] for a in by_competency["items"]] == [QUIZ]
    page = ok(client.get("/api/v1/alignments?limit=1", headers=admin))
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = ok(
        client.get(
            f"/api/v1/alignments?limit=1&cursor={page['next_cursor']}", headers=admin
        )
    )
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert rest["items"][0]["id"] > page["items"][0]["id"]

    # Adding the same rule again changes nothing.
    again = ok(client.post("/api/v1/alignments", json=rules[0], headers=admin))
    assert again["evidence"] == 2 and _evidence(store) == 3


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"competency": SKILL}, "Field 'activity' is required."),
        ({"activity": QUIZ, "competency": SKILL, "kind": "homework"}, "'kind'"),
        ({"activity": QUIZ, "competency": SKILL, "match": "regex"}, "'match'"),
        ({"activity": QUIZ, "competency": SKILL, "dok": 5}, "'dok' must be at most 4"),
        (
            {"activity": QUIZ, "competency": SKILL, "weight": 0},
            "weight must be above 0",
        ),
        ({"activity": QUIZ, "competency": SKILL, "vendor": "ghost"}, "'vendor'"),
        ({"alignments": [{"activity": QUIZ}]}, "'alignments[0].competency'"),
        ({"alignments": [], "activity": QUIZ}, "'alignments' must hold at least 1"),
        (
            {"alignments": [{"activity": QUIZ, "competency": SKILL}], "activity": QUIZ},
            "'activity' is not accepted next to 'alignments'",
        ),
        ({}, "must set at least 1"),
    ],
)
def test_bad_alignments_are_400_naming_the_field(
    client: FlaskClient,
    admin: dict[str, str],
    setup: str,
    body: dict[str, Any],
    words: str,
) -> None:
    detail = problem(client.post("/api/v1/alignments", json=body, headers=admin), 400)[
        "detail"
    ]
    assert words in detail


def test_alignments_need_a_token(client: FlaskClient, admin: dict[str, str]) -> None:
    problem(client.get("/api/v1/alignments"), 401)
    problem(client.get("/api/v1/alignments/inbox"), 401)
    problem(client.post("/api/v1/alignments", json={"activity": "x"}), 401)
    problem(client.delete("/api/v1/alignments/x"), 401)
    body = problem(client.get("/api/v1/alignments?vendor=ghost", headers=admin), 400)
    assert "Query parameter 'vendor'" in body["detail"]
