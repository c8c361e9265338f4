"""Mastery: decisions per learner and class, teacher evidence, overrides, configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gateway.api.openapi import ApiGroup, Param, current_admin
from gateway.errors import InvalidPayload
from gateway.extension import tessera
from gateway.intake.model import EVIDENCE_KINDS
from gateway.mastery import contexts as classes
from gateway.mastery import queries, service
from gateway.mastery.policies import POLICIES
from gateway.store import Store

api = ApiGroup(
    "mastery",
    "Mastery decisions per learner and competency: level (label and points) on the "
    "proficiency scale, the policy's value, the evidence rules and what held a learner back, "
    "teachers' overrides; classes as learners x competencies; configuration per framework "
    "or competency.",
)

LEVEL = {
    "type": ["object", "null"],
    "properties": {
        "code": {"type": "string"},
        "label": {"type": "string"},
        "points": {"type": ["number", "null"]},
    },
}
ENTRY = api.schema(
    "MasteryEntry",
    {
        "type": "object",
        "required": ["learner_id", "competency", "level", "status", "explanation"],
        "properties": {
            "learner_id": {"type": "string"},
            "competency": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "uri": {"type": ["string", "null"]},
                    "framework_id": {"type": ["string", "null"]},
                    "human_coding_scheme": {"type": ["string", "null"]},
                    "statement": {"type": ["string", "null"]},
                },
            },
            "level": LEVEL,
            "computed_level": LEVEL,
            "mastered": {"type": "boolean"},
            "status": {"type": "string", "enum": ["not_yet", "proficient"]},
            "status_since": {"type": ["string", "null"], "format": "date-time"},
            "score": {
                "type": ["number", "null"],
                "description": "The policy's value in scale points, 2 decimals.",
            },
            "estimate": {
                "type": ["number", "null"],
                "description": "P(learned) of the knowledge-tracing policy.",
            },
            "policy": {"type": "string"},
            "evidence_count": {"type": "integer"},
            "rules": {"type": "array", "items": {"type": "object"}},
            "held_back_by": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Rules that keep the level below what the policy's value reaches.",
            },
            "still_needs": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Every rule not met yet, e.g. 'needs a performance task'.",
            },
            "explanation": {"type": "string"},
            "override": {"type": ["object", "null"]},
            "evidence": {"type": "array", "items": {"type": "object"}},
        },
    },
)
_FILTERS = [
    Param("framework", {"type": "string"}),
    Param("competency", {"type": "string", "description": "Competency id or URI."}),
    Param("level", {"type": "string", "description": "A level code, e.g. mastery."}),
    Param("status", {"type": "string", "enum": list(queries.STATUSES)}),
]
_LEARNER_ID = Param("learner_id", {"type": "string"}, location="path")
_CONTEXT_ID = Param("context_id", {"type": "string"}, location="path")


def _store() -> Store:
    return tessera().store


def _actor(by: str | None) -> str:
    token = current_admin().name
    return f"{by} (token {token})" if by else f"token {token}"


def _time(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise InvalidPayload(
            f"Field {field!r} must be an ISO 8601 time with a time zone, e.g. "
            "2026-11-23T10:00:00Z."
        )
    return parsed


@api.operation(
    "GET",
    "/learners/{learner_id}/mastery",
    summary="Get a learner's mastery",
    params=[
        _LEARNER_ID,
        *_FILTERS,
        Param("evidence", {"type": "boolean", "default": False}),
    ],
    response_schema={
        "type": "object",
        "properties": {
            "learner": {"type": "object"},
            "mastery": {"type": "array", "items": ENTRY},
        },
    },
)
def get_learner_mastery(
    learner_id: str,
    framework: str | None,
    competency: str | None,
    level: str | None,
    status: str | None,
    evidence: bool,
) -> dict[str, Any]:
    """Each competency the learner has evidence or an override on, with its decision.

    ``evidence=true`` adds the evidence behind each decision, newest first.
    """
    return queries.learner_mastery(
        _store(),
        learner_id,
        queries.Filters(framework, competency, level, status),
        with_evidence=evidence,
    )


@api.operation(
    "GET",
    "/contexts/{context_id}/mastery",
    summary="Get a class's mastery grid",
    params=[_CONTEXT_ID, *_FILTERS],
    response_schema={
        "type": "object",
        "properties": {
            "context": {"type": "object"},
            "learners": {"type": "array", "items": {"type": "object"}},
            "competencies": {"type": "array", "items": {"type": "object"}},
            "cells": {"type": "array", "items": ENTRY},
        },
    },
)
def get_context_mastery(
    context_id: str,
    framework: str | None,
    competency: str | None,
    level: str | None,
    status: str | None,
) -> dict[str, Any]:
    """The class's learners x the competencies any of them has a decision on."""
    return queries.context_mastery(
        _store(), context_id, queries.Filters(framework, competency, level, status)
    )


@api.operation(
    "GET",
    "/contexts/{context_id}/not-yet-proficient",
    summary="List who is not yet proficient",
    params=[_CONTEXT_ID, Param("competency", {"type": "string"})],
    response_schema={"type": "array", "items": ENTRY},
)
def list_not_yet_proficient(context_id: str, competency: str | None) -> list[Any]:
    """Learners of the class with evidence but below mastery, and since when (oldest first)."""
    return queries.not_yet_proficient(_store(), context_id, competency)


@api.operation(
    "POST",
    "/learners/{learner_id}/evidence",
    summary="Add a teacher's evidence",
    params=[_LEARNER_ID],
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "competency": {"type": "string", "minLength": 1, "maxLength": 500},
            "rubric_level": {
                "type": "string",
                "maxLength": 200,
                "description": "A CFRubricCriterionLevel identifier of an imported rubric; "
                "the competency defaults to the criterion's CFItem.",
            },
            "level": {"type": "string", "maxLength": 32},
            "points": {"type": "number"},
            "fraction": {"type": "number"},
            "kind": {"type": "string", "enum": list(EVIDENCE_KINDS)},
            "dok": {"type": "integer"},
            "title": {"type": "string", "maxLength": 200},
            "note": {"type": "string", "maxLength": 4000},
            "scorer": {"type": "string", "minLength": 1, "maxLength": 200},
            "observed_at": {"type": "string", "maxLength": 40},
        },
    },
    response_schema={
        "type": "object",
        "properties": {"evidence_id": {"type": "string"}},
    },
    status=201,
    errors=[409],
)
def add_learner_evidence(learner_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A performance task (or other work) a teacher scored.

    The score is a CASE rubric criterion level, a level code, points on the competency's
    scale, or a fraction. Audited; the decision is updated at once.
    """
    entry = service.TeacherEvidence(
        competency=body.get("competency"),
        scorer=_actor(body.get("scorer")),
        rubric_level=body.get("rubric_level"),
        level=body.get("level"),
        points=body.get("points"),
        fraction=body.get("fraction"),
        kind=body.get("kind", "performance_task"),
        dok=body.get("dok"),
        note=body.get("note"),
        title=body.get("title"),
        observed_at=_time(body.get("observed_at"), "observed_at"),
    )
    return {"evidence_id": service.add_teacher_evidence(_store(), learner_id, entry)}


@api.operation(
    "POST",
    "/learners/{learner_id}/overrides",
    summary="Override a learner's level",
    params=[_LEARNER_ID],
    request_schema={
        "type": "object",
        "required": ["competency", "level", "reason"],
        "additionalProperties": False,
        "properties": {
            "competency": {"type": "string", "minLength": 1, "maxLength": 500},
            "level": {"type": "string", "minLength": 1, "maxLength": 32},
            "reason": {"type": "string", "minLength": 1, "maxLength": 2000},
            "by": {"type": "string", "minLength": 1, "maxLength": 200},
            "expires_at": {"type": "string", "maxLength": 40},
        },
    },
    response_schema={"type": "object"},
    status=201,
)
def override_level(learner_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Set the level by hand, with a reason.

    It stands over later automatic evidence until lifted or until ``expires_at``; newer
    evidence marks it out of date.
    """
    result = service.override(
        _store(),
        learner_id,
        body["competency"],
        body["level"],
        body["reason"],
        _actor(body.get("by")),
        expires_at=_time(body.get("expires_at"), "expires_at"),
    )
    return {
        "id": result.id,
        "learner_id": result.learner_id,
        "competency_id": result.shared_id,
        "level": result.level,
        "reason": result.reason,
        "by": result.created_by,
        "at": result.created_at.isoformat(),
        "expires_at": result.expires_at.isoformat() if result.expires_at else None,
    }


@api.operation(
    "POST",
    "/overrides/{override_id}/lift",
    summary="Lift an override",
    params=[Param("override_id", {"type": "string"}, location="path")],
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "reason": {"type": "string", "maxLength": 2000},
            "by": {"type": "string", "minLength": 1, "maxLength": 200},
        },
    },
    body_required=False,
    status=204,
    errors=[409],
)
def lift_override(override_id: str, body: dict[str, Any]) -> None:
    """The computed level applies again."""
    service.lift_override(
        _store(), override_id, _actor(body.get("by")), body.get("reason")
    )


_CONFIG_BODY = {
    "type": "object",
    "additionalProperties": False,
    "description": "A layer: any of policy, scale, rules, rollup. Policies: "
    + ", ".join(sorted(POLICIES))
    + ".",
    "properties": {
        "policy": {"type": "object"},
        "scale": {"type": "array", "items": {"type": "object"}},
        "rules": {"type": "object"},
        "rollup": {"type": ["object", "null"]},
    },
}
_CONFIG_REPLY = api.schema(
    "MasteryConfig",
    {
        "type": "object",
        "properties": {
            "layer": {"type": "object", "description": "What is set at this scope."},
            "effective": {"type": "object", "description": "What applies, merged."},
        },
    },
)
_SCOPE = Param(
    "scope",
    {"type": "string", "enum": ["default", "framework", "competency"]},
    location="path",
)
_TARGET = Param(
    "target",
    {"type": "string", "description": "Framework or competency id; '-' for default."},
    location="path",
)


def _target(scope: str, target: str) -> str:
    return "" if scope == "default" and target == "-" else target.lower()


@api.operation(
    "GET",
    "/mastery-config/{scope}/{target}",
    summary="Get a mastery configuration",
    params=[_SCOPE, _TARGET],
    response_schema=_CONFIG_REPLY,
)
def get_mastery_config(scope: str, target: str) -> dict[str, Any]:
    """The layer set at a scope, and the configuration in force there."""
    t = _target(scope, target)
    return {
        "layer": service.get_layer(_store(), scope, t),
        "effective": service.effective(_store(), scope, t).as_dict(),
    }


@api.operation(
    "PUT",
    "/mastery-config/{scope}/{target}",
    summary="Set a mastery configuration",
    params=[_SCOPE, _TARGET],
    request_schema=_CONFIG_BODY,
    response_schema=_CONFIG_REPLY,
    errors=[409],
)
def put_mastery_config(scope: str, target: str, body: dict[str, Any]) -> dict[str, Any]:
    """Replace the layer; every decision it governs is recomputed in the same transaction.

    A layer that would make any configuration invalid is refused whole, with the field named.
    """
    t = _target(scope, target)
    config = service.set_layer(_store(), scope, t, body, _actor(None))
    return {"layer": body, "effective": config.as_dict()}


@api.operation(
    "DELETE",
    "/mastery-config/{scope}/{target}",
    summary="Remove a mastery configuration",
    params=[_SCOPE, _TARGET],
    status=204,
    errors=[409],
)
def delete_mastery_config(scope: str, target: str) -> None:
    """Remove the layer (the one below applies again); decisions are recomputed."""
    service.set_layer(_store(), scope, _target(scope, target), None, _actor(None))


@api.operation(
    "POST",
    "/mastery/recompute",
    summary="Recompute mastery",
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {"learner_id": {"type": "string", "maxLength": 36}},
    },
    body_required=False,
    response_schema={"type": "object"},
)
def recompute_mastery(body: dict[str, Any]) -> dict[str, Any]:
    """Re-fold every decision (or one learner's) from the evidence; normally never needed."""
    r = service.recompute(_store(), body.get("learner_id"))
    return {"evidence": r.evidence, "decisions": r.decisions, "changes": r.changes}


CONTEXT = api.schema(
    "Context",
    {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "source": {"type": "string"},
            "key": {"type": "string"},
            "title": {"type": ["string", "null"]},
            "label": {"type": ["string", "null"]},
            "learners": {"type": "integer"},
        },
    },
)


@api.operation(
    "GET",
    "/contexts",
    summary="List classes",
    response_schema={"type": "array", "items": CONTEXT},
)
def list_contexts() -> list[dict[str, Any]]:
    """Classes (LTI contexts, rosters) with how many active learners each has."""
    return classes.list_contexts(_store())


@api.operation(
    "PUT",
    "/contexts/api/{key}",
    summary="Create or update a class",
    params=[Param("key", {"type": "string"}, location="path")],
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "maxLength": 500},
            "label": {"type": "string", "maxLength": 200},
            "learners": {
                "type": "array",
                "maxItems": 5000,
                "items": {"type": "string", "minLength": 1, "maxLength": 36},
                "description": "Learner ids: the class's roster (replaces it).",
            },
        },
    },
    response_schema=CONTEXT,
)
def put_context(key: str, body: dict[str, Any]) -> dict[str, Any]:
    """A class known by your own key (e.g. a SIS section id), with its roster of learners."""
    return classes.put_context(
        _store(),
        "api",
        key,
        title=body.get("title"),
        label=body.get("label"),
        learner_ids=body.get("learners"),
    )
