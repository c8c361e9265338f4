"""Outbox events besides level changes: evidence received, credentials issued.

Each is written in the transaction that stores what it announces, and only while an active
destination takes its topic: the set of topics subscribed to is a per-process copy kept
honest by the ``destinations`` cache token (see :mod:`gateway.store.tokens`), so an
installation without such a subscriber pays one dictionary look-up per batch. An event's id
is derived from what it announces, so writing it twice (a replayed payload, a re-derived
batch) stores it once. The subject is unique per event: these facts never supersede one
another the way a newer level supersedes an older one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from gateway.ids import uuid5
from gateway.store.tables import destinations, outbox, utcnow
from gateway.store.tokens import DESTINATIONS, cached, current_tokens
from gateway.store.upsert import insert_ignore

EVIDENCE_RECEIVED = "evidence.received"
CREDENTIAL_ISSUED = "credential.issued"
_EVENT_NS = uuid.UUID("5d0c6f1e-8a47-4c2b-9e3d-7b1a2f4c6e80")


def subscribed(
    conn: Connection, tokens: dict[str, str] | None = None
) -> frozenset[str]:
    """The topics at least one active destination takes, as this transaction sees them."""
    tokens = tokens if tokens is not None else current_tokens(conn)

    def load() -> frozenset[str]:
        rows = conn.execute(
            select(destinations.c.topics).where(destinations.c.status == "active")
        )
        return frozenset(topic for (topics,) in rows for topic in topics)

    return cached(conn, DESTINATIONS, tokens, load)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def evidence_received(
    conn: Connection,
    rows: Sequence[Mapping[str, Any]],
    tokens: dict[str, str] | None = None,
) -> None:
    """An ``evidence.received`` event per evidence row, when some destination takes them."""
    if not rows or EVIDENCE_RECEIVED not in subscribed(conn, tokens):
        return
    now = utcnow()
    insert_ignore(
        conn,
        outbox,
        [
            {
                "event_id": uuid5(_EVENT_NS, f"evidence|{row['id']}"),
                "topic": EVIDENCE_RECEIVED,
                "subject": f"{row['learner_id']}|evidence/{row['id']}",
                "payload": {
                    "evidence_id": row["id"],
                    "learner_id": row["learner_id"],
                    "shared_id": row["shared_id"],
                    "competency_id": row["competency_id"],
                    "source": row["vendor_id"] or "teacher",
                    "score": row["score"],
                    "kind": row["kind"],
                    "dok": row["dok"],
                    "weight": row["weight"],
                    "observed_at": _iso(row["observed_at"]),
                    "received_at": _iso(row["received_at"]),
                },
                "created_at": now,
            }
            for row in rows
        ],
    )


def credential_issued(
    conn: Connection,
    *,
    credential_id: str,
    kind: str,
    learner_id: str,
    url: str,
    issued_at: datetime,
    shared_id: str | None = None,
    level: str | None = None,
    scope: str | None = None,
) -> None:
    """A ``credential.issued`` event for a credential just stored, if any destination wants it."""
    if CREDENTIAL_ISSUED not in subscribed(conn):
        return
    insert_ignore(
        conn,
        outbox,
        [
            {
                "event_id": uuid5(_EVENT_NS, f"credential|{credential_id}"),
                "topic": CREDENTIAL_ISSUED,
                "subject": f"{learner_id}|credential/{credential_id}",
                "payload": {
                    "credential_id": credential_id,
                    "kind": kind,  # achievement (Open Badges 3.0) | clr (CLR 2.0)
                    "learner_id": learner_id,
                    "shared_id": shared_id,
                    "level": level,
                    "scope": scope,
                    "url": url,  # the signed credential: JSON-LD, or VC-JWT with ?format=jwt
                    "issued_at": issued_at.isoformat(),
                },
                "created_at": issued_at,
            }
        ],
    )
