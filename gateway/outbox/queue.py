"""The deliveries queue: fan-out from the outbox, claims under a lease, outcomes, listings.

Fan-out reads outbox events after a cursor (``outbox_cursors``, row "fanout", locked for the
transaction so two workers never fan out the same events) and writes one delivery per active
destination taking the topic. On PostgreSQL a sequence value is taken when a row is inserted
but becomes visible when its transaction commits, so a later event could be seen before an
earlier one: fan-out first takes ``LOCK TABLE outbox IN SHARE MODE`` for an instant (it waits
for transactions that wrote to the outbox, with a short lock timeout) and reads the highest
``seq``; every event up to it is committed or never will be, so the cursor never passes one.
On SQLite writers are serialized, so the highest ``seq`` is safe already.

Claims pick due deliveries (pending and due, or in flight with a lapsed lease) oldest first,
``FOR UPDATE SKIP LOCKED`` on PostgreSQL so concurrent workers take disjoint items; on SQLite
the claim runs in a ``BEGIN IMMEDIATE`` transaction, which no other writer shares. Ordering
per (destination, subject): a candidate with a newer sibling (pending, in flight or delivered)
is superseded instead of sent; one whose older sibling is still in flight under a live lease
waits. Outcomes are written only by the worker still holding the lease.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from adapters.outbound import Outcome
from gateway.errors import Conflict, NotFound
from gateway.ids import uuid5
from gateway.outbox.policy import (
    DEAD,
    DELIVERED,
    IN_FLIGHT,
    PENDING,
    STATUSES,
    SUPERSEDED,
    RetryPolicy,
    judge,
)
from gateway.store import Store
from gateway.store.tables import (
    deliveries,
    destinations,
    outbox,
    outbox_cursors,
    utcnow,
)
from gateway.store.upsert import insert_ignore

FANOUT_CURSOR = "fanout"
# A delivery whose subject has an older one in flight is looked at again after this long.
_WAIT_FOR_OLDER = timedelta(seconds=1)
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL SQLSTATE lock_not_available
_HORIZON_LOCK_TIMEOUT = "200ms"
_DELIVERY_NS = uuid.UUID("8f4e2a71-3c5d-4b9e-a0f6-1d2c3b4a5e6f")


def delivery_id(event_id: str, destination_id: str) -> str:
    """The delivery's id, and the idempotency key its target sees on every attempt."""
    return uuid5(_DELIVERY_NS, f"{event_id}|{destination_id}")


# --- Fan-out -----------------------------------------------------------------------------------


def _safe_horizon(store: Store) -> int | None:
    """The highest outbox seq below which no event can still appear; None: try later."""
    if store.dialect != "postgresql":
        with store.read() as conn:
            return int(conn.execute(select(func.max(outbox.c.seq))).scalar() or 0)
    try:
        with store.write() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{_HORIZON_LOCK_TIMEOUT}'"))
            conn.execute(text("LOCK TABLE outbox IN SHARE MODE"))
            return int(conn.execute(select(func.max(outbox.c.seq))).scalar() or 0)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            return None  # a long transaction is writing events: fan out next time
        raise


def _locked_cursor(conn: Connection) -> int:
    insert_ignore(
        conn,
        outbox_cursors,
        [{"name": FANOUT_CURSOR, "seq": 0, "updated_at": utcnow()}],
    )
    query = select(outbox_cursors.c.seq).where(outbox_cursors.c.name == FANOUT_CURSOR)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return int(conn.execute(query).scalar_one())


def fan_out(
    store: Store,
    policy: RetryPolicy,
    *,
    limit: int = 1000,
    now: datetime | None = None,
) -> int:
    """Turn outbox events after the cursor into deliveries; returns how many events it read.

    Within the events read, only the newest per (destination, subject) is pending; older ones
    are written superseded, and pending older ones already queued become superseded.
    """
    with store.read() as conn:  # the common case, nothing new, costs one read
        last_seq = conn.execute(select(func.max(outbox.c.seq))).scalar()
        done = conn.execute(
            select(outbox_cursors.c.seq).where(outbox_cursors.c.name == FANOUT_CURSOR)
        ).scalar()
    if last_seq is None or (done is not None and done >= last_seq):
        return 0
    horizon = _safe_horizon(store)
    if horizon is None:
        return 0
    now = now or utcnow()
    with store.write() as conn:
        cursor = _locked_cursor(conn)
        if cursor >= horizon:
            return 0
        events = conn.execute(
            select(outbox.c.seq, outbox.c.event_id, outbox.c.topic, outbox.c.subject)
            .where(outbox.c.seq > cursor, outbox.c.seq <= horizon)
            .order_by(outbox.c.seq)
            .limit(limit)
        ).all()
        if not events:
            return 0
        targets = conn.execute(
            select(destinations.c.id, destinations.c.topics).where(
                destinations.c.status == "active"
            )
        ).all()
        newest: dict[tuple[str, str], int] = {}
        rows: list[dict[str, Any]] = []
        for event in events:
            for target in targets:
                if event.topic not in target.topics:
                    continue
                newest[(target.id, event.subject)] = event.seq
                rows.append(_delivery_row(event, target.id, now, policy))
        for row in rows:
            if newest[(row["destination_id"], row["subject"])] != row["event_seq"]:
                row["status"] = SUPERSEDED
        _insert_deliveries(conn, rows)
        if newest:
            conn.execute(
                update(deliveries)
                .where(
                    deliveries.c.subject == bindparam("s"),
                    deliveries.c.destination_id == bindparam("d"),
                    deliveries.c.event_seq < bindparam("n"),
                    deliveries.c.status == PENDING,
                )
                .values(status=SUPERSEDED, updated_at=now),
                [{"s": s, "d": d, "n": n} for (d, s), n in newest.items()],
            )
        conn.execute(
            update(outbox_cursors)
            .where(outbox_cursors.c.name == FANOUT_CURSOR)
            .values(seq=events[-1].seq, updated_at=now)
        )
    return len(events)


def _insert_deliveries(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT (id) DO NOTHING; the database numbers ``seq``."""
    if rows:
        module: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            module.insert(deliveries).on_conflict_do_nothing(index_elements=["id"]),
            rows,
        )


def _delivery_row(
    event: Any, destination_id: str, now: datetime, policy: RetryPolicy
) -> dict[str, Any]:
    learner = event.subject.split("|", 1)[0] if "|" in event.subject else None
    return {
        "id": delivery_id(event.event_id, destination_id),
        "event_seq": event.seq,
        "destination_id": destination_id,
        "subject": event.subject,
        "learner_id": learner,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "give_up_at": now + timedelta(seconds=policy.horizon),
        "claimed_by": None,
        "claimed_until": None,
        "last_error": None,
        "last_status_code": None,
        "created_at": now,
        "updated_at": now,
        "delivered_at": None,
    }


# --- Claims and outcomes -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery a worker holds under a lease."""

    seq: int
    id: str
    event_seq: int
    destination_id: str
    subject: str
    attempts: int  # including the one about to be made
    give_up_at: datetime
    claimed_until: datetime


_CANDIDATE_COLUMNS = (
    deliveries.c.seq,
    deliveries.c.id,
    deliveries.c.event_seq,
    deliveries.c.destination_id,
    deliveries.c.subject,
    deliveries.c.attempts,
    deliveries.c.give_up_at,
)


def claim(
    store: Store,
    worker: str,
    *,
    limit: int,
    lease: float,
    now: datetime | None = None,
) -> list[Claim]:
    """Claim up to ``limit`` due deliveries for ``worker`` until now + ``lease`` seconds."""
    now = now or utcnow()
    until = now + timedelta(seconds=lease)
    with store.write() as conn:
        query = (
            select(*_CANDIDATE_COLUMNS)
            .where(
                or_(
                    and_(
                        deliveries.c.status == PENDING,
                        deliveries.c.next_attempt_at <= now,
                    ),
                    and_(
                        deliveries.c.status == IN_FLIGHT,
                        deliveries.c.claimed_until < now,
                    ),
                )
            )
            .order_by(deliveries.c.next_attempt_at, deliveries.c.seq)
            .limit(limit)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidates = conn.execute(query).all()
        if not candidates:
            return []
        stale, blocked = _ordering(conn, candidates, now)
        if stale:
            conn.execute(
                update(deliveries)
                .where(deliveries.c.seq == bindparam("k"))
                .values(
                    status=SUPERSEDED,
                    claimed_by=None,
                    claimed_until=None,
                    updated_at=now,
                ),
                [{"k": k} for k in sorted(stale)],
            )
        if blocked:  # not before a moment from now, so they do not fill every batch
            conn.execute(
                update(deliveries)
                .where(
                    deliveries.c.seq == bindparam("k"),
                    deliveries.c.status == PENDING,
                )
                .values(next_attempt_at=now + _WAIT_FOR_OLDER, updated_at=now),
                [{"k": k} for k in sorted(blocked)],
            )
        chosen = [c for c in candidates if c.seq not in stale and c.seq not in blocked]
        if chosen:
            conn.execute(
                update(deliveries)
                .where(deliveries.c.seq == bindparam("k"))
                .values(
                    status=IN_FLIGHT,
                    claimed_by=worker,
                    claimed_until=until,
                    attempts=deliveries.c.attempts + 1,
                    updated_at=now,
                ),
                [{"k": c.seq} for c in chosen],
            )
    return [
        Claim(
            c.seq,
            c.id,
            c.event_seq,
            c.destination_id,
            c.subject,
            c.attempts + 1,
            c.give_up_at,
            until,
        )
        for c in chosen
    ]


def _ordering(
    conn: Connection, candidates: Sequence[Any], now: datetime
) -> tuple[set[int], set[int]]:
    """(candidates a newer event supersedes, candidates waiting for an older one in flight)."""
    siblings = conn.execute(
        select(
            deliveries.c.seq,
            deliveries.c.destination_id,
            deliveries.c.subject,
            deliveries.c.event_seq,
            deliveries.c.status,
            deliveries.c.claimed_until,
        ).where(
            deliveries.c.subject.in_(sorted({c.subject for c in candidates})),
            deliveries.c.status.in_([PENDING, IN_FLIGHT, DELIVERED]),
        )
    ).all()
    by_key: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for s in siblings:
        by_key[(s.destination_id, s.subject)].append(s)
    stale: set[int] = set()
    blocked: set[int] = set()
    for c in candidates:
        for s in by_key[(c.destination_id, c.subject)]:
            if s.seq == c.seq:
                continue
            if s.event_seq > c.event_seq:
                stale.add(c.seq)
            elif (
                s.status == IN_FLIGHT
                and s.claimed_until is not None
                and s.claimed_until >= now
            ):
                blocked.add(c.seq)
    return stale, blocked - stale


def record(
    store: Store,
    worker: str,
    results: Sequence[tuple[Claim, Outcome]],
    policy: RetryPolicy,
    *,
    now: datetime | None = None,
) -> dict[str, int]:
    """Write each attempt's outcome (only where ``worker`` still holds the claim).

    Returns how many deliveries became delivered, pending (to retry) and dead.
    """
    now = now or utcnow()
    params = []
    tally: dict[str, int] = defaultdict(int)
    for held, outcome in results:
        verdict = judge(
            outcome,
            attempts=held.attempts,
            now=now,
            give_up_at=held.give_up_at,
            policy=policy,
        )
        tally[verdict.status] += 1
        params.append(
            {
                "k": held.seq,
                "w": worker,
                "status": verdict.status,
                "next_attempt_at": verdict.next_attempt_at,
                "last_error": verdict.error,
                "last_status_code": outcome.status_code,
                "delivered_at": now if verdict.status == DELIVERED else None,
            }
        )
    if params:
        with store.write() as conn:
            conn.execute(
                update(deliveries)
                .where(
                    deliveries.c.seq == bindparam("k"),
                    deliveries.c.claimed_by == bindparam("w"),
                    deliveries.c.status == IN_FLIGHT,
                )
                .values(
                    status=bindparam("status"),
                    next_attempt_at=bindparam("next_attempt_at"),
                    last_error=bindparam("last_error"),
                    last_status_code=bindparam("last_status_code"),
                    delivered_at=bindparam("delivered_at"),
                    claimed_by=None,
                    claimed_until=None,
                    updated_at=now,
                ),
                params,
            )
    return dict(tally)


def release(store: Store, worker: str, held: Sequence[Claim]) -> None:
    """Give back claims not attempted (a worker stopping): due again at once."""
    if not held:
        return
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            update(deliveries)
            .where(
                deliveries.c.seq == bindparam("k"),
                deliveries.c.claimed_by == worker,
                deliveries.c.status == IN_FLIGHT,
            )
            .values(
                status=PENDING,
                attempts=deliveries.c.attempts - 1,
                next_attempt_at=now,
                claimed_by=None,
                claimed_until=None,
                updated_at=now,
            ),
            [{"k": h.seq} for h in held],
        )


# --- Listings and admin actions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryFilter:
    """What a listing of deliveries is narrowed to."""

    status: str | None = None
    destination_id: str | None = None
    learner_id: str | None = None


def _listing_query() -> Any:
    return (
        select(
            deliveries,
            destinations.c.name.label("destination_name"),
            destinations.c.kind.label("destination_kind"),
            outbox.c.event_id,
            outbox.c.topic,
            outbox.c.payload,
        )
        .join(destinations, destinations.c.id == deliveries.c.destination_id)
        .join(outbox, outbox.c.seq == deliveries.c.event_seq)
    )


def delivery_json(row: Any, *, with_payload: bool = False) -> dict[str, Any]:
    """A delivery as the API shows it."""

    def iso(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat()

    payload = row.payload or {}
    out: dict[str, Any] = {
        "id": row.id,
        "event_id": row.event_id,
        "topic": row.topic,
        "subject": row.subject,
        "learner_id": row.learner_id,
        "level": payload.get("level"),
        "destination": {
            "id": row.destination_id,
            "name": row.destination_name,
            "kind": row.destination_kind,
        },
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": iso(row.next_attempt_at) if row.status == PENDING else None,
        "give_up_at": iso(row.give_up_at),
        "claimed_by": row.claimed_by,
        "claimed_until": iso(row.claimed_until),
        "last_error": row.last_error,
        "last_status_code": row.last_status_code,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "delivered_at": iso(row.delivered_at),
    }
    if with_payload:
        out["payload"] = payload
    return out


def list_deliveries(
    store: Store, where: DeliveryFilter, *, after: str | None, limit: int
) -> list[Any]:
    """Deliveries newest first (by seq), after the cursor key ``after``."""
    query = _listing_query().order_by(deliveries.c.seq.desc()).limit(limit)
    if where.status:
        query = query.where(deliveries.c.status == where.status)
    if where.destination_id:
        query = query.where(deliveries.c.destination_id == where.destination_id)
    if where.learner_id:
        query = query.where(deliveries.c.learner_id == where.learner_id)
    if after is not None:
        query = query.where(deliveries.c.seq < int(after))
    with store.read() as conn:
        return list(conn.execute(query).all())


def get_delivery(conn: Connection, delivery: str) -> Any:
    """One delivery's row (with its destination and event); NotFound otherwise."""
    row = conn.execute(_listing_query().where(deliveries.c.id == delivery)).first()
    if row is None:
        raise NotFound(f"No delivery has id {delivery!r}.")
    return row


def retry_delivery(store: Store, delivery: str, policy: RetryPolicy) -> dict[str, Any]:
    """Make a dead delivery pending again, due now, with a fresh horizon.

    A delivery a newer event of its subject has overtaken is marked superseded instead: its
    level is stale, and sending it would overwrite a newer one.
    """
    now = utcnow()
    with store.write() as conn:
        row = get_delivery(conn, delivery)
        if row.status != DEAD:
            raise Conflict(
                f"Delivery {delivery!r} is {row.status}; only dead deliveries are retried."
            )
        if (
            conn.execute(
                select(destinations.c.status).where(
                    destinations.c.id == row.destination_id
                )
            ).scalar()
            != "active"
        ):
            raise Conflict(
                f"Delivery {delivery!r} was for a destination since removed; add the "
                "destination again to send new events there."
            )
        newer = conn.execute(
            select(func.count())
            .select_from(deliveries)
            .where(
                deliveries.c.destination_id == row.destination_id,
                deliveries.c.subject == row.subject,
                deliveries.c.event_seq > row.event_seq,
                deliveries.c.status.in_([PENDING, IN_FLIGHT, DELIVERED]),
            )
        ).scalar_one()
        values: dict[str, Any] = (
            {"status": SUPERSEDED}
            if newer
            else {
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "give_up_at": now + timedelta(seconds=policy.horizon),
            }
        )
        conn.execute(
            update(deliveries)
            .where(deliveries.c.seq == row.seq)
            .values(updated_at=now, **values)
        )
        return delivery_json(get_delivery(conn, delivery), with_payload=True)


def retry_dead(
    store: Store, where: DeliveryFilter, policy: RetryPolicy, *, limit: int = 10_000
) -> dict[str, int]:
    """Retry the dead deliveries ``where`` selects (at most ``limit``), one by one.

    Returns how many became pending and how many superseded (overtaken by a newer level).
    """
    rows = list_deliveries(store, replace(where, status=DEAD), after=None, limit=limit)
    tally = {PENDING: 0, SUPERSEDED: 0}
    for row in reversed(rows):  # oldest first
        try:
            tally[retry_delivery(store, row.id, policy)["status"]] += 1
        except Conflict:
            continue  # retried meanwhile, or its destination is gone
    return tally


def delivery_counts(conn: Connection) -> dict[str, int]:
    """Deliveries by status, every status present (0 when none)."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, n in conn.execute(
        select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
    ):
        counts[str(status)] = int(n)
    return counts


def oldest_pending_age(conn: Connection, now: datetime | None = None) -> float:
    """Seconds since the oldest undelivered delivery was queued (0 when none waits)."""
    oldest: datetime | None = conn.execute(
        select(func.min(deliveries.c.created_at)).where(
            deliveries.c.status.in_([PENDING, IN_FLIGHT])
        )
    ).scalar()
    if oldest is None:
        return 0.0
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return max(0.0, ((now or utcnow()) - oldest).total_seconds())


def fanout_lag(conn: Connection) -> int:
    """Outbox events not yet fanned out into deliveries."""
    cursor = conn.execute(
        select(outbox_cursors.c.seq).where(outbox_cursors.c.name == FANOUT_CURSOR)
    ).scalar()
    return int(
        conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.seq > (cursor or 0))
        ).scalar_one()
    )
