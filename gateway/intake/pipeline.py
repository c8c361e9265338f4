"""The evidence pipeline: keep the raw payload, then derive observations and evidence.

``ingest`` is what protocol endpoints call, inside the transaction of their request: the raw
records are stored first (idempotent by source id) and derived in the same transaction, so a
2xx means both are durable. ``replay`` runs the same derivation over stored raw records.
Everything derived has a deterministic id, so deriving twice changes nothing:

- raw record   uuid5(protocol | vendor id | external id)
- observation  uuid5(raw record id | index of the observation in the payload)
- evidence     uuid5(observation id | shared competency id)

A payload Tessera cannot use yet is kept and marked, never dropped: ``rejected`` (the adapter
could not read its score; the reason is kept), ``unaligned`` (its activity has no alignment
yet; adding one replays it), ``voided`` (retracted by a later payload).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    delete,
    or_,
    select,
    true,
    update,
)

from gateway.errors import NotFound
from gateway.ids import uuid5
from gateway.intake.alignment import Aligner, Rule, Target
from gateway.intake.identity import resolve_learners
from gateway.intake.model import TEACHER_PROTOCOL, AdapterRejected, Observation
from gateway.mastery.engine import Key, on_evidence
from gateway.outbox.events import evidence_received
from gateway.store import Store
from gateway.store.tables import evidence, observations, raw_records, utcnow, vendors
from gateway.store.tokens import current_tokens
from gateway.store.upsert import insert_ignore, select_in

log = logging.getLogger("gateway.intake")
_RECORD_NS = uuid.UUID("5f1b0a52-9d3e-4d67-8f0e-51c1f0a7c2e4")
DEFAULT_KIND = "practice"


def record_id(protocol: str, vendor_id: str | None, external_id: str) -> str:
    """Deterministic id of a raw record: a retried payload lands on the same row."""
    return uuid5(_RECORD_NS, f"{protocol}|{vendor_id or '-'}|{external_id}")


def observation_id(raw_id: str, index: int) -> str:
    """Deterministic id of the ``index``-th observation of a raw record."""
    return uuid5(_RECORD_NS, f"obs|{raw_id}|{index}")


def evidence_id(obs_id: str, shared_id: str) -> str:
    """Deterministic id of the evidence an observation gives a shared competency."""
    return uuid5(_RECORD_NS, f"ev|{obs_id}|{shared_id}")


@dataclass(frozen=True, slots=True)
class Incoming:
    """One payload as a protocol endpoint received it."""

    external_id: str
    body: str  # exactly as received
    payload: Mapping[str, Any]  # the parsed body


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What became of one incoming payload."""

    record_id: str
    external_id: str
    stored: bool  # False when a record with this id was already stored
    same_body: bool  # for an already stored record: whether the bodies are equal
    status: str
    detail: str | None = None
    evidence: int = 0


@dataclass(frozen=True, slots=True)
class VendorContext:
    """What derivation needs to know about the vendor that sent a record."""

    id: str | None
    name: str
    adapter: str
    settings: Any  # adapters.inbound.settings.VendorSettings
    trust_hints: bool = True


AdapterLookup = Callable[[str, str], Any]


def _default_adapter_lookup(name: str, protocol: str) -> Any:
    from adapters.inbound import get_adapter

    return get_adapter(name, protocol)


_context_cache: dict[tuple[str, str], VendorContext] = {}


def vendor_context(conn: Connection, vendor_id: str) -> VendorContext:
    """The vendor's adapter and parsed settings, read from the store."""
    row = conn.execute(
        select(vendors.c.name, vendors.c.adapter, vendors.c.settings).where(
            vendors.c.id == vendor_id
        )
    ).first()
    if row is None:
        raise NotFound(f"No vendor has id {vendor_id!r}.")
    return context_for(vendor_id, row.name, row.adapter, row.settings)


def context_for(
    vendor_id: str, name: str, adapter: str, settings: Mapping[str, Any]
) -> VendorContext:
    """A vendor's context from what the caller already holds (e.g. the credential check).

    Settings are parsed once per process and version of the settings.
    """
    key = (vendor_id, adapter + json.dumps(settings, sort_keys=True))
    ctx = _context_cache.get(key)
    if ctx is None:
        from adapters.inbound.settings import parse_vendor_settings

        parsed = parse_vendor_settings(settings, vendor_name=name)
        ctx = VendorContext(vendor_id, name, adapter, parsed, parsed.hints.trust)
        if len(_context_cache) > 1000:
            _context_cache.clear()
        _context_cache[key] = ctx
    return ctx


@dataclass
class _Derived:
    status: str = "processed"
    detail: str | None = None
    voids: str | None = None
    evidence: int = 0


@dataclass
class _Batch:
    """Rows derived from a batch of raw records, written with one executemany per table."""

    observations: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    voids: list[tuple[str | None, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Observed:
    """What an adapter made of one payload: what it voids, why it was rejected, or what it saw."""

    voids: str | None = None
    rejected: str | None = None
    found: tuple[Observation, ...] = ()


def observe_items(
    ctx: VendorContext,
    protocol: str,
    items: Sequence[Incoming],
    adapter_lookup: AdapterLookup = _default_adapter_lookup,
) -> list[Observed]:
    """The adapter's reading of each item: pure, so callers run it before their transaction.

    Passed to :func:`ingest` as ``observed``, it keeps the adapter's work out of the time the
    write lock is held (on SQLite, one writer at a time).
    """
    adapter = adapter_lookup(ctx.adapter, protocol)
    return [_observe(adapter, ctx, item.external_id, item.payload) for item in items]


def _observe(
    adapter: Any, ctx: VendorContext, name: str, payload: Mapping[str, Any]
) -> Observed:
    target = adapter.voids(payload)
    if target is not None:
        return Observed(voids=target)
    try:
        return Observed(found=tuple(adapter.observe(payload, ctx.settings)))
    except AdapterRejected as exc:
        return Observed(rejected=exc.reason)
    except Exception as exc:  # noqa: BLE001 - an adapter bug must not lose the payload
        log.exception("adapter %r failed on payload %s", ctx.adapter, name)
        return Observed(
            rejected=(
                f"The {ctx.adapter!r} adapter failed on this payload ({type(exc).__name__}: "
                f"{exc}); it is kept and a replay will retry it once the adapter is fixed."
            )
        )


def _write(
    conn: Connection, batch: _Batch, touched: Iterable[Key] = (), *, fresh: bool = True
) -> None:
    """Write derived rows and bring mastery up to date, in the caller's transaction.

    ``fresh``: the batch's evidence is stored for the first time (each piece is folded into
    its decision); otherwise it is re-derived and its decisions are re-folded. ``touched``:
    decisions whose evidence changed before this batch; they are re-folded, and so are those
    the batch's voids retract evidence from.
    """
    insert_ignore(conn, observations, batch.observations)
    insert_ignore(conn, evidence, batch.evidence)
    evidence_received(conn, batch.evidence)
    keys = set(touched)
    for vendor_id, protocol, target, by in batch.voids:
        keys |= _void(conn, vendor_id, protocol, target, by)
    if not fresh:
        keys |= {(e["learner_id"], e["shared_id"]) for e in batch.evidence}
    on_evidence(conn, batch.evidence if fresh else (), keys)


def ingest(
    conn: Connection,
    ctx: VendorContext,
    protocol: str,
    items: Sequence[Incoming],
    *,
    received_at: datetime | None = None,
    adapter_lookup: AdapterLookup = _default_adapter_lookup,
    observed: Sequence[Observed] | None = None,
) -> list[RecordOutcome]:
    """Store ``items`` as raw records and derive their evidence, in the caller's transaction.

    ``observed``: :func:`observe_items` of the same items, made before the transaction.
    """
    now = received_at or utcnow()
    ids = [record_id(protocol, ctx.id, item.external_id) for item in items]
    existing = {
        row[0]: row
        for row in select_in(
            conn,
            "SELECT id, body, status, status_detail FROM raw_records WHERE id IN ({in})",
            ids,
        )
    }
    fresh: list[tuple[str, Incoming]] = []
    made: dict[str, Observed] = {}
    for index, (rid, item) in enumerate(zip(ids, items, strict=True)):
        if rid not in existing and rid not in made:
            made[rid] = observed[index] if observed is not None else Observed()
            fresh.append((rid, item))
    inputs = [
        (rid, ctx, protocol, item.external_id, item.payload, now) for rid, item in fresh
    ]
    derived, batch = _derive(
        conn, inputs, adapter_lookup, made if observed is not None else None
    )
    # Raw and derived rows commit together in the caller's transaction: the raw record is
    # durable exactly when the request succeeds, with its final status.
    insert_ignore(
        conn,
        raw_records,
        [
            {
                "id": rid,
                "protocol": protocol,
                "vendor_id": ctx.id,
                "external_id": item.external_id,
                "body": item.body,
                "received_at": now,
                "status": derived[rid].status,
                "status_detail": derived[rid].detail,
                "voids": derived[rid].voids,
            }
            for rid, item in fresh
        ],
    )
    _write(conn, batch)
    outcomes = []
    for rid, item in zip(ids, items, strict=True):
        if rid in derived:
            d = derived[rid]
            outcomes.append(
                RecordOutcome(
                    rid, item.external_id, True, True, d.status, d.detail, d.evidence
                )
            )
        else:
            old = existing.get(rid)
            body = old[1] if old is not None else item.body
            status = old[2] if old is not None else "processed"
            detail = old[3] if old is not None else None
            outcomes.append(
                RecordOutcome(
                    rid, item.external_id, False, body == item.body, status, detail
                )
            )
    return outcomes


# (raw record id, vendor, protocol, external id, parsed payload, received at)
_RecordInput = tuple[str, VendorContext, str, str, Mapping[str, Any], datetime]


def _derive(
    conn: Connection,
    records: Sequence[_RecordInput],
    adapter_lookup: AdapterLookup,
    readings: Mapping[str, Observed] | None = None,
) -> tuple[dict[str, _Derived], _Batch]:
    """Derive statuses, observations and evidence for new (or replayed) raw records.

    ``readings``: the adapter's reading of each record by id, when the caller made it already.
    Only learners are written here (identity must be settled before rows point at it); the
    caller writes the returned rows.
    """
    results: dict[str, _Derived] = {}
    batch = _Batch()
    if not records:
        return results, batch
    pending: list[tuple[_RecordInput, Sequence[Observation]]] = []
    for rec in records:
        rid, ctx, protocol, external_id, payload, _ = rec
        d = results[rid] = _Derived()
        reading = (
            readings[rid]
            if readings is not None
            else _observe(adapter_lookup(ctx.adapter, protocol), ctx, rid, payload)
        )
        if reading.voids is not None:
            d.voids = reading.voids
            batch.voids.append((ctx.id, protocol, reading.voids, external_id))
        elif reading.rejected is not None:
            d.status, d.detail = "rejected", reading.rejected
        else:
            pending.append((rec, reading.found))

    # A payload voided by one stored earlier (xAPI lets the void arrive first) stays voided.
    voidable = [
        rec
        for rec, _ in pending
        if getattr(adapter_lookup(rec[1].adapter, rec[2]), "can_void", True)
    ]
    voided_by = _stored_voids(conn, voidable)
    for rec, _ in pending:
        if rec[0] in voided_by:
            results[rec[0]].status = "voided"
    pending = [(rec, found) for rec, found in pending if rec[0] not in voided_by]

    flat = [(rec, i, o) for rec, found in pending for i, o in enumerate(found)]
    tokens = current_tokens(conn)
    learner_ids = resolve_learners(
        conn,
        [o.learner for _, _, o in flat],
        [o.learner_name for _, _, o in flat],
        tokens,
    )
    aligner = Aligner(conn, tokens)
    hint_map = aligner.resolve_hints(
        h for rec, _, o in flat if rec[1].trust_hints for h in o.hints
    )
    aligned_any: dict[str, bool] = {}
    for (rec, index, obs), learner_id in zip(flat, learner_ids, strict=True):
        rid, ctx, _, _, _, received = rec
        oid = observation_id(rid, index)
        hinted = (
            [hint_map[h] for h in obs.hints if h in hint_map] if ctx.trust_hints else []
        )
        targets = aligner.targets(ctx.id, obs.activity_id, hinted)
        observed = obs.observed_at or received
        batch.observations.append(
            {
                "id": oid,
                "raw_record_id": rid,
                "vendor_id": ctx.id,
                "learner_id": learner_id,
                "activity_id": obs.activity_id,
                "observed_at": observed,
                "score": obs.score,
                "raw_score": obs.raw_score,
                "min_score": obs.min_score,
                "max_score": obs.max_score,
                "success": obs.success,
                "completion": obs.completion,
                "level_label": obs.level_label,
                "kind": obs.kind,
                "dok": obs.dok,
                "weight": obs.weight,
                "hints": list(obs.hints),
                "aligned": bool(targets),
            }
        )
        if obs.score is None:  # activity data: kept, never waiting for an alignment
            continue
        aligned_any[rid] = aligned_any.get(rid, False) or bool(targets)
        for t in targets:
            batch.evidence.append(
                _evidence_row(oid, rid, learner_id, ctx.id, obs, t, observed, received)
            )
            results[rid].evidence += 1
    for rid, any_aligned in aligned_any.items():
        if not any_aligned:
            results[rid].status = "unaligned"

    return results, batch


def _evidence_row(
    oid: str,
    rid: str,
    learner_id: str,
    vendor_id: str | None,
    obs: Any,  # an Observation, or a stored observations row
    target: Target,
    observed: datetime,
    received: datetime,
) -> dict[str, Any]:
    return {
        "id": evidence_id(oid, target.shared_id),
        "observation_id": oid,
        "raw_record_id": rid,
        "learner_id": learner_id,
        "shared_id": target.shared_id,
        "competency_id": target.competency_id,
        "vendor_id": vendor_id,
        "score": min(1.0, max(0.0, obs.score)),
        "kind": target.kind or obs.kind or DEFAULT_KIND,
        "dok": target.dok if target.dok is not None else obs.dok,
        "weight": target.weight if target.weight is not None else (obs.weight or 1.0),
        "observed_at": observed,
        "received_at": received,
    }


def _stored_voids(conn: Connection, records: Sequence[_RecordInput]) -> dict[str, str]:
    """Raw record id → external id of an already stored payload that voids it."""
    if not records:
        return {}
    by_key = {(rec[1].id, rec[2], rec[3]): rec[0] for rec in records}
    rows = select_in(
        conn,
        "SELECT vendor_id, protocol, voids, external_id FROM raw_records"
        " WHERE voids IN ({in}) AND status != 'voided'",
        sorted({rec[3] for rec in records}),
    )
    out = {}
    for vendor_id, protocol, target, external_id in rows:
        rid = by_key.get((vendor_id, protocol, target))
        if rid is not None:
            out[rid] = external_id
    return out


def _write_statuses(conn: Connection, results: Mapping[str, _Derived]) -> None:
    if not results:
        return
    conn.execute(
        update(raw_records)
        .where(raw_records.c.id == bindparam("rid"))
        .values(
            status=bindparam("new_status"),
            status_detail=bindparam("detail"),
            voids=bindparam("void_target"),
        ),
        [
            {
                "rid": rid,
                "new_status": d.status,
                "detail": d.detail,
                "void_target": d.voids,
            }
            for rid, d in results.items()
        ],
    )


def _void(
    conn: Connection, vendor_id: str | None, protocol: str, target: str, by: str
) -> set[Key]:
    """Retract the evidence of the payload ``target`` (if stored) and mark it voided.

    Returns the (learner, competency) decisions that lost evidence.
    """
    rid = record_id(protocol, vendor_id, target)
    keys = _evidence_keys(conn, evidence.c.raw_record_id.in_([rid]))
    conn.execute(delete(evidence).where(evidence.c.raw_record_id == rid))
    conn.execute(delete(observations).where(observations.c.raw_record_id == rid))
    conn.execute(
        update(raw_records)
        .where(raw_records.c.id == rid)
        .values(status="voided", voided_by=by, status_detail=f"voided by {by}")
    )
    return keys


def _evidence_keys(conn: Connection, where: ColumnElement[bool]) -> set[Key]:
    """The (learner, shared competency) pairs of the evidence rows ``where`` selects."""
    return {
        (r.learner_id, r.shared_id)
        for r in conn.execute(
            select(evidence.c.learner_id, evidence.c.shared_id).where(where).distinct()
        )
    }


def void_records(
    conn: Connection,
    vendor_id: str | None,
    protocol: str,
    external_ids: Iterable[str],
    by: str,
) -> None:
    """Retract payloads on request (a vendor's deletion, an admin's decision)."""
    keys: set[Key] = set()
    for target in external_ids:
        keys |= _void(conn, vendor_id, protocol, target, by)
    on_evidence(conn, (), keys)


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """Counts from a replay."""

    records: int
    evidence: int
    statuses: dict[str, int]


def replay(
    store: Store,
    *,
    vendor_id: str | None = None,
    since: datetime | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
    adapter_lookup: AdapterLookup = _default_adapter_lookup,
) -> ReplayResult:
    """Re-derive observations and evidence from stored raw records, batch by batch.

    Each batch is one transaction; ids are deterministic, so a replay is idempotent and safe
    while the service keeps ingesting.
    """
    conditions = [raw_records.c.protocol != TEACHER_PROTOCOL]
    if vendor_id is not None:
        conditions.append(raw_records.c.vendor_id == vendor_id)
    if since is not None:
        conditions.append(raw_records.c.received_at >= since)
    with store.read() as conn:
        ids = [
            r.id
            for r in conn.execute(
                select(raw_records.c.id)
                .where(and_(True, *conditions))
                .order_by(raw_records.c.received_at, raw_records.c.id)
            )
        ]
    total, done, made = len(ids), 0, 0
    statuses: dict[str, int] = {}
    contexts: dict[str | None, VendorContext] = {}
    for start in range(0, total, batch_size):
        chunk = ids[start : start + batch_size]
        with store.write() as conn:
            # A record voided on request (not by a stored payload) stays voided.
            rows = conn.execute(
                select(raw_records)
                .where(raw_records.c.id.in_(chunk))
                .where(
                    or_(
                        raw_records.c.status != "voided",
                        raw_records.c.voided_by.is_(None),
                    )
                )
                .order_by(raw_records.c.received_at, raw_records.c.id)
            ).all()
            chunk = [r.id for r in rows]
            touched = _evidence_keys(conn, evidence.c.raw_record_id.in_(chunk))
            conn.execute(delete(evidence).where(evidence.c.raw_record_id.in_(chunk)))
            conn.execute(
                delete(observations).where(observations.c.raw_record_id.in_(chunk))
            )
            inputs: list[_RecordInput] = []
            for r in rows:
                if r.vendor_id not in contexts:
                    contexts[r.vendor_id] = vendor_context(conn, r.vendor_id)
                inputs.append(
                    (
                        r.id,
                        contexts[r.vendor_id],
                        r.protocol,
                        r.external_id,
                        json.loads(r.body),
                        r.received_at,
                    )
                )
            derived, batch = _derive(conn, inputs, adapter_lookup)
            _write(conn, batch, touched, fresh=False)
            _write_statuses(conn, derived)
        for d in derived.values():
            made += d.evidence
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    with store.read() as conn:
        for r in conn.execute(select(raw_records.c.status)):
            statuses[r.status] = statuses.get(r.status, 0) + 1
    return ReplayResult(total, made, statuses)


def rederive_observations(conn: Connection, observation_ids: Sequence[str]) -> int:
    """Recompute the evidence of stored observations (after an alignment or crosswalk change)."""
    if not observation_ids:
        return 0
    rows = conn.execute(
        select(
            observations,
            raw_records.c.received_at,
            raw_records.c.status.label("rstatus"),
        )
        .join(raw_records, raw_records.c.id == observations.c.raw_record_id)
        .where(observations.c.id.in_(observation_ids))
    ).all()
    contexts: dict[str | None, VendorContext] = {}
    for r in rows:
        if r.vendor_id not in contexts and r.vendor_id is not None:
            contexts[r.vendor_id] = vendor_context(conn, r.vendor_id)
    aligner = Aligner(conn, current_tokens(conn))
    hint_map = aligner.resolve_hints(h for r in rows for h in r.hints)
    touched = _evidence_keys(conn, evidence.c.observation_id.in_(observation_ids))
    conn.execute(delete(evidence).where(evidence.c.observation_id.in_(observation_ids)))
    new_evidence: list[dict[str, Any]] = []
    aligned: list[dict[str, Any]] = []
    records_aligned: dict[str, bool] = {}
    for r in rows:
        ctx = contexts.get(r.vendor_id)
        trust = ctx.trust_hints if ctx is not None else True
        hinted = [hint_map[h] for h in r.hints if h in hint_map] if trust else []
        targets = aligner.targets(r.vendor_id, r.activity_id, hinted)
        aligned.append({"oid": r.id, "is_aligned": bool(targets)})
        if r.score is None:
            continue
        records_aligned[r.raw_record_id] = records_aligned.get(
            r.raw_record_id, False
        ) or bool(targets)
        for t in targets:
            new_evidence.append(
                _evidence_row(
                    r.id,
                    r.raw_record_id,
                    r.learner_id,
                    r.vendor_id,
                    r,
                    t,
                    r.observed_at,
                    r.received_at,
                )
            )
    insert_ignore(conn, evidence, new_evidence)
    evidence_received(conn, new_evidence)
    on_evidence(
        conn, (), touched | {(e["learner_id"], e["shared_id"]) for e in new_evidence}
    )
    conn.execute(
        update(observations)
        .where(observations.c.id == bindparam("oid"))
        .values(aligned=bindparam("is_aligned")),
        aligned,
    )
    # A record leaves the inbox once any of its observations is aligned. Statuses of records
    # not in the inbox (rejected, voided) are left alone.
    for value, new in ((True, "processed"), (False, "unaligned")):
        ids = [rid for rid, a in records_aligned.items() if a is value]
        if ids:
            conn.execute(
                update(raw_records)
                .where(raw_records.c.id.in_(ids))
                .where(raw_records.c.status.in_(("processed", "unaligned")))
                .values(status=new)
            )
    return len(new_evidence)


def observations_for_rules(conn: Connection, rules: Sequence[Rule]) -> list[str]:
    """Ids of stored observations that the alignment ``rules`` cover."""
    out: set[str] = set()
    exact = [r for r in rules if r.match == "exact"]
    if exact:
        conds = [
            and_(
                observations.c.activity_id == r.activity,
                true()
                if r.vendor_id is None
                else observations.c.vendor_id == r.vendor_id,
            )
            for r in exact
        ]
        out.update(
            row.id for row in conn.execute(select(observations.c.id).where(or_(*conds)))
        )
    patterns = [r for r in rules if r.match != "exact"]
    if patterns:
        acts = conn.execute(
            select(observations.c.vendor_id, observations.c.activity_id).distinct()
        ).all()
        hits = [
            (a.vendor_id, a.activity_id)
            for a in acts
            if any(r.matches(a.vendor_id, a.activity_id) for r in patterns)
        ]
        for vendor, activity in hits:
            cond = observations.c.activity_id == activity
            cond = and_(
                cond,
                observations.c.vendor_id.is_(None)
                if vendor is None
                else observations.c.vendor_id == vendor,
            )
            out.update(
                row.id for row in conn.execute(select(observations.c.id).where(cond))
            )
    return sorted(out)


def observations_for_competencies(
    conn: Connection, competency_ids: Iterable[str]
) -> list[str]:
    """Ids of observations with evidence for ``competency_ids`` (after a crosswalk change)."""
    ids = sorted(set(competency_ids))
    if not ids:
        return []
    return [
        r.observation_id
        for r in conn.execute(
            select(evidence.c.observation_id)
            .where(evidence.c.competency_id.in_(ids))
            .distinct()
        )
    ]
