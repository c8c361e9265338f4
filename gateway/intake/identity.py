"""Learner identity: many identifiers, one learner; unknown learners become provisional.

Resolution is by exact identifier. The first time a payload names a learner by identifiers
Tessera has never seen, a provisional learner is made so no evidence waits; its id is derived
from its first identifier, so a replay makes the same learner. Identifiers a payload gives next
to a known one are attached to that learner. Merging two learners moves identifiers,
observations and evidence to the one kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, select, tuple_, update

from gateway.errors import Conflict, NotFound
from gateway.ids import uuid5
from gateway.intake.model import LearnerRef
from gateway.mastery.engine import on_evidence
from gateway.store import Store
from gateway.store.tables import (
    context_members,
    evidence,
    learner_identifiers,
    learners,
    mastery,
    mastery_overrides,
    observations,
    utcnow,
)
from gateway.store.tokens import IDENTITY, cached, invalidate
from gateway.store.upsert import insert_ignore, select_in

_LEARNER_NS = uuid.UUID("6c0f4f8e-3c5e-4f0b-9d7e-2a4a3f1e7b10")


def provisional_learner_id(ref: LearnerRef) -> str:
    """The id a learner first seen under ``ref`` gets (the same on every replay)."""
    return uuid5(_LEARNER_NS, f"{ref.kind}|{ref.value}")


_MAX_CACHED_IDENTIFIERS = 500_000
_FIND = "SELECT kind, value, learner_id FROM learner_identifiers WHERE value IN ({in})"


def resolve_learners(
    conn: Connection,
    refs_list: Sequence[tuple[LearnerRef, ...]],
    names: Sequence[str | None],
    tokens: dict[str, str] | None = None,
) -> list[str]:
    """One learner id per entry of ``refs_list``, making provisional learners as needed.

    With ``tokens`` (the pipeline's), identifiers already looked up are remembered by this
    process until a merge changes the token; without, every look-up goes to the database.
    """
    known: dict[tuple[str, str], str] = (
        cached(conn, IDENTITY, tokens, dict) if tokens is not None else {}
    )
    if len(known) > _MAX_CACHED_IDENTIFIERS:
        known.clear()
    # Not ``set - known.keys()``: that walks the whole cache on every call.
    wanted = {
        pair
        for refs in refs_list
        for r in refs
        if (pair := (r.kind, r.value)) not in known
    }
    if wanted:
        rows = select_in(conn, _FIND, sorted({value for _, value in wanted}))
        for kind, value, learner_id in rows:
            if (kind, value) in wanted:
                known[(kind, value)] = learner_id
    now = utcnow()
    new_learners: dict[str, dict[str, object]] = {}
    new_ids: list[dict[str, object]] = []
    made: dict[
        tuple[str, str], str
    ] = {}  # made in this transaction: not cached until read
    result = []
    for refs, name in zip(refs_list, names, strict=True):
        pairs = [(r.kind, r.value) for r in refs]
        learner_id = next(
            (known.get(p) or made.get(p) for p in pairs if p in known or p in made),
            None,
        )
        if learner_id is None:
            learner_id = provisional_learner_id(refs[0])
            new_learners.setdefault(
                learner_id,
                {
                    "id": learner_id,
                    "display_name": name,
                    "status": "provisional",
                    "merged_into": None,
                    "created_at": now,
                },
            )
        for kind, value in pairs:
            if (kind, value) not in known and (kind, value) not in made:
                made[(kind, value)] = learner_id
                new_ids.append(
                    {
                        "kind": kind,
                        "value": value,
                        "learner_id": learner_id,
                        "created_at": now,
                    }
                )
        result.append(learner_id)
    insert_ignore(conn, learners, list(new_learners.values()))
    insert_ignore(conn, learner_identifiers, new_ids)
    return result


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What a merge moved."""

    kept: str
    merged: str
    identifiers: int
    observations: int
    evidence: int


def merge_learners(store: Store, merged_id: str, kept_id: str) -> MergeResult:
    """Fold learner ``merged_id`` into ``kept_id``: identifiers, observations and evidence move.

    Evidence ids do not depend on the learner, so moving rows gives exactly what a replay
    after the merge gives.
    """
    with store.write() as conn:
        return _merge(conn, merged_id, kept_id)


def _merge(conn: Connection, merged_id: str, kept_id: str) -> MergeResult:
    if merged_id == kept_id:
        raise Conflict(
            "A learner cannot be merged into itself; name two different learners."
        )
    invalidate(conn, IDENTITY)  # identifiers move: every process forgets what it knew
    found = {
        r.id: r
        for r in conn.execute(
            select(learners.c.id, learners.c.status).where(
                learners.c.id.in_([merged_id, kept_id])
            )
        )
    }
    for lid in (merged_id, kept_id):
        if lid not in found:
            raise NotFound(f"No learner has id {lid!r}.")
        if found[lid].status == "merged":
            raise Conflict(f"Learner {lid!r} was already merged into another learner.")
    moved_ids = conn.execute(
        update(learner_identifiers)
        .where(learner_identifiers.c.learner_id == merged_id)
        .values(learner_id=kept_id)
    ).rowcount
    moved_obs = conn.execute(
        update(observations)
        .where(observations.c.learner_id == merged_id)
        .values(learner_id=kept_id)
    ).rowcount
    shared = {
        r.shared_id
        for q in (
            select(evidence.c.shared_id).where(evidence.c.learner_id == merged_id),
            select(mastery.c.shared_id).where(mastery.c.learner_id == merged_id),
        )
        for r in conn.execute(q.distinct())
    }
    moved_ev = conn.execute(
        update(evidence)
        .where(evidence.c.learner_id == merged_id)
        .values(learner_id=kept_id)
    ).rowcount
    # Teachers' overrides and class memberships follow the learner; mastery is re-folded.
    conn.execute(
        update(mastery_overrides)
        .where(mastery_overrides.c.learner_id == merged_id)
        .values(learner_id=kept_id)
    )
    both = select(context_members.c.context_id).where(
        context_members.c.learner_id == kept_id
    )
    conn.execute(
        delete(context_members)
        .where(context_members.c.learner_id == merged_id)
        .where(context_members.c.context_id.in_(both))
    )
    conn.execute(
        update(context_members)
        .where(context_members.c.learner_id == merged_id)
        .values(learner_id=kept_id)
    )
    on_evidence(
        conn, (), [(lid, s) for s in sorted(shared) for lid in (merged_id, kept_id)]
    )
    conn.execute(
        update(learners)
        .where(learners.c.id == merged_id)
        .values(status="merged", merged_into=kept_id)
    )
    return MergeResult(kept_id, merged_id, moved_ids, moved_obs, moved_ev)


def link_identifiers(
    store: Store, refs: Sequence[LearnerRef], *, display_name: str | None = None
) -> str:
    """Record that ``refs`` name one person, as a trusted source (a launch, a roster) says.

    Learners found under different identifiers are merged into the oldest of them (their
    evidence moves); identifiers not yet known are attached; the learner becomes ``active``.
    Returns the learner id.
    """
    with store.write() as conn:
        return link_identifiers_in(conn, refs, display_name=display_name)


_LINKED = (
    select(
        learners.c.id,
        learners.c.created_at,
        learners.c.status,
        learners.c.display_name,
        learner_identifiers.c.kind,
        learner_identifiers.c.value,
    )
    .join(learner_identifiers, learner_identifiers.c.learner_id == learners.c.id)
    .where(
        tuple_(learner_identifiers.c.kind, learner_identifiers.c.value).in_(
            bindparam("pairs", expanding=True)
        )
    )
    .order_by(learners.c.created_at, learners.c.id)
)


def link_identifiers_in(
    conn: Connection, refs: Sequence[LearnerRef], *, display_name: str | None = None
) -> str:
    """:func:`link_identifiers` inside the caller's write transaction (a launch's, a roster's)."""
    if not refs:
        raise Conflict("Linking needs at least one identifier.")
    pairs = {(r.kind, r.value) for r in refs}
    rows = conn.execute(_LINKED, {"pairs": sorted(pairs)}).all()
    ids = list(dict.fromkeys(r.id for r in rows))
    if (
        len(ids) == 1
        and {(r.kind, r.value) for r in rows} == pairs
        and rows[0].status == "active"
        and (not display_name or rows[0].display_name == display_name)
    ):
        return str(ids[0])  # a returning learner: nothing to write
    for other in ids[1:]:
        _merge(conn, other, ids[0])
    [learner_id] = resolve_learners(conn, [tuple(refs)], [display_name])
    values: dict[str, object] = {"status": "active"}
    if display_name:
        values["display_name"] = display_name
    conn.execute(update(learners).where(learners.c.id == learner_id).values(**values))
    return learner_id
