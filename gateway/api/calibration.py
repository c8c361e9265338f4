"""Calibration and equity: second ratings of sampled teacher scores, agreement, groups."""

from __future__ import annotations

from typing import Any

from gateway.api.mastery import _actor, _store
from gateway.api.openapi import ApiGroup, Param
from gateway.mastery import equity, moderation

api = ApiGroup(
    "calibration",
    "Calibrating proficiency and the equity view: a sample of teacher-scored work rated a "
    "second time, blind, by another teacher; agreement per competency (exact, adjacent, "
    "Cohen's kappa) with the pieces raters disagreed on; learner groups; and per class and "
    "competency the share not yet proficient and the median days to mastery by group, "
    "groups under 10 learners suppressed.",
)
_CONTEXT = Param("context", {"type": "string", "description": "A class (context) id."})
_PIECE = api.schema(
    "ModerationPiece",
    {
        "type": "object",
        "properties": {
            "evidence_id": {"type": "string"},
            "learner": {"type": "object"},
            "competency": {"type": "object"},
            "work": {"type": "object"},
            "sampled_at": {"type": "string", "format": "date-time"},
            "rated": {"type": "boolean"},
            "levels": {"type": "array", "items": {"type": "object"}},
            "first": {
                "type": "object",
                "description": "Absent while the piece is blind.",
            },
            "second": {"type": ["object", "null"]},
        },
    },
)


@api.operation(
    "POST",
    "/moderation/samples",
    summary="Sample teacher-scored work for moderation",
    request_schema={
        "type": "object",
        "required": ["share"],
        "additionalProperties": False,
        "properties": {
            "share": {"type": "number", "description": "0 < share <= 1, e.g. 0.2."},
            "context": {"type": "string", "maxLength": 64},
            "competency": {"type": "string", "maxLength": 500},
            "by": {"type": "string", "minLength": 1, "maxLength": 200},
        },
    },
    response_schema={"type": "object", "properties": {"added": {"type": "integer"}}},
)
def sample(body: dict[str, Any]) -> dict[str, Any]:
    """Mark a share of teacher-scored work not sampled yet (drawn by id) for a second rating."""
    added = moderation.sample_for_moderation(
        _store(),
        _actor(body.get("by")),
        share=float(body["share"]),
        context_id=body.get("context"),
        competency=body.get("competency"),
    )
    return {"added": added}


@api.operation(
    "GET",
    "/moderation/open",
    summary="List sampled work waiting for a second rating",
    params=[
        Param(
            "rater",
            {"type": "string"},
            "Who will rate: their own first scores are left out.",
            required=True,
        ),
        _CONTEXT,
    ],
    response_schema={"type": "array", "items": _PIECE},
)
def open_pieces(rater: str, context: str | None) -> list[dict[str, Any]]:
    """Pieces to rate, blind: the first teacher's level is not shown."""
    return moderation.pieces_to_rate(_store(), _actor(rater), context)


@api.operation(
    "POST",
    "/moderation/{evidence_id}/rating",
    summary="Rate a sampled piece a second time",
    params=[Param("evidence_id", {"type": "string"}, location="path")],
    request_schema={
        "type": "object",
        "required": ["level", "rater"],
        "additionalProperties": False,
        "properties": {
            "level": {"type": "string", "minLength": 1, "maxLength": 32},
            "rater": {"type": "string", "minLength": 1, "maxLength": 200},
            "note": {"type": "string", "maxLength": 2000},
        },
    },
    response_schema={"type": "object"},
    errors=[403, 409],
)
def rate(evidence_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The second, independent level; it never changes the learner's level."""
    return moderation.rate(
        _store(), evidence_id, _actor(body["rater"]), body["level"], body.get("note")
    )


@api.operation(
    "GET",
    "/calibration",
    summary="Agreement between raters per competency",
    params=[_CONTEXT],
    response_schema={"type": "array", "items": {"type": "object"}},
)
def get_calibration(context: str | None) -> list[dict[str, Any]]:
    """Pairs, exact and adjacent agreement, Cohen's kappa (plain and linear), disagreements."""
    return moderation.calibration(_store(), context)


@api.operation(
    "PUT",
    "/learners/{learner_id}/groups",
    summary="Set the groups a learner belongs to",
    params=[Param("learner_id", {"type": "string"}, location="path")],
    request_schema={
        "type": "object",
        "required": ["groups"],
        "additionalProperties": False,
        "properties": {
            "groups": {
                "type": "array",
                "maxItems": 50,
                "items": {"type": "string", "minLength": 1, "maxLength": 100},
                "description": "e.g. grade:7, EL, IEP (replaces the learner's groups).",
            }
        },
    },
    response_schema={
        "type": "object",
        "properties": {
            "learner_id": {"type": "string"},
            "groups": {"type": "array", "items": {"type": "string"}},
        },
    },
)
def put_groups(learner_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Groups a school supplies (grade, English learners, IEP...), reported only in aggregate."""
    groups = equity.set_groups(_store(), learner_id, body["groups"], _actor(None))
    return {"learner_id": learner_id, "groups": groups}


@api.operation(
    "GET",
    "/equity",
    summary="Not yet proficient and time to mastery by group",
    params=[_CONTEXT],
    response_schema={"type": "object"},
)
def get_equity(context: str | None) -> dict[str, Any]:
    """Per class and competency, by group; groups of fewer than 10 learners suppressed."""
    return equity.equity_report(_store(), context)
