"""Builders for pipeline tests: frameworks seeded in the store, and a tiny test adapter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select

from gateway.intake.model import AdapterRejected, LearnerRef, Observation
from gateway.store import Store
from gateway.store.tables import (
    alignments,
    audit_log,
    competencies,
    context_members,
    evidence,
    frameworks,
    learner_identifiers,
    learners,
    mastery,
    mastery_configs,
    mastery_overrides,
    observations,
    outbox,
    pipeline_state,
    raw_records,
    utcnow,
)

FRAMEWORK = "f0000000-0000-4000-8000-000000000001"


def seed_competencies(
    store: Store,
    items: Sequence[tuple[str, str | None]],
    parents: Mapping[str, str] | None = None,
) -> None:
    """Competencies ``(id, shared_id)`` in one framework; uri is ``https://case.test/<id>``.

    ``parents``: child id -> parent id (CASE isChildOf).
    """
    with store.write() as conn:
        if conn.execute(select(frameworks.c.id)).first() is None:
            conn.execute(
                insert(frameworks).values(
                    id=FRAMEWORK,
                    uri=f"https://case.test/{FRAMEWORK}",
                    title="Test framework",
                    case_version="1.0",
                    document={},
                    imported_at=utcnow(),
                )
            )
        conn.execute(
            insert(competencies),
            [
                {
                    "id": cid,
                    "framework_id": FRAMEWORK,
                    "uri": f"https://case.test/{cid}",
                    "full_statement": f"Competency {cid}",
                    "shared_id": shared or cid,
                    "parent_id": (parents or {}).get(cid),
                    "is_competency": True,
                    "status": "active",
                    "item": {},
                }
                for cid, shared in items
            ],
        )


def make_payload(**overrides: Any) -> dict[str, Any]:
    """A payload for :class:`DictAdapter`."""
    payload: dict[str, Any] = {
        "learner": [["email", "ada@school.test"]],
        "activity": "https://vendor.test/quiz/1",
        "score": 0.8,
        "time": "2026-11-01T10:00:00+00:00",
    }
    payload.update(overrides)
    return payload


class DictAdapter:
    """The adapter of a vendor whose payloads already say learner, activity and score."""

    def observe(self, payload: Mapping[str, Any], settings: Any) -> list[Observation]:
        if payload.get("reject"):
            raise AdapterRejected(str(payload["reject"]))
        if "activity" not in payload:
            return []
        return [
            Observation(
                learner=tuple(LearnerRef(k, v) for k, v in payload["learner"]),
                activity_id=payload["activity"],
                observed_at=datetime.fromisoformat(payload["time"]).astimezone(UTC),
                score=payload.get("score"),
                kind=payload.get("kind"),
                hints=tuple(payload.get("hints", ())),
                learner_name=payload.get("name"),
            )
        ]

    def voids(self, payload: Mapping[str, Any]) -> str | None:
        target = payload.get("voids")
        return str(target) if target is not None else None


def dict_adapter(name: str, protocol: str) -> DictAdapter:
    """Adapter lookup that always answers :class:`DictAdapter`."""
    return DictAdapter()


def clear_intake(store: Store) -> None:
    """Remove everything the pipeline derived or stored (for property tests).

    Deleting learners is nothing Tessera does itself, so the caches' tokens go too.
    """
    with store.write() as conn:
        conn.execute(delete(pipeline_state))
        for table in (
            evidence,
            observations,
            raw_records,
            alignments,
            mastery,
            mastery_overrides,
            mastery_configs,
            outbox,
            audit_log,
            context_members,
        ):
            conn.execute(delete(table))
        conn.execute(delete(learner_identifiers))
        conn.execute(delete(learners))


def evidence_snapshot(store: Store) -> list[tuple[Any, ...]]:
    """Evidence as comparable tuples."""
    with store.read() as conn:
        rows = conn.execute(
            select(
                evidence.c.id,
                evidence.c.learner_id,
                evidence.c.shared_id,
                evidence.c.competency_id,
                evidence.c.score,
                evidence.c.kind,
                evidence.c.weight,
                evidence.c.observed_at,
            ).order_by(evidence.c.id)
        ).all()
    return [tuple(r) for r in rows]


def mastery_snapshot(store: Store) -> list[tuple[Any, ...]]:
    """Decisions as comparable tuples (everything but when they were written)."""
    with store.read() as conn:
        rows = conn.execute(
            select(*(c for c in mastery.columns if c.name != "updated_at")).order_by(
                mastery.c.learner_id, mastery.c.shared_id
            )
        ).all()
    return [tuple(r) for r in rows]
