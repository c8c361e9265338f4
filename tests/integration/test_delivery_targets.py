"""OneRoster 1.2 and Ed-Fi targets against real HTTP servers standing in for a SIS and an ODS."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from adapters.outbound.oneroster import line_item_id, result_id
from gateway.mastery.contexts import put_context
from gateway.outbox.destinations import add_destination
from gateway.outbox.worker import Worker
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import deliveries
from tests.delivery_helpers import (
    COMPETENCIES,
    all_settled,
    drain,
    seed_people,
    set_level,
)

FAST = {
    "delivery_backoff_ms": 20,
    "delivery_backoff_max_seconds": 1,
    "delivery_timeout_seconds": 1,
    "delivery_lease_seconds": 10,
}


@pytest.fixture
def fast(settings: Settings) -> Settings:
    return replace(settings, **FAST)


class FakeServer:
    """Token endpoint plus resources; records (method, path, body) of resource calls."""

    def __init__(self, httpserver: HTTPServer, token_path: str) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.tokens = 0
        self.reject_next_token = False
        httpserver.expect_request(token_path, method="POST").respond_with_handler(
            self.token
        )
        httpserver.expect_request(re.compile(r"^/(?!oauth).*")).respond_with_handler(
            self.resource
        )

    def token(self, request: Request) -> Response:
        assert request.authorization is not None
        assert (request.authorization.username, request.authorization.password) == (
            "client",
            "s3cret",
        )
        assert request.form["grant_type"] == "client_credentials"
        self.tokens += 1
        return Response(
            json.dumps({"access_token": f"tok{self.tokens}", "expires_in": 3600}),
            200,
            content_type="application/json",
        )

    def resource(self, request: Request) -> Response:
        if self.reject_next_token:
            self.reject_next_token = False
            return Response("expired", 401)
        assert request.headers["Authorization"] == f"Bearer tok{self.tokens}"
        body = json.loads(request.get_data()) if request.get_data() else None
        self.calls.append((request.method, request.path, body))
        if request.method == "DELETE":
            return Response("", 404)
        return Response("", 201 if request.method == "POST" else 200)


def test_oneroster_puts_line_items_and_results_by_deterministic_ids(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sis = FakeServer(httpserver, "/oauth/token")
    base = httpserver.url_for("/ims/oneroster/gradebook/v1p2")
    add_destination(
        store,
        "sis",
        "oneroster",
        {
            "base_url": base,
            "token_url": httpserver.url_for("/oauth/token"),
            "client_id": "client",
        },
        secret="s3cret",
    )
    people = seed_people(store, 2)
    put_context(store, "oneroster", "class-7", learner_ids=people)
    set_level(store, people[0], COMPETENCIES[0], "mastery")
    set_level(store, people[1], COMPETENCIES[0], "near")
    worker = Worker(store, fast, name="w")
    drain(worker, all_settled(store))
    prefix = "/ims/oneroster/gradebook/v1p2"
    lid = line_item_id("class-7", COMPETENCIES[0])
    puts = [(m, p) for m, p, _ in sis.calls]
    assert puts[0] == ("PUT", f"{prefix}/lineItems/{lid}")  # once, before any result
    assert sorted(puts[1:]) == sorted(
        ("PUT", f"{prefix}/results/{result_id('class-7', COMPETENCIES[0], s)}")
        for s in ("S00000", "S00001")
    )  # a result per learner (sent concurrently: any order)
    line_item = sis.calls[0][2]["lineItem"]
    assert line_item["class"]["sourcedId"] == "class-7"
    assert line_item["learningObjectiveSet"] == [
        {"source": "case", "learningObjectiveIds": [COMPETENCIES[0]]}
    ]
    assert line_item["resultValueMax"] == 4
    [result] = [
        c[2]["result"]
        for c in sis.calls[1:]
        if c[2]["result"]["student"]["sourcedId"] == "S00000"
    ]
    assert result["student"]["sourcedId"] == "S00000"
    assert (result["score"], result["textScore"], result["scoreStatus"]) == (
        3,
        "Mastery",
        "fully graded",
    )
    assert result["learningObjectiveSet"][0]["learningObjectiveResults"] == [
        {"learningObjectiveId": COMPETENCIES[0], "score": 3, "textScore": "Mastery"}
    ]
    assert sis.tokens == 1
    sis.reject_next_token = True  # the token expired early: a new one, same delivery
    set_level(store, people[0], COMPETENCIES[0], "exceeds")
    drain(worker, all_settled(store))
    assert sis.tokens == 2
    assert sis.calls[-1][2]["result"]["textScore"] == "Exceeds Mastery"


def test_oneroster_parks_a_learner_without_a_sis_id_as_dead(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    FakeServer(httpserver, "/oauth/token")
    add_destination(
        store,
        "sis",
        "oneroster",
        {
            "base_url": httpserver.url_for("/or"),
            "token_url": httpserver.url_for("/oauth/token"),
            "client_id": "client",
            "class_sourced_id": "class-1",
            "student_id_kind": "email",
        },
        secret="s3cret",
    )
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    drain(Worker(store, fast, name="w"), all_settled(store))
    with store.read() as conn:
        row = conn.execute(select(deliveries)).one()
    assert row.status == "dead"
    assert "no 'email' identifier" in row.last_error


EDFI_SETTINGS = {
    "education_organization_id": 255901,
    "grade_level_descriptor": "uri://ed-fi.org/GradeLevelDescriptor#Third grade",
    "grading_period": {
        "school_id": 255901001,
        "school_year": 2026,
        "descriptor": "uri://ed-fi.org/GradingPeriodDescriptor#First Six Weeks",
        "name": "2026-2027 Fall 1",
    },
}


def test_edfi_posts_student_competency_objectives_with_mapped_descriptors(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    ods = FakeServer(httpserver, "/oauth/token")
    add_destination(
        store,
        "ods",
        "edfi",
        {
            "base_url": httpserver.url_for("/data/v3"),
            "token_url": httpserver.url_for("/oauth/token"),
            "client_id": "client",
            **EDFI_SETTINGS,
            "level_descriptors": {
                "mastery": "uri://ed-fi.org/CompetencyLevelDescriptor#Proficient"
            },
        },
        secret="s3cret",
    )
    people = seed_people(store, 2)
    set_level(store, people[0], COMPETENCIES[0], "mastery")
    set_level(store, people[1], COMPETENCIES[0], "near")  # no descriptor for it
    drain(Worker(store, fast, name="w"), all_settled(store))
    assert [(m, p) for m, p, _ in ods.calls] == [
        ("POST", "/data/v3/ed-fi/competencyObjectives"),
        ("POST", "/data/v3/ed-fi/studentCompetencyObjectives"),
    ]
    objective = ods.calls[0][2]
    assert objective["competencyObjectiveId"] == COMPETENCIES[0]
    sco = ods.calls[1][2]
    assert sco["studentReference"] == {"studentUniqueId": "S00000"}
    assert sco["competencyLevelDescriptor"].endswith("#Proficient")
    assert sco["gradingPeriodReference"]["gradingPeriodName"] == "2026-2027 Fall 1"
    assert sco["objectiveCompetencyObjectiveReference"]["educationOrganizationId"] == (
        255901
    )
    with store.read() as conn:
        dead = conn.execute(
            select(deliveries).where(deliveries.c.status == "dead")
        ).one()
    assert "level 'near' has no CompetencyLevelDescriptor" in dead.last_error


def test_target_settings_are_checked_when_a_destination_is_added(store: Store) -> None:
    from gateway.errors import InvalidPayload

    with pytest.raises(InvalidPayload, match="grading_period"):
        add_destination(
            store,
            "ods",
            "edfi",
            {
                "base_url": "https://ods.example/data/v3",
                "token_url": "https://ods.example/oauth/token",
                "client_id": "c",
            },
            secret="s",
        )
    with pytest.raises(InvalidPayload, match="needs its client secret"):
        add_destination(
            store,
            "sis",
            "oneroster",
            {
                "base_url": "https://sis.example/or",
                "token_url": "https://sis.example/token",
                "client_id": "c",
            },
        )
    with pytest.raises(InvalidPayload, match="settings.urll is not a setting"):
        add_destination(store, "h", "webhook", {"urll": "https://x.example"})
    with pytest.raises(InvalidPayload, match="absolute http"):
        add_destination(store, "h", "webhook", {"url": "ftp://x.example"})
    with pytest.raises(InvalidPayload, match="name must be"):
        add_destination(store, "Bad Name", "webhook", {"url": "https://x.example"})
