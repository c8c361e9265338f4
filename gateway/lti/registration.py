"""LTI Dynamic Registration 1.0: the platform opens ``/lti/register``; Tessera registers itself.

Steps (DR 1.0 sections 3.3-3.6; lti13.md section 3): fetch the platform's OpenID configuration
*with* the registration token as a bearer token (Canvas requires it; ltijs and pylti1p3next
omit it), check that its issuer is on the configuration URL's host, POST Tessera's client
registration with the same token, and store the client id (and the deployment id Moodle
returns). Every URL goes through the outbound safety rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from gateway.errors import InvalidPayload, UpstreamUnavailable
from gateway.lti.platforms import NewRegistration, Registration, add_registration
from gateway.lti.toolconfig import SCOPES, registration_request
from gateway.outbound import SafeSession, check_url
from gateway.store import Store

PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"


@dataclass(frozen=True, slots=True)
class DynamicRegistration:
    """The outcome: the stored registration and the scopes the platform left out."""

    registration: Registration
    deployment_id: str | None
    missing_scopes: tuple[str, ...]


def check_platform_config(config_url: str, config: Any) -> dict[str, Any]:
    """The platform configuration, checked (DR 1.0 section 3.5.1): issuer on the URL's host."""
    if not isinstance(config, Mapping):
        raise InvalidPayload(
            "The platform's OpenID configuration is not a JSON object."
        )
    issuer = config.get("issuer")
    if not isinstance(issuer, str) or not issuer:
        raise InvalidPayload("The platform's OpenID configuration names no issuer.")
    if urlsplit(issuer).hostname != urlsplit(config_url).hostname:
        raise InvalidPayload(
            f"The platform's issuer {issuer} is not on the host of its configuration URL "
            f"({config_url}); Dynamic Registration 1.0 section 3.5.1 requires it."
        )
    for name in (
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
        "registration_endpoint",
    ):
        if not isinstance(config.get(name), str) or not config[name]:
            raise InvalidPayload(
                f"The platform's OpenID configuration has no {name}; Tessera cannot "
                "register itself there."
            )
    return dict(config)


def register_dynamically(
    store: Store,
    session: SafeSession,
    *,
    base_url: str,
    config_url: str,
    registration_token: str | None,
    allow_private: bool,
) -> DynamicRegistration:
    """Run Dynamic Registration against the platform at ``config_url``."""
    check_url(config_url, allow_private=allow_private, what="openid_configuration URL")
    if urlsplit(config_url).fragment:
        raise InvalidPayload("The openid_configuration URL must not have a fragment.")
    auth = (
        {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    )
    config = check_platform_config(
        config_url, _json(session, "GET", config_url, headers=auth)
    )
    check_url(config["issuer"], allow_private=allow_private, what="issuer")
    product = (config.get(PLATFORM_CONFIG) or {}).get("product_family_code")
    body = registration_request(base_url, product if isinstance(product, str) else None)
    answer = _json(
        session,
        "POST",
        config["registration_endpoint"],
        headers=auth | {"Content-Type": "application/json"},
        json_body=body,
    )
    if not isinstance(answer, Mapping) or not isinstance(answer.get("client_id"), str):
        raise UpstreamUnavailable(
            "The platform's registration answer has no client_id."
        )
    tool = answer.get(TOOL_CONFIG) or {}
    deployment_id = tool.get("deployment_id") if isinstance(tool, Mapping) else None
    granted = answer.get("scope")
    granted_scopes = str(granted).split() if isinstance(granted, str) else list(SCOPES)
    audience = config.get("authorization_server")
    reg = add_registration(
        store,
        NewRegistration(
            issuer=config["issuer"],
            client_id=answer["client_id"],
            auth_login_url=config["authorization_endpoint"],
            auth_token_url=config["token_endpoint"],
            jwks_url=config["jwks_uri"],
            token_audience=audience if isinstance(audience, str) and audience else None,
            deployment_ids=[deployment_id] if isinstance(deployment_id, str) else [],
            name=str(product) if product else None,
            scopes=" ".join(granted_scopes),
            source="dynamic",
        ),
        allow_private=allow_private,
    )
    missing = tuple(s for s in SCOPES if s not in granted_scopes)
    return DynamicRegistration(
        reg, deployment_id if isinstance(deployment_id, str) else None, missing
    )


def _json(
    session: SafeSession,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    json_body: Any = None,
) -> Any:
    try:
        response = session.request(
            method,
            url,
            headers={"Accept": "application/json", **headers},
            json=json_body,
        )
    except requests.RequestException as exc:
        raise UpstreamUnavailable(f"{method} {url} failed ({exc}).") from None
    if not 200 <= response.status_code < 300:
        raise UpstreamUnavailable(
            f"{method} {url} answered HTTP {response.status_code}: "
            f"{' '.join(response.text.split())[:200]}"
        )
    try:
        return response.json()
    except ValueError:
        raise UpstreamUnavailable(f"{method} {url} did not answer JSON.") from None
