"""``/api/v1/vendors``: register content vendors, change their adapter settings, rotate keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import gateway.vendors as vendor_service
from gateway.api.openapi import API_PREFIX, ApiGroup, Param, Reply
from gateway.api.pagination import Page, PageRequest, page_of
from gateway.extension import tessera
from gateway.store import Store
from gateway.vendors import Vendor, credentials_to_json

api = ApiGroup(
    "vendors",
    "Content vendors: who may send xAPI statements and Caliper events, with which "
    "credentials, read by which inbound adapter.",
)

_NAME_RULE = "^[a-z0-9][a-z0-9._-]{0,63}$"
_NAME_HINT = (
    "1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a "
    "letter or digit"
)
_MAX_GRACE_SECONDS = 30 * 86400
_DATE_TIME = {"type": "string", "format": "date-time"}

CREDENTIAL = api.schema(
    "VendorCredential",
    {
        "type": "object",
        "description": "The public half of a credential; the secret is never shown again.",
        "required": ["kind", "key", "scopes", "created_at", "expires_at"],
        "properties": {
            "kind": {"type": "string", "enum": ["xapi_basic", "caliper_bearer"]},
            "key": {"type": "string"},
            "scopes": {"type": "array", "items": {"type": "string"}},
            "created_at": _DATE_TIME,
            "expires_at": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "Set while an old credential lives on after a rotation.",
            },
        },
    },
)
VENDOR = api.schema(
    "Vendor",
    {
        "type": "object",
        "required": [
            "id",
            "name",
            "display_name",
            "adapter",
            "settings",
            "created_at",
            "credentials",
        ],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "name": {"type": "string"},
            "display_name": {"type": "string"},
            "adapter": {"type": "string"},
            "settings": {"type": "object"},
            "created_at": _DATE_TIME,
            "credentials": {"type": "array", "items": CREDENTIAL},
        },
    },
)
VENDOR_WITH_SECRETS = api.schema(
    "VendorWithSecrets",
    {
        "description": "A vendor and its new credentials, secrets included: shown this once.",
        "allOf": [
            VENDOR,
            {
                "type": "object",
                "required": ["xapi", "caliper"],
                "properties": {
                    "xapi": {
                        "type": "object",
                        "description": "HTTP Basic user name and password for xAPI.",
                        "required": ["key", "secret", "scopes"],
                        "properties": {
                            "key": {"type": "string"},
                            "secret": {"type": "string"},
                            "scopes": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                    "caliper": {
                        "type": "object",
                        "description": "Bearer token for Caliper.",
                        "required": ["token", "scopes"],
                        "properties": {
                            "token": {"type": "string"},
                            "scopes": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
            },
        ],
    },
)

_DISPLAY_NAME = {
    "type": "string",
    "minLength": 1,
    "maxLength": 200,
    "description": "The name shown to people.",
}
_ADAPTER = {
    "type": "string",
    "pattern": _NAME_RULE,
    "description": "the name of an inbound adapter",
}
_SETTINGS = {
    "type": "object",
    "description": "Inbound adapter settings (where learner, activity and score are, how "
    "scores scale); replaced whole, and checked by the adapter.",
}
_NAME_PARAM = Param(
    "name",
    {"type": "string", "pattern": _NAME_RULE},
    "The vendor's name.",
    location="path",
)


def _store() -> Store:
    return tessera().store


@api.operation(
    "GET",
    "/vendors",
    summary="List vendors",
    response_schema=VENDOR,
    paginated=True,
)
def list_vendors(page: PageRequest) -> Page:
    """Vendors not removed, by name, with the public halves of their credentials."""
    found = vendor_service.list_vendors(_store(), after=page.after, limit=page.fetch)
    return page_of(found, page, key=lambda v: v.name, render=Vendor.to_json)


@api.operation(
    "POST",
    "/vendors",
    summary="Register a vendor",
    status=201,
    request_schema={
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {
            "name": {
                "type": "string",
                "pattern": _NAME_RULE,
                "description": _NAME_HINT,
            },
            "display_name": _DISPLAY_NAME,
            "adapter": _ADAPTER,
            "settings": _SETTINGS,
        },
    },
    response_schema=VENDOR_WITH_SECRETS,
    errors=[409],
)
def create_vendor(body: dict[str, Any]) -> Reply:
    """Register a vendor with one credential per protocol; the secrets are shown only here."""
    vendor, creds = vendor_service.add_vendor(
        _store(),
        body["name"],
        display_name=body.get("display_name"),
        adapter=body.get("adapter", vendor_service.DEFAULT_ADAPTER),
        settings=body.get("settings"),
    )
    return Reply(
        vendor.to_json() | credentials_to_json(creds),
        {"Location": f"{API_PREFIX}/vendors/{vendor.name}"},
    )


@api.operation(
    "GET",
    "/vendors/{name}",
    summary="Get a vendor",
    params=[_NAME_PARAM],
    response_schema=VENDOR,
)
def get_vendor(name: str) -> dict[str, Any]:
    """One vendor, with the public halves of its credentials."""
    return vendor_service.get_vendor(_store(), name).to_json()


@api.operation(
    "PATCH",
    "/vendors/{name}",
    summary="Change a vendor",
    params=[_NAME_PARAM],
    request_schema={
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "display_name": _DISPLAY_NAME,
            "adapter": _ADAPTER,
            "settings": _SETTINGS,
        },
    },
    response_schema=VENDOR,
)
def update_vendor(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """Change the display name, adapter or settings; fields left out stay as they are."""
    vendor = vendor_service.update_vendor(
        _store(),
        name,
        display_name=body.get("display_name"),
        adapter=body.get("adapter"),
        settings=body.get("settings"),
    )
    return vendor.to_json()


@api.operation(
    "POST",
    "/vendors/{name}/rotate",
    summary="Rotate a vendor's credentials",
    params=[_NAME_PARAM],
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "grace_seconds": {
                "type": "integer",
                "minimum": 0,
                "maximum": _MAX_GRACE_SECONDS,
                "description": "Keep the old credentials working this many seconds "
                "(default 0: they stop now).",
            }
        },
    },
    body_required=False,
    response_schema=VENDOR_WITH_SECRETS,
)
def rotate_vendor_credentials(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """Issue new credentials, shown only here; the old ones stop now or after the grace."""
    grace = timedelta(seconds=body.get("grace_seconds", 0))
    vendor, creds = vendor_service.rotate_credentials(_store(), name, grace=grace)
    return vendor.to_json() | credentials_to_json(creds)


@api.operation(
    "DELETE",
    "/vendors/{name}",
    summary="Remove a vendor",
    params=[_NAME_PARAM],
    status=204,
)
def delete_vendor(name: str) -> None:
    """Revoke the vendor's credentials and retire it; what it sent stays stored."""
    vendor_service.remove_vendor(_store(), name)
