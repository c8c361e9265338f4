"""Platform registrations and their deployments, as the admin, the CLI and DR manage them.

A registration is keyed by (issuer, client_id): Canvas cloud uses one issuer for all its
customers, each with their own client ids. Deployments are recorded when added and on first
launch; the registration's policy says whether a new deployment is accepted at once
(``accept``) or waits for an admin (``approve``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from gateway.errors import Conflict, InvalidPayload, NotFound
from gateway.ids import uuid5
from gateway.outbound import check_url
from gateway.store import Store
from gateway.store.tables import lti_deployments, lti_registrations, utcnow

_REGISTRATION_NS = uuid.UUID("0b8c6e52-7a43-4a0e-a3c5-5d3f3c2b9e71")
POLICIES = ("accept", "approve")
MAX_DEPLOYMENT_ID = 255


def registration_id(issuer: str, client_id: str) -> str:
    """The id of the registration (issuer, client_id)."""
    return uuid5(_REGISTRATION_NS, f"{issuer}|{client_id}")


@dataclass(frozen=True, slots=True)
class Deployment:
    """One deployment id of a registration and whether launches from it are accepted."""

    deployment_id: str
    status: str  # active | pending
    created_at: datetime
    last_launch_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return {
            "deployment_id": self.deployment_id,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "last_launch_at": self.last_launch_at.isoformat()
            if self.last_launch_at
            else None,
        }


@dataclass(frozen=True, slots=True)
class Registration:
    """A platform Tessera is installed in."""

    id: str
    issuer: str
    client_id: str
    name: str | None
    auth_login_url: str
    auth_token_url: str
    token_audience: str | None
    jwks_url: str
    deployment_policy: str
    scopes: str | None
    source: str
    created_at: datetime
    deployments: tuple[Deployment, ...] = field(default=())

    @property
    def assertion_audience(self) -> str:
        """The ``aud`` of client assertions: the declared audience, else the token URL."""
        return self.token_audience or self.auth_token_url

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return {
            "id": self.id,
            "issuer": self.issuer,
            "client_id": self.client_id,
            "name": self.name,
            "auth_login_url": self.auth_login_url,
            "auth_token_url": self.auth_token_url,
            "token_audience": self.token_audience,
            "jwks_url": self.jwks_url,
            "deployment_policy": self.deployment_policy,
            "scopes": self.scopes.split() if self.scopes is not None else None,
            "source": self.source,
            "created_at": self.created_at.isoformat(),
            "deployments": [d.to_json() for d in self.deployments],
        }


@dataclass(frozen=True, slots=True)
class NewRegistration:
    """What an admin (or Dynamic Registration) gives to register a platform."""

    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    jwks_url: str
    deployment_ids: Sequence[str] = ()
    name: str | None = None
    token_audience: str | None = None
    deployment_policy: str = "accept"
    scopes: str | None = None
    source: str = "manual"


def check_registration(new: NewRegistration, *, allow_private: bool) -> None:
    """Refuse a registration whose URLs Tessera must not call, or with malformed values."""
    if not new.issuer.strip() or not new.client_id.strip():
        raise InvalidPayload("A registration needs an issuer and a client id.")
    if len(new.issuer) > 255 or len(new.client_id) > 255:
        raise InvalidPayload("The issuer and the client id are at most 255 characters.")
    if new.deployment_policy not in POLICIES:
        raise InvalidPayload(
            f"deployment_policy must be one of {', '.join(POLICIES)}; got "
            f"{new.deployment_policy!r}."
        )
    for what, url in (
        ("auth login URL", new.auth_login_url),
        ("auth token URL", new.auth_token_url),
        ("JWKS URL", new.jwks_url),
    ):
        # Host names are resolved when Tessera calls them (DNS may change); literal
        # addresses and the scheme are refused here already.
        check_url(url, allow_private=allow_private, what=what, resolver=None)
    for dep in new.deployment_ids:
        _check_deployment_id(dep)


def _check_deployment_id(dep: str) -> None:
    if not dep or len(dep) > MAX_DEPLOYMENT_ID or not dep.isascii():
        raise InvalidPayload(
            f"Deployment id {dep!r} must be 1 to {MAX_DEPLOYMENT_ID} ASCII characters."
        )


def add_registration(
    store: Store, new: NewRegistration, *, allow_private: bool
) -> Registration:
    """Register a platform with its deployments; :class:`Conflict` if (iss, client) exists."""
    check_registration(new, allow_private=allow_private)
    rid = registration_id(new.issuer, new.client_id)
    now = utcnow()
    with store.write() as conn:
        if _get(conn, rid) is not None:
            raise Conflict(
                f"Platform {new.issuer} with client id {new.client_id} is already "
                "registered; remove it first to change it."
            )
        conn.execute(
            insert(lti_registrations).values(
                id=rid,
                issuer=new.issuer,
                client_id=new.client_id,
                name=new.name,
                auth_login_url=new.auth_login_url,
                auth_token_url=new.auth_token_url,
                token_audience=new.token_audience,
                jwks_url=new.jwks_url,
                deployment_policy=new.deployment_policy,
                scopes=new.scopes,
                source=new.source,
                created_at=now,
            )
        )
        for dep in dict.fromkeys(new.deployment_ids):
            conn.execute(
                insert(lti_deployments).values(
                    registration_id=rid,
                    deployment_id=dep,
                    status="active",
                    created_at=now,
                )
            )
        found = _get(conn, rid)
    assert found is not None  # noqa: S101 - written just above
    return found


def list_registrations(store: Store, issuer: str | None = None) -> list[Registration]:
    """Every registration (of ``issuer``), with its deployments."""
    with store.read() as conn:
        stmt = select(lti_registrations).order_by(
            lti_registrations.c.issuer, lti_registrations.c.client_id
        )
        if issuer is not None:
            stmt = stmt.where(lti_registrations.c.issuer == issuer)
        rows = conn.execute(stmt).all()
        deps = _deployments(conn, [r.id for r in rows])
    return [_registration(r, deps.get(r.id, ())) for r in rows]


def get_registration(store: Store, rid: str) -> Registration:
    """One registration by id; :class:`NotFound` when unknown."""
    with store.read() as conn:
        found = _get(conn, rid)
    if found is None:
        raise NotFound(f"No platform registration has id {rid!r}.")
    return found


def find_registration(
    store: Store, issuer: str, client_id: str | None
) -> Registration | None:
    """The registration for a login: by (issuer, client_id), or the issuer's only one."""
    if client_id:
        with store.read() as conn:
            return _get(conn, registration_id(issuer, client_id))
    found = list_registrations(store, issuer)
    return found[0] if len(found) == 1 else None


def lookup_registration(store: Store, key: str) -> Registration:
    """A registration by id, or by ``ISSUER`` (if it has one) or ``ISSUER|CLIENT_ID``."""
    with store.read() as conn:
        found = _get(conn, key)
    if found is not None:
        return found
    issuer, _, client_id = key.rpartition("|") if "|" in key else (key, "", "")
    if issuer and client_id:
        reg = find_registration(store, issuer, client_id)
    else:
        matches = list_registrations(store, key)
        if len(matches) > 1:
            raise Conflict(
                f"Issuer {key} has {len(matches)} registrations; name one by its id or as "
                "ISSUER|CLIENT_ID."
            )
        reg = matches[0] if matches else None
    if reg is None:
        raise NotFound(f"No platform registration matches {key!r}.")
    return reg


def remove_registration(store: Store, rid: str) -> Registration:
    """Delete a registration, its deployments and pending logins; launches stop at once."""
    with store.write() as conn:
        found = _get(conn, rid)
        if found is None:
            raise NotFound(f"No platform registration has id {rid!r}.")
        conn.execute(delete(lti_registrations).where(lti_registrations.c.id == rid))
    return found


def set_deployment(
    store: Store, rid: str, deployment_id: str, status: str = "active"
) -> Deployment:
    """Add a deployment, or approve (``active``) or suspend (``pending``) one."""
    _check_deployment_id(deployment_id)
    if status not in ("active", "pending"):
        raise InvalidPayload(f"status must be active or pending; got {status!r}.")
    with store.write() as conn:
        if _get(conn, rid) is None:
            raise NotFound(f"No platform registration has id {rid!r}.")
        changed = conn.execute(
            update(lti_deployments)
            .where(lti_deployments.c.registration_id == rid)
            .where(lti_deployments.c.deployment_id == deployment_id)
            .values(status=status)
        ).rowcount
        if not changed:
            conn.execute(
                insert(lti_deployments).values(
                    registration_id=rid,
                    deployment_id=deployment_id,
                    status=status,
                    created_at=utcnow(),
                )
            )
        deps = _deployments(conn, [rid])[rid]
    return next(d for d in deps if d.deployment_id == deployment_id)


def remove_deployment(store: Store, rid: str, deployment_id: str) -> None:
    """Forget a deployment; launches from it follow the registration's policy again."""
    with store.write() as conn:
        gone = conn.execute(
            delete(lti_deployments)
            .where(lti_deployments.c.registration_id == rid)
            .where(lti_deployments.c.deployment_id == deployment_id)
        ).rowcount
    if not gone:
        raise NotFound(f"Registration {rid} has no deployment {deployment_id!r}.")


def _get(conn: Connection, rid: str) -> Registration | None:
    row = conn.execute(
        select(lti_registrations).where(lti_registrations.c.id == rid)
    ).first()
    if row is None:
        return None
    return _registration(row, _deployments(conn, [rid]).get(rid, ()))


def _deployments(
    conn: Connection, rids: Sequence[str]
) -> dict[str, tuple[Deployment, ...]]:
    if not rids:
        return {}
    rows = conn.execute(
        select(lti_deployments)
        .where(lti_deployments.c.registration_id.in_(rids))
        .order_by(lti_deployments.c.created_at, lti_deployments.c.deployment_id)
    ).all()
    found: dict[str, list[Deployment]] = {}
    for r in rows:
        found.setdefault(r.registration_id, []).append(
            Deployment(r.deployment_id, r.status, r.created_at, r.last_launch_at)
        )
    return {k: tuple(v) for k, v in found.items()}


def _registration(row: Any, deps: Sequence[Deployment]) -> Registration:
    m = row._mapping
    return Registration(**{k: m[k] for k in m.keys()}, deployments=tuple(deps))
