"""``/api/v1/learners``: learners, the identifiers they are known by, and their evidence."""

from __future__ import annotations

from typing import Any

from gateway.api.openapi import ApiGroup, Param
from gateway.api.pagination import Page, PageRequest, page_of
from gateway.errors import InvalidPayload
from gateway.extension import tessera
from gateway.intake import queries
from gateway.intake.identity import link_identifiers, merge_learners
from gateway.intake.model import LEARNER_ID_KINDS, LearnerRef
from gateway.store import Store

api = ApiGroup(
    "learners",
    "Learners: one person known by many identifiers (LTI, email, xAPI account, SIS id, "
    "...). Unknown learners are made provisional on first sight; merging and linking join "
    "identities and move their evidence.",
)

_STATUSES = ["active", "provisional", "merged"]

IDENTIFIER = {
    "type": "object",
    "required": ["kind", "value"],
    "properties": {
        "kind": {"type": "string", "enum": list(LEARNER_ID_KINDS)},
        "value": {"type": "string"},
    },
}
LEARNER = api.schema(
    "Learner",
    {
        "type": "object",
        "required": ["id", "status", "identifiers"],
        "properties": {
            "id": {"type": "string"},
            "display_name": {"type": ["string", "null"]},
            "status": {"type": "string", "enum": _STATUSES},
            "merged_into": {"type": ["string", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
            "identifiers": {"type": "array", "items": IDENTIFIER},
        },
    },
)
LEARNER_DETAIL = api.schema(
    "LearnerDetail",
    {
        "allOf": [
            LEARNER,
            {
                "type": "object",
                "required": ["evidence_count", "evidence", "evidence_truncated"],
                "properties": {
                    "evidence_count": {"type": "integer"},
                    "evidence_truncated": {
                        "type": "boolean",
                        "description": f"More than the {queries.EVIDENCE_CAP} newest "
                        "pieces of evidence exist.",
                    },
                    "evidence": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"},
                                "competency_id": {"type": "string"},
                                "shared_id": {"type": "string"},
                                "human_coding_scheme": {"type": ["string", "null"]},
                                "score": {"type": "number"},
                                "kind": {"type": "string"},
                                "weight": {"type": "number"},
                                "vendor": {"type": ["string", "null"]},
                                "observed_at": {
                                    "type": "string",
                                    "format": "date-time",
                                },
                            },
                        },
                    },
                },
            },
        ]
    },
)
_LEARNER_ID = Param("learner_id", {"type": "string"}, location="path")


def _store() -> Store:
    return tessera().store


def _ref(kind: str, value: str) -> LearnerRef:
    """An identifier in the form the pipeline stores (emails lower-case, no mailto:)."""
    value = value.strip()
    if kind == "email":
        value = value.lower().removeprefix("mailto:")
    return LearnerRef(kind, value)


@api.operation(
    "GET",
    "/learners",
    summary="List learners",
    params=[Param("status", {"type": "string", "enum": _STATUSES})],
    response_schema=LEARNER,
    paginated=True,
)
def list_learners(page: PageRequest, status: str | None) -> Page:
    """Learners by id, each with its identifiers; filter by status."""
    found = queries.list_learners(
        _store(), status=status, after=page.after, limit=page.fetch
    )
    return page_of(found, page, key=lambda r: r.id, render=lambda r: r.to_json())


@api.operation(
    "GET",
    "/learners/{learner_id}",
    summary="Get a learner and its evidence",
    params=[_LEARNER_ID],
    response_schema=LEARNER_DETAIL,
)
def get_learner(learner_id: str) -> dict[str, Any]:
    """A learner, its identifiers, how much evidence it has, and the newest 500 pieces."""
    return queries.learner_detail(_store(), learner_id).to_json()


ACTIVITY = api.schema(
    "Activity",
    {
        "type": "object",
        "required": ["observed_at", "activity_id", "protocol", "raw_record_id"],
        "properties": {
            "observed_at": {"type": "string", "format": "date-time"},
            "activity_id": {"type": "string"},
            "protocol": {"type": "string"},
            "event_type": {
                "type": ["string", "null"],
                "description": "The Caliper event type (Statement for xAPI).",
            },
            "action": {
                "type": ["string", "null"],
                "description": "The Caliper action, or the xAPI verb IRI.",
            },
            "score": {
                "type": ["number", "null"],
                "description": "Normalized 0..1; null for activity that carries no score.",
            },
            "raw_record_id": {"type": "string"},
        },
    },
)


@api.operation(
    "GET",
    "/learners/{learner_id}/activity",
    summary="List a learner's activity",
    params=[_LEARNER_ID],
    response_schema=ACTIVITY,
    paginated=True,
)
def list_learner_activity(learner_id: str, page: PageRequest) -> Page:
    """Everything observed of a learner, newest first: scored events and activity alike.

    Events that carry no score (a Caliper ViewEvent, NavigationEvent, ToolUseEvent, ...)
    make no evidence but appear here, with the event type and action of their raw record.
    """
    found = queries.learner_activity(
        _store(), learner_id, after=page.after, limit=page.fetch
    )
    return page_of(
        found, page, key=lambda r: r.cursor_key, render=lambda r: r.to_json()
    )


@api.operation(
    "POST",
    "/learners/{learner_id}/merge",
    summary="Merge a learner into another",
    params=[_LEARNER_ID],
    request_schema={
        "type": "object",
        "required": ["into"],
        "additionalProperties": False,
        "properties": {
            "into": {
                "type": "string",
                "minLength": 1,
                "maxLength": 36,
                "description": "The id of the learner kept.",
            }
        },
    },
    response_schema={
        "type": "object",
        "required": ["kept", "merged", "identifiers", "observations", "evidence"],
        "properties": {
            "kept": {"type": "string"},
            "merged": {"type": "string"},
            "identifiers": {"type": "integer"},
            "observations": {"type": "integer"},
            "evidence": {"type": "integer"},
        },
    },
    errors=[409],
)
def merge_learner(learner_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Fold this learner into ``into``: identifiers, observations and evidence move there."""
    r = merge_learners(_store(), learner_id, body["into"])
    return {
        "kept": r.kept,
        "merged": r.merged,
        "identifiers": r.identifiers,
        "observations": r.observations,
        "evidence": r.evidence,
    }


@api.operation(
    "POST",
    "/learners/link",
    summary="Link identifiers of one person",
    request_schema={
        "type": "object",
        "required": ["identifiers"],
        "additionalProperties": False,
        "properties": {
            "identifiers": {
                "type": "array",
                "minItems": 1,
                "maxItems": 50,
                "items": {
                    "type": "object",
                    "required": ["kind", "value"],
                    "additionalProperties": False,
                    "properties": {
                        "kind": {"type": "string", "enum": list(LEARNER_ID_KINDS)},
                        "value": {"type": "string", "minLength": 1, "maxLength": 512},
                    },
                },
            },
            "display_name": {"type": "string", "minLength": 1, "maxLength": 200},
        },
    },
    response_schema=LEARNER,
    errors=[409],
)
def link_learner_identifiers(body: dict[str, Any]) -> dict[str, Any]:
    """Record that these identifiers name one person (as a roster or SIS says).

    Learners found under different identifiers are merged into the oldest of them; unknown
    identifiers are attached; the learner becomes active. Returns that learner.
    """
    refs = [_ref(i["kind"], i["value"]) for i in body["identifiers"]]
    for n, ref in enumerate(refs):
        if not ref.value:
            raise InvalidPayload(f"Field 'identifiers[{n}].value' must not be blank.")
    learner_id = link_identifiers(_store(), refs, display_name=body.get("display_name"))
    return queries.get_learner(_store(), learner_id).to_json()
