"""``/api/v1/alignments``: which competencies an activity's scores are evidence for."""

from __future__ import annotations

from typing import Any

from gateway.api.lookups import vendor_id_named
from gateway.api.openapi import ApiGroup, Param
from gateway.api.pagination import Page, PageRequest, page_of
from gateway.errors import InvalidPayload, NotFound
from gateway.extension import tessera
from gateway.intake import queries
from gateway.intake import service as intake_service
from gateway.intake.alignment import MATCH_KINDS, NewAlignment
from gateway.intake.model import EVIDENCE_KINDS
from gateway.store import Store

api = ApiGroup(
    "alignments",
    "Alignment rules (an activity id, prefix or pattern, of one vendor or any, to a "
    "competency) and the inbox of activities no rule covers yet. Adding or removing a rule "
    "re-derives the evidence of the observations it covers.",
)

_MAX_BATCH = 1000

ALIGNMENT = api.schema(
    "Alignment",
    {
        "type": "object",
        "required": ["id", "activity", "match", "competency_id", "source"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "vendor_id": {"type": ["string", "null"]},
            "vendor": {
                "type": ["string", "null"],
                "description": "The vendor's name; null: any vendor.",
            },
            "activity": {"type": "string"},
            "match": {"type": "string", "enum": list(MATCH_KINDS)},
            "competency_id": {"type": "string"},
            "human_coding_scheme": {"type": ["string", "null"]},
            "shared_id": {"type": "string"},
            "weight": {"type": ["number", "null"]},
            "kind": {"type": ["string", "null"]},
            "dok": {"type": ["integer", "null"]},
            "source": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
)
ALIGN_RESULT = api.schema(
    "AlignResult",
    {
        "type": "object",
        "required": ["alignments", "observations_replayed", "evidence"],
        "properties": {
            "alignments": {"type": "array", "items": {"type": "object"}},
            "observations_replayed": {"type": "integer"},
            "evidence": {
                "type": "integer",
                "description": "Evidence rows the covered observations now make.",
            },
        },
    },
)

_RULE_FIELDS: dict[str, Any] = {
    "activity": {
        "type": "string",
        "minLength": 1,
        "maxLength": 2000,
        "description": "An activity id, an id prefix, or a glob pattern (see match).",
    },
    "competency": {
        "type": "string",
        "minLength": 1,
        "maxLength": 2000,
        "description": "A CFItem identifier or URI of an imported framework.",
    },
    "vendor": {
        "type": "string",
        "minLength": 1,
        "maxLength": 64,
        "description": "Only this vendor's activities (its name); default any vendor.",
    },
    "match": {"type": "string", "enum": list(MATCH_KINDS), "default": "exact"},
    "weight": {"type": "number", "minimum": 0, "maximum": 100},
    "kind": {"type": "string", "enum": list(EVIDENCE_KINDS)},
    "dok": {"type": "integer", "minimum": 1, "maximum": 4},
}
_RULE = {
    "type": "object",
    "required": ["activity", "competency"],
    "additionalProperties": False,
    "properties": _RULE_FIELDS,
}


def _store() -> Store:
    return tessera().store


@api.operation(
    "GET",
    "/alignments",
    summary="List alignment rules",
    params=[
        Param("vendor", {"type": "string", "maxLength": 64}, "Only this vendor's."),
        Param(
            "competency_id",
            {"type": "string", "maxLength": 64},
            "Only rules aligning to this competency (CFItem identifier).",
        ),
    ],
    response_schema=ALIGNMENT,
    paginated=True,
)
def list_alignments(
    page: PageRequest, vendor: str | None, competency_id: str | None
) -> Page:
    """Alignment rules by id; filter by vendor name or competency."""
    found = queries.list_alignments(
        _store(),
        vendor_id=vendor_id_named(vendor, "Query parameter 'vendor'"),
        competency_id=competency_id,
        after=page.after,
        limit=page.fetch,
    )
    return page_of(found, page, key=lambda a: a.id, render=lambda a: a.to_json())


@api.operation(
    "POST",
    "/alignments",
    summary="Add alignment rules",
    request_schema={
        "type": "object",
        "description": "One rule, or several under `alignments` (all or nothing).",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": _RULE_FIELDS
        | {
            "alignments": {
                "type": "array",
                "minItems": 1,
                "maxItems": _MAX_BATCH,
                "items": _RULE,
            }
        },
    },
    response_schema=ALIGN_RESULT,
)
def create_alignments(body: dict[str, Any]) -> dict[str, Any]:
    """Store rules (idempotently) and turn the observations they cover into evidence.

    All or nothing: if one rule names an unknown vendor or competency, none is stored.
    """
    if "alignments" in body:
        others = sorted(set(body) - {"alignments"})
        if others:
            raise InvalidPayload(
                f"Field {others[0]!r} is not accepted next to 'alignments'; put each "
                "rule's fields inside its object in the list."
            )
        rows: list[tuple[str, dict[str, Any]]] = [
            (f"alignments[{i}].", r) for i, r in enumerate(body["alignments"])
        ]
    else:
        for field in ("activity", "competency"):
            if field not in body:
                raise InvalidPayload(f"Field {field!r} is required.")
        rows = [("", body)]
    vendor_ids: dict[str, str | None] = {}
    new = []
    for prefix, row in rows:
        vendor: str | None = row.get("vendor")
        if vendor is not None and vendor not in vendor_ids:
            vendor_ids[vendor] = vendor_id_named(vendor, f"Field '{prefix}vendor'")
        new.append(
            NewAlignment(
                activity=row["activity"],
                competency=row["competency"],
                vendor_id=vendor_ids[vendor] if vendor is not None else None,
                match=row.get("match", "exact"),
                weight=row.get("weight"),
                kind=row.get("kind"),
                dok=row.get("dok"),
                source="api",
            )
        )
    try:
        result = intake_service.align(_store(), new)
    except NotFound as exc:
        raise InvalidPayload(f"Field 'competency': {exc.detail}") from None
    return result.to_json()


@api.operation(
    "DELETE",
    "/alignments/{alignment_id}",
    summary="Remove an alignment rule",
    params=[Param("alignment_id", {"type": "string"}, location="path")],
    status=204,
)
def delete_alignment(alignment_id: str) -> None:
    """Remove the rule and re-derive the observations it covered, in one transaction.

    Their evidence from this rule disappears; other rules covering them still count.
    """
    intake_service.remove_alignment(_store(), alignment_id)


@api.operation(
    "GET",
    "/alignments/inbox",
    summary="Activities waiting for an alignment",
    params=[
        Param(
            "max_results",
            {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
            "At most this many activities.",
        )
    ],
    response_schema={
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["vendor", "activity_id", "observations"],
                    "properties": {
                        "vendor": {"type": ["string", "null"]},
                        "activity_id": {"type": "string"},
                        "observations": {"type": "integer"},
                        "last_observed": {"type": "string", "format": "date-time"},
                    },
                },
            }
        },
    },
)
def list_unaligned_activities(max_results: int) -> dict[str, Any]:
    """Activities that sent observations no rule covers, most observations first."""
    entries = intake_service.unaligned_inbox(_store(), limit=max_results)
    return {"items": [e.to_json() for e in entries]}
