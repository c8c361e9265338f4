"""What teachers and admins do to mastery: configure it, add evidence, override a level.

Each change is one transaction: the change, its audit entry (who, when, before, after) and
the re-folded decisions it affects commit together or not at all, so a decision is never
computed from a half-saved configuration.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from gateway.errors import Conflict, InvalidPayload, NotFound
from gateway.intake.model import EVIDENCE_KINDS, TEACHER_PROTOCOL
from gateway.intake.pipeline import evidence_id, observation_id, record_id
from gateway.mastery.config import (
    MASTERY_CONFIG,
    ConfigResolver,
    MasteryConfig,
    check_layer,
    merge,
)
from gateway.mastery.engine import Key, on_evidence, recompute_all
from gateway.outbox.events import evidence_received
from gateway.store import Store
from gateway.store.tables import (
    audit_log,
    competencies,
    competency_rubrics,
    evidence,
    frameworks,
    learners,
    mastery,
    mastery_configs,
    mastery_overrides,
    observations,
    raw_records,
    utcnow,
)
from gateway.store.tokens import invalidate


def audit(
    conn: Connection,
    actor: str,
    action: str,
    subject: str,
    before: Any = None,
    after: Any = None,
    *,
    at: datetime | None = None,
) -> None:
    """Record who did what to which subject, with the values before and after."""
    conn.execute(
        insert(audit_log).values(
            at=at or utcnow(),
            actor=actor,
            action=action,
            subject=subject,
            before=before,
            after=after,
        )
    )


# --- Configuration. ---------------------------------------------------------------------------


def _scope_subject(scope: str, target: str) -> str:
    return (
        "mastery-config:default"
        if scope == "default"
        else f"mastery-config:{scope}:{target}"
    )


def _check_target(conn: Connection, scope: str, target: str) -> None:
    if scope == "default":
        if target:
            raise InvalidPayload("The default configuration has no target.")
        return
    if scope == "framework":
        if (
            conn.execute(
                select(frameworks.c.id).where(frameworks.c.id == target)
            ).first()
            is None
        ):
            raise NotFound(f"No framework has id {target!r}.")
        return
    if scope != "competency":
        raise InvalidPayload("scope must be default, framework or competency.")
    row = conn.execute(
        select(competencies.c.shared_id).where(competencies.c.id == target)
    ).first()
    if row is None:
        raise NotFound(f"No competency has id {target!r}.")
    if row.shared_id != target:
        raise Conflict(
            f"Competency {target!r} is crosswalked into shared competency {row.shared_id!r}, "
            "whose configuration applies to both; configure that one instead."
        )


def get_layer(store: Store, scope: str, target: str = "") -> dict[str, Any]:
    """A configuration layer as stored (``{}`` when none is set)."""
    with store.read() as conn:
        _check_target(conn, scope, target)
        row = conn.execute(
            select(mastery_configs.c.config).where(
                mastery_configs.c.scope == scope, mastery_configs.c.target == target
            )
        ).first()
        return dict(row.config) if row is not None else {}


def effective(store: Store, scope: str, target: str = "") -> MasteryConfig:
    """The configuration in force at a scope (for a competency: over its framework's)."""
    with store.read() as conn:
        _check_target(conn, scope, target)
        resolver = ConfigResolver(conn)
        if scope == "competency":
            return resolver.for_shared(target)
        return resolver.effective(target if scope == "framework" else None, None)


def set_layer(
    store: Store, scope: str, target: str, layer: Mapping[str, Any] | None, actor: str
) -> MasteryConfig:
    """Replace (or with None remove) a layer, then re-fold every decision it governs.

    Every configuration the new layer takes part in is checked before anything is saved.
    """
    new = None if layer is None else check_layer(layer)
    with store.write() as conn:
        _check_target(conn, scope, target)
        rows = {
            (r.scope, r.target): (dict(r.config), r.version)
            for r in conn.execute(select(mastery_configs))
        }
        before = rows.get((scope, target), (None, 0))
        layers = {k: v[0] for k, v in rows.items()}
        if new is None:
            layers.pop((scope, target), None)
        else:
            layers[(scope, target)] = new
        _check_all(conn, layers)
        now = utcnow()
        conn.execute(
            delete(mastery_configs).where(
                mastery_configs.c.scope == scope, mastery_configs.c.target == target
            )
        )
        if new is not None:
            conn.execute(
                insert(mastery_configs).values(
                    scope=scope,
                    target=target,
                    config=new,
                    version=before[1] + 1,
                    updated_at=now,
                    updated_by=actor,
                )
            )
        audit(
            conn, actor, "mastery.config", _scope_subject(scope, target), before[0], new
        )
        invalidate(conn, MASTERY_CONFIG)
        if scope == "default":
            recompute_all(conn, now=now)
        else:
            on_evidence(conn, (), _keys_governed(conn, scope, target), now=now)
        resolver = ConfigResolver(conn)
        if scope == "competency":
            return resolver.for_shared(target)
        return resolver.effective(target or None, None)


def _check_all(
    conn: Connection, layers: Mapping[tuple[str, str], Mapping[str, Any]]
) -> None:
    default = layers.get(("default", ""), {})
    merge([("default", default)])
    framework_of = {}
    comp_ids = [t for s, t in layers if s == "competency"]
    if comp_ids:
        framework_of = dict(
            conn.execute(
                select(competencies.c.id, competencies.c.framework_id).where(
                    competencies.c.id.in_(comp_ids)
                )
            ).all()
        )
    for (scope, target), layer in layers.items():
        if scope == "framework":
            merge([("default", default), ("framework", layer)])
        elif scope == "competency":
            chain: list[tuple[str, Mapping[str, Any]]] = [("default", default)]
            fw = layers.get(("framework", framework_of.get(target, "")))
            if fw is not None:
                chain.append(("framework", fw))
            chain.append(("competency", layer))
            merge(chain)


def _keys_governed(conn: Connection, scope: str, target: str) -> list[Key]:
    if scope == "framework":
        shared = select(competencies.c.id).where(competencies.c.framework_id == target)
    else:
        shared = select(competencies.c.id).where(competencies.c.id == target)
    keys = {
        (r.learner_id, r.shared_id)
        for q in (
            select(evidence.c.learner_id, evidence.c.shared_id).where(
                evidence.c.shared_id.in_(shared)
            ),
            select(mastery.c.learner_id, mastery.c.shared_id).where(
                mastery.c.shared_id.in_(shared)
            ),
        )
        for r in conn.execute(q.distinct())
    }
    return sorted(keys)


# --- Teacher input. ---------------------------------------------------------------------------


def _learner(conn: Connection, learner_id: str) -> str:
    row = conn.execute(
        select(learners.c.id, learners.c.status, learners.c.merged_into).where(
            learners.c.id == learner_id
        )
    ).first()
    if row is None:
        raise NotFound(f"No learner has id {learner_id!r}.")
    if row.status == "merged":
        raise Conflict(
            f"Learner {learner_id!r} was merged into {row.merged_into!r}; use that id."
        )
    return str(row.id)


def _shared(conn: Connection, competency_id: str) -> tuple[str, str]:
    """(competency id, shared id) of a competency given by id or URI."""
    row = conn.execute(
        select(competencies.c.id, competencies.c.shared_id).where(
            (competencies.c.id == competency_id.lower())
            | (competencies.c.uri == competency_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"No competency has id or URI {competency_id!r}.")
    return str(row.id), str(row.shared_id)


@dataclass(frozen=True, slots=True)
class TeacherEvidence:
    """A score a teacher gives (a performance task scored on the scale), with a note."""

    competency: str | None  # id or URI; may come from the rubric criterion instead
    scorer: str
    rubric_level: str | None = None  # a CFRubricCriterionLevel identifier
    level: str | None = None  # a level code of the competency's scale
    points: float | None = None  # points on the scale
    fraction: float | None = None  # 0..1
    kind: str = "performance_task"
    dok: int | None = None
    note: str | None = None
    title: str | None = None
    observed_at: datetime | None = None


def add_teacher_evidence(store: Store, learner_id: str, entry: TeacherEvidence) -> str:
    """Store a teacher's score as a raw record with its evidence; returns the evidence id.

    The score is given as a CASE rubric criterion level, a level code, points on the
    scale, or a fraction: exactly one.
    """
    given = [
        v is not None
        for v in (entry.rubric_level, entry.level, entry.points, entry.fraction)
    ]
    if sum(given) != 1:
        raise InvalidPayload(
            "Give the score as exactly one of rubric_level, level, points or fraction."
        )
    if entry.kind not in EVIDENCE_KINDS:
        raise InvalidPayload(f"kind must be one of {', '.join(EVIDENCE_KINDS)}.")
    if entry.dok is not None and not 1 <= entry.dok <= 4:
        raise InvalidPayload("dok (Webb's depth of knowledge) must be 1, 2, 3 or 4.")
    now = utcnow()
    observed = entry.observed_at or now
    if observed > now:
        raise InvalidPayload(
            "observed_at is in the future; give when the work was done."
        )
    with store.write() as conn:
        learner_id = _learner(conn, learner_id)
        rubric: dict[str, Any] | None = None
        competency = entry.competency
        if entry.rubric_level is not None:
            rubric = rubric_score(conn, entry.rubric_level)
            competency = competency or rubric["competency"]
        if not competency:
            raise InvalidPayload(
                "Name the competency (its id or URI); this rubric criterion names none."
            )
        competency_id, shared_id = _shared(conn, competency)
        scale = ConfigResolver(conn).for_shared(shared_id).scale
        if rubric is not None:
            fraction = rubric["fraction"]
        elif entry.level is not None:
            try:
                points = scale.levels[scale.index(entry.level)].points
            except KeyError:
                codes = ", ".join(level.code for level in scale.levels)
                raise InvalidPayload(
                    f"level {entry.level!r} is not on this competency's scale ({codes})."
                ) from None
            fraction = points / scale.top_points
        elif entry.points is not None:
            if not 0 <= entry.points <= scale.top_points:
                raise InvalidPayload(
                    f"points must be from 0 to {scale.top_points:g}, the scale's top level."
                )
            fraction = entry.points / scale.top_points
        else:
            assert entry.fraction is not None  # noqa: S101 - one of the three is given
            if not 0 <= entry.fraction <= 1:
                raise InvalidPayload("fraction must be from 0 to 1.")
            fraction = entry.fraction
        external = str(uuid.uuid4())
        body = {
            "learner_id": learner_id,
            "competency_id": competency_id,
            "score": fraction,
            "level": entry.level,
            "points": entry.points,
            "rubric": rubric,
            "kind": entry.kind,
            "dok": entry.dok,
            "note": entry.note,
            "title": entry.title,
            "scorer": entry.scorer,
            "observed_at": observed.isoformat(),
        }
        rid = record_id(TEACHER_PROTOCOL, None, external)
        oid = observation_id(rid, 0)
        conn.execute(
            insert(raw_records).values(
                id=rid,
                protocol=TEACHER_PROTOCOL,
                vendor_id=None,
                external_id=external,
                body=json.dumps(body),
                received_at=now,
                status="processed",
            )
        )
        conn.execute(
            insert(observations).values(
                id=oid,
                raw_record_id=rid,
                vendor_id=None,
                learner_id=learner_id,
                activity_id=f"urn:tessera:teacher:{entry.title or entry.kind}",
                observed_at=observed,
                score=fraction,
                level_label=entry.level,
                kind=entry.kind,
                dok=entry.dok,
                weight=1.0,
                hints=[competency_id],  # a re-derivation aligns it again by this
                aligned=True,
            )
        )
        row = {
            "id": evidence_id(oid, shared_id),
            "observation_id": oid,
            "raw_record_id": rid,
            "learner_id": learner_id,
            "shared_id": shared_id,
            "competency_id": competency_id,
            "vendor_id": None,
            "score": fraction,
            "kind": entry.kind,
            "dok": entry.dok,
            "weight": 1.0,
            "observed_at": observed,
            "received_at": now,
        }
        conn.execute(insert(evidence).values(**row))
        evidence_received(conn, [row])
        audit(
            conn,
            entry.scorer,
            "evidence.teacher",
            f"learner:{learner_id}",
            None,
            {**body, "evidence_id": row["id"]},
            at=now,
        )
        on_evidence(conn, [row], now=now)
        return str(row["id"])


def rubric_score(conn: Connection, level_id: str) -> dict[str, Any]:
    """Where a CASE rubric criterion level puts a piece of work.

    That is its share of the criterion's top score, and the competency the criterion
    assesses (its CFItemURI), if it names one.
    """
    wanted = level_id.strip().lower()
    for row in conn.execute(
        select(competency_rubrics.c.id, competency_rubrics.c.rubric)
    ):
        for criterion in row.rubric.get("CFRubricCriteria") or []:
            levels = criterion.get("CFRubricCriterionLevels") or []
            for level in levels:
                if str(level.get("identifier", "")).lower() != wanted:
                    continue
                scores = [
                    float(lv["score"])
                    for lv in levels
                    if isinstance(lv.get("score"), int | float)
                ]
                if not isinstance(level.get("score"), int | float) or not scores:
                    raise InvalidPayload(
                        f"Rubric level {level_id!r} has no score to place the work with; "
                        "score it on the scale instead."
                    )
                low, top = min(0.0, *scores), max(scores)
                item = criterion.get("CFItemURI") or {}
                return {
                    "rubric_id": row.id,
                    "criterion_id": criterion.get("identifier"),
                    "level_id": level.get("identifier"),
                    "quality": level.get("quality"),
                    "score": level["score"],
                    "fraction": (float(level["score"]) - low) / (top - low)
                    if top > low
                    else 1.0,
                    "competency": item.get("identifier") or item.get("uri"),
                }
    raise NotFound(f"No imported CASE rubric has a criterion level {level_id!r}.")


@dataclass(frozen=True, slots=True)
class OverrideResult:
    """An override as stored."""

    id: str
    learner_id: str
    shared_id: str
    level: str
    reason: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None


def override(
    store: Store,
    learner_id: str,
    competency: str,
    level: str,
    reason: str,
    actor: str,
    *,
    expires_at: datetime | None = None,
) -> OverrideResult:
    """Set a learner's level by hand, with a reason; it stands until lifted or expired."""
    if not reason or not reason.strip():
        raise InvalidPayload(
            "An override needs a reason a colleague or parent can read."
        )
    now = utcnow()
    if expires_at is not None and expires_at <= now:
        raise InvalidPayload("expires_at must be in the future.")
    with store.write() as conn:
        learner_id = _learner(conn, learner_id)
        _, shared_id = _shared(conn, competency)
        scale = ConfigResolver(conn).for_shared(shared_id).scale
        try:
            scale.index(level)
        except KeyError:
            codes = ", ".join(lv.code for lv in scale.levels)
            raise InvalidPayload(
                f"level {level!r} is not on this competency's scale ({codes})."
            ) from None
        before = _decision(conn, (learner_id, shared_id))
        result = OverrideResult(
            str(uuid.uuid4()),
            learner_id,
            shared_id,
            level,
            reason.strip(),
            actor,
            now,
            expires_at,
        )
        conn.execute(
            insert(mastery_overrides).values(
                id=result.id,
                learner_id=learner_id,
                shared_id=shared_id,
                level=level,
                reason=result.reason,
                created_by=actor,
                created_at=now,
                expires_at=expires_at,
            )
        )
        on_evidence(conn, (), [(learner_id, shared_id)], now=now)
        audit(
            conn,
            actor,
            "mastery.override",
            f"mastery:{learner_id}:{shared_id}",
            before,
            {
                **(_decision(conn, (learner_id, shared_id)) or {}),
                "reason": result.reason,
            },
            at=now,
        )
        return result


def lift_override(
    store: Store, override_id: str, actor: str, reason: str | None = None
) -> None:
    """Lift an override: the computed level applies again."""
    now = utcnow()
    with store.write() as conn:
        row = conn.execute(
            select(mastery_overrides).where(mastery_overrides.c.id == override_id)
        ).first()
        if row is None:
            raise NotFound(f"No override has id {override_id!r}.")
        if row.lifted_at is not None:
            raise Conflict(f"Override {override_id!r} was already lifted.")
        key = (row.learner_id, row.shared_id)
        before = _decision(conn, key)
        conn.execute(
            update(mastery_overrides)
            .where(mastery_overrides.c.id == override_id)
            .values(lifted_at=now, lifted_by=actor, lift_reason=reason)
        )
        on_evidence(conn, (), [key], now=now)
        audit(
            conn,
            actor,
            "mastery.override.lift",
            f"mastery:{key[0]}:{key[1]}",
            before,
            {**(_decision(conn, key) or {}), "reason": reason},
            at=now,
        )


def override_of(store: Store, override_id: str) -> Any | None:
    """The override ``override_id`` as stored (learner_id, shared_id, ...), or None."""
    with store.read() as conn:
        return conn.execute(
            select(mastery_overrides).where(mastery_overrides.c.id == override_id)
        ).first()


def expire_overrides(store: Store, now: datetime | None = None) -> int:
    """Lift the overrides whose time has come (the worker calls this); returns how many."""
    now = now or utcnow()
    with store.write() as conn:
        due = conn.execute(
            select(mastery_overrides)
            .where(mastery_overrides.c.lifted_at.is_(None))
            .where(mastery_overrides.c.expires_at <= now)
        ).all()
        if not due:
            return 0
        conn.execute(
            update(mastery_overrides)
            .where(mastery_overrides.c.id.in_([r.id for r in due]))
            .values(lifted_at=now, lifted_by="expiry", lift_reason="expired")
        )
        on_evidence(conn, (), [(r.learner_id, r.shared_id) for r in due], now=now)
        for r in due:
            audit(
                conn,
                "expiry",
                "mastery.override.expire",
                f"mastery:{r.learner_id}:{r.shared_id}",
                {"override_id": r.id, "level": r.level},
                _decision(conn, (r.learner_id, r.shared_id)),
                at=now,
            )
        return len(due)


def _decision(conn: Connection, key: Key) -> dict[str, Any] | None:
    row = conn.execute(
        select(mastery.c.level, mastery.c.computed_level, mastery.c.override_id).where(
            mastery.c.learner_id == key[0], mastery.c.shared_id == key[1]
        )
    ).first()
    if row is None:
        return None
    return {
        "level": row.level,
        "computed_level": row.computed_level,
        "override_id": row.override_id,
    }


def recompute(
    store: Store, learner_id: str | None = None, *, processes: int = 1
) -> Any:
    """Re-fold every decision (or one learner's) from the evidence.

    ``processes`` > 1 forks helpers for a full recompute on SQLite: for a command line, not
    inside a threaded server.
    """
    with store.write() as conn:
        if learner_id is not None:
            _learner(conn, learner_id)
        return recompute_all(conn, learner_id=learner_id, processes=processes)
