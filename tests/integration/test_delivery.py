"""Delivery with a real worker (in process) against real HTTP servers, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select, update
from werkzeug import Request, Response

from adapters.outbound.webhook import verify_signature
from gateway.mastery import service
from gateway.outbox.destinations import add_destination, remove_destination
from gateway.outbox.queue import delivery_counts
from gateway.outbox.worker import Worker
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import deliveries, outbox, utcnow
from tests.api_helpers import ok, problem
from tests.delivery_helpers import (
    COMPETENCIES,
    Sink,
    all_settled,
    drain,
    seed_people,
    set_level,
    settle_levels,
    status,
)

FAST = {
    "delivery_backoff_ms": 20,
    "delivery_backoff_max_seconds": 1,
    "delivery_timeout_seconds": 1,
    "delivery_lease_seconds": 10,
    "worker_poll_ms": 10,
}


@pytest.fixture
def fast(settings: Settings) -> Settings:
    return replace(settings, **FAST)


def _hook(store: Store, httpserver: HTTPServer, sink: Sink) -> str:
    httpserver.expect_request("/hook", method="POST").respond_with_handler(sink)
    _, secret = add_destination(
        store, "hook", "webhook", {"url": httpserver.url_for("/hook")}
    )
    assert secret is not None
    return secret


def test_an_outage_then_recovery_delivers_every_grade(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink(script=[status(500)] * 12 + [status(503)] * 3)
    secret = _hook(store, httpserver, sink)
    people = seed_people(store, 5)
    for n, learner in enumerate(people):
        set_level(store, learner, COMPETENCIES[0], ("below", "near", "mastery")[n % 3])
        set_level(store, learner, COMPETENCIES[1], "exceeds")
    worker = Worker(store, fast, name="w1")
    drain(worker, all_settled(store))
    assert sink.latest() == {k: v for k, v in settle_levels(store).items()}
    assert len(sink.received) == 10  # every grade once: nothing lost, nothing twice
    assert len({r["key"] for r in sink.received}) == 10
    with store.read() as conn:
        assert delivery_counts(conn)["delivered"] == 10
        assert max(conn.execute(select(deliveries.c.attempts)).scalars()) > 1
    for item in sink.received:
        assert item["headers"]["Tessera-Event"] == "mastery.changed"
    signed = [r for r, _ in httpserver.log if r.headers.get("Tessera-Signature")]
    assert all(verify_signature(secret, r.headers, r.get_data()) for r in signed)
    assert not verify_signature("wrong", signed[0].headers, signed[0].get_data())


def test_retry_after_on_429_is_honoured(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink(script=[status(429, {"Retry-After": "2"})])
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    worker = Worker(store, fast, name="w1")
    began = utcnow()
    assert worker.step() == 1
    with store.read() as conn:
        row = conn.execute(select(deliveries)).one()
    assert row.status == "pending" and row.last_status_code == 429
    assert row.next_attempt_at - began >= timedelta(seconds=1.9)
    assert worker.step() == 0  # not before the time it asked for
    drain(worker, all_settled(store), timeout=10)
    assert len(sink.received) == 1
    assert utcnow() - began >= timedelta(seconds=2)


def test_a_timeout_is_retried(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(1.6)  # longer than delivery_timeout_seconds = 1
        return Response("late", 200)

    sink = Sink(script=[slow])
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "mastery")
    worker = Worker(store, fast, name="w1")
    worker.step()
    with store.read() as conn:
        row = conn.execute(select(deliveries)).one()
    assert row.status == "pending"
    assert "no answer within 1 s" in row.last_error
    drain(worker, all_settled(store), timeout=15)
    assert [r["body"]["data"]["level"] for r in sink.received] == ["mastery"]


def test_a_burst_for_one_learner_ends_with_the_latest_level(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink()
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    levels = ["below", "near", "mastery", "exceeds", "near", "below", "mastery"] * 3
    worker = Worker(store, fast, name="w1")
    for n, level in enumerate(levels):
        set_level(store, learner, COMPETENCIES[0], level)
        if n % 5 == 2:
            worker.step()  # some are delivered mid-burst, most are superseded
    drain(worker, all_settled(store))
    received = [r["body"] for r in sink.received]
    assert (
        received[-1]["data"]["level"]
        == "mastery"
        == settle_levels(store)[(learner, COMPETENCIES[0])]
    )
    sequences = [r["sequence"] for r in received]
    assert sequences == sorted(sequences)  # never an older level after a newer one
    with store.read() as conn:
        counts = delivery_counts(conn)
    assert counts["superseded"] > 0
    assert counts["delivered"] == len(received) < len(levels)


def test_a_stale_level_waits_for_the_one_in_flight(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink()
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    other = Worker(store, fast, name="other")
    from gateway.outbox.queue import claim, fan_out

    fan_out(store, other.policy)
    held = claim(store, "other", limit=10, lease=30)  # "other" is delivering it, slowly
    assert len(held) == 1
    set_level(store, learner, COMPETENCIES[0], "mastery")
    worker = Worker(store, fast, name="w1")
    assert (
        worker.step() == 0
    )  # the newer level waits: it must arrive after the older one
    with store.write() as conn:  # "other" finishes
        conn.execute(
            update(deliveries)
            .where(deliveries.c.seq == held[0].seq)
            .values(status="delivered", claimed_by=None, claimed_until=None)
        )
    drain(worker, all_settled(store))  # after a moment, the newer level goes
    assert [r["body"]["data"]["level"] for r in sink.received] == ["mastery"]


def test_a_lapsed_claim_is_superseded_by_a_newer_level(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink()
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    from gateway.outbox.queue import claim, fan_out

    worker = Worker(store, fast, name="w1")
    fan_out(store, worker.policy)
    claim(store, "dead-worker", limit=10, lease=0.01)  # then the worker died
    set_level(store, learner, COMPETENCIES[0], "mastery")
    time.sleep(0.05)
    drain(worker, all_settled(store))
    assert [r["body"]["data"]["level"] for r in sink.received] == ["mastery"]
    with store.read() as conn:
        assert delivery_counts(conn)["superseded"] == 1


def test_a_refusal_is_dead_and_an_admin_retries_it(
    store: Store,
    fast: Settings,
    httpserver: HTTPServer,
    client: FlaskClient,
    admin: dict[str, str],
) -> None:
    sink = Sink(script=[status(422)])
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    worker = Worker(store, fast, name="w1")
    worker.step()
    dead = ok(client.get("/api/v1/deliveries?status=dead", headers=admin))["items"]
    assert len(dead) == 1 and dead[0]["last_status_code"] == 422
    assert dead[0]["learner_id"] == learner and dead[0]["destination"]["name"] == "hook"
    assert ok(client.get(f"/api/v1/deliveries?learner={learner}", headers=admin))[
        "items"
    ]
    assert not ok(client.get("/api/v1/deliveries?status=pending", headers=admin))[
        "items"
    ]
    assert ok(client.get("/api/v1/deliveries/counts", headers=admin))["dead"] == 1
    detail = ok(client.get(f"/api/v1/deliveries/{dead[0]['id']}", headers=admin))
    assert detail["payload"]["level"] == "near"
    problem(
        client.post(
            f"/api/v1/deliveries/{dead[0]['id']}/retry", headers=admin, json={"x": 1}
        ),
        400,
    )
    again = ok(client.post(f"/api/v1/deliveries/{dead[0]['id']}/retry", headers=admin))
    assert again["status"] == "pending" and again["attempts"] == 0
    problem(
        client.post(f"/api/v1/deliveries/{dead[0]['id']}/retry", headers=admin), 409
    )
    drain(worker, all_settled(store))
    assert [r["body"]["data"]["level"] for r in sink.received] == ["near"]


def test_retrying_a_dead_delivery_overtaken_by_a_newer_level_supersedes_it(
    store: Store,
    fast: Settings,
    httpserver: HTTPServer,
    client: FlaskClient,
    admin: dict[str, str],
) -> None:
    sink = Sink(script=[status(400)])
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    worker = Worker(store, fast, name="w1")
    worker.step()
    set_level(store, learner, COMPETENCIES[0], "mastery")
    drain(worker, all_settled(store))
    [dead] = ok(client.get("/api/v1/deliveries?status=dead", headers=admin))["items"]
    again = ok(client.post(f"/api/v1/deliveries/{dead['id']}/retry", headers=admin))
    assert again["status"] == "superseded"
    assert [r["body"]["data"]["level"] for r in sink.received] == ["mastery"]


def test_past_the_horizon_a_delivery_is_dead(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink(script=[status(500)] * 1000)
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    worker = Worker(store, replace(fast, delivery_horizon_seconds=1), name="w1")
    drain(worker, all_settled(store), timeout=10)
    with store.read() as conn:
        row = conn.execute(select(deliveries)).one()
    assert row.status == "dead" and row.attempts > 1
    assert "gave up after" in row.last_error and "HTTP 500" in row.last_error


def test_teacher_evidence_through_the_engine_reaches_the_webhook(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink()
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    service.add_teacher_evidence(
        store,
        learner,
        service.TeacherEvidence(COMPETENCIES[1], "teacher", level="mastery"),
    )
    drain(Worker(store, fast, name="w1"), all_settled(store))
    [item] = sink.received
    data = item["body"]["data"]
    assert (data["learner_id"], data["shared_id"]) == (learner, COMPETENCIES[1])
    assert data["level"] == settle_levels(store)[(learner, COMPETENCIES[1])]
    assert data["competency"]["uri"] == f"https://case.test/{COMPETENCIES[1]}"
    assert data["learner"]["identifiers"] == {"sis": ["S00000"]}


def test_events_before_a_destination_existed_are_not_sent_to_it(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    worker = Worker(store, fast, name="w1")
    worker.step()  # fans out to nobody
    sink = Sink()
    _hook(store, httpserver, sink)
    set_level(store, learner, COMPETENCIES[0], "mastery")
    drain(worker, all_settled(store))
    assert [r["body"]["data"]["level"] for r in sink.received] == ["mastery"]


def test_removing_a_destination_abandons_what_it_had_not_received(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink()
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    from gateway.outbox.queue import fan_out

    worker = Worker(store, fast, name="w1")
    fan_out(store, worker.policy)
    _, abandoned = remove_destination(store, "hook")
    assert abandoned == 1
    assert worker.step() == 0
    assert sink.requests == 0
    add_destination(
        store, "hook", "webhook", {"url": httpserver.url_for("/hook")}
    )  # name free again


def test_health_and_metrics_show_the_queue(
    store: Store,
    fast: Settings,
    httpserver: HTTPServer,
    app: Flask,
    client: FlaskClient,
) -> None:
    sink = Sink(script=[status(400)])
    _hook(store, httpserver, sink)
    people = seed_people(store, 2)
    for learner in people:
        set_level(store, learner, COMPETENCIES[0], "near")
    worker = Worker(store, fast, name="w1")
    worker.step()
    health = ok(client.get("/healthz"))
    assert health["deliveries"]["counts"] == {
        "pending": 0,
        "in_flight": 0,
        "delivered": 1,
        "superseded": 0,
        "dead": 1,
    }
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    text = response.get_data(as_text=True)
    assert 'tessera_deliveries{status="dead"} 1' in text
    assert 'tessera_deliveries{status="delivered"} 1' in text
    assert "tessera_mastery_changes_total 2" in text
    assert "tessera_delivery_attempts_total 2" in text
    assert "tessera_delivery_oldest_pending_age_seconds 0" in text
    assert "# TYPE tessera_records_received_total counter" in text
    assert "tessera_outbox_unrouted_events 0" in text


def test_destinations_through_the_admin_api(
    client: FlaskClient, admin: dict[str, str], store: Store
) -> None:
    made = ok(
        client.post(
            "/api/v1/destinations",
            headers=admin,
            json={
                "name": "warehouse",
                "kind": "webhook",
                "settings": {"url": "https://dw.example/hook"},
            },
        ),
        201,
    )
    assert made["secret"].startswith("whsec_") and len(made["secret_hint"]) == 12
    listed = ok(client.get("/api/v1/destinations", headers=admin))
    assert [d["name"] for d in listed] == ["warehouse"]
    assert "secret" not in listed[0]
    problem(
        client.post(
            "/api/v1/destinations",
            headers=admin,
            json={
                "name": "warehouse",
                "kind": "webhook",
                "settings": {"url": "https://x.example"},
            },
        ),
        409,
    )
    bad = problem(
        client.post(
            "/api/v1/destinations",
            headers=admin,
            json={
                "name": "sis",
                "kind": "oneroster",
                "settings": {"base_url": "https://sis.example"},
            },
        ),
        400,
    )
    assert "token_url" in bad["detail"]
    ags = problem(
        client.post(
            "/api/v1/destinations",
            headers=admin,
            json={"name": "lms", "kind": "lti_ags", "settings": {"line_item": "x"}},
        ),
        400,
    )
    assert "line_item" in ags["detail"]  # the AGS target names what it does not take
    gone = ok(client.delete("/api/v1/destinations/warehouse", headers=admin))
    assert gone["abandoned"] == 0
    assert ok(client.get("/api/v1/destinations", headers=admin)) == []
    problem(client.get("/api/v1/deliveries?destination=warehouse", headers=admin), 404)


def test_outbox_events_are_fanned_out_once_by_two_workers(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    sink = Sink()
    _hook(store, httpserver, sink)
    people = seed_people(store, 6)
    for learner in people:
        set_level(store, learner, COMPETENCIES[0], "near")
    a, b = (
        Worker(store, fast, name="a"),
        Worker(store, replace(fast, worker_batch_size=2), name="b"),
    )
    while a.step() + b.step():
        pass
    with store.read() as conn:
        assert conn.execute(select(deliveries.c.id)).all().__len__() == 6
        assert len(conn.execute(select(outbox.c.seq)).all()) == 6
    assert len(sink.received) == 6 == len({r["key"] for r in sink.received})


def test_dead_deliveries_of_a_destination_are_retried_at_once(
    store: Store,
    fast: Settings,
    httpserver: HTTPServer,
    client: FlaskClient,
    admin: dict[str, str],
) -> None:
    sink = Sink(script=[status(404)] * 3)  # a wrong URL path at first, say
    _hook(store, httpserver, sink)
    people = seed_people(store, 3)
    for learner in people:
        set_level(store, learner, COMPETENCIES[0], "near")
    worker = Worker(store, fast, name="w1")
    drain(worker, all_settled(store))
    assert ok(client.get("/api/v1/deliveries/counts", headers=admin))["dead"] == 3
    set_level(store, people[0], COMPETENCIES[0], "mastery")  # overtakes one dead level
    drain(worker, all_settled(store))
    done = ok(
        client.post(
            "/api/v1/deliveries/retry", headers=admin, json={"destination": "hook"}
        )
    )
    assert done == {"pending": 2, "superseded": 1}
    drain(worker, all_settled(store))
    assert sink.latest() == settle_levels(store)
    problem(
        client.post(
            "/api/v1/deliveries/retry", headers=admin, json={"destination": "x"}
        ),
        404,
    )


def test_a_lease_shorter_than_two_timeouts_is_refused(
    store: Store, fast: Settings
) -> None:
    from gateway.errors import ConfigError

    with pytest.raises(ConfigError, match="more than twice"):
        Worker(
            store, replace(fast, delivery_lease_seconds=2, delivery_timeout_seconds=1)
        )


def test_a_store_error_pauses_the_worker_which_then_goes_on(
    store: Store,
    fast: Settings,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from sqlalchemy.exc import OperationalError

    from gateway.outbox import worker as worker_module

    sink = Sink()
    _hook(store, httpserver, sink)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "near")
    real, calls = worker_module.claim, []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError(
                "SELECT", {}, Exception("server closed the connection")
            )
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(worker_module, "claim", flaky)
    monkeypatch.setattr(worker_module, "_DB_PAUSE_MIN", 0.01)
    worker = Worker(store, fast, name="w1")
    thread = threading.Thread(target=worker.run)
    thread.start()
    deadline = time.monotonic() + 15
    while not sink.received and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.stop.set()
    thread.join(timeout=15)
    assert len(calls) >= 2 and [r["body"]["data"]["level"] for r in sink.received] == [
        "near"
    ]


def test_an_event_committed_late_is_not_skipped_on_postgresql(
    store: Store, fast: Settings, httpserver: HTTPServer, backend: str
) -> None:
    """A sequence number is taken at insert and seen at commit: the cursor must wait."""
    if backend != "postgresql":
        pytest.skip("SQLite serializes writers: numbers are seen in order")
    from gateway.store.upsert import append

    sink = Sink()
    _hook(store, httpserver, sink)
    people = seed_people(store, 2)
    worker = Worker(store, fast, name="w1")
    slow = store.engine.connect()
    slow_txn = slow.begin()
    try:
        append(  # an event whose transaction is still open (a slow intake, say)
            slow,
            outbox,
            [
                {
                    "event_id": "0e000000-0000-4000-8000-000000000001",
                    "topic": "mastery.changed",
                    "subject": f"{people[0]}|{COMPETENCIES[0]}",
                    "payload": {"learner_id": people[0], "shared_id": COMPETENCIES[0]},
                    "created_at": utcnow(),
                }
            ],
        )
        set_level(store, people[1], COMPETENCIES[0], "mastery")  # later, committed
        began = time.monotonic()
        assert worker.step() == 0  # it waits (briefly) for the open transaction
        assert time.monotonic() - began < 5
        slow_txn.commit()
    finally:
        slow.close()  # a failed test must not leave a transaction holding the table
    drain(worker, all_settled(store))
    assert {r["body"]["data"]["learner_id"] for r in sink.received} == set(people)


def test_a_registrar_receives_the_signed_transcript_when_mastery_changes(
    store: Store, fast: Settings, httpserver: HTTPServer
) -> None:
    from gateway.keys import ensure_keys
    from gateway.records.service import list_credentials

    ensure_keys(store)  # `tessera init` makes the issuer's keys
    sink = Sink()
    httpserver.expect_request("/registrar", method="POST").respond_with_handler(sink)
    _, secret = add_destination(
        store, "registrar", "registrar", {"url": httpserver.url_for("/registrar")}
    )
    assert secret is not None
    [learner] = seed_people(store, 1)
    service.set_layer(
        store, "default", "", {"rules": {"min_sources": 1, "min_evidence": 1}}, "t"
    )
    service.add_teacher_evidence(
        store,
        learner,
        service.TeacherEvidence(COMPETENCIES[0], "teacher", level="mastery"),
    )
    drain(Worker(store, fast, name="w1"), all_settled(store))
    [item] = sink.received
    clr = item["body"]
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    raw = json.dumps(clr, separators=(",", ":")).encode()  # the bytes that were signed
    assert verify_signature(secret, item["headers"], raw)
    assert item["headers"]["Content-Type"] == "application/ld+json"
    badges = [c for c in list_credentials(store, learner) if c.kind == "achievement"]
    assert [b.level for b in badges] == ["mastery"] and badges[0].revoked_at is None
    # Losing mastery revokes the badge; the registrar gets the news (no transcript left).
    service.override(store, learner, COMPETENCIES[0], "near", "re-assessed", "teacher")
    drain(Worker(store, fast, name="w1"), all_settled(store))
    assert list_credentials(store, learner)[0].revoked_at is not None
    assert len(sink.received) == 1
