from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from sqlalchemy import select, update

from gateway import create_app
from gateway.api.tokens import (
    authenticate_admin,
    create_admin_token,
    list_admin_tokens,
    revoke_admin_token,
)
from gateway.cli import cli
from gateway.errors import Conflict, InvalidPayload, NotFound
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import admin_tokens, metadata, utcnow
from gateway.vendors import add_vendor, credentials_to_json
from tests.helpers import make_settings, settings_env


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(
        cli, list(args), env=settings_env(settings), catch_exceptions=False
    )


def _json(result: Result) -> dict[str, object] | list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    out: dict[str, object] | list[dict[str, object]] = json.loads(result.stdout)
    return out


# --- The service. --------------------------------------------------------------------


def test_a_token_is_stored_only_as_a_digest(store: Store) -> None:
    info, token = create_admin_token(store, "ci")
    key, secret = token.split(".", 1)
    assert key == info.key and key.startswith("ta_") and len(secret) >= 43
    dump = []
    with store.read() as conn:
        for table in metadata.sorted_tables:
            dump += [repr(tuple(row)) for row in conn.execute(select(table))]
        stored = conn.execute(select(admin_tokens)).one()
    assert not any(secret in line for line in dump)
    assert stored.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.scopes == "admin"


def test_authentication_refuses_wrong_revoked_and_expired_tokens(store: Store) -> None:
    info, token = create_admin_token(store, "ci", expires_in=timedelta(days=1))
    key, secret = token.split(".", 1)
    with store.read() as conn:
        principal = authenticate_admin(conn, token)
        assert principal is not None
        assert (principal.name, principal.key) == ("ci", key)
        assert principal.scopes == {"admin"}
        assert authenticate_admin(conn, f"{key}.{secret[:-1]}x") is None
        assert authenticate_admin(conn, f"ta_unknown.{secret}") is None
        assert authenticate_admin(conn, secret) is None
    with store.write() as conn:
        conn.execute(
            update(admin_tokens).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    with store.read() as conn:
        assert authenticate_admin(conn, token) is None
    _, other = create_admin_token(store, "other")
    revoke_admin_token(store, "other")
    with store.read() as conn:
        assert authenticate_admin(conn, other) is None


def test_a_vendor_token_is_not_an_admin_token(store: Store) -> None:
    _, creds = add_vendor(store, "acme")
    caliper = credentials_to_json(creds)["caliper"]["token"]
    with store.read() as conn:
        assert authenticate_admin(conn, caliper) is None


def test_scopes_names_and_lifetimes_are_checked(store: Store) -> None:
    with pytest.raises(InvalidPayload, match="scope 'root' does not exist"):
        create_admin_token(store, "x", scopes=("root",))
    with pytest.raises(InvalidPayload, match="at least one scope"):
        create_admin_token(store, "x", scopes=())
    with pytest.raises(InvalidPayload, match="printable characters"):
        create_admin_token(store, "  ")
    with pytest.raises(InvalidPayload, match="must be positive"):
        create_admin_token(store, "x", expires_in=timedelta(0))
    info, _ = create_admin_token(store, "registrar", scopes=("records", "records"))
    assert info.scopes == ("records",)
    with pytest.raises(Conflict, match="named 'registrar' exists already"):
        create_admin_token(store, "registrar")


def test_revoke_by_key_or_name_and_list(store: Store) -> None:
    first, _ = create_admin_token(store, "one")
    second, _ = create_admin_token(store, "two")
    assert [t.name for t in list_admin_tokens(store)] == ["one", "two"]
    assert revoke_admin_token(store, first.key).status() == "revoked"
    assert revoke_admin_token(store, "two").key == second.key
    assert list_admin_tokens(store) == []
    assert {t.status() for t in list_admin_tokens(store, include_revoked=True)} == {
        "revoked"
    }
    with pytest.raises(NotFound, match="'two'"):
        revoke_admin_token(store, "two")
    # A revoked token frees its name.
    assert create_admin_token(store, "two")[0].key != second.key


# --- Over HTTP. ----------------------------------------------------------------------


def _problem(response: object, status: int) -> dict[str, object]:
    from werkzeug.test import TestResponse

    assert isinstance(response, TestResponse)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert isinstance(body, dict) and body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"].endswith(".")
    return body


def test_no_token_is_401_with_a_bearer_challenge(client: FlaskClient) -> None:
    response = client.get("/api/v1/vendors")
    body = _problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="Tessera admin"'
    assert "was not given" in str(body["detail"])


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer ta_nope.secret",
        "Bearer nonsense",
        "Basic dGFfeDp5",
        "Bearer " + "x" * 2000,
    ],
)
def test_a_bad_token_is_401(client: FlaskClient, authorization: str) -> None:
    response = client.get("/api/v1/vendors", headers={"Authorization": authorization})
    _problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="Tessera admin"'


def test_revoked_and_vendor_tokens_are_401(client: FlaskClient, store: Store) -> None:
    _, token = create_admin_token(store, "ci")
    assert client.get("/api/v1/vendors", headers=_bearer(token)).status_code == 200
    revoke_admin_token(store, "ci")
    _problem(client.get("/api/v1/vendors", headers=_bearer(token)), 401)
    _, creds = add_vendor(store, "acme")
    caliper = credentials_to_json(creds)["caliper"]["token"]
    _problem(client.get("/api/v1/vendors", headers=_bearer(caliper)), 401)


def test_a_records_token_may_not_administer_vendors(
    client: FlaskClient, store: Store
) -> None:
    _, token = create_admin_token(store, "registrar", scopes=("records",))
    response = client.get("/api/v1/vendors", headers=_bearer(token))
    body = _problem(response, 403)
    assert "needs 'admin'" in str(body["detail"])
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_whoami_shows_any_valid_token_itself(client: FlaskClient, store: Store) -> None:
    info, token = create_admin_token(
        store, "registrar", scopes=("records",), expires_in=timedelta(days=90)
    )
    response = client.get("/api/v1/whoami", headers=_bearer(token))
    assert response.status_code == 200
    assert response.json == {
        "name": "registrar",
        "key": info.key,
        "scopes": ["records"],
        "expires_at": info.expires_at.isoformat() if info.expires_at else "missing",
    }
    _, admin = create_admin_token(store, "root")
    response = client.get("/api/v1/whoami", headers=_bearer(admin))
    assert response.json is not None and response.json["expires_at"] is None
    _problem(client.get("/api/v1/whoami"), 401)


def test_the_document_needs_no_token(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json is not None and response.json["openapi"] == "3.1.0"


# --- The command line. ---------------------------------------------------------------


def test_admin_token_commands(settings: Settings, store: Store) -> None:
    made = _json(
        _run(settings, "admin-token", "create", "ci", "--expires-in", "90d", "--json")
    )
    assert isinstance(made, dict)
    token = str(made["token"])
    assert made["scopes"] == ["admin"] and made["status"] == "active"
    assert made["expires_at"] is not None
    client = create_app(settings, store).test_client()
    assert client.get("/api/v1/vendors", headers=_bearer(token)).status_code == 200

    secret = token.split(".", 1)[1]
    listing = _run(settings, "admin-token", "list", "--json")
    assert secret not in listing.stdout
    assert [t["name"] for t in json.loads(listing.stdout)] == ["ci"]
    text = _run(settings, "admin-token", "list").stdout
    assert "ci" in text and made["key"] in text and secret not in text

    registrar = _json(
        _run(settings, "admin-token", "create", "reg", "--scope", "records", "--json")
    )
    assert isinstance(registrar, dict) and registrar["scopes"] == ["records"]

    revoked = _json(_run(settings, "admin-token", "revoke", str(made["key"]), "--json"))
    assert isinstance(revoked, dict) and revoked["status"] == "revoked"
    assert client.get("/api/v1/vendors", headers=_bearer(token)).status_code == 401
    remaining = _json(_run(settings, "admin-token", "list", "--json"))
    assert isinstance(remaining, list) and [t["name"] for t in remaining] == ["reg"]


def test_admin_token_command_errors(settings: Settings) -> None:
    bad_scope = _run(settings, "admin-token", "create", "x", "--scope", "root")
    assert bad_scope.exit_code == 2 and "'root' is not one of" in bad_scope.stderr
    bad_life = _run(settings, "admin-token", "create", "x", "--expires-in", "soon")
    assert bad_life.exit_code == 2 and "90s or 24h" in bad_life.stderr
    assert _run(settings, "admin-token", "create", "x").exit_code == 0
    dup = _run(settings, "admin-token", "create", "x")
    assert dup.exit_code == 1 and "exists already" in dup.stderr
    ghost = _run(settings, "admin-token", "revoke", "ghost")
    assert ghost.exit_code == 1 and "No unrevoked admin token" in ghost.stderr


def test_init_prints_the_first_admin_token_once(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "new")
    first = _json(_run(settings, "init", "--json"))
    assert isinstance(first, dict) and isinstance(first["admin_token"], str)
    token = first["admin_token"]
    again = _json(_run(settings, "init", "--json"))
    assert isinstance(again, dict) and again["admin_token"] is None
    text = _run(settings, "init").stdout
    assert "ta_" not in text

    store = Store.from_settings(settings)
    try:
        [made] = list_admin_tokens(store)
        assert (made.name, made.scopes) == ("initial", ("admin",))
        assert token.startswith(made.key + ".")
        client = create_app(settings, store).test_client()
        assert client.get("/api/v1/vendors", headers=_bearer(token)).status_code == 200
        # Revoking the first token does not make init mint another.
        revoke_admin_token(store, "initial")
        third = _json(_run(settings, "init", "--json"))
        assert isinstance(third, dict) and third["admin_token"] is None
        assert list_admin_tokens(store) == []
    finally:
        store.dispose()


def test_init_text_output_shows_the_token(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "new")
    result = _run(settings, "init")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if "Admin token" in x)
    token = line.rsplit(" ", 1)[1]
    assert token.startswith("ta_") and "." in token
    assert "shown once" in result.stdout
