"""``/api/v1/platforms``: LTI 1.3 platform registrations and their deployments."""

from __future__ import annotations

from typing import Any

from gateway.api.openapi import API_PREFIX, ApiGroup, Param, Reply
from gateway.api.pagination import Page, PageRequest, page_of
from gateway.extension import tessera
from gateway.lti import platforms as service
from gateway.lti.platforms import NewRegistration, Registration
from gateway.lti.services import lti_services, sync_roster

api = ApiGroup(
    "platforms",
    "LTI 1.3 platforms (LMS registrations, keyed by issuer and client id) and the "
    "deployments launches may come from.",
)

_DATE_TIME = {"type": "string", "format": "date-time"}
_URL = {"type": "string", "minLength": 1, "maxLength": 2000}
DEPLOYMENT = api.schema(
    "Deployment",
    {
        "type": "object",
        "required": ["deployment_id", "status", "created_at", "last_launch_at"],
        "properties": {
            "deployment_id": {"type": "string"},
            "status": {"type": "string", "enum": ["active", "pending"]},
            "created_at": _DATE_TIME,
            "last_launch_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
)
PLATFORM = api.schema(
    "Platform",
    {
        "type": "object",
        "required": [
            "id",
            "issuer",
            "client_id",
            "auth_login_url",
            "auth_token_url",
            "jwks_url",
            "deployment_policy",
            "source",
            "deployments",
        ],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "issuer": {"type": "string"},
            "client_id": {"type": "string"},
            "name": {"type": ["string", "null"]},
            "auth_login_url": {"type": "string"},
            "auth_token_url": {"type": "string"},
            "token_audience": {"type": ["string", "null"]},
            "jwks_url": {"type": "string"},
            "deployment_policy": {"type": "string", "enum": list(service.POLICIES)},
            "scopes": {
                "type": ["array", "null"],
                "items": {"type": "string"},
                "description": "Scopes granted by Dynamic Registration (null: manual).",
            },
            "source": {"type": "string", "enum": ["manual", "dynamic"]},
            "created_at": _DATE_TIME,
            "deployments": {"type": "array", "items": DEPLOYMENT},
        },
    },
)
_ID_PARAM = Param(
    "platform_id",
    {"type": "string", "format": "uuid"},
    "The registration's id.",
    location="path",
)
_DEPLOYMENT_PARAM = Param(
    "deployment_id",
    {"type": "string", "minLength": 1, "maxLength": 255},
    "The platform's deployment id.",
    location="path",
)


@api.operation(
    "GET",
    "/platforms",
    summary="List platform registrations",
    response_schema=PLATFORM,
    paginated=True,
)
def list_platforms(page: PageRequest) -> Page:
    """Registrations by id, with their deployments."""
    rows = sorted(service.list_registrations(tessera().store), key=lambda r: r.id)
    after = [r for r in rows if page.after is None or r.id > page.after]
    return page_of(
        after[: page.fetch], page, key=lambda r: r.id, render=Registration.to_json
    )


@api.operation(
    "POST",
    "/platforms",
    summary="Register a platform",
    status=201,
    request_schema={
        "type": "object",
        "required": [
            "issuer",
            "client_id",
            "auth_login_url",
            "auth_token_url",
            "jwks_url",
        ],
        "additionalProperties": False,
        "properties": {
            "issuer": {"type": "string", "minLength": 1, "maxLength": 255},
            "client_id": {"type": "string", "minLength": 1, "maxLength": 255},
            "auth_login_url": _URL,
            "auth_token_url": _URL,
            "jwks_url": _URL,
            "token_audience": _URL,
            "name": {"type": "string", "maxLength": 200},
            "deployment_policy": {"type": "string", "enum": list(service.POLICIES)},
            "deployment_ids": {
                "type": "array",
                "items": {"type": "string", "minLength": 1, "maxLength": 255},
            },
        },
    },
    response_schema=PLATFORM,
    errors=[409],
)
def create_platform(body: dict[str, Any]) -> Reply:
    """Register a platform (manual registration); its URLs must be ones Tessera may call."""
    ext = tessera()
    reg = service.add_registration(
        ext.store,
        NewRegistration(
            issuer=body["issuer"],
            client_id=body["client_id"],
            auth_login_url=body["auth_login_url"],
            auth_token_url=body["auth_token_url"],
            jwks_url=body["jwks_url"],
            token_audience=body.get("token_audience"),
            name=body.get("name"),
            deployment_policy=body.get("deployment_policy", "accept"),
            deployment_ids=body.get("deployment_ids", []),
        ),
        allow_private=ext.settings.allow_private_urls,
    )
    return Reply(reg.to_json(), {"Location": f"{API_PREFIX}/platforms/{reg.id}"})


@api.operation(
    "GET",
    "/platforms/{platform_id}",
    summary="Get a platform registration",
    params=[_ID_PARAM],
    response_schema=PLATFORM,
)
def get_platform(platform_id: str) -> dict[str, Any]:
    """One registration with its deployments."""
    return service.get_registration(tessera().store, platform_id).to_json()


@api.operation(
    "DELETE",
    "/platforms/{platform_id}",
    summary="Remove a platform registration",
    params=[_ID_PARAM],
    status=204,
)
def delete_platform(platform_id: str) -> None:
    """Launches from it stop at once."""
    service.remove_registration(tessera().store, platform_id)


@api.operation(
    "PUT",
    "/platforms/{platform_id}/deployments/{deployment_id}",
    summary="Add, approve or suspend a deployment",
    params=[_ID_PARAM, _DEPLOYMENT_PARAM],
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {"status": {"type": "string", "enum": ["active", "pending"]}},
    },
    body_required=False,
    response_schema=DEPLOYMENT,
)
def put_deployment(
    platform_id: str, deployment_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """``active`` (the default) accepts launches from it; ``pending`` holds them."""
    return service.set_deployment(
        tessera().store, platform_id, deployment_id, body.get("status", "active")
    ).to_json()


@api.operation(
    "DELETE",
    "/platforms/{platform_id}/deployments/{deployment_id}",
    summary="Forget a deployment",
    params=[_ID_PARAM, _DEPLOYMENT_PARAM],
    status=204,
)
def delete_deployment(platform_id: str, deployment_id: str) -> None:
    """Launches from it then follow the registration's deployment policy again."""
    service.remove_deployment(tessera().store, platform_id, deployment_id)


@api.operation(
    "POST",
    "/contexts/{context_id}/roster-sync",
    summary="Refresh a class roster from the platform (NRPS)",
    params=[
        Param(
            "context_id",
            {"type": "string", "format": "uuid"},
            "The class (context) id.",
            location="path",
        ),
        Param(
            "role",
            {"type": "string", "maxLength": 500},
            "Only members with this role URI (the roster's other members are kept).",
        ),
    ],
    response_schema={
        "type": "object",
        "required": ["context_id", "members", "learners", "deactivated"],
        "properties": {
            "context_id": {"type": "string"},
            "members": {"type": "integer"},
            "learners": {"type": "integer"},
            "deactivated": {"type": "integer"},
        },
    },
    errors=[502],
)
def sync_context_roster(context_id: str, role: str | None) -> dict[str, Any]:
    """Read the roster through Names and Role Provisioning now; link identities, memberships."""
    done = sync_roster(tessera().store, lti_services(), context_id, role=role)
    return {
        "context_id": done.context_id,
        "members": done.members,
        "learners": done.learners,
        "deactivated": done.deactivated,
    }
