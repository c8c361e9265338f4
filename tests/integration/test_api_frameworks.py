"""The frameworks and competencies endpoints of the admin API, on both databases."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer

from gateway.app import create_app
from gateway.competencies import list_frameworks
from gateway.settings import Settings
from gateway.store import Store
from tests.api_helpers import ok, problem
from tests.case_packages import ACT, SMARTER_BALANCED, real_package

SB_ID = "1796d9a2-d5ee-11e7-b39f-71a145b86a18"
SB_TARGET = "d65cd80a-d5ee-11e7-8bc2-37be6700673f"  # M.G3.C1MD.TH
SB_SKILL = "d65d1838-d5ee-11e7-ab62-2da15be1aaa5"  # M.G3.C1MD.TH.3.MD.B.3


def _import(client: FlaskClient, admin: dict[str, str], package: Any) -> Any:
    return ok(client.post("/api/v1/frameworks", json=package, headers=admin), 201)


def test_import_a_real_package_then_read_it(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/frameworks", json=real_package(SMARTER_BALANCED), headers=admin
    )
    report = ok(response, 201)
    assert response.headers["Location"] == f"/api/v1/frameworks/{SB_ID}"
    assert report["framework_id"] == SB_ID and report["framework_created"]
    assert report["items"]["created"] == 48
    assert report["evidence_rederived"] == 0

    framework = ok(client.get(f"/api/v1/frameworks/{SB_ID}", headers=admin))
    assert framework["title"] == "Grade 3 Mathematics Item Specification C1 TH"
    assert framework["item_count"] == 48 and framework["source_url"] is None
    listing = ok(client.get("/api/v1/frameworks", headers=admin))
    assert [f["id"] for f in listing["items"]] == [SB_ID]
    assert listing["next_cursor"] is None

    tree = ok(client.get(f"/api/v1/frameworks/{SB_ID}/tree", headers=admin))
    assert tree["framework_id"] == SB_ID

    def walk(nodes: list[dict[str, Any]]) -> list[str]:
        return [n["id"] for n in nodes] + [
            i for n in nodes for i in walk(n["children"])
        ]

    assert len(walk(tree["children"])) == 48
    assert SB_SKILL in walk(tree["children"])

    # Re-importing the same package changes nothing.
    again = _import(client, admin, real_package(SMARTER_BALANCED))
    assert not again["framework_created"] and again["items"]["unchanged"] == 48


def test_search_and_get_competencies(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    _import(client, admin, real_package(SMARTER_BALANCED))
    _import(client, admin, real_package(ACT))
    found = ok(client.get("/api/v1/competencies?q=m.g3.c1md", headers=admin))
    codes = [c["human_coding_scheme"] for c in found["items"]]
    assert codes[0] == "M.G3.C1MD.TH" and "M.G3.C1MD.TH.3.MD.B.3" in codes
    by_text = ok(
        client.get(
            f"/api/v1/competencies?q=scaled+picture+graph&framework_id={SB_ID}",
            headers=admin,
        )
    )
    assert SB_SKILL in [c["id"] for c in by_text["items"]]
    capped = ok(client.get("/api/v1/competencies?q=m&max_results=2", headers=admin))
    assert len(capped["items"]) == 2

    detail = ok(client.get(f"/api/v1/competencies/{SB_SKILL}", headers=admin))
    assert detail["human_coding_scheme"] == "M.G3.C1MD.TH.3.MD.B.3"
    assert detail["parent_id"] == SB_TARGET
    for key in ("shared_members", "prerequisites", "successors"):
        assert isinstance(detail[key], list)
    # Identifiers are case-insensitive.
    assert ok(client.get(f"/api/v1/competencies/{SB_SKILL.upper()}", headers=admin))[
        "id"
    ] == (SB_SKILL)

    missing = problem(client.get("/api/v1/competencies", headers=admin), 400)
    assert "'q' is required" in missing["detail"]
    problem(client.get("/api/v1/competencies/nope", headers=admin), 404)


def test_frameworks_page_by_title(client: FlaskClient, admin: dict[str, str]) -> None:
    _import(client, admin, real_package(SMARTER_BALANCED))
    _import(client, admin, real_package(ACT))
    first = ok(client.get("/api/v1/frameworks?limit=1", headers=admin))
    assert [f["title"] for f in first["items"]] == ["ACT Holistic Framework, Math"]
    cursor = first["next_cursor"]
    second = ok(
        client.get(f"/api/v1/frameworks?limit=1&cursor={cursor}", headers=admin)
    )
    assert [f["id"] for f in second["items"]] == [SB_ID]
    assert second["next_cursor"] is None


def test_a_malformed_package_is_400_naming_the_element_and_stores_nothing(
    client: FlaskClient, admin: dict[str, str], store: Store
) -> None:
    package = real_package(SMARTER_BALANCED)
    del package["CFItems"][3]["identifier"]
    body = problem(client.post("/api/v1/frameworks", json=package, headers=admin), 400)
    assert "$.CFItems[3]" in body["detail"] and "identifier" in body["detail"]
    assert list_frameworks(store) == []

    package = real_package(SMARTER_BALANCED)
    package["CFItems"] = {"not": "a list"}
    body = problem(client.post("/api/v1/frameworks", json=package, headers=admin), 400)
    assert "$.CFItems must be an array" in body["detail"]
    assert list_frameworks(store) == []


@pytest.fixture
def dev_client(settings: Settings, store: Store) -> FlaskClient:
    """An instance whose admin allowed private URLs (TESSERA_ALLOW_PRIVATE_URLS=1)."""
    return create_app(replace(settings, allow_private_urls=True), store).test_client()


def test_import_from_a_url(
    dev_client: FlaskClient, admin: dict[str, str], httpserver: HTTPServer
) -> None:
    path = f"/ims/case/v1p0/CFPackages/{SB_ID}"
    httpserver.expect_request(path).respond_with_json(real_package(SMARTER_BALANCED))
    url = httpserver.url_for(path)
    client = dev_client
    report = _import(client, admin, {"url": url})
    assert report["framework_id"] == SB_ID
    framework = ok(client.get(f"/api/v1/frameworks/{SB_ID}", headers=admin))
    assert framework["source_url"] == url


def test_a_url_that_is_not_http_is_refused(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    for url in ("/etc/passwd", "file:///etc/passwd", "tests/fixtures/case/x.json"):
        body = problem(
            client.post("/api/v1/frameworks", json={"url": url}, headers=admin), 400
        )
        assert "Field 'url'" in body["detail"] and "http" in body["detail"]
    body = problem(
        client.post(
            "/api/v1/frameworks",
            json={"url": "https://case.example/x", "CFDocument": {}},
            headers=admin,
        ),
        400,
    )
    assert "'url' stands alone" in body["detail"]
    # Found by the API fuzzer: a URL with no host was a 502 ("could not reach").
    for url in ("HTTP://", "HTTPS://;"):
        body = problem(
            client.post("/api/v1/frameworks", json={"url": url}, headers=admin), 400
        )
        assert "URL" in body["detail"] and "https" in body["detail"]


def test_a_private_or_plain_http_url_is_refused_before_any_request(
    client: FlaskClient, admin: dict[str, str], httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/pkg").respond_with_json(real_package(SMARTER_BALANCED))
    plain = httpserver.url_for("/pkg")  # http://localhost:PORT/pkg
    body = problem(
        client.post("/api/v1/frameworks", json={"url": plain}, headers=admin), 400
    )
    assert "not https" in body["detail"]
    loopback = f"https://127.0.0.1:{httpserver.port}/pkg"
    body = problem(
        client.post("/api/v1/frameworks", json={"url": loopback}, headers=admin), 400
    )
    assert "loopback, private or link-local" in body["detail"]
    assert httpserver.log == [] and list_frameworks_empty(client, admin)


def list_frameworks_empty(client: FlaskClient, admin: dict[str, str]) -> bool:
    return ok(client.get("/api/v1/frameworks", headers=admin))["items"] == []


def test_an_unreachable_provider_is_502(
    dev_client: FlaskClient, admin: dict[str, str], httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/pkg").respond_with_data("down", status=503)
    client = dev_client
    response = client.post(
        "/api/v1/frameworks", json={"url": httpserver.url_for("/pkg")}, headers=admin
    )
    assert response.status_code == 502, response.get_data(as_text=True)


def test_frameworks_need_a_token_and_unknown_ones_are_404(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    problem(client.get("/api/v1/frameworks"), 401)
    problem(client.post("/api/v1/frameworks", json={"url": "https://x.test"}), 401)
    problem(client.get("/api/v1/competencies?q=x"), 401)
    body = problem(client.get("/api/v1/frameworks/ghost", headers=admin), 404)
    assert "ghost" in body["detail"]
    problem(client.get("/api/v1/frameworks/ghost/tree", headers=admin), 404)
