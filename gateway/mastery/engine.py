"""The mastery engine: decisions per (learner, shared competency), kept current with evidence.

The pure part folds a competency's evidence, oldest first, into a :class:`Fold` (the policy's
running state, a tally for the evidence rules, and since when the learner has had the status)
and reads a :class:`Decision` out of it. The engine keeps the fold with the decision, so:

- a new piece of evidence newer than every piece folded so far is one O(1) step;
- anything else (evidence voided, moved by a merge, arriving late, a changed configuration)
  re-folds that one competency's evidence from the store;
- :func:`recompute_all` re-folds everything with the same steps, so it gives the same rows.

:func:`on_evidence` is called by whoever changes evidence, in the same transaction. Each
change of a learner's effective level writes a ``mastery.changed`` event to the outbox in that
transaction. A teacher's override stands over the computed level until it is lifted or expires;
evidence arriving after it marks it out of date.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, tuple_

from gateway.mastery.config import (
    ConfigResolver,
    MasteryConfig,
    children_of,
    parents_of,
)
from gateway.mastery.rules import (
    Outcome,
    cap,
    cap_index,
    evaluate,
    tally_start,
    tally_step,
)
from gateway.store.tables import evidence, mastery, mastery_overrides, outbox, utcnow
from gateway.store.tokens import current_tokens
from gateway.store.upsert import upsert

Key = tuple[str, str]  # (learner id, shared competency id)
TEACHER_SOURCE = "teacher"

NO_EVIDENCE, NOT_YET, PROFICIENT = "no_evidence", "not_yet", "proficient"


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of evidence as the fold reads it."""

    id: str
    observed_at: datetime
    received_at: datetime
    score: float  # 0..1
    weight: float
    kind: str
    dok: int | None
    source: str  # the vendor id, or "teacher"

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Piece:
        """From an evidence row (a mapping with the evidence table's columns)."""
        return cls(
            row["id"],
            row["observed_at"],
            row["received_at"],
            row["score"],
            row["weight"],
            row["kind"],
            row["dok"],
            row["vendor_id"] or TEACHER_SOURCE,
        )


@dataclass(slots=True)
class Fold:
    """Everything folded from a competency's evidence so far (kept as JSON in ``state``)."""

    policy: Any
    tally: list[Any]
    status: str
    since: datetime | None  # observed time of the piece that began the current status
    last_received: datetime | None
    count: int = 0
    last: tuple[datetime, str] | None = None  # (observed_at, id) of the newest piece

    @classmethod
    def from_json(
        cls, state: Mapping[str, Any], count: int, last: tuple[datetime, str] | None
    ) -> Fold:
        """The fold kept in a state column, with the count and newest piece kept beside it."""
        since, received = state["since"], state["r"]
        return cls(
            state["p"],
            state["t"],
            state["s"],
            None if since is None else datetime.fromisoformat(since),
            None if received is None else datetime.fromisoformat(received),
            count,
            last,
        )

    def to_json(self, top: float) -> dict[str, Any]:
        """The state column (``top``: the scale's top points, for roll-ups above)."""
        return {
            "top": top,
            "p": self.policy,
            "t": self.tally,
            "s": self.status,
            "since": None if self.since is None else self.since.isoformat(),
            "r": None if self.last_received is None else self.last_received.isoformat(),
        }


def start(config: MasteryConfig) -> Fold:
    """The fold of no evidence."""
    return Fold(config.policy.start(), tally_start(), NO_EVIDENCE, None, None)


def step(config: MasteryConfig, fold: Fold, piece: Piece) -> None:
    """Fold one more piece (newer than every piece folded so far) into ``fold``."""
    scale = config.scale
    fold.policy = config.policy.step(
        fold.policy, piece.score * scale.top_points, piece.weight, scale
    )
    fold.tally = tally_step(fold.tally, piece.source, piece.kind, piece.dok)
    fold.count += 1
    fold.last = (piece.observed_at, piece.id)
    if fold.last_received is None or piece.received_at > fold.last_received:
        fold.last_received = piece.received_at
    status = _status(config, fold)
    if status != fold.status:
        fold.status, fold.since = status, piece.observed_at


def _computed_index(
    config: MasteryConfig, fold: Fold
) -> tuple[int | None, list[Outcome]]:
    scale = config.scale
    outcomes = evaluate(config.rules, scale, fold.tally)
    level = config.policy.level_index(fold.policy, scale)
    if level is None:
        return None, outcomes
    return min(level, cap(outcomes, len(scale.levels) - 1)), outcomes


def _status(config: MasteryConfig, fold: Fold) -> str:
    if fold.count == 0:
        return NO_EVIDENCE
    scale = config.scale
    level = config.policy.level_index(fold.policy, scale)
    if level is None or level < scale.mastery_index:
        return NOT_YET
    allowed = cap_index(config.rules, scale, fold.tally)
    return PROFICIENT if allowed >= scale.mastery_index else NOT_YET


@dataclass(frozen=True, slots=True)
class Override:
    """A teacher's level standing over the computed one."""

    id: str
    level: str
    created_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class Decision:
    """The decision read out of a fold (and an override, if one stands)."""

    level: str | None  # effective level code
    points: float | None
    computed_level: str | None
    score: float | None
    estimate: float | None
    status: str
    status_since: datetime | None
    outcomes: list[dict[str, Any]]
    override_id: str | None
    override_stale: bool


def decide(
    config: MasteryConfig, fold: Fold, override: Override | None = None
) -> Decision:
    """The decision for ``fold``: policy value, level capped by the unmet rules, override."""
    scale = config.scale
    computed, outcomes = _computed_index(config, fold)
    policy_level = config.policy.level_index(fold.policy, scale)
    shown = []
    for o in outcomes:
        d = o.as_dict(scale)
        d["held_back"] = (
            not o.met
            and o.caps_at is not None
            and policy_level is not None
            and policy_level > o.caps_at
        )
        shown.append(d)
    computed_code = None if computed is None else scale.levels[computed].code
    level_index = computed
    status, since = fold.status, fold.since
    stale = False
    if override is not None:
        try:
            level_index = scale.index(override.level)
        except KeyError:  # a level the scale no longer has: the override cannot stand
            override = None
    if override is not None and level_index is not None:
        status = PROFICIENT if level_index >= scale.mastery_index else NOT_YET
        since = override.created_at
        stale = fold.last_received is not None and fold.last_received > since
    return Decision(
        None if level_index is None else scale.levels[level_index].code,
        None if level_index is None else scale.levels[level_index].points,
        computed_code,
        config.policy.score(fold.policy, scale),
        config.policy.estimate(fold.policy),
        status,
        since,
        shown,
        None if override is None else override.id,
        stale,
    )


def fold_all(config: MasteryConfig, pieces: Iterable[Piece]) -> Fold:
    """The fold of ``pieces`` given oldest first: what a full recompute does for one key."""
    fold = start(config)
    for piece in pieces:
        step(config, fold, piece)
    return fold


def restore(row: Any) -> Fold:
    """The fold kept with a stored decision."""
    last = (
        (row.last_observed_at, row.last_evidence_id)
        if row.last_evidence_id is not None
        else None
    )
    return Fold.from_json(row.state, row.evidence_count, last)


# --- The store side. ------------------------------------------------------------------------

_CHUNK = 400  # keys per look-up: well under every database's limit on bound parameters


def _chunks(keys: Sequence[Key]) -> Iterator[Sequence[Key]]:
    for at in range(0, len(keys), _CHUNK):
        yield keys[at : at + _CHUNK]


def stored_rows(conn: Connection, keys: Sequence[Key]) -> dict[Key, Any]:
    """The stored decisions of ``keys``."""
    out: dict[Key, Any] = {}
    for chunk in _chunks(keys):
        for row in conn.execute(
            select(mastery).where(
                tuple_(mastery.c.learner_id, mastery.c.shared_id).in_(chunk)
            )
        ):
            out[(row.learner_id, row.shared_id)] = row
    return out


def _evidence_of(conn: Connection, keys: Sequence[Key]) -> dict[Key, list[Piece]]:
    """Every piece of evidence of ``keys``, oldest first (ties by id)."""
    out: dict[Key, list[Piece]] = {key: [] for key in keys}
    for chunk in _chunks(keys):
        rows = conn.execute(
            select(*_PIECE_COLUMNS)
            .where(tuple_(evidence.c.learner_id, evidence.c.shared_id).in_(chunk))
            .order_by(evidence.c.observed_at, evidence.c.id)
        ).mappings()
        for row in rows:
            out[(row["learner_id"], row["shared_id"])].append(Piece.of(dict(row)))
    return out


_PIECE_COLUMNS = (
    evidence.c.id,
    evidence.c.learner_id,
    evidence.c.shared_id,
    evidence.c.observed_at,
    evidence.c.received_at,
    evidence.c.score,
    evidence.c.weight,
    evidence.c.kind,
    evidence.c.dok,
    evidence.c.vendor_id,
)


def _overrides(
    conn: Connection, keys: Sequence[Key], now: datetime
) -> dict[Key, Override]:
    """The override standing for each key (the newest one not lifted and not expired)."""
    out: dict[Key, Override] = {}
    for chunk in _chunks(keys):
        rows = conn.execute(
            select(mastery_overrides)
            .where(
                tuple_(
                    mastery_overrides.c.learner_id, mastery_overrides.c.shared_id
                ).in_(chunk)
            )
            .where(mastery_overrides.c.lifted_at.is_(None))
            .order_by(mastery_overrides.c.created_at)
        )
        for r in rows:
            if r.expires_at is None or r.expires_at > now:
                out[(r.learner_id, r.shared_id)] = Override(
                    r.id, r.level, r.created_at, r.expires_at
                )
    return out


@dataclass(frozen=True, slots=True)
class Change:
    """A change of a learner's effective level on one competency."""

    learner_id: str
    shared_id: str
    before: str | None
    after: str | None


def on_evidence(
    conn: Connection,
    added: Sequence[Mapping[str, Any]] = (),
    touched: Iterable[Key] = (),
    *,
    tokens: dict[str, str] | None = None,
    now: datetime | None = None,
) -> list[Change]:
    """Bring the decisions up to date after evidence changed, in the caller's transaction.

    ``added`` are evidence rows just inserted (each for the first time); ``touched`` are keys
    whose evidence changed in any other way (removed, moved, re-derived): they are re-folded.
    """
    now = now or utcnow()
    redo: set[Key] = set(touched)
    new: dict[Key, list[Piece]] = {}
    for row in added:
        key = (row["learner_id"], row["shared_id"])
        if key not in redo:
            new.setdefault(key, []).append(Piece.of(row))
    keys = sorted(redo | new.keys())
    if not keys:
        return []
    tokens = tokens if tokens is not None else current_tokens(conn)
    resolver = ConfigResolver(conn, tokens)
    rolled: set[Key] = set()
    if resolver.any_rollup:  # a parent decided by its children takes no fold
        rolled = {k for k in keys if resolver.for_shared(k[1]).rollup is not None}
        keys = [k for k in keys if k not in rolled]
        redo -= rolled
    old = stored_rows(conn, keys)
    folds: dict[Key, Fold] = {}
    configs: dict[Key, MasteryConfig] = {}
    for key in keys:
        config = configs[key] = resolver.for_shared(key[1])
        stored = old.get(key)
        pieces = new.get(key)
        if (
            key in redo
            or pieces is None
            or stored is None
            or stored.config_version != config.version
        ):
            redo.add(key)
            continue
        pieces.sort(key=lambda p: (p.observed_at, p.id))
        if stored.last_evidence_id is not None and (
            pieces[0].observed_at,
            pieces[0].id,
        ) <= (
            stored.last_observed_at,
            stored.last_evidence_id,
        ):
            redo.add(
                key
            )  # a late arrival: its place is among the evidence already folded
            continue
        fold = restore(stored)
        for piece in pieces:
            step(config, fold, piece)
        folds[key] = fold
    if redo:
        for key, pieces in _evidence_of(conn, sorted(redo)).items():
            folds[key] = fold_all(configs[key], pieces)
    with_override = [
        k for k in keys if (old.get(k) is not None and old[k].override_id) or k in redo
    ]
    overrides = _overrides(conn, with_override, now) if with_override else {}
    changes = _write(conn, folds, configs, old, overrides, now)
    if resolver.any_rollup:
        changes += roll_up(conn, resolver, tokens, set(keys) | rolled, now)
    return changes


def _write(
    conn: Connection,
    folds: Mapping[Key, Fold],
    configs: Mapping[Key, MasteryConfig],
    old: Mapping[Key, Any],
    overrides: Mapping[Key, Override],
    now: datetime,
) -> list[Change]:
    rows: list[dict[str, Any]] = []
    gone: list[Key] = []
    events: list[dict[str, Any]] = []
    changes: list[Change] = []
    for key, fold in folds.items():
        config, override, before = configs[key], overrides.get(key), old.get(key)
        row = None
        if fold.count or override is not None:
            row = _row(key, config, fold, decide(config, fold, override), now)
            rows.append(row)
        elif before is not None:
            gone.append(key)
        before_level = None if before is None else before.level
        after_level = None if row is None else row["level"]
        if after_level != before_level:
            change = Change(key[0], key[1], before_level, after_level)
            changes.append(change)
            events.append(_event(change, config, row, now))
    for chunk in _chunks(gone):
        conn.execute(
            delete(mastery).where(
                tuple_(mastery.c.learner_id, mastery.c.shared_id).in_(chunk)
            )
        )
    upsert(conn, mastery, rows)
    if events:
        conn.execute(insert(outbox), events)
    return changes


def _row(
    key: Key, config: MasteryConfig, fold: Fold, decision: Decision, now: datetime
) -> dict[str, Any]:
    return {
        "learner_id": key[0],
        "shared_id": key[1],
        "level": decision.level,
        "points": decision.points,
        "computed_level": decision.computed_level,
        "score": decision.score,
        "estimate": decision.estimate,
        "status": decision.status,
        "status_since": decision.status_since,
        "evidence_count": fold.count,
        "last_observed_at": None if fold.last is None else fold.last[0],
        "last_evidence_id": None if fold.last is None else fold.last[1],
        "state": fold.to_json(config.scale.top_points),
        "policy": config.policy.label(),
        "rules": decision.outcomes,
        "override_id": decision.override_id,
        "override_stale": decision.override_stale,
        "config_version": config.version,
        "updated_at": now,
    }


def _event(
    change: Change, config: MasteryConfig, row: Mapping[str, Any] | None, now: datetime
) -> dict[str, Any]:
    scale = config.scale
    label = None
    if change.after is not None:
        label = scale.levels[scale.index(change.after)].label
    return {
        "event_id": str(uuid.uuid4()),
        "topic": "mastery.changed",
        "subject": f"{change.learner_id}|{change.shared_id}",
        "payload": {
            "learner_id": change.learner_id,
            "shared_id": change.shared_id,
            "level": change.after,
            "label": label,
            "points": None if row is None else row["points"],
            "previous_level": change.before,
            "status": None if row is None else row["status"],
            "score": None if row is None else row["score"],
            "scale_top_points": scale.top_points,
            "mastery_points": scale.mastery_points,
            "overridden": row is not None and row["override_id"] is not None,
            "at": now.isoformat(),
        },
        "created_at": now,
    }


@dataclass(frozen=True, slots=True)
class RecomputeResult:
    """Counts from a full recompute."""

    evidence: int
    decisions: int
    changes: int


def recompute_all(
    conn: Connection, *, learner_id: str | None = None, now: datetime | None = None
) -> RecomputeResult:
    """Re-fold every decision (or one learner's) from the evidence, in one transaction.

    Streams the evidence in (learner, competency, time) order and writes the decisions in
    batches: the same steps as the incremental path, so it gives the same rows.
    """
    now = now or utcnow()
    resolver = ConfigResolver(conn)
    query = select(*_PIECE_COLUMNS).order_by(
        evidence.c.learner_id,
        evidence.c.shared_id,
        evidence.c.observed_at,
        evidence.c.id,
    )
    old_query = select(mastery)
    if learner_id is not None:
        query = query.where(evidence.c.learner_id == learner_id)
        old_query = old_query.where(mastery.c.learner_id == learner_id)
    old = {(r.learner_id, r.shared_id): r for r in conn.execute(old_query)}
    with_override = [k for k, r in old.items() if r.override_id is not None]
    overrides = _overrides(conn, with_override, now)
    folds: dict[Key, Fold] = {}
    configs: dict[Key, MasteryConfig] = {}
    count = decisions = changes = 0
    current: Key | None = None
    old_row_seen: set[Key] = set()
    config: MasteryConfig | None = None
    fold: Fold | None = None

    def flush() -> None:
        nonlocal decisions, changes
        subset = {k: old[k] for k in folds if k in old}
        changes += len(_write(conn, folds, configs, subset, overrides, now))
        decisions += len(folds)
        folds.clear()
        configs.clear()

    for row in conn.execute(query.execution_options(yield_per=5000)):
        key = (row.learner_id, row.shared_id)
        if key != current:
            if len(folds) >= 2000:
                flush()
            current = key
            old_row_seen.add(key)
            config = resolver.for_shared(key[1])
            fold = None
            if config.rollup is None:  # a parent with a roll-up is decided below
                configs[key] = config
                fold = folds[key] = start(config)
        if fold is None or config is None:
            continue
        step(
            config,
            fold,
            Piece(
                row.id,
                row.observed_at,
                row.received_at,
                row.score,
                row.weight,
                row.kind,
                row.dok,
                row.vendor_id or TEACHER_SOURCE,
            ),
        )
        count += 1
    flush()
    # Decisions whose evidence is all gone: kept only while an override stands.
    leftover = [k for k in old if k not in old_row_seen]
    for key in leftover:
        configs[key] = resolver.for_shared(key[1])
        if configs[key].rollup is None:
            folds[key] = start(configs[key])
    flush()
    if resolver.any_rollup:
        query_keys = select(mastery.c.learner_id, mastery.c.shared_id)
        if learner_id is not None:
            query_keys = query_keys.where(mastery.c.learner_id == learner_id)
        every = [(r.learner_id, r.shared_id) for r in conn.execute(query_keys)]
        changes += len(roll_up(conn, resolver, current_tokens(conn), every, now))
    return RecomputeResult(count, decisions, changes)


def roll_up(
    conn: Connection,
    resolver: ConfigResolver,
    tokens: dict[str, str],
    keys: Iterable[Key],
    now: datetime,
) -> list[Change]:
    """Decide the parents (with a roll-up configured) of ``keys`` from their children.

    ``keys`` may name such parents themselves; each level of the hierarchy is decided once
    its children are, up to the top.
    """
    parents = parents_of(conn, tokens)
    children = children_of(parents)
    pending = {k for k in keys if resolver.for_shared(k[1]).rollup is not None}
    pending |= {
        (learner, p)
        for learner, shared in keys
        for p in parents.get(shared, ())
        if resolver.for_shared(p).rollup is not None
    }
    changes: list[Change] = []
    seen: set[Key] = set()
    while pending:
        batch = sorted(pending - seen)
        seen |= pending
        if not batch:
            break
        child_keys = [(lr, c) for lr, p in batch for c in children.get(p, ())]
        child_rows = stored_rows(conn, child_keys)
        old = stored_rows(conn, batch)
        overrides = _overrides(conn, batch, now)
        rows: list[dict[str, Any]] = []
        gone: list[Key] = []
        events: list[dict[str, Any]] = []
        for key in batch:
            config = resolver.for_shared(key[1])
            kids = [child_rows.get((key[0], c)) for c in children.get(key[1], ())]
            row = _rollup_row(key, config, kids, overrides.get(key), now)
            before = old.get(key)
            if row is None:
                if before is not None:
                    gone.append(key)
            else:
                rows.append(row)
            before_level = None if before is None else before.level
            after_level = None if row is None else row["level"]
            if before_level != after_level:
                change = Change(key[0], key[1], before_level, after_level)
                changes.append(change)
                events.append(_event(change, config, row, now))
        for chunk in _chunks(gone):
            conn.execute(
                delete(mastery).where(
                    tuple_(mastery.c.learner_id, mastery.c.shared_id).in_(chunk)
                )
            )
        upsert(conn, mastery, rows)
        if events:
            conn.execute(insert(outbox), events)
        pending = {
            (learner, p)
            for learner, shared in batch
            for p in parents.get(shared, ())
            if resolver.for_shared(p).rollup is not None
        }
    return changes


def _rollup_row(
    key: Key,
    config: MasteryConfig,
    kids: Sequence[Any],
    override: Override | None,
    now: datetime,
) -> dict[str, Any] | None:
    """A parent's decision from its children's decisions (None: nothing to decide on)."""
    rollup = config.rollup
    assert rollup is not None  # noqa: S101 - only parents with a roll-up come here
    scale = config.scale
    decided = [k for k in kids if k is not None and k.level is not None]
    if not decided and override is None:
        return None
    total = len(kids)
    proficient = [k for k in decided if k.status == PROFICIENT]
    needed = rollup.share if rollup.method == "share" else 1.0
    met = total > 0 and len(proficient) / total + 1e-9 >= needed

    def mapped(k: Any) -> int:  # a child's level on the parent's scale, by fraction
        top = k.state.get("top") or scale.top_points
        return scale.by_fraction((k.points or 0.0) / top if top else 0.0)

    if met:
        level: int | None = max(scale.mastery_index, min(mapped(k) for k in proficient))
    elif decided:
        level = min(scale.mastery_index - 1, max(mapped(k) for k in decided))
    else:
        level = None
    want = "all" if rollup.method == "all" else f"{needed:.0%}"
    outcome = {
        "rule": "rollup",
        "met": met,
        "caps_at": None,
        "held_back": not met,
        "message": f"{len(proficient)} of {total} sub-competencies at {scale.mastery.label}; "
        f"needs {want}",
    }
    status = PROFICIENT if met else NOT_YET
    since_values = [k.status_since for k in decided if k.status_since is not None]
    since = max(since_values) if since_values else None
    level_code = None if level is None else scale.levels[level].code
    effective = level
    stale = False
    if override is not None and override.level in {lv.code for lv in scale.levels}:
        effective = scale.index(override.level)
        status = PROFICIENT if effective >= scale.mastery_index else NOT_YET
        since = override.created_at
    label = "rollup(all)" if rollup.method == "all" else f"rollup(share={rollup.share})"
    return {
        "learner_id": key[0],
        "shared_id": key[1],
        "level": None if effective is None else scale.levels[effective].code,
        "points": None if effective is None else scale.levels[effective].points,
        "computed_level": level_code,
        "score": None,
        "estimate": None,
        "status": status,
        "status_since": since,
        "evidence_count": sum(k.evidence_count for k in decided),
        "last_observed_at": None,
        "last_evidence_id": None,
        "state": {"rollup": [len(proficient), total], "top": scale.top_points},
        "policy": label,
        "rules": [outcome],
        "override_id": None if override is None else override.id,
        "override_stale": stale,
        "config_version": config.version,
        "updated_at": now,
    }
