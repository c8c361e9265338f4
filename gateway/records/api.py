"""``/api/v1``: learner records for registrars (``records`` scope) and revocation (admins)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response

from gateway.api.openapi import ApiGroup, Param
from gateway.extension import tessera
from gateway.records import service
from gateway.records.views import JSON_LD, VC_JWT

api = ApiGroup(
    "learner records",
    "Signed learner records: Open Badges 3.0 AchievementCredentials (one per mastered "
    "competency) and CLR 2.0 transcripts, for registrars holding a `records` token. Each "
    "credential's id is a public URL that returns it; `/verify` checks one.",
)

CREDENTIAL = api.schema(
    "IssuedCredential",
    {
        "type": "object",
        "required": ["id", "url", "kind", "learner_id", "issued_at"],
        "properties": {
            "id": {"type": "string"},
            "url": {
                "type": "string",
                "description": "The credential's id; returns it.",
            },
            "kind": {"type": "string", "enum": ["achievement", "clr"]},
            "learner_id": {"type": "string"},
            "competency_id": {"type": ["string", "null"]},
            "level": {"type": ["string", "null"]},
            "scope": {"type": ["string", "null"]},
            "name": {"type": ["string", "null"]},
            "issued_at": {"type": "string", "format": "date-time"},
            "revoked_at": {"type": ["string", "null"], "format": "date-time"},
            "revoked_reason": {"type": ["string", "null"]},
        },
    },
)


def _config() -> service.RecordsConfig:
    return service.RecordsConfig.from_settings(tessera().settings)


@api.operation(
    "GET",
    "/learners/{learner_id}/clr",
    summary="A learner's signed CLR 2.0 transcript",
    scope="records",
    params=[
        Param(
            "framework",
            {"type": "string", "maxLength": 64},
            "Only competencies of this CASE framework (its CFDocument identifier).",
        ),
        Param(
            "context",
            {"type": "string", "maxLength": 36},
            "For this class (context id); the learner must be on its roster.",
        ),
        Param(
            "format",
            {"type": "string", "enum": ["jsonld", "jwt"], "default": "jsonld"},
            "jsonld: the ClrCredential with its embedded proof (application/ld+json); "
            "jwt: the same credential as a VC-JWT (application/vc+jwt).",
        ),
    ],
    response_schema={
        "type": "object",
        "description": "A ClrCredential (JSON-LD), or with format=jwt a compact JWS.",
    },
)
def get_learner_clr(
    learner_id: str, framework: str | None, context: str | None, format: str
) -> Response:
    """Issues (once per content) and returns the learner's ClrCredential.

    The learner's AchievementCredentials are issued first where missing, then embedded
    unchanged, with the framework hierarchy as associations. 404 when nothing is mastered.
    """
    issued = service.issue_transcript(
        tessera().store,
        _config(),
        learner_id,
        framework_id=framework,
        context_id=context,
    )
    if format == "jwt":
        return Response(issued.jwt, mimetype=VC_JWT)
    return Response(
        json.dumps(issued.document, ensure_ascii=False),
        mimetype=JSON_LD,
        headers={"Content-Location": issued.url},
    )


@api.operation(
    "GET",
    "/learners/{learner_id}/credentials",
    summary="Credentials issued to a learner",
    scope="records",
    response_schema={
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": CREDENTIAL}},
    },
)
def list_learner_credentials(learner_id: str) -> dict[str, Any]:
    """Every credential issued to the learner, newest first, revoked ones included."""
    found = service.list_credentials(tessera().store, learner_id)
    return {"items": [c.to_json() for c in found]}


@api.operation(
    "POST",
    "/credentials/{credential_id}/revoke",
    summary="Revoke an issued credential",
    request_schema={
        "type": "object",
        "required": ["reason"],
        "additionalProperties": False,
        "properties": {
            "reason": {
                "type": "string",
                "minLength": 1,
                "maxLength": 500,
                "description": "Why, for the audit trail (not published).",
            }
        },
    },
    response_schema=CREDENTIAL,
    errors=[409],
)
def revoke_issued_credential(
    credential_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Flips the credential's bit in its status list (and revokes CLRs that embed it)."""
    revoked = service.revoke_credential(
        tessera().store, _config(), credential_id, body["reason"]
    )
    return revoked.to_json()
