"""What Tessera tells platforms about itself: manual registration data and the DR request body."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
)
CLAIMS = ("iss", "sub", "name", "given_name", "family_name", "email")
TOOL_NAME = "Tessera"
DESCRIPTION = (
    "Competency-based mastery: evidence from every vendor against shared competencies."
)


def tool_urls(base_url: str) -> dict[str, str]:
    """Tessera's LTI endpoints under ``base_url``."""
    return {
        "login_url": f"{base_url}/lti/login",
        "launch_url": f"{base_url}/lti/launch",
        "jwks_url": f"{base_url}/.well-known/jwks.json",
        "registration_url": f"{base_url}/lti/register",
        "config_url": f"{base_url}/lti/config.json",
    }


def messages(base_url: str) -> list[dict[str, Any]]:
    """The messages Tessera takes, with the placements an LMS may offer them in."""
    launch = f"{base_url}/lti/launch"
    return [
        {
            "type": "LtiResourceLinkRequest",
            "target_link_uri": launch,
            "label": TOOL_NAME,
            "placements": ["course_navigation"],
        },
        {
            "type": "LtiDeepLinkingRequest",
            "target_link_uri": launch,
            "label": f"{TOOL_NAME}: add a mastery view",
            "placements": ["link_selection", "assignment_selection", "ContentArea"],
        },
    ]


def manual_config(base_url: str) -> dict[str, Any]:
    """``GET /lti/config.json``: what an admin pastes into an LMS to register Tessera."""
    urls = tool_urls(base_url)
    return {
        "title": TOOL_NAME,
        "description": DESCRIPTION,
        "domain": urlsplit(base_url).netloc,
        "oidc_initiation_url": urls["login_url"],
        "target_link_uri": urls["launch_url"],
        "redirect_uris": [urls["launch_url"]],
        "public_jwk_url": urls["jwks_url"],
        "dynamic_registration_url": urls["registration_url"],
        "scopes": list(SCOPES),
        "claims": list(CLAIMS),
        "messages": messages(base_url),
        "custom_parameters": {},
        "privacy_level": "public",
        **urls,
    }


def registration_request(base_url: str, product_family: str | None) -> dict[str, Any]:
    """The client registration Tessera POSTs in Dynamic Registration (DR 1.0 section 3.5)."""
    urls = tool_urls(base_url)
    msgs = messages(base_url)
    if product_family == "canvas":
        # Canvas names its placements itself; keep the generic ones out of its way.
        msgs = [{k: v for k, v in m.items() if k != "placements"} for m in msgs]
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls["login_url"],
        "redirect_uris": [urls["launch_url"]],
        "client_name": TOOL_NAME,
        "jwks_uri": urls["jwks_url"],
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        "https://purl.imsglobal.org/spec/lti-tool-configuration": {
            "domain": urlsplit(base_url).netloc,
            "description": DESCRIPTION,
            "target_link_uri": urls["launch_url"],
            "custom_parameters": {},
            "claims": list(CLAIMS),
            "messages": msgs,
        },
    }
