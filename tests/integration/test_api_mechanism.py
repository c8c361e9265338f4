"""The declaration mechanism of gateway.api, through operations declared here for the test."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate as validate_spec

from gateway import create_app
from gateway.api.openapi import ApiGroup, Param, Reply
from gateway.api.tokens import create_admin_token
from gateway.settings import Settings
from gateway.store import Store

api = ApiGroup("things", "Things, declared by a test.")


@api.operation(
    "GET",
    "/things",
    summary="List things",
    scope="records",
    params=[
        Param("kind", {"type": "string", "enum": ["a", "b"]}),
        Param("verbose", {"type": "boolean", "default": False}),
        Param("ratio", {"type": "number", "minimum": 0, "maximum": 1}),
    ],
)
def list_things(kind: str | None, verbose: bool, ratio: float | None) -> dict[str, Any]:
    """Echo the query parameters as the view received them."""
    return {"kind": kind, "verbose": verbose, "ratio": ratio}


@api.operation(
    "POST",
    "/things",
    summary="Make a thing",
    status=201,
    request_schema={
        "type": "object",
        "required": ["label"],
        "properties": {"label": {"type": "string"}},
    },
)
def create_thing(body: dict[str, Any]) -> Reply:
    """Echo the body with a Location."""
    return Reply(body, {"Location": "/api/v1/things/1"})


@api.operation("GET", "/ping", summary="Ping", scope=None)
def ping() -> dict[str, str]:
    """Public."""
    return {"pong": "yes"}


@pytest.fixture
def app(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setattr("gateway.api.GROUP_MODULES", ("gateway.api.vendors", __name__))
    return create_app(settings, store)


def _bearer(store: Store, name: str, scope: str) -> dict[str, str]:
    _, token = create_admin_token(store, name, scopes=(scope,))
    return {"Authorization": f"Bearer {token}"}


def test_a_records_operation_admits_records_and_admin_tokens_only(
    client: FlaskClient, store: Store
) -> None:
    records = _bearer(store, "registrar", "records")
    admin = _bearer(store, "root", "admin")
    assert client.get("/api/v1/things", headers=records).status_code == 200
    assert client.get("/api/v1/things", headers=admin).status_code == 200
    assert client.head("/api/v1/things", headers=admin).status_code == 200
    assert client.head("/api/v1/things").status_code == 401
    made = client.post("/api/v1/things", json={"label": "x"}, headers=records)
    assert made.status_code == 403
    made = client.post("/api/v1/things", json={"label": "x"}, headers=admin)
    assert made.status_code == 201 and made.json == {"label": "x"}
    assert made.headers["Location"] == "/api/v1/things/1"
    assert made.headers["Cache-Control"] == "no-store"


def test_query_parameters_arrive_converted(client: FlaskClient, store: Store) -> None:
    admin = _bearer(store, "root", "admin")
    assert client.get("/api/v1/things", headers=admin).json == {
        "kind": None,
        "verbose": False,
        "ratio": None,
    }
    response = client.get(
        "/api/v1/things?kind=b&verbose=true&ratio=0.25", headers=admin
    )
    assert response.json == {"kind": "b", "verbose": True, "ratio": 0.25}
    for query, words in [
        ("kind=c", "Query parameter 'kind' must be one of 'a', 'b'."),
        ("verbose=yes", "Query parameter 'verbose' must be true or false"),
        ("ratio=2", "Query parameter 'ratio' must be at most 1."),
        ("ratio=nan", "must be a finite number"),
    ]:
        refused = client.get(f"/api/v1/things?{query}", headers=admin)
        assert refused.status_code == 400
        assert words in refused.json["detail"]  # type: ignore[index]


def test_json_variants_are_accepted(client: FlaskClient, store: Store) -> None:
    admin = _bearer(store, "root", "admin")
    made = client.post(
        "/api/v1/things",
        data='{"label": "y"}',
        content_type="application/merge-patch+json",
        headers=admin,
    )
    assert made.status_code == 201 and made.json == {"label": "y"}


def test_public_operations_need_no_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/ping").json == {"pong": "yes"}


def test_declared_operations_are_documented(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    assert doc is not None
    validate_spec(doc)
    assert doc["paths"]["/things"]["get"]["security"] == [{"bearerAuth": ["records"]}]
    assert doc["paths"]["/ping"]["get"]["security"] == []
    assert [t["name"] for t in doc["tags"]] == ["meta", "vendors", "things"]
    assert {"401", "403"}.isdisjoint(doc["paths"]["/ping"]["get"]["responses"])


def test_bad_declarations_are_refused() -> None:
    group = ApiGroup("bad", "Bad.")
    with pytest.raises(ValueError, match="reserved"):
        group.operation("GET", "/x", summary="X", params=[Param("body")])
    with pytest.raises(ValueError, match="no {id} in the path"):
        group.operation("GET", "/x", summary="X", params=[Param("id", location="path")])
    with pytest.raises(ValueError, match="the type must be one of"):
        group.operation(
            "GET", "/x", summary="X", params=[Param("ids", {"type": "array"})]
        )
    with pytest.raises(ValueError, match="declared twice"):
        group.operation(
            "GET", "/x", summary="X", params=[Param("limit")], paginated=True
        )
