from __future__ import annotations

import base64
import re
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate as validate_spec

from gateway import create_app
from gateway.settings import Settings
from gateway.store import Store
from tests.api_helpers import ok, problem


def _whoami(client: FlaskClient, created: dict[str, Any]) -> tuple[int, int]:
    basic = base64.b64encode(
        f"{created['xapi']['key']}:{created['xapi']['secret']}".encode()
    ).decode()
    by_basic = client.get("/whoami", headers={"Authorization": f"Basic {basic}"})
    token = created["caliper"]["token"]
    by_bearer = client.get("/whoami", headers={"Authorization": f"Bearer {token}"})
    return by_basic.status_code, by_bearer.status_code


# --- The document. -------------------------------------------------------------------


def test_openapi_json_is_served_with_this_servers_url(
    settings: Settings, store: Store
) -> None:
    app = create_app(replace(settings, base_url="https://cbe.example.edu/t"), store)
    response = app.test_client().get("/api/v1/openapi.json")
    doc = ok(response)
    validate_spec(doc)
    assert doc["servers"] == [{"url": "https://cbe.example.edu/t/api/v1"}]
    assert response.mimetype == "application/json"


def test_every_api_route_is_in_the_document(app: Flask, client: FlaskClient) -> None:
    doc = ok(client.get("/api/v1/openapi.json"))
    routed: set[tuple[str, str]] = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len("/api/v1") :])
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            routed.add((path, method.lower()))
    documented = {
        (path, method) for path, item in doc["paths"].items() for method in item
    }
    assert routed, "no routes under /api/v1"
    assert routed == documented


# --- The vendor lifecycle. -------------------------------------------------------------


def test_vendor_lifecycle(client: FlaskClient, admin: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/vendors",
        json={
            "name": "acme-math",
            "display_name": "ACME Math",
            "settings": {"score": {"scale": "percent"}},
        },
        headers=admin,
    )
    created = ok(response, 201)
    assert response.headers["Location"] == "/api/v1/vendors/acme-math"
    assert response.headers["Cache-Control"] == "no-store"
    assert created["name"] == "acme-math" and created["display_name"] == "ACME Math"
    assert created["adapter"] == "standard"
    assert created["settings"] == {"score": {"scale": "percent"}}
    assert {c["kind"] for c in created["credentials"]} == {
        "xapi_basic",
        "caliper_bearer",
    }
    assert _whoami(client, created) == (200, 200)

    shown = ok(client.get("/api/v1/vendors/acme-math", headers=admin))
    assert shown["id"] == created["id"]
    assert created["xapi"]["secret"] not in str(shown)
    assert "xapi" not in shown and "caliper" not in shown

    listing = ok(client.get("/api/v1/vendors", headers=admin))
    assert [v["name"] for v in listing["items"]] == ["acme-math"]
    assert listing["next_cursor"] is None

    changed = ok(
        client.patch(
            "/api/v1/vendors/acme-math",
            json={
                "display_name": "ACME",
                "settings": {"score": {"scale": "points", "points_max": 10}},
            },
            headers=admin,
        )
    )
    assert changed["display_name"] == "ACME" and changed["settings"] == {
        "score": {"scale": "points", "points_max": 10}
    }
    assert changed["adapter"] == "standard"
    changed = ok(
        client.patch(
            "/api/v1/vendors/acme-math", json={"adapter": "mathia"}, headers=admin
        )
    )
    assert (changed["adapter"], changed["display_name"]) == ("mathia", "ACME")

    rotated = ok(
        client.post(
            "/api/v1/vendors/acme-math/rotate",
            json={"grace_seconds": 3600},
            headers=admin,
        )
    )
    assert rotated["xapi"]["secret"] != created["xapi"]["secret"]
    assert _whoami(client, created) == (200, 200)  # still in its grace period
    assert _whoami(client, rotated) == (200, 200)
    assert len(rotated["credentials"]) == 4

    again = ok(client.post("/api/v1/vendors/acme-math/rotate", headers=admin))
    assert _whoami(client, rotated) == (401, 401)
    assert _whoami(client, again) == (200, 200)

    response = client.delete("/api/v1/vendors/acme-math", headers=admin)
    assert response.status_code == 204 and response.get_data() == b""
    assert _whoami(client, again) == (401, 401)
    problem(client.get("/api/v1/vendors/acme-math", headers=admin), 404)
    problem(client.delete("/api/v1/vendors/acme-math", headers=admin), 404)
    assert ok(client.get("/api/v1/vendors", headers=admin))["items"] == []
    # The name is free again.
    ok(client.post("/api/v1/vendors", json={"name": "acme-math"}, headers=admin), 201)


def test_a_duplicate_name_is_409(client: FlaskClient, admin: dict[str, str]) -> None:
    ok(client.post("/api/v1/vendors", json={"name": "acme"}, headers=admin), 201)
    body = problem(
        client.post("/api/v1/vendors", json={"name": "acme"}, headers=admin), 409
    )
    assert "already exists" in body["detail"]


def test_unknown_vendors_are_404(client: FlaskClient, admin: dict[str, str]) -> None:
    for method, path, kwargs in [
        ("get", "/api/v1/vendors/ghost", {}),
        ("patch", "/api/v1/vendors/ghost", {"json": {"display_name": "G"}}),
        ("post", "/api/v1/vendors/ghost/rotate", {}),
        ("delete", "/api/v1/vendors/ghost", {}),
    ]:
        response = getattr(client, method)(path, headers=admin, **kwargs)
        assert "No vendor is named 'ghost'" in problem(response, 404)["detail"]


def test_pagination_walks_every_vendor_once(
    client: FlaskClient, store: Store, admin: dict[str, str]
) -> None:
    names = [f"v{i}" for i in range(5)]
    for name in reversed(names):
        ok(client.post("/api/v1/vendors", json={"name": name}, headers=admin), 201)
    seen: list[str] = []
    pages = 0
    url = "/api/v1/vendors?limit=2"
    while True:
        page = ok(client.get(url, headers=admin))
        pages += 1
        assert len(page["items"]) <= 2
        seen += [v["name"] for v in page["items"]]
        if page["next_cursor"] is None:
            break
        url = f"/api/v1/vendors?limit=2&cursor={page['next_cursor']}"
    assert seen == names and pages == 3


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("limit=0", "'limit' must be at least 1"),
        ("limit=501", "'limit' must be at most 500"),
        ("limit=ten", "'limit' must be a whole number"),
        ("cursor=bogus", "not one this API gave out"),
    ],
)
def test_bad_paging_is_400(
    client: FlaskClient, admin: dict[str, str], query: str, words: str
) -> None:
    body = problem(client.get(f"/api/v1/vendors?{query}", headers=admin), 400)
    assert words in body["detail"]


# --- Bodies. ---------------------------------------------------------------------------


def test_a_body_that_is_not_json_is_415(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/vendors",
        data="name=acme",
        content_type="application/x-www-form-urlencoded",
        headers=admin,
    )
    body = problem(response, 415)
    assert "Content-Type: application/json" in body["detail"]


def test_malformed_json_is_400(client: FlaskClient, admin: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/vendors",
        data='{"name": "acme",',
        content_type="application/json",
        headers=admin,
    )
    assert "not valid JSON" in problem(response, 400)["detail"]
    response = client.post(
        "/api/v1/vendors",
        data='{"name": NaN}',
        content_type="application/json",
        headers=admin,
    )
    assert "not valid JSON" in problem(response, 400)["detail"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "name", "Field 'name' is required."),
        ({"name": "Acme Math"}, "name", "does not match"),
        ({"name": "acme", "colour": "red"}, "colour", "is not accepted here"),
        ({"name": "acme", "settings": [1]}, "settings", "must be an object"),
        ({"name": "acme", "display_name": ""}, "display_name", "must not be empty"),
        ({"name": "acme", "adapter": 3}, "adapter", "must be a string"),
    ],
)
def test_invalid_fields_are_named(
    client: FlaskClient,
    admin: dict[str, str],
    body: dict[str, Any],
    field: str,
    words: str,
) -> None:
    found = problem(client.post("/api/v1/vendors", json=body, headers=admin), 400)
    assert words in found["detail"] and repr(field) in found["detail"]
    assert found["errors"][0]["field"] == field


def test_every_problem_in_a_body_is_listed(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    found = problem(
        client.post(
            "/api/v1/vendors", json={"colour": 1, "settings": 2}, headers=admin
        ),
        400,
    )
    assert {e["field"] for e in found["errors"]} == {"name", "colour", "settings"}
    assert "2 more problems listed in errors" in found["detail"]


def test_patch_needs_a_field_and_rotate_checks_its_grace(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    ok(client.post("/api/v1/vendors", json={"name": "acme"}, headers=admin), 201)
    empty = problem(client.patch("/api/v1/vendors/acme", json={}, headers=admin), 400)
    assert "at least 1 of: display_name, adapter, settings" in empty["detail"]
    nothing = problem(client.patch("/api/v1/vendors/acme", headers=admin), 400)
    assert "request body is empty" in nothing["detail"]
    rename = problem(
        client.patch("/api/v1/vendors/acme", json={"name": "x"}, headers=admin), 400
    )
    assert "'name' is not accepted" in rename["detail"]
    grace = problem(
        client.post(
            "/api/v1/vendors/acme/rotate", json={"grace_seconds": -5}, headers=admin
        ),
        400,
    )
    assert "'grace_seconds' must be at least 0" in grace["detail"]


def test_settings_are_checked_by_the_inbound_adapter(
    client: FlaskClient, admin: dict[str, str], store: Store
) -> None:
    refused = client.post(
        "/api/v1/vendors",
        json={"name": "acme", "settings": {"score": {"scale": "loud"}}},
        headers=admin,
    )
    assert "scale" in problem(refused, 400)["detail"]
    problem(client.get("/api/v1/vendors/acme", headers=admin), 404)

    good = {"score": {"scale": "percent"}, "hints": {"trust": False}}
    ok(
        client.post(
            "/api/v1/vendors", json={"name": "acme", "settings": good}, headers=admin
        ),
        201,
    )
    refused = client.patch(
        "/api/v1/vendors/acme",
        json={"settings": {"hints": {"trust": "yes"}}},
        headers=admin,
    )
    assert "must be true or false" in problem(refused, 400)["detail"]
    kept = ok(client.get("/api/v1/vendors/acme", headers=admin))
    assert kept["settings"] == good


def test_authentication_comes_before_the_body_is_read(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/vendors", data="not json", content_type="text/plain"
    )
    problem(response, 401)


def test_changes_are_logged_with_the_admin_token(
    client: FlaskClient, admin: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    ok(client.get("/api/v1/vendors", headers=admin))
    assert "by admin token" not in capsys.readouterr().err
    ok(client.post("/api/v1/vendors", json={"name": "acme"}, headers=admin), 201)
    err = capsys.readouterr().err
    assert "gateway.audit: POST /api/v1/vendors by admin token 'test' (ta_" in err
