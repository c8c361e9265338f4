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

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    String,
    Table,
    and_,
    bindparam,
    column,
    delete,
    select,
    values,
)

from gateway.mastery.config import (
    ConfigResolver,
    MasteryConfig,
    children_of,
    parents_of,
)
from gateway.mastery.rules import (
    cap_index,
    tally_start,
    tally_step,
    verdicts,
)
from gateway.store.tables import evidence, mastery, mastery_overrides, outbox, utcnow
from gateway.store.tokens import current_tokens
from gateway.store.upsert import append, bind, upsert

Key = tuple[str, str]  # (learner id, shared competency id)
# Evidence is folded in the order (observed, received, id): when the work was done, then when
# Tessera heard of it (so equal times keep arrival order), then the id (a stable tie-break).
Order = tuple[datetime, datetime, str]
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
    last: Order | None = None  # where the newest piece folded in sorts

    @classmethod
    def from_json(
        cls,
        state: Mapping[str, Any],
        count: int,
        last_observed: datetime | None,
        last_id: str | None,
    ) -> Fold:
        """The fold kept in a state column, with the count and newest piece kept beside it."""
        since, received = state["since"], state["r"]
        last = None
        if last_observed is not None and last_id is not None:
            last = (last_observed, datetime.fromisoformat(state["lr"]), last_id)
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
            "lr": None if self.last is None else self.last[1].isoformat(),
        }


def start(config: MasteryConfig) -> Fold:
    """The fold of no evidence."""
    return Fold(config.policy.start(), tally_start(), NO_EVIDENCE, None, None)


def step(config: MasteryConfig, fold: Fold, piece: Piece) -> None:
    """Fold one more piece (newer than every piece folded so far) into ``fold``."""
    _step(
        config,
        fold,
        piece.id,
        piece.observed_at,
        piece.received_at,
        piece.score,
        piece.weight,
        piece.kind,
        piece.dok,
        piece.source,
    )


def _step(
    config: MasteryConfig,
    fold: Fold,
    piece_id: str,
    observed_at: datetime,
    received_at: datetime,
    score: float,
    weight: float,
    kind: str,
    dok: int | None,
    source: str,
) -> None:
    # :func:`step` on a piece's fields (a full recompute folds rows without making pieces).
    scale = config.scale
    fold.policy = config.policy.step(
        fold.policy, score * scale.top_points, weight, scale
    )
    fold.tally = tally_step(fold.tally, source, kind, dok)
    fold.count += 1
    fold.last = (observed_at, received_at, piece_id)
    if fold.last_received is None or received_at > fold.last_received:
        fold.last_received = received_at
    status = _status(config, fold)
    if status != fold.status:
        fold.status, fold.since = status, observed_at


def _status(config: MasteryConfig, fold: Fold) -> str:
    if fold.count == 0:
        return NO_EVIDENCE
    if fold.count < config.rules.min_evidence:  # held below mastery whatever the scores
        return NOT_YET
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
    held_back: list[str]  # the evidence rules that keep the level below the policy's
    override_id: str | None
    override_stale: bool


def decide(
    config: MasteryConfig, fold: Fold, override: Override | None = None
) -> Decision:
    """The decision for ``fold``: policy value, level capped by the unmet rules, override."""
    scale = config.scale
    policy_level = config.policy.level_index(fold.policy, scale)
    computed = policy_level
    held: list[str] = []
    if policy_level is not None:
        computed = min(policy_level, cap_index(config.rules, scale, fold.tally))
        if computed < policy_level:  # name the rules that hold the learner back
            held = [
                rule
                for rule, met, caps in verdicts(config.rules, scale, fold.tally)
                if not met and policy_level > caps
            ]
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
        held,
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
    return Fold.from_json(
        row.state, row.evidence_count, row.last_observed_at, row.last_evidence_id
    )


# --- The store side. ------------------------------------------------------------------------

_CHUNK = 400  # keys per look-up: well under every database's limit on bound parameters


def _chunks(keys: Sequence[Key]) -> Iterator[Sequence[Key]]:
    for at in range(0, len(keys), _CHUNK):
        yield keys[at : at + _CHUNK]


def _order(piece: Piece) -> Order:
    return (piece.observed_at, piece.received_at, piece.id)


def _lock(conn: Connection, keys: Sequence[Key]) -> None:
    """On PostgreSQL, hold each key's lock until commit: writers of one decision take turns.

    (SQLite's writers take turns already.) Keys are locked in sorted order, so two
    transactions never wait for each other in a circle.
    """
    if conn.dialect.name != "postgresql":
        return
    ids = sorted({_lock_id(k) for k in keys})
    conn.exec_driver_sql(
        "SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k",
        (ids,),
    )


def _lock_id(key: Key) -> int:
    digest = hashlib.blake2b(f"{key[0]}|{key[1]}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True, slots=True)
class _Before:
    """What a full recompute needs of a stored decision."""

    level: str | None
    override_id: str | None


@dataclass(frozen=True, slots=True)
class _Stored:
    """What the incremental path needs of a stored decision."""

    level: str | None
    config_version: str
    last_observed_at: datetime | None
    last_evidence_id: str | None
    state: dict[str, Any]
    evidence_count: int
    override_id: str | None


# A join with the keys as a VALUES list: a row-value IN would scan the table on SQLite.
_FOLD_ROWS = (
    "WITH k(l, s) AS (VALUES {pairs}) SELECT m.learner_id, m.shared_id, m.level,"
    " m.config_version, m.last_observed_at, m.last_evidence_id, m.state, m.evidence_count,"
    " m.override_id FROM k JOIN mastery AS m ON m.learner_id = k.l AND m.shared_id = k.s"
)


def _fold_rows(conn: Connection, keys: Sequence[Key]) -> dict[Key, _Stored]:
    """The stored decisions of ``keys``, read with one plain query per 400 keys."""
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    out: dict[Key, _Stored] = {}
    for chunk in _chunks(keys):
        pairs = ", ".join([f"({mark}, {mark})"] * len(chunk))  # placeholders only
        sql = _FOLD_ROWS.format(pairs=pairs)
        params = tuple(v for key in chunk for v in key)
        for r in conn.exec_driver_sql(sql, params):
            last, state = r[4], r[6]
            if sqlite:
                last = None if last is None else _sqlite_time(last)
                state = json.loads(state)
            out[(r[0], r[1])] = _Stored(r[2], r[3], last, r[5], state, r[7], r[8])
    return out


def _stored_last(stored: _Stored) -> Order:
    """Where the newest piece folded into a stored decision sorts."""
    assert stored.last_observed_at is not None and stored.last_evidence_id is not None  # noqa: S101
    received = datetime.fromisoformat(stored.state["lr"])
    return (stored.last_observed_at, received, stored.last_evidence_id)


def _sqlite_time(value: str) -> datetime:
    return datetime.fromisoformat(value + "+00:00")  # stored in UTC, without an offset


def _with_keys(query: Select[Any], table: Table, chunk: Sequence[Key]) -> Select[Any]:
    """``query`` over ``table`` narrowed to the (learner_id, shared_id) pairs of ``chunk``."""
    k = (
        values(column("l", String), column("s", String), name="k")
        .data(list(chunk))
        .cte()
    )
    return query.join(k, and_(table.c.learner_id == k.c.l, table.c.shared_id == k.c.s))


def stored_rows(conn: Connection, keys: Sequence[Key]) -> dict[Key, Any]:
    """The stored decisions of ``keys``."""
    out: dict[Key, Any] = {}
    for chunk in _chunks(keys):
        for row in conn.execute(_with_keys(select(mastery), mastery, chunk)):
            out[(row.learner_id, row.shared_id)] = row
    return out


def _evidence_of(conn: Connection, keys: Sequence[Key]) -> dict[Key, list[Piece]]:
    """Every piece of evidence of ``keys``, oldest first (ties by id)."""
    out: dict[Key, list[Piece]] = {key: [] for key in keys}
    for chunk in _chunks(keys):
        rows = conn.execute(
            _with_keys(select(*_PIECE_COLUMNS), evidence, chunk).order_by(
                evidence.c.observed_at, evidence.c.received_at, evidence.c.id
            )
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
            _with_keys(select(mastery_overrides), mastery_overrides, chunk)
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
    _lock(conn, keys)
    old = _fold_rows(conn, keys)
    folds: dict[Key, Fold] = {}
    configs: dict[Key, MasteryConfig] = {}
    for key in keys:
        config = configs[key] = resolver.for_shared(key[1])
        stored = old.get(key)
        pieces = new.get(key)
        if key in redo or pieces is None:
            redo.add(key)
            continue
        pieces.sort(key=_order)
        if stored is None:
            # No decision yet means no evidence yet (the engine keeps one per key with
            # evidence), so the new pieces are all there is.
            fold = start(config)
        elif stored.config_version != config.version or (
            stored.last_evidence_id is not None
            and _order(pieces[0]) <= _stored_last(stored)
        ):
            redo.add(key)  # another configuration, or a late arrival: fold it all again
            continue
        else:
            fold = restore(stored)
        for piece in pieces:
            step(config, fold, piece)
        folds[key] = fold
    if redo:
        for key, pieces in _evidence_of(conn, sorted(redo)).items():
            folds[key] = fold_all(configs[key], pieces)
    with_override = [k for k in keys if k in redo or (k in old and old[k].override_id)]
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
    return _save(conn, _decided(folds, configs, overrides, now), old, now)


def _decided(
    folds: Mapping[Key, Fold],
    configs: Mapping[Key, MasteryConfig],
    overrides: Mapping[Key, Override],
    now: datetime,
) -> list[tuple[Key, MasteryConfig, dict[str, Any] | None]]:
    """Each fold's decision row (None: no evidence and no override, the decision is gone)."""
    decided: list[tuple[Key, MasteryConfig, dict[str, Any] | None]] = []
    for key, fold in folds.items():
        config, override = configs[key], overrides.get(key)
        row = None
        if fold.count or override is not None:
            row = _row(key, config, fold, decide(config, fold, override), now)
        decided.append((key, config, row))
    return decided


@dataclass(slots=True)
class _Saving:
    """What saving decisions writes: rows, keys whose decision is gone, level changes."""

    rows: list[dict[str, Any]]
    gone: list[Key]
    events: list[dict[str, Any]]
    changes: list[Change]


def _to_save(
    decided: Sequence[tuple[Key, MasteryConfig, dict[str, Any] | None]],
    old: Mapping[Key, Any],
    now: datetime,
) -> _Saving:
    out = _Saving([], [], [], [])
    at = now.isoformat()
    for key, config, row in decided:
        before = old.get(key)
        if row is not None:
            out.rows.append(row)
        elif before is not None:
            out.gone.append(key)
        before_level = None if before is None else before.level
        after_level = None if row is None else row["level"]
        if after_level != before_level:
            change = Change(key[0], key[1], before_level, after_level)
            out.changes.append(change)
            out.events.append(_event(change, config, row, now, at))
    return out


def _save(
    conn: Connection,
    decided: Sequence[tuple[Key, MasteryConfig, dict[str, Any] | None]],
    old: Mapping[Key, Any],
    now: datetime,
) -> list[Change]:
    """Write new decisions (a row of None: the decision is gone) and their level changes."""
    saving = _to_save(decided, old, now)
    _delete(conn, saving.gone)
    upsert(conn, mastery, saving.rows)
    append(conn, outbox, saving.events)
    return saving.changes


def _delete(conn: Connection, keys: Sequence[Key]) -> None:
    if keys:
        conn.execute(
            delete(mastery).where(
                mastery.c.learner_id == bindparam("l"),
                mastery.c.shared_id == bindparam("s"),
            ),
            [{"l": k[0], "s": k[1]} for k in keys],
        )


_LABELS: dict[Any, str] = {}


def _label(policy: Any) -> str:
    # The policy with its parameters, as stored with each decision (policies are frozen,
    # and an instance has few distinct ones).
    found = _LABELS.get(policy)
    if found is None:
        if len(_LABELS) > 1024:
            _LABELS.clear()
        found = _LABELS[policy] = policy.label()
    return found


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
        "last_evidence_id": None if fold.last is None else fold.last[2],
        "state": fold.to_json(config.scale.top_points),
        "policy": _label(config.policy),
        "rules": decision.held_back,
        "override_id": decision.override_id,
        "override_stale": decision.override_stale,
        "config_version": config.version,
        "updated_at": now,
    }


def _event(
    change: Change,
    config: MasteryConfig,
    row: Mapping[str, Any] | None,
    now: datetime,
    at: str,
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
            "at": at,
        },
        "created_at": now,
    }


@dataclass(frozen=True, slots=True)
class RecomputeResult:
    """Counts from a full recompute."""

    evidence: int
    decisions: int
    changes: int


_ALL_EVIDENCE = (
    "SELECT id, learner_id, shared_id, observed_at, received_at, score, weight, kind, dok,"
    " vendor_id FROM evidence{where} ORDER BY learner_id, shared_id, observed_at,"
    " received_at, id"
)


def _stream(conn: Connection, sql: str, params: tuple[Any, ...]) -> Iterator[Any]:
    """Rows of ``sql`` as plain tuples, a few thousand at a time (every piece of evidence)."""
    if conn.dialect.name != "sqlite":
        yield from conn.exec_driver_sql(
            sql,
            params,
            execution_options={"stream_results": True, "max_row_buffer": 5000},
        )
        return
    cursor = conn.connection.cursor()  # the driver's own: no per-row result processing
    try:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            yield from batch
    finally:
        cursor.close()


def recompute_all(
    conn: Connection,
    *,
    learner_id: str | None = None,
    now: datetime | None = None,
    processes: int = 1,
) -> RecomputeResult:
    """Re-fold every decision (or one learner's) from the evidence, in one transaction.

    Streams the evidence in (learner, competency, time) order and writes the decisions in
    batches: the same steps as the incremental path, so it gives the same rows.
    ``processes`` > 1 (a full recompute on SQLite, from a command line: it forks) has that
    many child processes fold ranges of learners while this one writes what they decide.
    """
    now = now or utcnow()
    resolver = ConfigResolver(conn)
    sqlite = conn.dialect.name == "sqlite"
    if (
        sqlite
    ):  # a page cache for the bulk writes (128 MB at most; back to default after)
        conn.exec_driver_sql(f"PRAGMA cache_size={_BULK_CACHE_KIB}")
    try:
        return _recompute(conn, resolver, learner_id, now, processes)
    finally:
        if sqlite:
            conn.exec_driver_sql("PRAGMA cache_size=-2000")


_BULK_CACHE_KIB = -131072  # negative: KiB, as SQLite counts it


def _recompute(
    conn: Connection,
    resolver: ConfigResolver,
    learner_id: str | None,
    now: datetime,
    processes: int,
) -> RecomputeResult:
    sqlite = conn.dialect.name == "sqlite"
    where: str = ""
    params: tuple[str, ...] = ()
    if learner_id is not None:
        where = " WHERE learner_id = ?" if sqlite else " WHERE learner_id = %s"
        params = (learner_id,)
    old = {
        (r[0], r[1]): _Before(r[2], r[3])
        for r in _stream(
            conn,
            f"SELECT learner_id, shared_id, level, override_id FROM mastery{where}",  # noqa: S608 - fixed text
            params,
        )
    }
    with_override = [k for k, r in old.items() if r.override_id is not None]
    overrides = _overrides(conn, with_override, now)
    count = decisions = changes = 0
    old_row_seen: set[Key] = set()
    done = None
    if processes > 1 and sqlite and learner_id is None:
        done = _recompute_in_processes(conn, resolver, old, overrides, now, processes)
    if done is not None:
        count, decisions, changes, old_row_seen = done
    else:
        rows = _stream(conn, _ALL_EVIDENCE.format(where=where), params)
        parse = _sqlite_time if sqlite else None
        for batch, batch_configs, read in _fold_batches(
            rows, resolver, parse, old_row_seen
        ):
            subset = {k: old[k] for k in batch if k in old}
            changes += len(_write(conn, batch, batch_configs, subset, overrides, now))
            decisions += len(batch)
            count += read
    folds: dict[Key, Fold] = {}
    configs: dict[Key, MasteryConfig] = {}

    def flush() -> None:
        nonlocal decisions, changes
        subset = {k: old[k] for k in folds if k in old}
        changes += len(_write(conn, folds, configs, subset, overrides, now))
        decisions += len(folds)
        folds.clear()
        configs.clear()

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


def _fold_batches(
    rows: Iterable[Any],
    resolver: ConfigResolver,
    parse: Any,
    seen: set[Key],
    size: int = 2000,
) -> Iterator[tuple[dict[Key, Fold], dict[Key, MasteryConfig], int]]:
    """Folds of the evidence ``rows`` (ordered by key, then time), ``size`` keys at a time.

    Each batch comes with how many rows it read; every key met is added to ``seen``.
    """
    folds: dict[Key, Fold] = {}
    configs: dict[Key, MasteryConfig] = {}
    current: Key = ("", "")
    config: MasteryConfig | None = None
    fold: Fold | None = None
    read = 0
    for eid, lid, sid, observed, received, score, weight, kind, dok, vendor in rows:
        if sid != current[1] or lid != current[0]:
            if len(folds) >= size:
                yield folds, configs, read
                folds, configs, read = {}, {}, 0
            current = key = (lid, sid)
            seen.add(key)
            config = resolver.for_shared(sid)
            fold = None
            if config.rollup is None:  # a parent with a roll-up is decided below
                configs[key] = config
                fold = folds[key] = start(config)
        if fold is None or config is None:
            continue
        if parse is not None:
            observed, received = parse(observed), parse(received)
        _step(
            config,
            fold,
            eid,
            observed,
            received,
            score,
            weight,
            kind,
            dok,
            vendor or TEACHER_SOURCE,
        )
        read += 1
    if folds:
        yield folds, configs, read


PARALLEL_MIN_EVIDENCE = 50_000  # below this a recompute folds in one process

_Chunk = tuple[
    list[tuple[Any, ...]], list[tuple[Any, ...]], int, int, int, list[Key]
]  # mastery params, outbox params, rows read, decisions, changes, keys seen


def _fold_range(
    path: str,
    bounds: tuple[str | None, str | None],
    resolver: ConfigResolver,
    old: Mapping[Key, Any],
    overrides: Mapping[Key, Override],
    now: datetime,
    out: Any,
) -> None:
    """In a child process: fold the learners in ``bounds`` and send the rows to write."""
    import sqlite3

    low, high = bounds
    where, params = [], []
    if low is not None:
        where.append("learner_id >= ?")
        params.append(low)
    if high is not None:
        where.append("learner_id < ?")
        params.append(high)
    sql = _ALL_EVIDENCE.format(where=" WHERE " + " AND ".join(where) if where else "")
    db = sqlite3.connect(path)
    try:
        cursor = db.execute(sql, params)
        rows = (
            row for batch in iter(lambda: cursor.fetchmany(5000), []) for row in batch
        )
        seen: set[Key] = set()
        for folds, configs, read in _fold_batches(rows, resolver, _sqlite_time, seen):
            saving = _to_save(_decided(folds, configs, overrides, now), old, now)
            assert not saving.gone  # noqa: S101 - every key here has evidence
            chunk: _Chunk = (
                bind(mastery, "sqlite", "replace", saving.rows)[1],
                bind(outbox, "sqlite", "append", saving.events)[1],
                read,
                len(folds),
                len(saving.changes),
                list(seen),
            )
            out.send(chunk)
            seen.clear()
        out.send(None)
    finally:
        db.close()
        out.close()


def _recompute_in_processes(
    conn: Connection,
    resolver: ConfigResolver,
    old: Mapping[Key, Any],
    overrides: Mapping[Key, Override],
    now: datetime,
    processes: int,
) -> tuple[int, int, int, set[Key]] | None:
    """Children fold ranges of learners; this process writes their rows as they come."""
    import multiprocessing
    from multiprocessing.connection import wait

    path = conn.engine.url.database
    total = conn.exec_driver_sql("SELECT count(*) FROM evidence").scalar() or 0
    if not path or path == ":memory:" or total < PARALLEL_MIN_EVIDENCE:
        return None  # not worth a fork: the caller folds in this process
    bounds: list[str | None] = [None]
    for n in range(1, processes):  # learner ids splitting the evidence into equal parts
        found = conn.exec_driver_sql(
            "SELECT learner_id FROM evidence ORDER BY learner_id LIMIT 1 OFFSET ?",
            (total * n // processes,),
        ).scalar()
        if found is not None and found != bounds[-1]:
            bounds.append(str(found))
    bounds.append(None)
    for (sid,) in conn.exec_driver_sql("SELECT DISTINCT shared_id FROM evidence"):
        resolver.for_shared(sid)  # every configuration resolved before the fork
    context = multiprocessing.get_context("fork")
    readers, children = [], []
    for low, high in zip(bounds, bounds[1:], strict=False):
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(
            target=_fold_range,
            args=(path, (low, high), resolver, old, overrides, now, writer),
            daemon=True,
        )
        child.start()
        writer.close()
        readers.append(reader)
        children.append(child)
    mastery_sql = bind(mastery, "sqlite", "replace", [{}])[0]
    outbox_sql = bind(outbox, "sqlite", "append", [{}])[0]
    count = decisions = changes = 0
    seen: set[Key] = set()
    try:
        while readers:
            for ready in wait(readers):
                reader = readers[[id(r) for r in readers].index(id(ready))]
                try:
                    chunk = reader.recv()
                except EOFError:
                    raise RuntimeError("a recompute process ended early") from None
                if chunk is None:
                    readers.remove(reader)
                    continue
                rows, events, read, made, changed, keys = chunk
                if rows:
                    conn.exec_driver_sql(mastery_sql, rows)
                if events:
                    conn.exec_driver_sql(outbox_sql, events)
                count, decisions = count + read, decisions + made
                changes += changed
                seen.update(keys)
    finally:
        for child in children:
            child.join(timeout=60)
            if child.is_alive():
                child.kill()
    if any(child.exitcode != 0 for child in children):
        raise RuntimeError("a recompute process failed; nothing was written")
    return count, decisions, changes, seen


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
        decided = []
        for key in batch:
            config = resolver.for_shared(key[1])
            kids = [child_rows.get((key[0], c)) for c in children.get(key[1], ())]
            decided.append(
                (key, config, _rollup_row(key, config, kids, overrides.get(key), now))
            )
        changes += _save(conn, decided, old, now)
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
