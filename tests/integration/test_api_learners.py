"""The learners endpoints of the admin API: list, detail with evidence, merge and link."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from gateway.intake.alignment import NewAlignment
from gateway.intake.service import align
from gateway.store import Store
from gateway.vendors import add_vendor
from tests.api_helpers import make_statement, ok, problem, send_statements
from tests.case_packages import SMARTER_BALANCED, real_package

SKILL = "d65d1838-d5ee-11e7-ab62-2da15be1aaa5"
QUIZ = "https://vendor.example/quiz/7"


@pytest.fixture
def learners(
    client: FlaskClient, admin: dict[str, str], store: Store
) -> dict[str, Any]:
    """Two provisional learners with one piece of evidence each, by email."""
    ok(
        client.post(
            "/api/v1/frameworks", json=real_package(SMARTER_BALANCED), headers=admin
        ),
        201,
    )
    vendor, _ = add_vendor(store, "acme")
    align(store, [NewAlignment(QUIZ, SKILL, kind="quiz")])
    send_statements(
        store,
        vendor.id,
        make_statement("b0000000-0000-4000-8000-000000000001", scaled=0.8),
        make_statement(
            "b0000000-0000-4000-8000-000000000002",
            email="bo@school.example",
            scaled=0.4,
        ),
    )
    found = ok(client.get("/api/v1/learners", headers=admin))["items"]
    by_email = {
        i["value"]: learner
        for learner in found
        for i in learner["identifiers"]
        if i["kind"] == "email"
    }
    return {"ada": by_email["ada@school.example"], "bo": by_email["bo@school.example"]}


def test_list_and_get_learners(
    client: FlaskClient, admin: dict[str, str], learners: dict[str, Any]
) -> None:
    ada = learners["ada"]
    assert ada["status"] == "provisional" and ada["display_name"] == "Ada"
    assert {i["kind"] for i in ada["identifiers"]} == {"email", "mbox_sha1sum"}

    detail = ok(client.get(f"/api/v1/learners/{ada['id']}", headers=admin))
    assert detail["id"] == ada["id"] and detail["identifiers"] == ada["identifiers"]
    assert detail["evidence_count"] == 1 and not detail["evidence_truncated"]
    [ev] = detail["evidence"]
    assert ev["competency_id"] == SKILL and ev["score"] == 0.8
    assert ev["kind"] == "quiz" and ev["vendor"] == "acme"
    assert ev["human_coding_scheme"] == "M.G3.C1MD.TH.3.MD.B.3"
    assert ev["observed_at"].startswith("2026-11-01T10:00:00")

    page = ok(client.get("/api/v1/learners?limit=1", headers=admin))
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = ok(
        client.get(
            f"/api/v1/learners?limit=1&cursor={page['next_cursor']}", headers=admin
        )
    )
    assert {page["items"][0]["id"], rest["items"][0]["id"]} == {
        ada["id"],
        learners["bo"]["id"],
    }
    assert rest["next_cursor"] is None
    active = ok(client.get("/api/v1/learners?status=active", headers=admin))
    assert active["items"] == []
    body = problem(client.get("/api/v1/learners?status=gone", headers=admin), 400)
    assert "'status' must be one of" in body["detail"]
    problem(client.get("/api/v1/learners/nobody", headers=admin), 404)


def test_merge_learners(
    client: FlaskClient, admin: dict[str, str], learners: dict[str, Any]
) -> None:
    ada, bo = learners["ada"]["id"], learners["bo"]["id"]
    moved = ok(
        client.post(f"/api/v1/learners/{bo}/merge", json={"into": ada}, headers=admin)
    )
    assert moved == {
        "kept": ada,
        "merged": bo,
        "identifiers": 2,
        "observations": 1,
        "evidence": 1,
    }
    detail = ok(client.get(f"/api/v1/learners/{ada}", headers=admin))
    assert detail["evidence_count"] == 2 and len(detail["identifiers"]) == 4
    merged = ok(client.get("/api/v1/learners?status=merged", headers=admin))["items"]
    assert [(m["id"], m["merged_into"]) for m in merged] == [(bo, ada)]

    again = problem(
        client.post(f"/api/v1/learners/{bo}/merge", json={"into": ada}, headers=admin),
        409,
    )
    assert "already merged" in again["detail"]
    problem(
        client.post(f"/api/v1/learners/{ada}/merge", json={"into": ada}, headers=admin),
        409,
    )
    problem(
        client.post("/api/v1/learners/nobody/merge", json={"into": ada}, headers=admin),
        404,
    )
    body = problem(
        client.post(f"/api/v1/learners/{ada}/merge", json={}, headers=admin), 400
    )
    assert "Field 'into' is required." in body["detail"]


def test_link_identifiers(
    client: FlaskClient, admin: dict[str, str], learners: dict[str, Any]
) -> None:
    ada, bo = learners["ada"]["id"], learners["bo"]["id"]
    linked = ok(
        client.post(
            "/api/v1/learners/link",
            json={
                "identifiers": [
                    {"kind": "email", "value": "mailto:Ada@School.example"},
                    {"kind": "sis", "value": "S-1"},
                ],
                "display_name": "Ada Lovelace",
            },
            headers=admin,
        )
    )
    assert linked["id"] == ada and linked["status"] == "active"
    assert linked["display_name"] == "Ada Lovelace"
    assert {"kind": "sis", "value": "S-1"} in linked["identifiers"]

    # Linking identifiers of two learners merges them into the older one.
    joined = ok(
        client.post(
            "/api/v1/learners/link",
            json={
                "identifiers": [
                    {"kind": "sis", "value": "S-1"},
                    {"kind": "email", "value": "bo@school.example"},
                ]
            },
            headers=admin,
        )
    )
    assert joined["id"] in (ada, bo)
    detail = ok(client.get(f"/api/v1/learners/{joined['id']}", headers=admin))
    assert detail["evidence_count"] == 2

    fresh = ok(
        client.post(
            "/api/v1/learners/link",
            json={"identifiers": [{"kind": "sis", "value": "S-2"}]},
            headers=admin,
        )
    )
    assert fresh["status"] == "active" and fresh["id"] not in (ada, bo)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "Field 'identifiers' is required."),
        ({"identifiers": []}, "'identifiers' must hold at least 1"),
        (
            {"identifiers": [{"kind": "phone", "value": "1"}]},
            "'identifiers[0].kind' must be one of",
        ),
        ({"identifiers": [{"kind": "sis", "value": ""}]}, "'identifiers[0].value'"),
        ({"identifiers": [{"kind": "sis"}]}, "'identifiers[0].value' is required"),
        (
            {
                "identifiers": [
                    {"kind": "sis", "value": "S1"},
                    {"kind": "sis", "value": " "},
                ]
            },
            "'identifiers[1].value' must not be blank",
        ),
    ],
)
def test_bad_links_are_400_naming_the_field(
    client: FlaskClient, admin: dict[str, str], body: dict[str, Any], words: str
) -> None:
    detail = problem(
        client.post("/api/v1/learners/link", json=body, headers=admin), 400
    )["detail"]
    assert words in detail


def test_learners_need_a_token(client: FlaskClient) -> None:
    problem(client.get("/api/v1/learners"), 401)
    problem(client.get("/api/v1/learners/x"), 401)
    problem(client.post("/api/v1/learners/x/merge", json={"into": "y"}), 401)
    problem(client.post("/api/v1/learners/link", json={"identifiers": []}), 401)
