"""Platforms through the admin API and `tessera platform add|list|remove|approve`."""

from __future__ import annotations

import json
from datetime import timedelta

from click.testing import CliRunner, Result
from flask.testing import FlaskClient

from gateway.cli import cli
from gateway.keys import active_key, ensure_keys, list_keys, public_jwks, rotate_key
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import utcnow
from tests.helpers import settings_env

PLATFORM = {
    "issuer": "https://canvas.instructure.com",
    "client_id": "10000000000001",
    "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
    "jwks_url": "https://sso.canvaslms.com/api/lti/security/jwks",
}


def test_platforms_api(client: FlaskClient, admin: dict[str, str]) -> None:
    created = client.post(
        "/api/v1/platforms",
        json=PLATFORM | {"deployment_ids": ["189:abc"], "deployment_policy": "approve"},
        headers=admin,
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert body is not None and body["source"] == "manual"
    assert created.headers["Location"] == f"/api/v1/platforms/{body['id']}"
    # Canvas: one issuer, many client ids.
    second = client.post(
        "/api/v1/platforms", json=PLATFORM | {"client_id": "2"}, headers=admin
    )
    assert second.status_code == 201
    dup = client.post("/api/v1/platforms", json=PLATFORM, headers=admin)
    assert dup.status_code == 409
    listed = client.get("/api/v1/platforms", headers=admin).json
    assert listed is not None and len(listed["items"]) == 2
    pid = body["id"]
    put = client.put(
        f"/api/v1/platforms/{pid}/deployments/189:new", json={}, headers=admin
    )
    assert put.status_code == 200 and put.json["status"] == "active"  # type: ignore[index]
    one = client.get(f"/api/v1/platforms/{pid}", headers=admin).json
    assert one is not None
    assert [d["deployment_id"] for d in one["deployments"]] == ["189:abc", "189:new"]
    gone = client.delete(f"/api/v1/platforms/{pid}/deployments/189:abc", headers=admin)
    assert gone.status_code == 204
    assert client.delete(f"/api/v1/platforms/{pid}", headers=admin).status_code == 204
    assert client.get(f"/api/v1/platforms/{pid}", headers=admin).status_code == 404
    assert client.get("/api/v1/platforms").status_code == 401


def test_platform_urls_must_be_https_and_public(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    for field, url in (
        ("jwks_url", "http://sso.canvaslms.com/jwks"),
        ("auth_token_url", "https://169.254.169.254/latest/meta-data"),
        ("auth_login_url", "https://127.0.0.1/auth"),
    ):
        refused = client.post(
            "/api/v1/platforms", json=PLATFORM | {field: url}, headers=admin
        )
        assert refused.status_code == 400, field
        assert refused.json["type"] == "urn:tessera:problem:unsafe-url"  # type: ignore[index]


def _run(settings: Settings, *args: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=settings_env(settings) | env)


def test_platform_cli(settings: Settings, store: Store) -> None:
    args = [
        "platform",
        "add",
        "--issuer",
        PLATFORM["issuer"],
        "--client-id",
        PLATFORM["client_id"],
        "--auth-login-url",
        PLATFORM["auth_login_url"],
        "--auth-token-url",
        PLATFORM["auth_token_url"],
        "--jwks-url",
        PLATFORM["jwks_url"],
        "--deployment-id",
        "1",
        "--deployment-id",
        "2",
    ]
    added = _run(settings, *args, "--json")
    assert added.exit_code == 0, added.output
    assert [d["deployment_id"] for d in json.loads(added.stdout)["deployments"]] == [
        "1",
        "2",
    ]
    again = _run(settings, *args)
    assert again.exit_code == 1 and "already registered" in again.stderr
    listed = json.loads(_run(settings, "platform", "list", "--json").stdout)
    assert [p["client_id"] for p in listed] == [PLATFORM["client_id"]]
    text = _run(settings, "platform", "list").stdout
    assert PLATFORM["issuer"] in text and "1 (active)" in text
    approved = _run(settings, "platform", "approve", PLATFORM["issuer"], "3", "--json")
    assert approved.exit_code == 0 and json.loads(approved.stdout)["status"] == "active"
    removed = _run(settings, "platform", "remove", PLATFORM["issuer"], "--json")
    assert removed.exit_code == 0, removed.output
    assert json.loads(removed.stdout)["issuer"] == PLATFORM["issuer"]
    assert json.loads(_run(settings, "platform", "list", "--json").stdout) == []
    missing = _run(settings, "platform", "remove", "https://nowhere.example")
    assert missing.exit_code == 1 and "No platform registration" in missing.stderr


def test_platform_cli_refuses_http_unless_private_urls_are_allowed(
    settings: Settings,
) -> None:
    args = [
        "platform",
        "add",
        "--issuer",
        "http://localhost:9000",
        "--client-id",
        "c",
        "--auth-login-url",
        "http://localhost:9000/auth",
        "--auth-token-url",
        "http://localhost:9000/token",
        "--jwks-url",
        "http://localhost:9000/jwks",
    ]
    refused = _run(settings, *args)
    assert refused.exit_code == 1 and "not https" in refused.stderr
    allowed = _run(settings, *args, TESSERA_ALLOW_PRIVATE_URLS="1")
    assert allowed.exit_code == 0, allowed.output


def test_key_rotation_publishes_before_signing_and_unpublishes_after(
    store: Store,
) -> None:
    ensure_keys(store)
    old = active_key(store, "lti")
    assert old is not None
    new = rotate_key(store, "lti", publish_lead=timedelta(hours=1))
    # Published at once, but the old key keeps signing until the lead has passed.
    kids = {k["kid"] for k in public_jwks(store)["keys"]}
    assert {old.kid, new.kid} <= kids
    signer = active_key(store, "lti")
    assert signer is not None and signer.kid == old.kid
    # After the lead: the new key signs; the old one stays published an hour more.
    later = utcnow() + timedelta(hours=1, minutes=1)
    assert old.kid in {k["kid"] for k in public_jwks(store, now=later)["keys"]}
    much_later = utcnow() + timedelta(hours=2, minutes=5)
    published = {k["kid"] for k in public_jwks(store, now=much_later)["keys"]}
    assert old.kid not in published and new.kid in published
    credentials = [k.kid for k in list_keys(store) if k.purpose == "credentials"]
    assert set(credentials) <= published  # credential keys are never unpublished
    # Without a lead the new key signs at once.
    newest = rotate_key(store, "lti")
    signer = active_key(store, "lti")
    assert signer is not None and signer.kid == newest.kid
