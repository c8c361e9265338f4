"""Helpers for the admin API tests: response checks and payloads that reach the pipeline."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from gateway.intake.pipeline import Incoming, RecordOutcome, ingest, vendor_context
from gateway.store import Store

ADL = "http://adlnet.gov/expapi/verbs/"
V1 = "1.0.3"
V2 = "2.0.0"


def ok(response: TestResponse, status: int = 200) -> Any:
    """The JSON body of a response that must have ``status``."""
    assert response.status_code == status, response.get_data(as_text=True)
    return response.json


def problem(response: TestResponse, status: int) -> dict[str, Any]:
    """The problem document of an error response with ``status``."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert isinstance(body, dict) and body["status"] == status
    assert body["instance"] == response.request.path
    return body


def make_statement(
    statement_id: str,
    *,
    email: str = "ada@school.example",
    activity: str = "https://vendor.example/quiz/7",
    scaled: float = 0.8,
    verb: str = "scored",
    timestamp: str = "2026-11-01T10:00:00Z",
) -> dict[str, Any]:
    """An xAPI statement the standard adapter turns into one observation."""
    return {
        "id": statement_id,
        "actor": {"objectType": "Agent", "name": "Ada", "mbox": f"mailto:{email}"},
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": activity},
        "result": {"score": {"scaled": scaled}},
        "timestamp": timestamp,
    }


def send_statements(
    store: Store,
    vendor_id: str,
    *statements: dict[str, Any],
    received_at: datetime | None = None,
) -> list[RecordOutcome]:
    """Ingest xAPI statements from a vendor, as the LRS endpoint does."""
    with store.write() as conn:
        return ingest(
            conn,
            vendor_context(conn, vendor_id),
            "xapi",
            [Incoming(s["id"], json.dumps(s), s) for s in statements],
            received_at=received_at,
        )


def basic_auth_headers(
    store: Store, vendor: str, scopes: str | None = None
) -> dict[str, str]:
    """A new vendor's xAPI HTTP Basic header, its credential given ``scopes`` if named."""
    from sqlalchemy import update

    from gateway.store.tables import vendor_credentials
    from gateway.vendors import add_vendor
    from gateway.vendors.credentials import CredentialKind

    _, creds = add_vendor(store, vendor)
    basic = next(c for c in creds if c.kind is CredentialKind.XAPI_BASIC)
    if scopes is not None:
        with store.write() as conn:
            conn.execute(
                update(vendor_credentials)
                .where(vendor_credentials.c.key == basic.key)
                .values(scopes=scopes)
            )
    token = base64.b64encode(f"{basic.key}:{basic.secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


class Lrs:
    """A vendor talking to the LRS through the test client."""

    def __init__(self, client: FlaskClient, auth: dict[str, str]) -> None:
        self.client = client
        self.auth = auth

    def headers(self, version: str | None = V2) -> dict[str, str]:
        out = dict(self.auth)
        if version is not None:
            out["X-Experience-API-Version"] = version
        return out

    def post(self, body: Any, version: str | None = V2, **query: str) -> TestResponse:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            "/xapi/statements",
            data=data,
            query_string=query,
            headers=self.headers(version),
            content_type="application/json",
        )

    def put(self, body: Any, statement_id: str, version: str = V2) -> TestResponse:
        return self.client.put(
            "/xapi/statements",
            data=json.dumps(body),
            query_string={"statementId": statement_id},
            headers=self.headers(version),
            content_type="application/json",
        )

    def get(self, version: str | None = V2, **query: str) -> TestResponse:
        return self.client.get(
            "/xapi/statements", query_string=query, headers=self.headers(version)
        )

    def query(self, **query: str) -> dict[str, Any]:
        response = self.get(**query)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.json
        assert isinstance(body, dict)
        return body

    def ids(self, **query: str) -> list[str]:
        return [s["id"] for s in self.query(**query)["statements"]]
