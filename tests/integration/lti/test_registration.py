"""Dynamic Registration against a platform on a real local HTTP server."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer

from gateway import create_app
from gateway.lti.platforms import list_registrations
from gateway.lti.toolconfig import SCOPES
from gateway.store import Store
from tests.helpers import make_settings

TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"


def _platform_config(server: HTTPServer, **overrides: Any) -> dict[str, Any]:
    base = server.url_for("").rstrip("/")
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/auth",
        "token_endpoint": f"{base}/token",
        "jwks_uri": f"{base}/jwks",
        "registration_endpoint": f"{base}/register",
        "authorization_server": f"{base}/token-audience",
        "https://purl.imsglobal.org/spec/lti-platform-configuration": {
            "product_family_code": "moodle",
            "messages_supported": [{"type": "LtiResourceLinkRequest"}],
        },
    } | overrides


def test_dynamic_registration_end_to_end(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    bearer = {"Authorization": "Bearer reg-token-1"}
    httpserver.expect_request(
        "/.well-known/openid-configuration", method="GET", headers=bearer
    ).respond_with_json(_platform_config(httpserver))
    granted = " ".join(SCOPES[:2])  # the admin narrowed the scopes
    httpserver.expect_request(
        "/register", method="POST", headers=bearer
    ).respond_with_json(
        {
            "client_id": "dr-client",
            "scope": granted,
            TOOL_CONFIG: {"deployment_id": "7"},
        }
    )
    page = client.get(
        "/lti/register",
        query_string={
            "openid_configuration": httpserver.url_for(
                "/.well-known/openid-configuration"
            ),
            "registration_token": "reg-token-1",
        },
    )
    body = page.get_data(as_text=True)
    assert page.status_code == 200, body
    assert (
        "org.imsglobal.lti.close" in body and "window.opener || window.parent" in body
    )
    assert 'id="fewer-scopes"' in body and SCOPES[3] in body
    [sent] = [r for r, _ in httpserver.log if r.path == "/register"]
    request = sent.get_json()
    assert request["application_type"] == "web"
    assert request["grant_types"] == ["implicit", "client_credentials"]
    assert request["token_endpoint_auth_method"] == "private_key_jwt"
    assert request["initiate_login_uri"] == "http://127.0.0.1:8000/lti/login"
    assert request["redirect_uris"] == ["http://127.0.0.1:8000/lti/launch"]
    assert request["jwks_uri"] == "http://127.0.0.1:8000/.well-known/jwks.json"
    assert request["scope"] == " ".join(SCOPES)
    assert request[TOOL_CONFIG]["messages"][0]["type"] == "LtiResourceLinkRequest"
    [reg] = list_registrations(store)
    assert (reg.client_id, reg.source, reg.scopes) == ("dr-client", "dynamic", granted)
    assert reg.token_audience == httpserver.url_for("/token-audience")
    assert [(d.deployment_id, d.status) for d in reg.deployments] == [("7", "active")]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"issuer": "https://elsewhere.example"}, "not on the host"),
        ({"registration_endpoint": None}, "no registration_endpoint"),
    ],
)
def test_a_bad_platform_configuration_is_refused_with_a_page(
    client: FlaskClient,
    store: Store,
    httpserver: HTTPServer,
    caplog: Any,
    overrides: dict[str, Any],
    message: str,
) -> None:
    caplog.set_level(logging.INFO, logger="gateway.lti")
    httpserver.expect_request("/.well-known/openid-configuration").respond_with_json(
        _platform_config(httpserver, **overrides)
    )
    page = client.get(
        "/lti/register",
        query_string={
            "openid_configuration": httpserver.url_for(
                "/.well-known/openid-configuration"
            )
        },
    )
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert message in page.get_data(as_text=True)
    assert any("check=invalid-payload" in r.getMessage() for r in caplog.records)
    assert list_registrations(store) == []
    assert not [r for r, _ in httpserver.log if r.path == "/register"]


def test_registration_without_the_configuration_url(client: FlaskClient) -> None:
    page = client.get("/lti/register")
    assert page.status_code == 400 and "openid_configuration" in page.get_data(
        as_text=True
    )


def test_private_platform_urls_are_refused_unless_allowed(
    tmp_path: Path, database_url: str, store: Store, httpserver: HTTPServer
) -> None:
    strict = create_app(make_settings(tmp_path, database_url), store).test_client()
    httpserver.expect_request("/.well-known/openid-configuration").respond_with_json(
        _platform_config(httpserver)
    )
    page = strict.get(
        "/lti/register",
        query_string={
            "openid_configuration": httpserver.url_for(
                "/.well-known/openid-configuration"
            )
        },
    )
    assert page.status_code == 400
    assert "TESSERA_ALLOW_PRIVATE_URLS" in page.get_data(as_text=True)
    assert httpserver.log == []


def test_config_json_has_what_an_admin_pastes(client: FlaskClient) -> None:
    config = client.get("/lti/config.json").json
    assert config is not None
    assert config["oidc_initiation_url"] == "http://127.0.0.1:8000/lti/login"
    assert config["target_link_uri"] == "http://127.0.0.1:8000/lti/launch"
    assert config["redirect_uris"] == ["http://127.0.0.1:8000/lti/launch"]
    assert config["public_jwk_url"] == "http://127.0.0.1:8000/.well-known/jwks.json"
    assert set(config["scopes"]) == set(SCOPES)
    assert {m["type"] for m in config["messages"]} == {
        "LtiResourceLinkRequest",
        "LtiDeepLinkingRequest",
    }
    assert "email" in config["claims"] and config["messages"][0]["placements"]
