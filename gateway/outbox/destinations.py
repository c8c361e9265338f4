"""Destinations: the configured targets events are delivered to.

A destination has a unique name, a kind (``webhook``, ``oneroster``, ``edfi``, ``lti_ags``),
settings checked by its target type, the topics it takes and a secret. The secret is what
Tessera must present (a webhook's HMAC key, a SIS's OAuth client secret), so it cannot be kept
as a digest; it is stored as given, shown once when Tessera generates it, and never read back
out: listings show ``secret_hint``, the first 12 hex digits of its SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from adapters.outbound import target_type
from gateway.errors import Conflict, InvalidPayload, NotFound
from gateway.outbox.policy import DEAD, IN_FLIGHT, PENDING
from gateway.store import Store
from gateway.store.tables import deliveries, destinations, utcnow
from gateway.store.tokens import DESTINATIONS, invalidate

TOPICS = ("mastery.changed", "evidence.received", "credential.issued")
DEFAULT_TOPICS = ("mastery.changed",)
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,47}$")


@dataclass(frozen=True, slots=True)
class Destination:
    """A destination as stored, without its secret."""

    id: str
    name: str
    kind: str
    settings: Mapping[str, Any]
    topics: tuple[str, ...]
    secret_hint: str | None
    status: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        """As the API and ``--json`` show it."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "settings": dict(self.settings),
            "topics": list(self.topics),
            "secret_hint": self.secret_hint,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


def _of(row: Any) -> Destination:
    return Destination(
        str(row.id),
        str(row.name),
        str(row.kind),
        dict(row.settings),
        tuple(row.topics),
        row.secret_hint,
        str(row.status),
        row.created_at,
    )


def _hint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


# Kinds whose secret is Tessera's own signing key (made here, shown once), not a peer's.
_SIGNING_KINDS = ("webhook", "registrar")


def add_destination(
    store: Store,
    name: str,
    kind: str,
    settings: Mapping[str, Any],
    *,
    secret: str | None = None,
    topics: Sequence[str] | None = None,
) -> tuple[Destination, str | None]:
    """Check and store a destination; returns it and the secret when Tessera made one.

    A webhook without a secret gets a fresh 256-bit one (shown this once); the OAuth kinds
    need their client secret.
    """
    if not _NAME.match(name):
        raise InvalidPayload(
            "name must be 1-48 lower-case letters, digits, '.', '_' or '-', starting "
            f"with a letter or digit; got {name!r}."
        )
    kind_type = target_type(kind)
    checked = kind_type.check_settings(settings)
    chosen = tuple(dict.fromkeys(topics or DEFAULT_TOPICS))
    for topic in chosen:
        if topic not in TOPICS:
            raise InvalidPayload(
                f"topics: {topic!r} is not a topic; known: {', '.join(TOPICS)}."
            )
    generated = None
    if secret is not None and not secret.strip():
        raise InvalidPayload("secret must not be blank.")
    if secret is None and kind_type.needs_secret:
        if kind not in _SIGNING_KINDS:
            raise InvalidPayload(f"A {kind} destination needs its client secret.")
        secret = generated = "whsec_" + secrets.token_urlsafe(32)
    now = utcnow()
    row = {
        "id": str(uuid.uuid4()),
        "name": name,
        "kind": kind,
        "settings": checked,
        "topics": list(chosen),
        "secret": secret,
        "secret_hint": _hint(secret) if secret else None,
        "status": "active",
        "created_at": now,
        "removed_at": None,
    }
    with store.write() as conn:
        taken = conn.execute(
            select(destinations.c.id).where(destinations.c.name == name)
        ).first()
        if taken is not None:
            raise Conflict(f"A destination is already called {name!r}.")
        conn.execute(insert(destinations).values(**row))
        invalidate(conn, DESTINATIONS)
    made = Destination(
        row["id"], name, kind, checked, chosen, row["secret_hint"], "active", now
    )
    return made, generated


def list_destinations(
    store: Store, *, include_removed: bool = False
) -> list[Destination]:
    """Destinations by name; removed ones only when asked."""
    query = select(destinations).order_by(destinations.c.name)
    if not include_removed:
        query = query.where(destinations.c.status == "active")
    with store.read() as conn:
        return [_of(r) for r in conn.execute(query)]


def get_destination(conn: Connection, name_or_id: str) -> Destination:
    """An active destination by name or id; NotFound otherwise."""
    row = conn.execute(
        select(destinations).where(
            (destinations.c.status == "active")
            & ((destinations.c.name == name_or_id) | (destinations.c.id == name_or_id))
        )
    ).first()
    if row is None:
        raise NotFound(f"No destination is called {name_or_id!r}.")
    return _of(row)


def remove_destination(store: Store, name_or_id: str) -> tuple[Destination, int]:
    """Stop delivering to a destination; its undelivered items become dead.

    The row stays (deliveries name it) under a new name, so the name can be used again.
    Returns the destination and how many deliveries were abandoned.
    """
    now = utcnow()
    with store.write() as conn:
        found = get_destination(conn, name_or_id)
        conn.execute(
            update(destinations)
            .where(destinations.c.id == found.id)
            .values(
                status="removed",
                removed_at=now,
                name=f"{found.name}~{found.id[:8]}",
            )
        )
        invalidate(conn, DESTINATIONS)
        abandoned = conn.execute(
            update(deliveries)
            .where(
                deliveries.c.destination_id == found.id,
                deliveries.c.status.in_([PENDING, IN_FLIGHT]),
            )
            .values(
                status=DEAD,
                last_error="the destination was removed",
                claimed_by=None,
                claimed_until=None,
                updated_at=now,
            )
        ).rowcount
    return found, int(abandoned or 0)


def destination_secret(conn: Connection, destination_id: str) -> str | None:
    """The secret a target presents (the worker's only reader of it)."""
    value: str | None = conn.execute(
        select(destinations.c.secret).where(destinations.c.id == destination_id)
    ).scalar()
    return value
