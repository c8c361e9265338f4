"""The raw-records and replay endpoints of the admin API."""

from __future__ import annotations

from datetime import UTC, datetime
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
GAME = "https://vendor.example/game/1"
S1, S2, S3, S4 = (f"c0000000-0000-4000-8000-00000000000{i}" for i in range(1, 5))
DAY1 = datetime(2026, 11, 1, 9, tzinfo=UTC)
DAY2 = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def records(client: FlaskClient, admin: dict[str, str], store: Store) -> None:
    """acme sent an aligned and a rejected statement on day 1; zeta an unaligned on day 2."""
    ok(
        client.post(
            "/api/v1/frameworks", json=real_package(SMARTER_BALANCED), headers=admin
        ),
        201,
    )
    acme, _ = add_vendor(store, "acme")
    zeta, _ = add_vendor(store, "zeta")
    align(store, [NewAlignment(QUIZ, SKILL)])
    send_statements(
        store,
        acme.id,
        make_statement(S1),
        make_statement(S2, scaled=1.5),
        received_at=DAY1,
    )
    send_statements(store, zeta.id, make_statement(S3, activity=GAME), received_at=DAY2)


def _ids(page: dict[str, Any]) -> list[str]:
    return [r["external_id"] for r in page["items"]]


def test_list_raw_records_newest_first_with_filters(
    client: FlaskClient, admin: dict[str, str], records: None
) -> None:
    listing = ok(client.get("/api/v1/raw-records", headers=admin))
    assert _ids(listing)[0] == S3 and set(_ids(listing)) == {S1, S2, S3}
    assert all("body" not in r for r in listing["items"])
    assert listing["next_cursor"] is None
    first = listing["items"][0]
    assert first["vendor"] == "zeta" and first["status"] == "unaligned"
    assert first["protocol"] == "xapi"

    rejected = ok(client.get("/api/v1/raw-records?status=rejected", headers=admin))
    [bad] = rejected["items"]
    assert bad["external_id"] == S2 and "outside -1..1" in bad["reason"]
    acme = ok(client.get("/api/v1/raw-records?vendor=acme", headers=admin))
    assert set(_ids(acme)) == {S1, S2}
    recent = ok(
        client.get("/api/v1/raw-records?since=2026-11-02T00:00:00Z", headers=admin)
    )
    assert _ids(recent) == [S3]
    naive = ok(client.get("/api/v1/raw-records?since=2026-11-02", headers=admin))
    assert _ids(naive) == [S3]

    seen: list[str] = []
    url = "/api/v1/raw-records?limit=1"
    while True:
        page = ok(client.get(url, headers=admin))
        seen += _ids(page)
        if page["next_cursor"] is None:
            break
        url = f"/api/v1/raw-records?limit=1&cursor={page['next_cursor']}"
    assert seen == _ids(listing)


def test_raw_record_detail_and_counts(
    client: FlaskClient, admin: dict[str, str], records: None
) -> None:
    by_id = {
        r["external_id"]: r
        for r in ok(client.get("/api/v1/raw-records", headers=admin))["items"]
    }
    good = ok(client.get(f"/api/v1/raw-records/{by_id[S1]['id']}", headers=admin))
    assert good["body"] == make_statement(S1)
    assert good["status"] == "processed" and good["reason"] is None
    assert (good["observations"], good["evidence"]) == (1, 1)
    assert good["received_at"].startswith("2026-11-01T09:00:00")
    bad = ok(client.get(f"/api/v1/raw-records/{by_id[S2]['id']}", headers=admin))
    assert bad["status"] == "rejected" and "scaled score 1.5" in bad["reason"]
    assert (bad["observations"], bad["evidence"]) == (0, 0)

    counts = ok(client.get("/api/v1/raw-records/counts", headers=admin))
    assert counts == {"processed": 1, "rejected": 1, "unaligned": 1}
    body = problem(client.get("/api/v1/raw-records/nothing", headers=admin), 404)
    assert "nothing" in body["detail"]


def test_replay(
    client: FlaskClient, admin: dict[str, str], store: Store, records: None
) -> None:
    everything = ok(client.post("/api/v1/replay", headers=admin))
    assert everything == {
        "records": 3,
        "evidence": 1,
        "statuses": {"processed": 1, "rejected": 1, "unaligned": 1},
    }
    align(store, [NewAlignment(GAME, SKILL)])
    only_zeta = ok(
        client.post("/api/v1/replay", json={"vendor": "zeta"}, headers=admin)
    )
    assert (only_zeta["records"], only_zeta["evidence"]) == (1, 1)
    since = ok(
        client.post(
            "/api/v1/replay", json={"since": "2026-11-01T12:00:00+00:00"}, headers=admin
        )
    )
    assert since["records"] == 1
    assert since["statuses"] == {"processed": 2, "rejected": 1}


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "words"),
    [
        ("get", "/api/v1/raw-records?status=lost", {}, "'status' must be one of"),
        ("get", "/api/v1/raw-records?vendor=ghost", {}, "Query parameter 'vendor'"),
        ("get", "/api/v1/raw-records?since=yesterday", {}, "Query parameter 'since'"),
        ("get", "/api/v1/raw-records?cursor=bogus", {}, "not one this API gave out"),
        ("post", "/api/v1/replay", {"json": {"vendor": "ghost"}}, "Field 'vendor'"),
        ("post", "/api/v1/replay", {"json": {"since": "soon"}}, "Field 'since'"),
        ("post", "/api/v1/replay", {"json": {"all": True}}, "'all' is not accepted"),
    ],
)
def test_bad_requests_are_400_naming_the_field(
    client: FlaskClient,
    admin: dict[str, str],
    method: str,
    url: str,
    kwargs: dict[str, Any],
    words: str,
) -> None:
    response = getattr(client, method)(url, headers=admin, **kwargs)
    assert words in problem(response, 400)["detail"]


def test_records_need_a_token(client: FlaskClient) -> None:
    problem(client.get("/api/v1/raw-records"), 401)
    problem(client.get("/api/v1/raw-records/counts"), 401)
    problem(client.get("/api/v1/raw-records/x"), 401)
    problem(client.post("/api/v1/replay"), 401)


def test_voiding_a_record_retracts_its_evidence_and_survives_replay(
    client: FlaskClient, admin: dict[str, str], records: None
) -> None:
    listing = ok(client.get("/api/v1/raw-records", headers=admin))
    record = next(r for r in listing["items"] if r["external_id"] == S1)
    path = f"/api/v1/raw-records/{record['id']}"
    assert ok(client.get(path, headers=admin))["evidence"] == 1
    voided = ok(
        client.post(f"{path}/void", json={"reason": "vendor deleted it"}, headers=admin)
    )
    assert voided["status"] == "voided" and voided["evidence"] == 0
    assert "vendor deleted it" in voided["reason"]
    ok(client.post("/api/v1/replay", json={}, headers=admin))
    assert ok(client.get(path, headers=admin))["status"] == "voided"
    problem(client.post(f"{path}/void", json={}, headers=admin), 400)
    problem(
        client.post(
            "/api/v1/raw-records/nope/void", json={"reason": "x"}, headers=admin
        ),
        404,
    )
