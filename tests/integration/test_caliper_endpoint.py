"""``POST /caliper`` and ``GET /caliper`` over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from gateway.competencies import import_package
from gateway.intake.alignment import NewAlignment
from gateway.intake.pipeline import replay
from gateway.intake.service import align
from gateway.store import Store
from gateway.store.tables import (
    evidence,
    learner_identifiers,
    raw_records,
    vendor_credentials,
)
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from tests.api_helpers import problem
from tests.builders import evidence_snapshot
from tests.case_packages import item_id, make_package
from tests.unit.shared_fixtures import CALIPER_V1P2, load_json
from tests.unit.test_caliper_validation import (
    ENVELOPES,
    INTEGER_FOR_DECIMAL,
    ITEMS,
    REJECTED,
    wrap,
)

V1P2 = "http://purl.imsglobal.org/ctx/caliper/v1p2"


@pytest.fixture
def vendor(store: Store) -> dict[str, dict[str, str]]:
    """Headers for the vendor's Caliper token and for its xAPI Basic credential."""
    _, creds = add_vendor(store, "caliper-vendor")
    by_kind = {c.kind: c for c in creds}
    bearer = by_kind[CredentialKind.CALIPER_BEARER]
    basic = by_kind[CredentialKind.XAPI_BASIC]
    token = base64.b64encode(f"{basic.key}:{basic.secret}".encode()).decode()
    return {
        "caliper": {"Authorization": f"Bearer {bearer.bearer_token}"},
        "xapi": {"Authorization": f"Basic {token}"},
    }


def _post(client: FlaskClient, headers: dict[str, str], body: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        "/caliper", data=data, headers=headers, content_type="application/json"
    )


def _count(store: Store, table: Any = raw_records) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_every_envelope_fixture_is_200_with_an_empty_body(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    events = 0
    for path in ENVELOPES:
        envelope = load_json(path)
        response = _post(client, vendor["caliper"], envelope)
        assert response.status_code == 200, (path.name, response.json)
        assert response.get_data() == b""
        events += sum(1 for item in envelope["data"] if "action" in item)
    with store.read() as conn:
        ids = {r[0] for r in conn.execute(select(raw_records.c.external_id))}
    assert len(ids) == _count(store) > 0
    assert len(ids) <= events  # some fixtures share event ids: kept once


def test_every_event_and_entity_fixture_in_an_envelope_is_200(
    client: FlaskClient, vendor: dict[str, dict[str, str]]
) -> None:
    for path in ITEMS:
        response = _post(client, vendor["caliper"], wrap(load_json(path)))
        assert response.status_code == 200, (path.name, response.json)


def test_every_error_fixture_is_400_naming_what_is_wrong(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    for path in REJECTED:
        text = path.read_text(encoding="utf-8")
        body = f'{{"sensor": "https://example.edu/s", "sendTime": "2024-01-31T09:30:00.000Z", "dataVersion": "{V1P2}", "data": [{text}]}}'  # noqa: E501
        detail = problem(_post(client, vendor["caliper"], body), 400)["detail"]
        assert detail.startswith(("data[0].", "The body is not valid JSON")), detail
    assert _count(store) == 0


def test_an_integer_for_a_decimal_is_accepted_as_a_deliberate_deviation(
    client: FlaskClient, vendor: dict[str, dict[str, str]]
) -> None:
    for name in INTEGER_FOR_DECIMAL:
        item = load_json(CALIPER_V1P2 / "commonErrorFixtures" / name)
        assert _post(client, vendor["caliper"], wrap(item)).status_code == 200


def test_no_token_or_a_wrong_one_is_401(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    envelope = load_json(CALIPER_V1P2 / "caliperEnvelopeEventSingle.json")
    for headers in (
        {},
        {"Authorization": "Bearer tc_nobody.nothing"},
        {"Authorization": "Bearer not-a-token"},
        vendor["xapi"],  # an xAPI credential is not a Caliper token
    ):
        body = problem(_post(client, headers, envelope), 401)
        assert "Bearer" in body["detail"]
    assert _count(store) == 0


def test_another_content_type_is_415(
    client: FlaskClient, vendor: dict[str, dict[str, str]]
) -> None:
    envelope = json.dumps(load_json(CALIPER_V1P2 / "caliperEnvelopeEventSingle.json"))
    response = client.post(
        "/caliper", data=envelope, headers=vendor["caliper"], content_type="text/plain"
    )
    assert "application/json" in problem(response, 415)["detail"]


def test_json_with_a_charset_is_accepted(
    client: FlaskClient, vendor: dict[str, dict[str, str]]
) -> None:
    envelope = json.dumps(load_json(CALIPER_V1P2 / "caliperEnvelopeEventSingle.json"))
    response = client.post(
        "/caliper",
        data=envelope,
        headers=vendor["caliper"],
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 200


def test_an_unsupported_data_version_is_422(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    envelope = load_json(CALIPER_V1P2 / "caliperEnvelopeEventSingle.json")
    envelope["dataVersion"] = "http://purl.imsglobal.org/ctx/caliper/v9"
    assert (
        "dataVersion"
        in problem(_post(client, vendor["caliper"], envelope), 422)["detail"]
    )
    assert _count(store) == 0


def test_a_malformed_envelope_is_400_naming_the_property(
    client: FlaskClient, vendor: dict[str, dict[str, str]]
) -> None:
    envelope = load_json(CALIPER_V1P2 / "caliperEnvelopeEventSingle.json")
    del envelope["sendTime"]
    body = problem(_post(client, vendor["caliper"], envelope), 400)
    assert body["detail"].startswith("sendTime: is required")
    assert body["field"] == "sendTime"
    assert problem(_post(client, vendor["caliper"], "[1, 2"), 400)["detail"].startswith(
        "The body is not valid JSON"
    )


def test_one_bad_event_refuses_the_whole_envelope(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    good = load_json(CALIPER_V1P2 / "caliperEventViewViewedDocument.json")
    bad = dict(
        good, id="urn:uuid:11111111-2222-4333-8444-555555555555", action="Graded"
    )
    body = problem(_post(client, vendor["caliper"], wrap(good, bad)), 400)
    assert body["detail"].startswith("data[1].action")
    assert _count(store) == 0


def test_the_endpoint_configuration(
    client: FlaskClient, vendor: dict[str, dict[str, str]]
) -> None:
    problem(client.get("/caliper"), 401)
    response = client.get("/caliper", headers=vendor["caliper"])
    assert response.status_code == 200
    config = response.json
    assert config is not None
    # Caliper 1.2 §6.2: snake_case keys, no custom ones, the core contexts listed.
    assert set(config) <= {
        "caliper_supported_versions",
        "caliper_maximum_payload_size",
        "caliper_supported_extensions",
    }
    assert V1P2 in config["caliper_supported_versions"]
    assert (
        "http://purl.imsglobal.org/ctx/caliper/v1p1"
        in config["caliper_supported_versions"]
    )
    assert config["caliper_maximum_payload_size"] > 0
    shape = load_json(CALIPER_V1P2 / "caliperEndpointConfigPayload.json")
    assert set(config) <= set(shape)


def test_a_duplicate_event_id_is_kept_once(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    event = load_json(CALIPER_V1P2 / "caliperEventViewViewedDocument.json")
    for _ in range(2):  # a sensor's retry
        assert _post(client, vendor["caliper"], wrap(event)).status_code == 200
    assert _post(client, vendor["caliper"], wrap(event, event)).status_code == 200
    assert _count(store) == 1


def test_a_thinned_event_is_stored_with_the_envelope_entities_inlined(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    envelope = load_json(CALIPER_V1P2 / "caliperEnvelopeEventThinned.json")
    [event] = envelope["data"]
    assert isinstance(event["actor"], str)
    # The actor's describe comes after the event in the same envelope (Caliper 1.2 §4).
    person = {"@context": V1P2, "id": event["actor"], "type": "Person", "name": "Jane"}
    envelope["data"].append(person)
    assert _post(client, vendor["caliper"], envelope).status_code == 200
    with store.read() as conn:
        [body] = conn.execute(select(raw_records.c.body)).scalars().all()
    stored = json.loads(body)
    assert stored["id"] == event["id"]
    assert isinstance(stored["actor"], dict)
    assert stored["actor"] == person


def test_a_grade_event_becomes_evidence_for_the_assignee(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    import_package(store, make_package("x", {"": ["A"]}))
    align(
        store,
        [
            NewAlignment(
                "https://example.edu/terms/201601/courses/7/sections/1/assess/1",
                item_id("x", "A"),
            )
        ],
    )
    graded = load_json(CALIPER_V1P2 / "caliperEventGradeGraded.json")
    assert graded["actor"]["type"] == "SoftwareApplication"  # the autograder
    assert _post(client, vendor["caliper"], wrap(graded)).status_code == 200
    with store.read() as conn:
        rows = conn.execute(
            select(
                learner_identifiers.c.kind,
                learner_identifiers.c.value,
                evidence.c.competency_id,
                evidence.c.score,
            ).join(
                learner_identifiers,
                learner_identifiers.c.learner_id == evidence.c.learner_id,
            )
        ).all()
    assert [(r[0], r[1], r[2], round(r[3], 4)) for r in rows] == [
        ("caliper", "https://example.edu/users/554433", item_id("x", "A"), 0.6667)
    ]
    # A retry changes nothing.
    again = copy.deepcopy(graded)
    assert _post(client, vendor["caliper"], wrap(again)).status_code == 200
    assert _count(store, evidence) == 1


def test_a_thinned_attempt_described_in_the_envelope_scores_and_replays_the_same(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    import_package(store, make_package("x", {"": ["A"]}))
    assess = "https://example.edu/terms/201601/courses/7/sections/1/assess/1"
    align(store, [NewAlignment(assess, item_id("x", "A"))])
    graded = load_json(CALIPER_V1P2 / "caliperEventGradeGraded.json")
    attempt = dict(graded["object"], **{"@context": V1P2})
    graded["object"] = attempt["id"]  # thinned: the Attempt is described beside it
    assert _post(client, vendor["caliper"], wrap(graded, attempt)).status_code == 200
    before = evidence_snapshot(store)
    assert [(r[3], round(r[4], 4)) for r in before] == [(item_id("x", "A"), 0.6667)]
    with store.read() as conn:
        status = conn.execute(select(raw_records.c.status)).scalar_one()
    assert status == "processed"
    replay(
        store
    )  # derives from the stored body alone: the describe was inlined into it
    assert evidence_snapshot(store) == before


def test_a_token_without_the_caliper_scope_is_401(
    client: FlaskClient, store: Store, vendor: dict[str, dict[str, str]]
) -> None:
    with store.write() as conn:
        conn.execute(update(vendor_credentials).values(scopes="xapi/read"))
    envelope = load_json(CALIPER_V1P2 / "caliperEnvelopeEventSingle.json")
    body = problem(_post(client, vendor["caliper"], envelope), 401)
    assert "caliper/write" in body["detail"]
    problem(client.get("/caliper", headers=vendor["caliper"]), 401)


def test_absurdly_deep_nesting_is_400_not_a_crash(
    client: FlaskClient, vendor: dict[str, dict[str, str]]
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    assert "deep" in problem(_post(client, vendor["caliper"], deep), 400)["detail"]
    # Deep enough for the validator's recursion, shallow enough for the JSON parser.
    levels = 900
    person = '{"type": "Person", "id": "https://example.edu/p", "isPartOf": ' * levels
    person += '"https://example.edu/p"' + "}" * levels
    body = json.dumps(wrap()).replace('"data": []', f'"data": [{person}]')
    detail = problem(_post(client, vendor["caliper"], body), 400)["detail"]
    assert detail == "The envelope nests entities too deeply."
