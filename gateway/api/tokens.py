"""Admin API tokens: made once, shown once, stored as SHA-256 digests, checked in constant time.

An admin token is a bearer token ``KEY.SECRET`` like a vendor's Caliper token, but its key starts
with ``ta_`` so that a token pasted into the wrong place is recognisable at a glance. Only the
digest of the 256-bit random secret is stored (see :mod:`gateway.vendors.credentials` for why a
fast hash is enough).

Scopes:

``admin``
    everything under ``/api/v1``.
``records``
    for registrars: it opens only the operations that declare ``scope="records"`` (a
    learner's CLR transcript and credential list, see :mod:`gateway.records.api`).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from gateway.errors import Conflict, InvalidPayload, NotFound
from gateway.store import Store
from gateway.store.tables import admin_tokens, utcnow
from gateway.vendors.credentials import (
    digest_secret,
    secret_matches,
    split_bearer_token,
)

KEY_PREFIX = "ta_"
SCOPES: dict[str, str] = {
    "admin": "Everything under /api/v1.",
    "records": "Reading learner records (for registrars).",
}
DEFAULT_SCOPES = ("admin",)
INITIAL_TOKEN_NAME = "initial"  # noqa: S105 - a label, not a secret
_NAME_MAX = 100


@dataclass(frozen=True, slots=True)
class AdminPrincipal:
    """Who an admin API request authenticated as."""

    token_id: str
    name: str
    key: str
    scopes: frozenset[str]
    expires_at: datetime | None = None

    def allows(self, scope: str) -> bool:
        """Whether this token may use an operation that needs ``scope``."""
        return "admin" in self.scopes or scope in self.scopes


@dataclass(frozen=True, slots=True)
class AdminTokenInfo:
    """The public half of an admin token (never its secret)."""

    id: str
    name: str
    key: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def status(self, now: datetime | None = None) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or utcnow()):
            return "expired"
        return "active"

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return {
            "id": self.id,
            "name": self.name,
            "key": self.key,
            "scopes": list(self.scopes),
            "status": self.status(),
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def validate_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """The scopes, de-duplicated in order, or :class:`InvalidPayload` naming an unknown one."""
    out: list[str] = []
    for scope in scopes:
        if scope not in SCOPES:
            raise InvalidPayload(
                f"Admin token scope {scope!r} does not exist; the scopes are "
                f"{', '.join(SCOPES)}."
            )
        if scope not in out:
            out.append(scope)
    if not out:
        raise InvalidPayload(
            f"An admin token needs at least one scope: {', '.join(SCOPES)}."
        )
    return tuple(out)


def create_admin_token(
    store: Store,
    name: str,
    scopes: Iterable[str] = DEFAULT_SCOPES,
    expires_in: timedelta | None = None,
) -> tuple[AdminTokenInfo, str]:
    """Make a token; its ``KEY.SECRET`` string is returned only here and never stored."""
    name = _validate_token_name(name)
    checked = validate_scopes(scopes)
    if expires_in is not None and expires_in <= timedelta(0):
        raise InvalidPayload(
            "An admin token's lifetime must be positive, such as 90d; leave it out for a "
            "token that does not expire."
        )
    now = utcnow()
    key = KEY_PREFIX + secrets.token_urlsafe(12)
    secret = secrets.token_urlsafe(32)
    token_id = str(uuid.uuid4())
    with store.write() as conn:
        taken = conn.execute(
            select(admin_tokens.c.key)
            .where(admin_tokens.c.name == name)
            .where(admin_tokens.c.revoked_at.is_(None))
        ).first()
        if taken is not None:
            raise Conflict(
                f"An admin token named {name!r} exists already ({taken.key}); choose "
                f"another name, or revoke it first with `tessera admin-token revoke {name}`."
            )
        conn.execute(
            insert(admin_tokens).values(
                id=token_id,
                name=name,
                key=key,
                secret_sha256=digest_secret(secret),
                scopes=" ".join(checked),
                created_at=now,
                expires_at=now + expires_in if expires_in is not None else None,
            )
        )
        info = _load(conn, token_id)
    return info, f"{key}.{secret}"


def list_admin_tokens(
    store: Store, *, include_revoked: bool = False
) -> list[AdminTokenInfo]:
    """Admin tokens, oldest first; revoked ones only when asked for."""
    query = select(admin_tokens).order_by(admin_tokens.c.created_at, admin_tokens.c.key)
    if not include_revoked:
        query = query.where(admin_tokens.c.revoked_at.is_(None))
    with store.read() as conn:
        return [_info_from_row(r) for r in conn.execute(query).all()]


def count_admin_tokens(store: Store) -> int:
    """How many admin tokens were ever made (revoked ones included)."""
    with store.read() as conn:
        return int(
            conn.execute(select(func.count()).select_from(admin_tokens)).scalar_one()
        )


def revoke_admin_token(store: Store, key_or_name: str) -> AdminTokenInfo:
    """Revoke the unrevoked token with this key (``ta_...``) or name; it stops working now."""
    column = (
        admin_tokens.c.key
        if key_or_name.startswith(KEY_PREFIX)
        else admin_tokens.c.name
    )
    with store.write() as conn:
        row = conn.execute(
            select(admin_tokens.c.id)
            .where(column == key_or_name)
            .where(admin_tokens.c.revoked_at.is_(None))
        ).first()
        if row is None:
            raise NotFound(
                f"No unrevoked admin token has the key or name {key_or_name!r}; "
                "`tessera admin-token list` shows them."
            )
        conn.execute(
            update(admin_tokens)
            .where(admin_tokens.c.id == row.id)
            .values(revoked_at=utcnow())
        )
        return _load(conn, row.id)


# Built once: this runs on every admin API request.
_AUTH_QUERY = (
    select(
        admin_tokens.c.id,
        admin_tokens.c.name,
        admin_tokens.c.secret_sha256,
        admin_tokens.c.scopes,
        admin_tokens.c.expires_at,
    )
    .where(admin_tokens.c.key == bindparam("key"))
    .where(admin_tokens.c.revoked_at.is_(None))
)


def authenticate_admin(conn: Connection, token: str) -> AdminPrincipal | None:
    """The admin token a bearer token string belongs to, or None; constant time in the secret.

    Unknown, revoked and expired tokens are all refused the same way.
    """
    halves = split_bearer_token(token)
    if halves is None or not halves[0].startswith(KEY_PREFIX):
        return None
    key, secret = halves
    row = conn.execute(_AUTH_QUERY, {"key": key}).first()
    stored = row.secret_sha256 if row is not None else None
    if not secret_matches(secret, stored) or row is None:
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    return AdminPrincipal(
        row.id, row.name, key, frozenset(row.scopes.split()), row.expires_at
    )


def _validate_token_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > _NAME_MAX or not name.isprintable():
        raise InvalidPayload(
            f"An admin token name must be 1 to {_NAME_MAX} printable characters, such as "
            "'ci-deploy' or 'registrar office'."
        )
    return name


def _load(conn: Connection, token_id: str) -> AdminTokenInfo:
    row = conn.execute(select(admin_tokens).where(admin_tokens.c.id == token_id)).one()
    return _info_from_row(row)


def _info_from_row(row: Any) -> AdminTokenInfo:
    return AdminTokenInfo(
        id=row.id,
        name=row.name,
        key=row.key,
        scopes=tuple(row.scopes.split()),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )
