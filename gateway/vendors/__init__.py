"""Vendors: content sources with their credentials, adapter and adapter settings."""

from __future__ import annotations

import hmac
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.inbound.settings import parse_vendor_settings
from gateway.errors import Conflict, InvalidPayload, NotFound
from gateway.store import Store
from gateway.store.tables import utcnow, vendor_credentials, vendors
from gateway.vendors.credentials import (
    CredentialKind,
    NewCredential,
    digest_secret,
    make_credential,
    secret_matches,
)

NAME_RULE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
DEFAULT_ADAPTER = "standard"


@dataclass(frozen=True, slots=True)
class Vendor:
    """A vendor as the admin sees it (never with secrets)."""

    id: str
    name: str
    display_name: str
    adapter: str
    settings: dict[str, Any]
    created_at: datetime
    credentials: tuple[CredentialInfo, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return {
            "id": self.id,
            "name": self.name,
            "display_name": self.display_name,
            "adapter": self.adapter,
            "settings": self.settings,
            "created_at": self.created_at.isoformat(),
            "credentials": [c.to_json() for c in self.credentials],
        }


@dataclass(frozen=True, slots=True)
class CredentialInfo:
    """The public half of a stored credential."""

    kind: str
    key: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return {
            "kind": self.kind,
            "key": self.key,
            "scopes": list(self.scopes),
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }


@dataclass(frozen=True, slots=True)
class VendorPrincipal:
    """Who a request authenticated as."""

    vendor_id: str
    vendor_name: str
    kind: str
    key: str
    scopes: frozenset[str]
    adapter: str = DEFAULT_ADAPTER
    settings: dict[str, Any] = field(
        default_factory=dict
    )  # the vendor's adapter settings


def credentials_to_json(creds: list[NewCredential]) -> dict[str, Any]:
    """The once-only view of fresh credentials, keyed by protocol."""
    out: dict[str, Any] = {}
    for cred in creds:
        if cred.kind is CredentialKind.XAPI_BASIC:
            out["xapi"] = {
                "key": cred.key,
                "secret": cred.secret,
                "scopes": list(cred.scopes),
            }
        else:
            out["caliper"] = {"token": cred.bearer_token, "scopes": list(cred.scopes)}
    return out


def validate_name(name: str) -> str:
    """Return ``name`` if it is a valid vendor name, else raise :class:`InvalidPayload`."""
    if not NAME_RULE.match(name):
        raise InvalidPayload(
            f"Vendor name {name!r} is not allowed: use 1 to 64 lower-case letters, digits, "
            "dots, dashes or underscores, starting with a letter or digit (e.g. 'acme-math')."
        )
    return name


def add_vendor(
    store: Store,
    name: str,
    *,
    display_name: str | None = None,
    adapter: str = DEFAULT_ADAPTER,
    settings: dict[str, Any] | None = None,
) -> tuple[Vendor, list[NewCredential]]:
    """Create a vendor with one credential per protocol; the secrets are returned only here.

    ``settings``, when given, must pass the inbound adapter's :func:`parse_vendor_settings`.
    """
    validate_name(name)
    if settings is not None:
        parse_vendor_settings(settings, vendor_name=name)
    now = utcnow()
    vendor_id = str(uuid.uuid4())
    creds = [make_credential(kind) for kind in CredentialKind]
    taken = Conflict(
        f"A vendor named {name!r} already exists; choose another name, or rotate "
        f"its credentials with `tessera vendor rotate {name}`."
    )
    try:
        with store.write() as conn:
            if _find_active(conn, name) is not None:
                raise taken
            conn.execute(
                insert(vendors).values(
                    id=vendor_id,
                    name=name,
                    display_name=display_name or name,
                    adapter=adapter,
                    settings=settings or {},
                    created_at=now,
                )
            )
            _insert_credentials(conn, vendor_id, creds, now)
            vendor = _load(conn, vendor_id)
    except IntegrityError:  # a concurrent add of the same name won the race
        raise taken from None
    return vendor, creds


def list_vendors(
    store: Store, *, after: str | None = None, limit: int | None = None
) -> list[Vendor]:
    """Vendors not removed, by name, each with its credentials' public halves.

    ``after`` and ``limit`` read one page: at most ``limit`` vendors named after ``after``.
    """
    query = (
        select(vendors).where(vendors.c.removed_at.is_(None)).order_by(vendors.c.name)
    )
    if after is not None:
        query = query.where(vendors.c.name > after)
    if limit is not None:
        query = query.limit(limit)
    with store.read() as conn:
        rows = conn.execute(query).all()
        creds = _credential_infos(conn, [r.id for r in rows])
    return [_vendor_from_row(r, creds.get(r.id, ())) for r in rows]


def get_vendor(store: Store, name: str) -> Vendor:
    """The active vendor named ``name``, or :class:`NotFound`."""
    with store.read() as conn:
        return _load(conn, _require_active(conn, name))


def update_vendor(
    store: Store,
    name: str,
    *,
    display_name: str | None = None,
    adapter: str | None = None,
    settings: dict[str, Any] | None = None,
) -> Vendor:
    """Change what is given of a vendor's display name, adapter and settings (replaced whole).

    ``settings`` must pass the inbound adapter's :func:`parse_vendor_settings`.
    """
    values: dict[str, Any] = {}
    if display_name is not None:
        values["display_name"] = display_name
    if adapter is not None:
        values["adapter"] = adapter
    if settings is not None:
        values["settings"] = settings
    with store.write() as conn:
        # An unknown vendor is 404 before all else.
        vendor_id = _require_active(conn, name)
        if settings is not None:
            parse_vendor_settings(settings, vendor_name=name)
        if values:
            conn.execute(
                update(vendors).where(vendors.c.id == vendor_id).values(**values)
            )
        vendor = _load(conn, vendor_id)
    _auth_cache.clear()  # cached checks carry the adapter settings
    return vendor


def rotate_credentials(
    store: Store, name: str, *, grace: timedelta = timedelta(0)
) -> tuple[Vendor, list[NewCredential]]:
    """Issue new credentials; the old ones stop working now, or after ``grace``."""
    now = utcnow()
    creds = [make_credential(kind) for kind in CredentialKind]
    with store.write() as conn:
        vendor_id = _require_active(conn, name)
        old = vendor_credentials.c.vendor_id == vendor_id
        if grace > timedelta(0):
            expiry = now + grace
            conn.execute(
                update(vendor_credentials)
                .where(old)
                .where(
                    vendor_credentials.c.expires_at.is_(None)
                    | (vendor_credentials.c.expires_at > expiry)
                )
                .values(expires_at=expiry)
            )
        else:
            conn.execute(delete(vendor_credentials).where(old))
        _insert_credentials(conn, vendor_id, creds, now)
        vendor = _load(conn, vendor_id)
    _auth_cache.clear()
    return vendor, creds


def remove_vendor(store: Store, name: str) -> Vendor:
    """Revoke every credential and retire the vendor; its stored records keep pointing at it."""
    with store.write() as conn:
        vendor_id = _require_active(conn, name)
        vendor = _load(conn, vendor_id)
        conn.execute(
            delete(vendor_credentials).where(
                vendor_credentials.c.vendor_id == vendor_id
            )
        )
        conn.execute(
            update(vendors).where(vendors.c.id == vendor_id).values(removed_at=utcnow())
        )
    _auth_cache.clear()
    return vendor


# Built once: this runs on every vendor request.
_AUTH_QUERY = (
    select(
        vendor_credentials.c.secret_sha256,
        vendor_credentials.c.scopes,
        vendor_credentials.c.expires_at,
        vendors.c.id,
        vendors.c.name,
        vendors.c.adapter,
        vendors.c.settings,
    )
    .join(vendors, vendors.c.id == vendor_credentials.c.vendor_id)
    .where(vendor_credentials.c.key == bindparam("key"))
    .where(vendor_credentials.c.kind == bindparam("kind"))
    .where(vendors.c.removed_at.is_(None))
)


def authenticate(
    conn: Connection, kind: CredentialKind, key: str, secret: str
) -> VendorPrincipal | None:
    """The vendor a key and secret belong to, or None; constant time in the secret."""
    row = conn.execute(_AUTH_QUERY, {"key": key, "kind": kind.value}).first()
    stored = row.secret_sha256 if row is not None else None
    if not secret_matches(secret, stored) or row is None:
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    return VendorPrincipal(
        row.id,
        row.name,
        kind.value,
        key,
        frozenset(row.scopes.split()),
        row.adapter,
        dict(row.settings),
    )


_MAX_CACHED = 10_000
# (database URL, kind, key) -> (secret digest, principal, monotonic expiry). Only successful
# checks are kept, for TESSERA_AUTH_CACHE_SECONDS: a credential revoked in another process
# stops working within that time; in this process at once (rotate, remove and update clear it).
_auth_cache: dict[tuple[str, str, str], tuple[str, VendorPrincipal, float]] = {}


def check_credentials(
    store: Store, kind: CredentialKind, key: str, secret: str, cache_seconds: int = 0
) -> VendorPrincipal | None:
    """:func:`authenticate` in its own read transaction, remembered for ``cache_seconds``."""
    cache_key = (store.engine.url.render_as_string(hide_password=True), kind.value, key)
    digest = digest_secret(secret)
    hit = _auth_cache.get(cache_key)
    if hit is not None and hit[2] > time.monotonic():
        # Constant time in the secret, like the database check.
        return hit[1] if hmac.compare_digest(hit[0], digest) else None
    with store.read() as conn:
        principal = authenticate(conn, kind, key, secret)
    if principal is not None and cache_seconds > 0:
        if len(_auth_cache) >= _MAX_CACHED:
            _auth_cache.clear()
        _auth_cache[cache_key] = (digest, principal, time.monotonic() + cache_seconds)
    return principal


def _insert_credentials(
    conn: Connection, vendor_id: str, creds: list[NewCredential], now: datetime
) -> None:
    conn.execute(
        insert(vendor_credentials),
        [
            {
                "id": str(uuid.uuid4()),
                "vendor_id": vendor_id,
                "kind": c.kind.value,
                "key": c.key,
                "secret_sha256": c.secret_sha256,
                "scopes": " ".join(c.scopes),
                "created_at": now,
            }
            for c in creds
        ],
    )


def _find_active(conn: Connection, name: str) -> str | None:
    return conn.execute(
        select(vendors.c.id)
        .where(vendors.c.name == name)
        .where(vendors.c.removed_at.is_(None))
    ).scalar_one_or_none()


def _require_active(conn: Connection, name: str) -> str:
    vendor_id = _find_active(conn, name)
    if vendor_id is None:
        raise NotFound(
            f"No vendor is named {name!r}; `tessera vendor list` shows the names."
        )
    return vendor_id


def _load(conn: Connection, vendor_id: str) -> Vendor:
    row = conn.execute(select(vendors).where(vendors.c.id == vendor_id)).one()
    return _vendor_from_row(
        row, _credential_infos(conn, [vendor_id]).get(vendor_id, ())
    )


def _credential_infos(
    conn: Connection, vendor_ids: list[str]
) -> dict[str, tuple[CredentialInfo, ...]]:
    if not vendor_ids:
        return {}
    rows = conn.execute(
        select(vendor_credentials)
        .where(vendor_credentials.c.vendor_id.in_(vendor_ids))
        .order_by(vendor_credentials.c.created_at, vendor_credentials.c.kind)
    ).all()
    out: dict[str, list[CredentialInfo]] = {}
    for r in rows:
        out.setdefault(r.vendor_id, []).append(
            CredentialInfo(
                r.kind, r.key, tuple(r.scopes.split()), r.created_at, r.expires_at
            )
        )
    return {k: tuple(v) for k, v in out.items()}


def _vendor_from_row(row: Any, creds: tuple[CredentialInfo, ...]) -> Vendor:
    return Vendor(
        id=row.id,
        name=row.name,
        display_name=row.display_name,
        adapter=row.adapter,
        settings=dict(row.settings),
        created_at=row.created_at,
        credentials=creds,
    )
