"""The pure parts of delivery: backoff, verdicts, Retry-After, signatures, target bodies."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
import requests

from adapters.outbound import (
    CompetencyRef,
    ContextRef,
    DeliveryEvent,
    Outcome,
    target_type,
)
from adapters.outbound.edfi import student_objective_body
from adapters.outbound.http import outcome_of, parse_retry_after
from adapters.outbound.oneroster import line_item_id, result_body, result_id
from adapters.outbound.webhook import event_body, sign, verify_signature
from gateway.errors import InvalidPayload
from gateway.outbox.policy import RetryPolicy, judge

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = RetryPolicy(base=2.0, cap=60.0, horizon=3600.0)


def _response(code: int, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = code
    response.headers.update(headers or {})
    response._content = b"body"
    return response


def test_backoff_doubles_with_equal_jitter_up_to_the_cap() -> None:
    assert [POLICY.delay(n, 0.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert [POLICY.delay(n, 0.999) for n in (1, 2)] == pytest.approx([2.0, 4.0], 0.01)
    assert POLICY.delay(30, 0.5) == pytest.approx(45.0)  # capped at 60, jittered


def test_verdicts() -> None:
    later = NOW + timedelta(hours=1)
    kw = {"attempts": 1, "now": NOW, "give_up_at": later, "policy": POLICY, "rand": 0.0}
    assert judge(Outcome.delivered(), **kw).status == "delivered"
    dead = judge(Outcome.failed("HTTP 422"), **kw)
    assert (dead.status, dead.error) == ("dead", "HTTP 422")
    again = judge(Outcome.retry("HTTP 500", 500), **kw)
    assert again.status == "pending" and again.next_attempt_at == NOW + timedelta(
        seconds=1
    )
    waited = judge(Outcome.retry("HTTP 429", 429, retry_after=120), **kw)
    assert waited.next_attempt_at == NOW + timedelta(seconds=120)
    late = judge(
        Outcome.retry("HTTP 503", 503, retry_after=7200),
        **(kw | {"give_up_at": NOW + timedelta(minutes=5)}),
    )
    assert late.status == "dead" and "gave up after 1 attempts" in (late.error or "")


def test_retry_after_as_seconds_or_a_date() -> None:
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("Mon, 23 Nov 2026 12:01:00 GMT", now=NOW) == 60.0
    assert parse_retry_after("Mon, 23 Nov 2026 11:00:00 GMT", now=NOW) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("code", "result"),
    [(200, "delivered"), (204, "delivered"), (400, "failed"), (401, "failed"),
     (404, "failed"), (408, "retry"), (409, "failed"), (429, "retry"),
     (500, "retry"), (502, "retry"), (503, "retry")],
)  # fmt: skip
def test_http_status_to_outcome(code: int, result: str) -> None:
    assert outcome_of(_response(code), "POST x").result == result


def test_retry_after_only_on_429_and_503() -> None:
    assert outcome_of(_response(429, {"Retry-After": "9"}), "x").retry_after == 9.0
    assert outcome_of(_response(503, {"Retry-After": "9"}), "x").retry_after == 9.0
    assert outcome_of(_response(500, {"Retry-After": "9"}), "x").retry_after is None


def test_webhook_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = b'{"id":"e1"}'
    expected = hmac.new(b"key", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign("key", 1700000000, body) == f"v1={expected}"
    headers = {"Tessera-Timestamp": "1700000000", "Tessera-Signature": f"v1={expected}"}
    assert verify_signature("key", headers, body, now=1700000100)
    assert not verify_signature("key", headers, body + b" ", now=1700000100)
    assert not verify_signature("other", headers, body, now=1700000100)
    assert not verify_signature("key", headers, body, now=1700000400)  # too old
    assert not verify_signature("key", {}, body)


def _event(**payload: object) -> DeliveryEvent:
    return DeliveryEvent(
        delivery_id="d1",
        event_id="e1",
        topic="mastery.changed",
        seq=7,
        subject="l1|c1",
        payload={
            "learner_id": "l1",
            "shared_id": "c1",
            "level": "mastery",
            "label": "Mastery",
            "points": 3,
            "status": "proficient",
            "scale_top_points": 4,
        }
        | payload,
        created_at=NOW,
        attempt=1,
        learner_id="l1",
        learner_identifiers={"sis": ("604822",)},
        competency=CompetencyRef(
            "c1", "https://case.example/c1", "3.MD.B.3", "Measure"
        ),
        contexts=(ContextRef("x", "oneroster", "class-1", None),),
    )


def test_webhook_body_carries_the_event_and_its_addresses() -> None:
    body = event_body(_event())
    assert body["id"] == "e1" and body["type"] == "mastery.changed"
    assert body["data"]["competency"]["human_coding_scheme"] == "3.MD.B.3"
    assert body["data"]["learner"] == {"id": "l1", "identifiers": {"sis": ["604822"]}}


def test_oneroster_ids_are_deterministic_and_distinct() -> None:
    assert line_item_id("k", "c") == line_item_id("k", "c") != line_item_id("k2", "c")
    assert result_id("k", "c", "s") != result_id("k", "c", "s2")
    result = result_body(_event(), "class-1", "604822")["result"]
    assert result["sourcedId"] == result_id("class-1", "c1", "604822")
    assert result["lineItem"]["sourcedId"] == line_item_id("class-1", "c1")


def test_edfi_body_uses_the_descriptor_and_the_ds5_grading_period_key() -> None:
    settings = {
        "education_organization_id": 255901,
        "grade_level_descriptor": "uri://ed-fi.org/GradeLevelDescriptor#Third grade",
        "grading_period": {
            "school_id": 1,
            "school_year": 2026,
            "descriptor": "uri://ed-fi.org/GradingPeriodDescriptor#First Six Weeks",
            "name": "Fall 1",
        },
    }
    body = student_objective_body(_event(), "604822", "uri://x#Proficient", settings)
    assert set(body["gradingPeriodReference"]) == {
        "schoolId",
        "schoolYear",
        "gradingPeriodDescriptor",
        "gradingPeriodName",
    }
    assert body["objectiveCompetencyObjectiveReference"]["objective"] == "3.MD.B.3"


def test_every_kind_has_a_target_and_unknown_kinds_are_refused() -> None:
    from adapters.outbound import KINDS

    assert [target_type(kind).kind for kind in KINDS] == list(KINDS)
    with pytest.raises(InvalidPayload, match="kind must be one of"):
        target_type("carrier-pigeon")
