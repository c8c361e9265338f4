"""Secrets never reach the log: credentials, tokens, id_tokens, webhook keys, private keys.

Everything is logged at DEBUG while a vendor posts xAPI (Basic) and Caliper (Bearer), an
admin token is used and refused, a platform launches (its signed id_token in the form), and a
webhook with its HMAC secret is delivered to by a real worker; then no secret may appear in
any log line, including the ones of libraries (requests, urllib3, werkzeug).
"""

from __future__ import annotations

import base64
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer

from gateway.api.tokens import create_admin_token
from gateway.keys import ensure_keys
from gateway.outbox.destinations import add_destination
from gateway.outbox.worker import Worker
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import signing_keys
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from tests.api_helpers import make_statement
from tests.builders import seed_competencies
from tests.delivery_helpers import Sink, all_settled, drain, seed_people, set_level
from tests.helpers import make_settings
from tests.lti_peers import EvilPlatform, launch, login


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return replace(
        make_settings(tmp_path, database_url, allow_private_urls=True),
        delivery_backoff_ms=20,
        log_level="DEBUG",
    )


def test_no_secret_appears_in_any_log_line(
    client: FlaskClient,
    store: Store,
    settings: Settings,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets: list[str] = []

    _, creds = add_vendor(store, "acme")
    basic = next(c for c in creds if c.kind is CredentialKind.XAPI_BASIC)
    bearer = next(c for c in creds if c.kind is CredentialKind.CALIPER_BEARER)
    secrets += [basic.secret, bearer.secret]
    b64 = base64.b64encode(f"{basic.key}:{basic.secret}".encode()).decode()
    secrets.append(b64)
    statement = make_statement("5e000000-0000-4000-8000-000000000001")
    headers = {"Authorization": f"Basic {b64}", "X-Experience-API-Version": "2.0.0"}
    assert (
        client.post("/xapi/statements", json=statement, headers=headers).status_code
        == 200
    )
    wrong = base64.b64encode(f"{basic.key}:{basic.secret}x".encode()).decode()
    secrets.append(wrong)
    assert (
        client.post(
            "/xapi/statements",
            json=statement,
            headers=headers | {"Authorization": f"Basic {wrong}"},
        ).status_code
        == 401
    )
    caliper = {"Authorization": f"Bearer {bearer.key}.{bearer.secret}"}
    assert (
        client.post("/caliper", json={"sensor": "x"}, headers=caliper).status_code
        == 400
    )

    _, token = create_admin_token(store, "ops")
    secrets.append(token.split(".", 1)[1])
    assert (
        client.get(
            "/api/v1/vendors", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )
    assert (
        client.get(
            "/api/v1/vendors", headers={"Authorization": f"Bearer {token}x"}
        ).status_code
        == 401
    )

    ensure_keys(store)
    evil = EvilPlatform(httpserver)
    evil.register(store)
    started = login(client)
    id_token = evil.sign(evil.claims(started.nonce, sub="kid-1"))
    secrets += [id_token, id_token.rsplit(".", 1)[1], started.state]
    launched = launch(client, id_token, started.state)
    assert launched.status_code == 303, launched.get_data(as_text=True)
    launch_id = launched.headers["Location"].rsplit("/", 1)[1]
    secrets.append(launch_id)  # a bearer secret too: the page URL
    assert client.get(launched.headers["Location"]).status_code == 200

    sink = Sink()
    httpserver.expect_request("/hook", method="POST").respond_with_handler(sink)
    _, hook_secret = add_destination(
        store, "hook", "webhook", {"url": httpserver.url_for("/hook")}
    )
    assert hook_secret is not None
    secrets.append(hook_secret)
    seed_competencies(store, [("c1000000-0000-4000-8000-000000000001", None)])
    [learner] = seed_people(store, 1)
    set_level(store, learner, "c1000000-0000-4000-8000-000000000001", "mastery")
    drain(Worker(store, settings, name="w1"), all_settled(store))
    assert sink.received, "the webhook was never delivered to"

    with store.read() as conn:
        pems = [r.private_pem for r in conn.execute(signing_keys.select())]
    secrets += [
        line for pem in pems for line in pem.splitlines()[1:-1] if len(line) > 20
    ]

    text = caplog.text
    assert len(caplog.records) > 10, "nothing was logged: the check would prove nothing"
    leaked = [s[:12] + "..." for s in secrets if s and s in text]
    assert not leaked, f"secrets found in the log: {leaked}"
    assert "PRIVATE KEY" not in text
