"""Reading decisions: a learner's mastery, a class grid, who is not yet proficient.

Every entry explains itself: the level (label and points), the policy and its value, the
rules and which of them held the learner back, the override standing over it, and on request
the evidence behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select

from gateway.errors import InvalidPayload, NotFound
from gateway.mastery.config import ConfigResolver, MasteryConfig
from gateway.mastery.rules import evaluate
from gateway.mastery.scales import Scale
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    context_members,
    contexts,
    evidence,
    learners,
    mastery,
    mastery_overrides,
    vendors,
)

STATUSES = ("not_yet", "proficient")
EVIDENCE_LIMIT = 200  # pieces listed per entry


@dataclass(frozen=True, slots=True)
class Filters:
    """What a mastery listing is narrowed to."""

    framework: str | None = None
    competency: str | None = None
    level: str | None = None
    status: str | None = None

    def apply(self, query: Select[Any]) -> Select[Any]:
        """``query`` (over mastery joined with competencies) narrowed."""
        if self.framework is not None:
            query = query.where(competencies.c.framework_id == self.framework)
        if self.competency is not None:
            wanted = self.competency.lower()
            shared = select(competencies.c.shared_id).where(
                (competencies.c.id == wanted) | (competencies.c.uri == self.competency)
            )
            query = query.where(mastery.c.shared_id.in_(shared))
        if self.level is not None:
            query = query.where(mastery.c.level == self.level)
        if self.status is not None:
            if self.status not in STATUSES:
                raise InvalidPayload(f"status must be one of {', '.join(STATUSES)}.")
            query = query.where(mastery.c.status == self.status)
        return query


_ENTRY_COLUMNS = (
    mastery,
    competencies.c.uri,
    competencies.c.framework_id,
    competencies.c.human_coding_scheme,
    competencies.c.full_statement,
)


def entry_json(
    row: Any, config: MasteryConfig, override: Any | None = None
) -> dict[str, Any]:
    """One decision as the API shows it."""
    scale = config.scale

    def level(code: str | None) -> dict[str, Any] | None:
        if code is None:
            return None
        try:
            lv = scale.levels[scale.index(code)]
        except KeyError:
            return {"code": code, "label": code, "points": None}
        return {"code": lv.code, "label": lv.label, "points": lv.points}

    rules = _rules(row, config)
    held = [r["message"] for r in rules if r["held_back"]]
    out: dict[str, Any] = {
        "learner_id": row.learner_id,
        "competency": {
            "id": row.shared_id,
            "uri": row.uri,
            "framework_id": row.framework_id,
            "human_coding_scheme": row.human_coding_scheme,
            "statement": row.full_statement,
        },
        "level": level(row.level),
        "computed_level": level(row.computed_level),
        "mastered": row.status == "proficient",
        "status": row.status,
        "status_since": row.status_since.isoformat() if row.status_since else None,
        "score": None if row.score is None else round(row.score, 2),
        "estimate": None if row.estimate is None else round(row.estimate, 4),
        "policy": row.policy,
        "evidence_count": row.evidence_count,
        "rules": rules,
        "held_back_by": held,
        "still_needs": [r["message"] for r in rules if r.get("met") is False],
        "explanation": explain(row, config, held, override),
        "override": None,
        "updated_at": row.updated_at.isoformat(),
    }
    if override is not None:
        out["override"] = {
            "id": override.id,
            "level": override.level,
            "reason": override.reason,
            "by": override.created_by,
            "at": override.created_at.isoformat(),
            "expires_at": override.expires_at.isoformat()
            if override.expires_at
            else None,
            "out_of_date": row.override_stale,
        }
    return out


def _rules(row: Any, config: MasteryConfig) -> list[dict[str, Any]]:
    """Every evidence rule's verdict with its sentence, rebuilt from the stored tally.

    The decision keeps only the names of the rules that held the learner back; a roll-up
    keeps its one verdict whole.
    """
    if row.rules and isinstance(row.rules[0], dict):
        return [dict(r) for r in row.rules]
    tally = row.state.get("t")
    if not tally:
        return []
    held = set(row.rules)
    return [
        {**o.as_dict(config.scale), "held_back": o.rule in held, "message": o.message}
        for o in evaluate(config.rules, config.scale, tally)
    ]


def explain(row: Any, config: MasteryConfig, held: Sequence[str], override: Any) -> str:
    """A sentence a teacher, a learner or a parent can read."""
    scale = config.scale
    pieces = f"{row.evidence_count} piece{'s' if row.evidence_count != 1 else ''} of evidence"
    if row.computed_level is None:
        if row.evidence_count and row.policy.startswith("n_times"):
            computed = (
                f"No level yet: {row.policy} needs more scores at "
                f"{scale.mastery.label} ({pieces})."
            )
        else:
            computed = f"No level yet ({pieces})."
    else:
        label = scale.levels[scale.index(row.computed_level)].label
        value = "" if row.score is None else f"{row.score:.2f} by "
        computed = f"{label}: {value}{row.policy} over {pieces}."
        if row.estimate is not None:
            computed += f" Estimated chance it is learned: {row.estimate:.0%}."
        if held:
            computed += " Held back: " + "; ".join(held) + "."
    if override is None:
        return computed
    label = (
        scale.levels[scale.index(override.level)].label
        if override.level in {lv.code for lv in scale.levels}
        else override.level
    )
    text = f"{label}, set by {override.created_by}: {override.reason}. Computed: {computed}"
    if row.override_stale:
        text += " Newer evidence arrived after the override."
    return text


def _overrides(conn: Connection, ids: Sequence[str]) -> dict[str, Any]:
    if not ids:
        return {}
    return {
        r.id: r
        for r in conn.execute(
            select(mastery_overrides).where(mastery_overrides.c.id.in_(list(ids)))
        )
    }


def _render(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    resolver = ConfigResolver(conn)
    overrides = _overrides(conn, [r.override_id for r in rows if r.override_id])
    return [
        entry_json(r, resolver.for_shared(r.shared_id), overrides.get(r.override_id))
        for r in rows
    ]


def learner_mastery(
    store: Store, learner_id: str, filters: Filters, *, with_evidence: bool = False
) -> dict[str, Any]:
    """Every decision of a learner (narrowed by ``filters``), ordered by competency."""
    with store.read() as conn:
        learner = conn.execute(
            select(learners.c.id, learners.c.display_name, learners.c.status).where(
                learners.c.id == learner_id
            )
        ).first()
        if learner is None:
            raise NotFound(f"No learner has id {learner_id!r}.")
        query = filters.apply(
            select(*_ENTRY_COLUMNS)
            .select_from(mastery)
            .where(mastery.c.learner_id == learner_id)
            .order_by(competencies.c.human_coding_scheme, mastery.c.shared_id)
        )
        rows = _entries_joined(conn, query)
        entries = _render(conn, rows)
        if with_evidence:
            pieces = evidence_of(conn, learner_id, [r.shared_id for r in rows])
            for entry in entries:
                entry["evidence"] = pieces.get(entry["competency"]["id"], [])
        return {
            "learner": {
                "id": learner.id,
                "display_name": learner.display_name,
                "status": learner.status,
            },
            "mastery": entries,
        }


def _entries_joined(conn: Connection, query: Select[Any]) -> list[Any]:
    return list(
        conn.execute(
            query.outerjoin(competencies, competencies.c.id == mastery.c.shared_id)
        )
    )


def evidence_of(
    conn: Connection, learner_id: str, shared_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """The evidence behind each decision, newest first (at most EVIDENCE_LIMIT each)."""
    out: dict[str, list[dict[str, Any]]] = {}
    if not shared_ids:
        return out
    rows = conn.execute(
        select(
            evidence.c.id,
            evidence.c.shared_id,
            evidence.c.competency_id,
            evidence.c.score,
            evidence.c.kind,
            evidence.c.dok,
            evidence.c.weight,
            evidence.c.observed_at,
            evidence.c.raw_record_id,
            vendors.c.name.label("vendor"),
        )
        .outerjoin(vendors, vendors.c.id == evidence.c.vendor_id)
        .where(evidence.c.learner_id == learner_id)
        .where(evidence.c.shared_id.in_(list(shared_ids)))
        .order_by(evidence.c.observed_at.desc(), evidence.c.id)
    )
    for r in rows:
        bucket = out.setdefault(r.shared_id, [])
        if len(bucket) < EVIDENCE_LIMIT:
            bucket.append(
                {
                    "id": r.id,
                    "competency_id": r.competency_id,
                    "score": r.score,
                    "kind": r.kind,
                    "dok": r.dok,
                    "weight": r.weight,
                    "source": r.vendor or "teacher",
                    "observed_at": r.observed_at.isoformat(),
                    "raw_record_id": r.raw_record_id,
                }
            )
    return out


def _context(conn: Connection, context_id: str) -> Any:
    row = conn.execute(select(contexts).where(contexts.c.id == context_id)).first()
    if row is None:
        raise NotFound(f"No class (context) has id {context_id!r}.")
    return row


def _active_learners(context_id: str) -> Select[Any]:
    """The ids of a class's active learners (a subquery)."""
    return select(context_members.c.learner_id).where(
        context_members.c.context_id == context_id,
        context_members.c.is_learner.is_(True),
        context_members.c.status == "active",
    )


def _roster(conn: Connection, context_id: str) -> list[Any]:
    return list(
        conn.execute(
            select(learners.c.id, learners.c.display_name)
            .join(context_members, context_members.c.learner_id == learners.c.id)
            .where(context_members.c.context_id == context_id)
            .where(context_members.c.is_learner.is_(True))
            .where(context_members.c.status == "active")
            .order_by(learners.c.display_name, learners.c.id)
        )
    )


def context_mastery(store: Store, context_id: str, filters: Filters) -> dict[str, Any]:
    """A class grid: its learners x the competencies any of them has a decision on."""
    with store.read() as conn:
        ctx = _context(conn, context_id)
        roster = _roster(conn, context_id)
        members = _active_learners(context_id)
        query = filters.apply(
            select(*_ENTRY_COLUMNS)
            .select_from(mastery)
            .where(mastery.c.learner_id.in_(members))
            .order_by(competencies.c.human_coding_scheme, mastery.c.shared_id)
        )
        rows = _entries_joined(conn, query)
        cells = _render(conn, rows)
        seen: dict[str, dict[str, Any]] = {}
        for cell in cells:
            seen.setdefault(cell["competency"]["id"], cell["competency"])
        return {
            "context": {"id": ctx.id, "title": ctx.title, "label": ctx.label},
            "learners": [{"id": r.id, "display_name": r.display_name} for r in roster],
            "competencies": list(seen.values()),
            "cells": cells,
        }


def not_yet_proficient(
    store: Store, context_id: str, competency: str | None = None
) -> list[dict[str, Any]]:
    """Who in a class has evidence but is below mastery, longest waiting first."""
    with store.read() as conn:
        _context(conn, context_id)
        members = _active_learners(context_id)
        query = Filters(competency=competency, status="not_yet").apply(
            select(*_ENTRY_COLUMNS, learners.c.display_name)
            .select_from(mastery)
            .join(learners, learners.c.id == mastery.c.learner_id)
            .where(mastery.c.learner_id.in_(members))
            .order_by(mastery.c.status_since, mastery.c.learner_id)
        )
        rows = _entries_joined(conn, query)
        out = _render(conn, rows)
        for entry, row in zip(out, rows, strict=True):
            entry["display_name"] = row.display_name
        return out


# --- The class grid as pages draw it: one lean query, no per-cell explanation. ----------

TIERS = ("none", "below", "near", "at", "above")  # colour bands of a level, by the cut


def tier(scale: Scale, code: str | None) -> str:
    """A level's band relative to the mastery cut: the grid's colour, never alone."""
    if code is None:
        return "none"
    try:
        i = scale.index(code)
    except KeyError:
        return "none"
    if i > scale.mastery_index:
        return "above"
    if i == scale.mastery_index:
        return "at"
    if i == scale.mastery_index - 1:
        return "near"
    return "below" if i > 0 or scale.levels[i].points > 0 else "none"


@dataclass(frozen=True, slots=True)
class GridCell:
    """One learner on one competency, as the class grid shows it."""

    code: str | None  # the effective level's code (None: no level yet)
    label: str  # its label, or "no level yet"
    points: float | None
    tier: str  # one of TIERS
    status: str  # not_yet | proficient | no_evidence
    since: datetime | None  # when the status began
    overridden: bool


@dataclass(frozen=True, slots=True)
class GridColumn:
    """A competency of the grid (its shared id) with how a teacher recognizes it."""

    id: str
    framework_id: str | None
    code: str | None
    statement: str


@dataclass(frozen=True, slots=True)
class ClassGrid:
    """A class's learners x the competencies any of them has a decision on."""

    context: dict[str, Any]
    learners: list[tuple[str, str | None]]  # (id, display name), by name
    columns: list[GridColumn]  # by human coding scheme
    cells: dict[tuple[str, str], GridCell]
    scale: Scale  # the scale of most columns (for the legend)


def class_grid(store: Store, context_id: str) -> ClassGrid:
    """Every decision of a class's active learners, in two queries."""
    with store.read() as conn:
        ctx = _context(conn, context_id)
        roster = _roster(conn, context_id)
        rows = conn.execute(
            select(
                mastery.c.learner_id,
                mastery.c.shared_id,
                mastery.c.level,
                mastery.c.points,
                mastery.c.status,
                mastery.c.status_since,
                mastery.c.override_id,
                competencies.c.framework_id,
                competencies.c.human_coding_scheme,
                competencies.c.full_statement,
            )
            .select_from(mastery)
            .outerjoin(competencies, competencies.c.id == mastery.c.shared_id)
            .where(mastery.c.learner_id.in_(_active_learners(context_id)))
            .order_by(competencies.c.human_coding_scheme, mastery.c.shared_id)
        ).all()
        resolver = ConfigResolver(conn)
        columns: dict[str, GridColumn] = {}
        cells: dict[tuple[str, str], GridCell] = {}
        scales: dict[str, Scale] = {}
        for r in rows:
            scale = scales.get(r.shared_id)
            if scale is None:
                scale = scales[r.shared_id] = resolver.for_shared(r.shared_id).scale
                columns[r.shared_id] = GridColumn(
                    r.shared_id,
                    r.framework_id,
                    r.human_coding_scheme,
                    r.full_statement or r.shared_id,
                )
            try:
                label = scale.levels[scale.index(r.level)].label if r.level else None
            except KeyError:
                label = r.level
            cells[(r.learner_id, r.shared_id)] = GridCell(
                r.level,
                label or "no level yet",
                r.points,
                tier(scale, r.level),
                r.status,
                r.status_since,
                r.override_id is not None,
            )
        by_use = Counter(id(s) for s in scales.values()).most_common(1)
        legend = next(
            (s for s in scales.values() if by_use and id(s) == by_use[0][0]),
            resolver.effective(None, None).scale,
        )
    return ClassGrid(
        {"id": ctx.id, "title": ctx.title, "label": ctx.label},
        [(r.id, r.display_name) for r in roster],
        list(columns.values()),
        cells,
        legend,
    )
