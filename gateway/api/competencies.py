"""``/api/v1/competencies``: find competencies and see their crosswalks and prerequisites."""

from __future__ import annotations

from typing import Any

import gateway.competencies as competency_service
from gateway.api.frameworks import COMPETENCY
from gateway.api.openapi import ApiGroup, Param
from gateway.extension import tessera

api = ApiGroup(
    "competencies",
    "Competencies (CASE CFItems) of the imported frameworks, with the crosswalks that "
    "make items of different frameworks count as one shared competency.",
)

_MAX_RESULTS = 500

COMPETENCY_DETAIL = api.schema(
    "CompetencyDetail",
    {
        "description": "A competency with its crosswalk peers and progression neighbours.",
        "allOf": [
            COMPETENCY,
            {
                "type": "object",
                "required": ["shared_members", "prerequisites", "successors"],
                "properties": {
                    "shared_members": {
                        "type": "array",
                        "description": "Other items with the same shared id.",
                        "items": COMPETENCY,
                    },
                    "prerequisites": {
                        "type": "array",
                        "description": "Items that CASE `precedes` this one.",
                        "items": COMPETENCY,
                    },
                    "successors": {
                        "type": "array",
                        "description": "Items this one `precedes`.",
                        "items": COMPETENCY,
                    },
                },
            },
        ],
    },
)


@api.operation(
    "GET",
    "/competencies",
    summary="Search competencies",
    params=[
        Param(
            "q",
            {"type": "string", "minLength": 1, "maxLength": 200},
            "The start of a human coding scheme (e.g. 3.MD), or words of the statement.",
            required=True,
        ),
        Param(
            "framework_id",
            {"type": "string", "maxLength": 64},
            "Only this framework's items (CFDocument identifier).",
        ),
        Param(
            "max_results",
            {"type": "integer", "minimum": 1, "maximum": _MAX_RESULTS, "default": 50},
            "At most this many competencies.",
        ),
    ],
    response_schema={
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": COMPETENCY}},
    },
)
def search_competencies(
    q: str, framework_id: str | None, max_results: int
) -> dict[str, Any]:
    """Active items whose coding scheme starts with, or statement contains, ``q``.

    Case-insensitive; coding-scheme matches first. A ranked search, so not paginated: narrow
    the query or raise ``max_results``.
    """
    found = competency_service.search_competencies(
        tessera().store, q, framework_id=framework_id, limit=max_results
    )
    return {"items": [c.to_json() for c in found]}


@api.operation(
    "GET",
    "/competencies/{competency_id}",
    summary="Get a competency",
    params=[
        Param(
            "competency_id",
            {"type": "string", "maxLength": 64},
            "The CFItem identifier.",
            location="path",
        )
    ],
    response_schema=COMPETENCY_DETAIL,
)
def get_competency(competency_id: str) -> dict[str, Any]:
    """One competency with its crosswalk peers, prerequisites and successors."""
    return competency_service.get_competency(tessera().store, competency_id).to_json()
