"""Calibrating proficiency: teachers judging the same student work, and how far they agree.

Moderation samples pieces of work a teacher scored (performance tasks and other teacher
evidence) for a second, independent rating by another teacher, who does not see the first
score. The pair is kept apart from the evidence: moderation measures agreement between raters
and never changes a learner's level (a teacher who is persuaded overrides the level, with a
reason, as usual).

Calibration, per competency, over the rated pairs on the competency's proficiency scale:
exact agreement, adjacent agreement (within one level), Cohen's kappa (chance-corrected
agreement) and its linearly weighted form, and the pieces the raters disagreed on. The
statistics are pure functions of (first level index, second level index) pairs.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from gateway.errors import Conflict, Forbidden, InvalidPayload, NotFound
from gateway.intake.model import TEACHER_PROTOCOL
from gateway.mastery.config import ConfigResolver
from gateway.mastery.scales import Scale
from gateway.mastery.service import audit
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    context_members,
    evidence,
    learners,
    moderation,
    raw_records,
    utcnow,
)

MAX_SHARE = 1.0

# --- Agreement statistics (pure). ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Agreement:
    """How two raters agree over ``pairs`` ratings on a scale of ``levels`` levels."""

    pairs: int
    exact: float | None  # share of pairs on the same level
    adjacent: float | None  # share within one level
    kappa: float | None  # Cohen's kappa; None when chance agreement is total
    weighted_kappa: float | None  # linear weights over level distance


def agreement(pairs: Sequence[tuple[int, int]], levels: int) -> Agreement:
    """Exact and adjacent agreement and Cohen's kappa (plain and linear) of level pairs."""
    n = len(pairs)
    if n == 0:
        return Agreement(0, None, None, None, None)
    exact = sum(1 for a, b in pairs if a == b) / n
    adjacent = sum(1 for a, b in pairs if abs(a - b) <= 1) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    chance = sum(first[k] * second[k] for k in first) / (n * n)
    kappa = None if chance >= 1 else (exact - chance) / (1 - chance)
    span = max(1, levels - 1)

    def weight(a: int, b: int) -> float:
        return 1 - abs(a - b) / span

    observed_w = sum(weight(a, b) for a, b in pairs) / n
    chance_w = sum(
        first[i] * second[j] * weight(i, j) for i in first for j in second
    ) / (n * n)
    weighted = None if chance_w >= 1 else (observed_w - chance_w) / (1 - chance_w)
    return Agreement(n, exact, adjacent, kappa, weighted)


def sampled(evidence_id: str, share: float) -> bool:
    """Whether a piece falls in a sample of ``share``: by its id, so every node agrees."""
    digest = hashlib.sha256(evidence_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


# --- The service. -----------------------------------------------------------------------------


def _first_level(scale: Scale, body: dict[str, Any], score: float) -> str:
    """The level the first teacher gave: as entered, or the scale's level for the score."""
    level = body.get("level")
    if isinstance(level, str) and level in {lv.code for lv in scale.levels}:
        return level
    return scale.levels[scale.by_fraction(score)].code


def sample_for_moderation(
    store: Store,
    actor: str,
    *,
    share: float,
    context_id: str | None = None,
    competency: str | None = None,
) -> int:
    """Mark a share of teacher-scored work (not sampled yet) for a second rating.

    The sample is drawn by each piece's id, so asking twice for the same share adds only
    pieces scored since. Returns how many pieces were added.
    """
    if not 0 < share <= MAX_SHARE:
        raise InvalidPayload("share must be more than 0 and at most 1 (e.g. 0.2).")
    now = utcnow()
    with store.write() as conn:
        query = (
            select(
                evidence.c.id,
                evidence.c.learner_id,
                evidence.c.shared_id,
                evidence.c.score,
                raw_records.c.body,
            )
            .join(raw_records, raw_records.c.id == evidence.c.raw_record_id)
            .where(raw_records.c.protocol == TEACHER_PROTOCOL)
            .where(evidence.c.id.not_in(select(moderation.c.evidence_id)))
        )
        if context_id is not None:
            query = query.where(
                evidence.c.learner_id.in_(
                    select(context_members.c.learner_id).where(
                        context_members.c.context_id == context_id
                    )
                )
            )
        if competency is not None:
            query = query.where(
                evidence.c.shared_id.in_(
                    select(competencies.c.shared_id).where(
                        (competencies.c.id == competency.lower())
                        | (competencies.c.uri == competency)
                    )
                )
            )
        resolver = ConfigResolver(conn)
        rows = []
        for r in conn.execute(query):
            if not sampled(r.id, share):
                continue
            body = json.loads(r.body) if isinstance(r.body, str) else dict(r.body)
            scale = resolver.for_shared(r.shared_id).scale
            rows.append(
                {
                    "evidence_id": r.id,
                    "learner_id": r.learner_id,
                    "shared_id": r.shared_id,
                    "first_rater": str(body.get("scorer") or "unknown")[:200],
                    "first_level": _first_level(scale, body, r.score),
                    "sampled_at": now,
                    "sampled_by": actor[:200],
                }
            )
        if rows:
            conn.execute(insert(moderation), rows)
        audit(
            conn,
            actor,
            "moderation.sample",
            f"context:{context_id}" if context_id else "moderation",
            None,
            {"share": share, "competency": competency, "added": len(rows)},
            at=now,
        )
    return len(rows)


def _piece_json(row: Any, *, blind: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "evidence_id": row.evidence_id,
        "learner": {"id": row.learner_id, "display_name": row.display_name},
        "competency": {
            "id": row.shared_id,
            "human_coding_scheme": row.human_coding_scheme,
            "statement": row.full_statement,
        },
        "work": {"title": row.title, "note": row.note, "kind": row.kind},
        "sampled_at": row.sampled_at.isoformat(),
        "rated": row.rated_at is not None,
    }
    if not blind:
        out["first"] = {"rater": row.first_rater, "level": row.first_level}
        out["second"] = (
            {
                "rater": row.second_rater,
                "level": row.second_level,
                "note": row.second_note,
                "at": row.rated_at.isoformat(),
            }
            if row.rated_at is not None
            else None
        )
    return out


def _pieces_query(context_id: str | None) -> Any:
    query = (
        select(
            moderation,
            learners.c.display_name,
            competencies.c.human_coding_scheme,
            competencies.c.full_statement,
            evidence.c.kind,
            raw_records.c.body,
        )
        .join(learners, learners.c.id == moderation.c.learner_id)
        .join(evidence, evidence.c.id == moderation.c.evidence_id)
        .join(raw_records, raw_records.c.id == evidence.c.raw_record_id)
        .outerjoin(competencies, competencies.c.id == moderation.c.shared_id)
        .order_by(moderation.c.sampled_at, moderation.c.evidence_id)
    )
    if context_id is not None:
        query = query.where(
            moderation.c.learner_id.in_(
                select(context_members.c.learner_id).where(
                    context_members.c.context_id == context_id
                )
            )
        )
    return query


@dataclass(frozen=True, slots=True)
class _Row:
    evidence_id: str
    learner_id: str
    shared_id: str
    first_rater: str
    first_level: str
    second_rater: str | None
    second_level: str | None
    second_note: str | None
    rated_at: Any
    sampled_at: Any
    display_name: str | None
    human_coding_scheme: str | None
    full_statement: str | None
    kind: str
    title: str | None
    note: str | None


def _rows(store: Store, context_id: str | None, *, open_only: bool) -> list[_Row]:
    query = _pieces_query(context_id)
    if open_only:
        query = query.where(moderation.c.rated_at.is_(None))
    with store.read() as conn:
        out = []
        for r in conn.execute(query):
            body = json.loads(r.body) if isinstance(r.body, str) else dict(r.body)
            out.append(
                _Row(
                    r.evidence_id,
                    r.learner_id,
                    r.shared_id,
                    r.first_rater,
                    r.first_level,
                    r.second_rater,
                    r.second_level,
                    r.second_note,
                    r.rated_at,
                    r.sampled_at,
                    r.display_name,
                    r.human_coding_scheme,
                    r.full_statement,
                    r.kind,
                    body.get("title"),
                    body.get("note"),
                )
            )
        return out


def pieces_to_rate(
    store: Store, rater: str, context_id: str | None = None
) -> list[dict[str, Any]]:
    """Sampled pieces waiting for a second rating that ``rater`` did not score: blind.

    Each piece lists its competency's levels (code and label), the choices of the rating.
    """
    rows = [
        r for r in _rows(store, context_id, open_only=True) if r.first_rater != rater
    ]
    with store.read() as conn:
        resolver = ConfigResolver(conn)
        scales = {r.shared_id: resolver.for_shared(r.shared_id).scale for r in rows}
    return [
        _piece_json(r, blind=True)
        | {
            "levels": [
                {"code": lv.code, "label": lv.label, "points": lv.points}
                for lv in reversed(scales[r.shared_id].levels)
            ]
        }
        for r in rows
    ]


def rate(
    store: Store, evidence_id: str, rater: str, level: str, note: str | None = None
) -> dict[str, Any]:
    """Record the second, independent rating of a sampled piece."""
    now = utcnow()
    with store.write() as conn:
        row = conn.execute(
            select(moderation).where(moderation.c.evidence_id == evidence_id)
        ).first()
        if row is None:
            raise NotFound(
                f"No piece of work {evidence_id!r} is sampled for moderation."
            )
        if row.first_rater == rater:
            raise Forbidden(
                "You scored this piece first; the second rating must come from another "
                "teacher."
            )
        if row.rated_at is not None:
            raise Conflict(
                f"This piece was already rated a second time by {row.second_rater}."
            )
        scale = ConfigResolver(conn).for_shared(row.shared_id).scale
        if level not in {lv.code for lv in scale.levels}:
            codes = ", ".join(lv.code for lv in scale.levels)
            raise InvalidPayload(
                f"level {level!r} is not on this competency's scale ({codes})."
            )
        conn.execute(
            update(moderation)
            .where(moderation.c.evidence_id == evidence_id)
            .values(
                second_rater=rater[:200],
                second_level=level,
                second_note=(note or "").strip()[:2000] or None,
                rated_at=now,
            )
        )
        after = {"first": row.first_level, "second": level}
        audit(
            conn,
            rater,
            "moderation.rate",
            f"evidence:{evidence_id}",
            None,
            after,
            at=now,
        )
    return after


def calibration(store: Store, context_id: str | None = None) -> list[dict[str, Any]]:
    """Per competency with rated pairs: agreement statistics and the disagreements."""
    rows = [r for r in _rows(store, context_id, open_only=False) if r.rated_at]
    by_competency: dict[str, list[_Row]] = {}
    for r in rows:
        by_competency.setdefault(r.shared_id, []).append(r)
    with store.read() as conn:
        resolver = ConfigResolver(conn)
        scales = {sid: resolver.for_shared(sid).scale for sid in by_competency}
    out: list[dict[str, Any]] = []
    for sid, pieces in sorted(
        by_competency.items(),
        key=lambda item: (item[1][0].human_coding_scheme or "", item[0]),
    ):
        scale = scales[sid]
        index = {lv.code: i for i, lv in enumerate(scale.levels)}
        label = {lv.code: lv.label for lv in scale.levels}
        pairs = [
            (index[p.first_level], index[p.second_level or ""])
            for p in pieces
            if p.first_level in index and p.second_level in index
        ]
        stats = agreement(pairs, len(scale.levels))
        out.append(
            {
                "competency": {
                    "id": sid,
                    "human_coding_scheme": pieces[0].human_coding_scheme,
                    "statement": pieces[0].full_statement,
                },
                "pairs": stats.pairs,
                "exact_agreement": stats.exact,
                "adjacent_agreement": stats.adjacent,
                "kappa": stats.kappa,
                "weighted_kappa": stats.weighted_kappa,
                "disagreements": [
                    {
                        **_piece_json(p, blind=False),
                        "first_label": label.get(p.first_level, p.first_level),
                        "second_label": label.get(p.second_level or "", p.second_level),
                    }
                    for p in pieces
                    if p.first_level != p.second_level
                ],
            }
        )
    return out
