"""Caliper events without a score count toward the learner's activity timeline."""

from __future__ import annotations

import uuid
from typing import Any

from flask.testing import FlaskClient

from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from tests.api_helpers import ok, problem
from tests.unit.shared_fixtures import CALIPER_V1P2, load_json
from tests.unit.test_caliper_validation import wrap

JANE = "https://example.edu/users/554433"


def _event(name: str, minute: int) -> dict[str, Any]:
    event: dict[str, Any] = load_json(CALIPER_V1P2 / name)
    event["id"] = f"urn:uuid:{uuid.uuid4()}"
    event["eventTime"] = f"2024-03-01T10:{minute:02d}:00.000Z"
    return event


def test_unscored_events_make_a_paginated_timeline(
    client: FlaskClient, admin: dict[str, str], store: Any
) -> None:
    _, creds = add_vendor(store, "caliper-vendor")
    [bearer] = [c for c in creds if c.kind is CredentialKind.CALIPER_BEARER]
    events = [
        _event("caliperEventAssessmentStarted.json", 1),
        _event("caliperEventViewViewedDocument.json", 2),
        _event("caliperEventNavigationNavigatedToWebPage.json", 3),
        _event("caliperEventGradeGraded.json", 4),
    ]
    response = client.post(
        "/caliper",
        json=wrap(*events),
        headers={"Authorization": f"Bearer {bearer.bearer_token}"},
    )
    assert response.status_code == 200, response.json
    learners = ok(client.get("/api/v1/learners", headers=admin))["items"]
    [jane] = [
        learner
        for learner in learners
        if {"kind": "caliper", "value": JANE} in learner["identifiers"]
    ]
    url = f"/api/v1/learners/{jane['id']}/activity"
    first = ok(client.get(f"{url}?limit=3", headers=admin))
    rest = ok(client.get(f"{url}?limit=3&cursor={first['next_cursor']}", headers=admin))
    assert rest["next_cursor"] is None
    timeline = first["items"] + rest["items"]
    assert [(i["event_type"], i["action"]) for i in timeline] == [
        ("GradeEvent", "Graded"),
        ("NavigationEvent", "NavigatedTo"),
        ("ViewEvent", "Viewed"),
        ("AssessmentEvent", "Started"),
    ]
    assert [i["observed_at"][:16] for i in timeline] == [
        "2024-03-01T10:04",
        "2024-03-01T10:03",
        "2024-03-01T10:02",
        "2024-03-01T10:01",
    ]
    assert round(timeline[0]["score"], 4) == 0.6667
    assert [i["score"] for i in timeline[1:]] == [None, None, None]
    assert {i["protocol"] for i in timeline} == {"caliper"}
    view = events[1]
    assert timeline[2]["activity_id"] == view["object"]["id"]
    record = ok(
        client.get(f"/api/v1/raw-records/{timeline[2]['raw_record_id']}", headers=admin)
    )
    assert record["external_id"] == view["id"]
    # Activity is not waiting for an alignment: only the GradeEvent is unaligned.
    statuses = ok(client.get("/api/v1/raw-records?status=unaligned", headers=admin))
    assert [r["external_id"] for r in statuses["items"]] == [events[3]["id"]]


def test_activity_of_an_unknown_learner_is_404(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    problem(client.get("/api/v1/learners/nobody/activity", headers=admin), 404)
    problem(client.get("/api/v1/learners/nobody/activity"), 401)
