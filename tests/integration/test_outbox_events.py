"""``evidence.received`` and ``credential.issued``: written only while a destination takes them,
once per fact, and delivered to a real webhook receiver signed like every other event."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from adapters.outbound.webhook import verify_signature
from gateway.intake.alignment import NewAlignment
from gateway.intake.pipeline import Incoming, VendorContext, ingest
from gateway.intake.service import align
from gateway.keys import ensure_keys
from gateway.outbox.destinations import add_destination, remove_destination
from gateway.outbox.worker import Worker
from gateway.records import service as records
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import outbox
from gateway.vendors import add_vendor
from tests.builders import dict_adapter, make_payload, seed_competencies
from tests.delivery_helpers import Sink, all_settled, drain
from tests.helpers import make_settings
from tests.records_helpers import BASE_URL, seed, set_mastery

C1 = "c1000000-0000-4000-8000-000000000001"
QUIZ = "https://vendor.test/quiz/1"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return replace(
        make_settings(tmp_path, database_url, base_url=BASE_URL),
        delivery_backoff_ms=20,
        delivery_timeout_seconds=1,
    )


@pytest.fixture
def vendor(store: Store) -> VendorContext:
    made, _ = add_vendor(store, "acme")
    seed_competencies(store, [(C1, None)])
    align(store, [NewAlignment(QUIZ, C1, kind="quiz")])
    return VendorContext(made.id, made.name, "test", None)


def _ingest(store: Store, vendor: VendorContext, ext: str, **payload: Any) -> None:
    body = make_payload(**payload)
    with store.write() as conn:
        ingest(
            conn,
            vendor,
            "test",
            [Incoming(ext, json.dumps(body), body)],
            adapter_lookup=dict_adapter,
        )


def _events(store: Store, topic: str) -> list[Any]:
    with store.read() as conn:
        return list(conn.execute(select(outbox).where(outbox.c.topic == topic)))


def _hook(store: Store, httpserver: HTTPServer, sink: Sink, topics: list[str]) -> str:
    httpserver.expect_request("/hook", method="POST").respond_with_handler(sink)
    _, secret = add_destination(
        store, "hook", "webhook", {"url": httpserver.url_for("/hook")}, topics=topics
    )
    assert secret is not None
    return secret


def test_no_subscriber_means_no_evidence_events(
    store: Store, vendor: VendorContext
) -> None:
    _ingest(store, vendor, "s1", score=0.7)
    assert _events(store, "evidence.received") == []
    assert len(_events(store, "mastery.changed")) == 1  # the level is still announced


def test_evidence_reaches_a_subscribed_webhook_once_signed(
    store: Store, vendor: VendorContext, settings: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink()
    secret = _hook(store, httpserver, sink, ["evidence.received"])
    _ingest(store, vendor, "s1", score=0.7)
    _ingest(store, vendor, "s1", score=0.7)  # the same payload again: no new fact
    _ingest(store, vendor, "s2", score=0.9, time="2026-11-02T10:00:00+00:00")
    assert len(_events(store, "evidence.received")) == 2
    drain(Worker(store, settings, name="w1"), all_settled(store))
    assert len(sink.received) == 2  # no mastery.changed: the hook did not ask for it
    scores = sorted(item["body"]["data"]["score"] for item in sink.received)
    assert scores == [0.7, 0.9]
    item = sink.received[0]
    assert item["body"]["type"] == "evidence.received"
    assert item["headers"]["Tessera-Event"] == "evidence.received"
    data = item["body"]["data"]
    assert data["shared_id"] == C1 and data["kind"] == "quiz"
    assert data["source"] == vendor.id
    assert data["competency"]["uri"] == f"https://case.test/{C1}"
    assert data["learner"]["identifiers"] == {"email": ["ada@school.test"]}
    assert verify_signature(secret, item["headers"], item["raw"])
    assert not verify_signature("another secret", item["headers"], item["raw"])


def test_removing_the_subscriber_stops_evidence_events(
    store: Store, vendor: VendorContext, httpserver: HTTPServer
) -> None:
    _hook(store, httpserver, Sink(), ["evidence.received"])
    _ingest(store, vendor, "s1")
    remove_destination(store, "hook")
    _ingest(store, vendor, "s2", time="2026-11-02T10:00:00+00:00")
    assert len(_events(store, "evidence.received")) == 1


def test_an_issued_credential_is_announced_once(
    store: Store, settings: Settings, httpserver: HTTPServer
) -> None:
    ensure_keys(store)
    seeded = seed(store)
    set_mastery(store, seeded.learner_id, seeded.shared("OA.1"), "mastery")
    sink = Sink()
    _hook(store, httpserver, sink, ["credential.issued"])
    config = records.RecordsConfig.from_settings(settings)
    with store.write() as conn:
        issued = records.issue_for_mastery(
            conn, config, seeded.learner_id, seeded.shared("OA.1")
        )
    assert issued is not None
    with store.write() as conn:  # issuing the same claim again is a no-op
        records.issue_for_mastery(
            conn, config, seeded.learner_id, seeded.shared("OA.1")
        )
    assert len(_events(store, "credential.issued")) == 1
    drain(Worker(store, settings, name="w1"), all_settled(store))
    [item] = sink.received
    data = item["body"]["data"]
    assert data["credential_id"] == issued.id and data["kind"] == "achievement"
    assert data["url"] == issued.url and data["url"].startswith(BASE_URL)
    assert data["learner_id"] == seeded.learner_id
