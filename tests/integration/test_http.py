from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from gateway import create_app
from gateway.settings import Settings
from gateway.store import Store
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from tests.helpers import make_settings


def _basic(key: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_healthz_reports_a_ready_store(client: FlaskClient, backend: str) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["status"] == "ok"
    assert response.json["store"]["dialect"] == backend
    assert response.json["store"]["schema"] == "ready"
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_is_down(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/none")
    response = create_app(settings).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["store"]["reachable"] is False
    assert "error" in response.json["store"]


def test_database_down_during_a_request_is_503_with_retry_after(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/none")
    response = (
        create_app(settings).test_client().get("/whoami", headers=_basic("tx_a", "s"))
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.mimetype == "application/problem+json"
    assert "nothing from this request was stored" in response.json["detail"]  # type: ignore[index]


def test_unknown_path_is_a_problem_document(client: FlaskClient) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body is not None
    assert body["status"] == 404 and body["title"] == "Not Found"
    assert body["instance"] == "/no/such/thing"
    assert body["request_id"] == response.headers["X-Request-ID"]


def test_wrong_method_keeps_the_allow_header(client: FlaskClient) -> None:
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.mimetype == "application/problem+json"


def test_oversized_body_is_413_naming_the_limit(tmp_path: Path, store: Store) -> None:
    settings = make_settings(
        tmp_path, store.engine.url.render_as_string(False), max_body_bytes=2048
    )
    app = create_app(settings, store)

    @app.post("/echo-size")
    def echo_size() -> dict[str, int]:
        return {"n": len(request.get_data())}

    client = app.test_client()
    assert client.post("/echo-size", data=b"x" * 2048).json == {"n": 2048}
    response = client.post("/echo-size", data=b"x" * 2049)
    assert response.status_code == 413
    assert "2048 bytes" in response.json["detail"]  # type: ignore[index]
    assert "TESSERA_MAX_BODY_BYTES" in response.json["detail"]  # type: ignore[index]


def test_request_id_is_taken_from_the_proxy_or_made(client: FlaskClient) -> None:
    assert (
        client.get("/healthz", headers={"X-Request-ID": "lb-42"}).headers[
            "X-Request-ID"
        ]
        == "lb-42"
    )
    made = client.get("/healthz", headers={"X-Request-ID": "bad id;"}).headers[
        "X-Request-ID"
    ]
    assert made != "bad id;" and len(made) == 32


def test_every_log_line_of_a_request_carries_its_id(
    settings: Settings, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    from dataclasses import replace

    app = create_app(replace(settings, log_json=True), store)

    @app.get("/chatty")
    def chatty() -> str:
        logging.getLogger("gateway.test").warning("inside the view")
        return "ok"

    capsys.readouterr()
    rid = (
        app.test_client()
        .get("/chatty", headers={"X-Request-ID": "req-7"})
        .headers["X-Request-ID"]
    )
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 2
    assert lines[0]["message"] == "inside the view"
    assert lines[1]["message"].startswith("GET /chatty 200 ")
    assert all(e["request_id"] == rid == "req-7" for e in lines)
    assert lines[1]["status"] == 200 and lines[1]["path"] == "/chatty"


def test_unexpected_errors_are_500_problems_and_logged(
    app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    @app.get("/explode")
    def explode() -> str:
        raise ZeroDivisionError("secret internals")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    body = response.json
    assert body is not None and "secret internals" not in json.dumps(body)
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert "ZeroDivisionError: secret internals" in capsys.readouterr().err


def test_proxy_headers_are_ignored_unless_trusted(tmp_path: Path, store: Store) -> None:
    url = store.engine.url.render_as_string(False)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tessera.example.edu"}
    for trusted, expected in [
        (0, "http://localhost/"),
        (1, "https://tessera.example.edu/"),
    ]:
        app = create_app(make_settings(tmp_path, url, trusted_proxies=trusted), store)

        @app.get("/where")
        def where() -> str:
            return request.host_url

        assert app.test_client().get("/where", headers=headers).text == expected


def test_whoami_accepts_basic_and_bearer_credentials(
    client: FlaskClient, store: Store
) -> None:
    _, creds = add_vendor(store, "acme")
    xapi = next(c for c in creds if c.kind is CredentialKind.XAPI_BASIC)
    caliper = next(c for c in creds if c.kind is CredentialKind.CALIPER_BEARER)

    response = client.get("/whoami", headers=_basic(xapi.key, xapi.secret))
    assert response.status_code == 200
    assert response.json == {
        "vendor": "acme",
        "credential": {"kind": "xapi_basic", "key": xapi.key},
        "scopes": sorted(xapi.scopes),
    }
    response = client.get(
        "/whoami", headers={"Authorization": f"Bearer {caliper.bearer_token}"}
    )
    assert response.status_code == 200 and response.json["vendor"] == "acme"  # type: ignore[index]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": "Bearer nodot"},
        {"Authorization": "Bearer tc_x.wrong"},
        {"Authorization": "Digest username=x"},
    ],
)
def test_whoami_rejects_missing_or_bad_credentials(
    client: FlaskClient, store: Store, headers: dict[str, str]
) -> None:
    add_vendor(store, "acme")
    response = client.get("/whoami", headers=headers)
    assert response.status_code == 401
    assert "Basic" in response.headers["WWW-Authenticate"]
    assert response.mimetype == "application/problem+json"


def test_xapi_secret_is_not_a_bearer_token(client: FlaskClient, store: Store) -> None:
    _, creds = add_vendor(store, "acme")
    xapi = next(c for c in creds if c.kind is CredentialKind.XAPI_BASIC)
    response = client.get(
        "/whoami", headers={"Authorization": f"Bearer {xapi.key}.{xapi.secret}"}
    )
    assert response.status_code == 401


def test_jwks_publishes_public_keys_only(client: FlaskClient, store: Store) -> None:
    from gateway.keys import ensure_keys, rotate_key

    ensure_keys(store)
    first = client.get("/.well-known/jwks.json").json
    assert (
        first is not None and len(first["keys"]) == 3
    )  # lti, credentials, credentials-jwt
    assert all("d" not in k for k in first["keys"])
    new = rotate_key(store, "lti")
    keys = client.get("/.well-known/jwks.json").json["keys"]  # type: ignore[index]
    kids = [k["kid"] for k in keys]
    assert new.kid in kids and all(k["kid"] in kids for k in first["keys"])
