"""Login state, nonce and browser binding in the store; what a verified launch writes.

A login row holds the state (single use: ``used_at`` is set by the launch that consumes it, in
the launch's own transaction, so two racing POSTs of one id_token cannot both pass), the nonce
the id_token must carry, and the target_link_uri. The state is bound to the browser by a
``Secure; SameSite=None; Partitioned`` cookie, or, when the platform offered postMessage
storage, by a secret put there whose SHA-256 the row keeps.

A launch writes, in one transaction: the consumed state, the deployment (recorded on first
sight, active or pending by the registration's policy), the learner identity linking the LTI
user with the email and SIS id the platform vouches for, the context and the membership, and
the launch row whose random id is the page session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from gateway.errors import LaunchForbidden, LaunchUnauthorized
from gateway.ids import context_id
from gateway.intake.identity import link_identifiers_in
from gateway.intake.model import LearnerRef
from gateway.lti.claims import Launch
from gateway.lti.platforms import Registration
from gateway.store import Store
from gateway.store.tables import (
    context_members,
    contexts,
    lti_context_services,
    lti_deployments,
    lti_launches,
    lti_logins,
    lti_registrations,
    utcnow,
)
from gateway.store.upsert import insert_ignore

LOGIN_LIFETIME = timedelta(minutes=10)
LAUNCH_LIFETIME = timedelta(hours=8)  # how long the launch pages stay open
LAST_LAUNCH_RESOLUTION = timedelta(hours=1)


# The launch's hot path runs these prebuilt statements (SQLAlchemy then reuses their
# compiled form); see bench/bench_lti.py.
_LOAD_LOGIN = (
    select(
        lti_logins.c.state,
        lti_logins.c.nonce,
        lti_logins.c.target_link_uri,
        lti_logins.c.binding_sha256,
        lti_logins.c.login_params,
        lti_logins.c.expires_at,
        lti_logins.c.used_at,
        *lti_registrations.c,
    )
    .join(lti_registrations, lti_registrations.c.id == lti_logins.c.registration_id)
    .where(lti_logins.c.state == bindparam("state"))
)
_CONSUME = (
    update(lti_logins)
    .where(lti_logins.c.state == bindparam("s"))
    .where(lti_logins.c.used_at.is_(None))
    .values(used_at=bindparam("now"))
)
_DEPLOYMENT = (
    select(lti_deployments.c.status, lti_deployments.c.last_launch_at)
    .where(lti_deployments.c.registration_id == bindparam("rid"))
    .where(lti_deployments.c.deployment_id == bindparam("dep"))
)
_CONTEXT = select(contexts.c.title, contexts.c.label).where(
    contexts.c.id == bindparam("ctx")
)
_MEMBERS = (
    select(
        context_members.c.learner_id,
        context_members.c.roles,
        context_members.c.is_learner,
        context_members.c.status,
    )
    .where(context_members.c.context_id == bindparam("ctx"))
    .where(context_members.c.learner_id.in_(bindparam("ids", expanding=True)))
)
_SERVICES = select(
    lti_context_services.c.registration_id,
    lti_context_services.c.memberships_url,
    lti_context_services.c.lineitems_url,
    lti_context_services.c.ags_scopes,
).where(lti_context_services.c.context_id == bindparam("ctx"))
_INSERT_LAUNCH = insert(lti_launches)


def sha256_hex(value: str) -> str:
    """Hex SHA-256 of a secret (the platform-storage binding)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """A login waiting for its launch."""

    state: str
    nonce: str
    registration: Registration
    target_link_uri: str
    binding_sha256: str | None
    login_params: dict[str, Any]
    expires_at: datetime
    used_at: datetime | None

    def binding_matches(self, binding: str) -> bool:
        """Whether ``binding`` is the secret put in platform storage at login."""
        return self.binding_sha256 is not None and hmac.compare_digest(
            self.binding_sha256, sha256_hex(binding)
        )


@dataclass(frozen=True, slots=True)
class NewLogin:
    """What the login page hands the browser: state, nonce and the storage secret."""

    state: str
    nonce: str
    binding: str | None


def start_login(
    store: Store,
    registration: Registration,
    *,
    target_link_uri: str,
    login_params: dict[str, Any],
    with_storage: bool,
) -> NewLogin:
    """Record a login; expired logins and launches are swept on the way."""
    login = NewLogin(
        secrets.token_urlsafe(32),
        secrets.token_urlsafe(32),
        secrets.token_urlsafe(32) if with_storage else None,
    )
    now = utcnow()
    with store.write() as conn:
        conn.execute(delete(lti_logins).where(lti_logins.c.expires_at < now))
        conn.execute(delete(lti_launches).where(lti_launches.c.expires_at < now))
        conn.execute(
            insert(lti_logins).values(
                state=login.state,
                nonce=login.nonce,
                registration_id=registration.id,
                target_link_uri=target_link_uri,
                binding_sha256=sha256_hex(login.binding) if login.binding else None,
                login_params=login_params,
                created_at=now,
                expires_at=now + LOGIN_LIFETIME,
            )
        )
    return login


def load_login(store: Store, state: str) -> PendingLogin | None:
    """The login ``state`` names, if it exists and has not expired."""
    with store.read() as conn:
        row = conn.execute(_LOAD_LOGIN, {"state": state}).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return PendingLogin(
        state=row.state,
        nonce=row.nonce,
        registration=Registration(
            **{c.name: row._mapping[c] for c in lti_registrations.c}
        ),
        target_link_uri=row.target_link_uri,
        binding_sha256=row.binding_sha256,
        login_params=dict(row.login_params),
        expires_at=row.expires_at,
        used_at=row.used_at,
    )


@dataclass(frozen=True, slots=True)
class LaunchRecord:
    """What a verified launch became in the store."""

    id: str
    learner_id: str
    context_id: str | None
    launch: Launch


def lti_context_key(launch: Launch) -> str | None:
    """The ``contexts.key`` of the launch's course: issuer|client|deployment|context id."""
    if launch.context is None:
        return None
    return "|".join(
        (launch.issuer, launch.client_id, launch.deployment_id, launch.context["id"])
    )


def learner_refs(
    issuer: str, sub: str, email: str | None, sis: str | None
) -> list[LearnerRef]:
    """The identifiers a platform vouches for: LTI user, and email and SIS id when given."""
    refs = [LearnerRef("lti", f"{issuer}|{sub}")]
    if email:
        refs.append(LearnerRef("email", email))
    if sis:
        refs.append(LearnerRef("sis", sis))
    return refs


def record_launch(store: Store, login: PendingLogin, launch: Launch) -> LaunchRecord:
    """Consume the state and write what the launch tells (see the module docstring).

    Raises :class:`LaunchUnauthorized` for a state already used, and :class:`LaunchForbidden`
    (after committing the pending deployment, so the admin sees it) when the deployment waits
    for approval.
    """
    reg = login.registration
    now = utcnow()
    pending = False
    with store.write() as conn:
        consumed = conn.execute(_CONSUME, {"s": login.state, "now": now}).rowcount
        if consumed != 1:
            raise _replayed()
        known = conn.execute(
            _DEPLOYMENT, {"rid": reg.id, "dep": launch.deployment_id}
        ).first()
        if known is None:
            status = "active" if reg.deployment_policy == "accept" else "pending"
            insert_ignore(
                conn,
                lti_deployments,
                [
                    {
                        "registration_id": reg.id,
                        "deployment_id": launch.deployment_id,
                        "status": status,
                        "created_at": now,
                        "last_launch_at": now,
                    }
                ],
            )
        else:
            status = known.status
            # Recorded to the hour: a busy deployment does not rewrite its row each launch.
            if status == "active" and (
                known.last_launch_at is None
                or known.last_launch_at < now - LAST_LAUNCH_RESOLUTION
            ):
                conn.execute(
                    update(lti_deployments)
                    .where(lti_deployments.c.registration_id == reg.id)
                    .where(lti_deployments.c.deployment_id == launch.deployment_id)
                    .values(last_launch_at=now)
                )
        pending = status != "active"
        if not pending:
            record = _write_launch(conn, reg, launch, now)
    if pending:
        raise LaunchForbidden(
            f"Deployment {launch.deployment_id} of {reg.issuer} is waiting for an admin's "
            "approval; launches from it are held until then.",
            check="deployment",
            admin_hint="Approve it with `tessera platform approve "
            f"{reg.issuer} {launch.deployment_id} --client-id {reg.client_id}` or the "
            "admin API (PUT /api/v1/platforms/{id}/deployments/{deployment_id}).",
        )
    return record


def _write_launch(
    conn: Any, reg: Registration, launch: Launch, now: datetime
) -> LaunchRecord:
    learner_id = link_identifiers_in(
        conn,
        learner_refs(reg.issuer, launch.sub, launch.email, launch.sis_id),
        display_name=launch.name,
    )
    ctx_id = None
    key = lti_context_key(launch)
    if key is not None and launch.context is not None:
        ctx_id = context_id("lti", key)
        upsert_context(conn, ctx_id, key, launch.context, now)
        upsert_members(
            conn,
            ctx_id,
            [(learner_id, list(launch.roles), launch.is_learner, "active")],
            now,
        )
        if launch.nrps_url or launch.ags:
            upsert_services(conn, ctx_id, reg.id, launch, now)
    launch_id = secrets.token_urlsafe(24)
    conn.execute(
        _INSERT_LAUNCH,
        {
            "id": launch_id,
            "registration_id": reg.id,
            "deployment_id": launch.deployment_id,
            "message_type": launch.message_type,
            "sub": launch.sub,
            "learner_id": learner_id,
            "context_id": ctx_id,
            "roles": list(launch.roles),
            "claims": launch.service_claims(),
            "created_at": now,
            "expires_at": now + LAUNCH_LIFETIME,
        },
    )
    return LaunchRecord(launch_id, learner_id, ctx_id, launch)


def standing_launch(
    store: Store,
    *,
    context_id: str,
    learner_id: str | None,
    roles: list[str],
    name: str,
    lifetime: timedelta,
) -> str:
    """A launch session made without an LMS (``tessera demo``): its id opens the pages.

    The id is a bearer secret like any launch's; it lasts ``lifetime`` and names no
    platform, so nothing is ever sent back to an LMS for it.
    """
    now = utcnow()
    launch_id = secrets.token_urlsafe(24)
    with store.write() as conn:
        conn.execute(
            _INSERT_LAUNCH,
            {
                "id": launch_id,
                "registration_id": "none",
                "deployment_id": "none",
                "message_type": "LtiResourceLinkRequest",
                "sub": None,
                "learner_id": learner_id,
                "context_id": context_id,
                "roles": roles,
                "claims": {"name": name},
                "created_at": now,
                "expires_at": now + lifetime,
            },
        )
    return launch_id


def upsert_context(conn: Any, ctx_id: str, key: str, claim: Any, now: datetime) -> None:
    """Create or refresh a ``contexts`` row from an LTI context claim or NRPS context."""
    title = claim.get("title") if isinstance(claim.get("title"), str) else None
    label = claim.get("label") if isinstance(claim.get("label"), str) else None
    label = label[:200] if label else None
    stored = conn.execute(_CONTEXT, {"ctx": ctx_id}).first()
    if stored is None:
        insert_ignore(
            conn,
            contexts,
            [
                {
                    "id": ctx_id,
                    "source": "lti",
                    "key": key,
                    "title": title,
                    "label": label,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
    elif (title or label) and (stored.title, stored.label) != (title, label):
        conn.execute(
            update(contexts)
            .where(contexts.c.id == ctx_id)
            .values(title=title, label=label, updated_at=now)
        )


def upsert_members(
    conn: Any,
    ctx_id: str,
    members: list[tuple[str, list[str], bool, str]],
    now: datetime,
) -> None:
    """Create or refresh memberships: (learner id, role URIs, is learner, status)."""
    if not members:
        return
    stored = {
        r.learner_id: (list(r.roles), bool(r.is_learner), r.status)
        for r in conn.execute(_MEMBERS, {"ctx": ctx_id, "ids": [m[0] for m in members]})
    }
    new_rows = []
    for learner_id, roles, is_learner, status in members:
        if learner_id not in stored:
            new_rows.append(
                {
                    "context_id": ctx_id,
                    "learner_id": learner_id,
                    "roles": roles,
                    "is_learner": is_learner,
                    "status": status,
                    "updated_at": now,
                }
            )
        elif stored[learner_id] != (roles, is_learner, status):
            conn.execute(
                update(context_members)
                .where(context_members.c.context_id == ctx_id)
                .where(context_members.c.learner_id == learner_id)
                .values(
                    roles=roles, is_learner=is_learner, status=status, updated_at=now
                )
            )
    insert_ignore(conn, context_members, new_rows)


def upsert_services(
    conn: Any, ctx_id: str, reg_id: str, launch: Launch, now: datetime
) -> None:
    """Remember the context's NRPS and AGS endpoints as the last launch gave them."""
    ags = launch.ags or {}
    values = {
        "registration_id": reg_id,
        "memberships_url": launch.nrps_url,
        "lineitems_url": ags.get("lineitems"),
        "ags_scopes": list(ags.get("scope") or []),
    }
    stored = conn.execute(_SERVICES, {"ctx": ctx_id}).first()
    if stored is None:
        insert_ignore(
            conn,
            lti_context_services,
            [{"context_id": ctx_id, **values, "updated_at": now}],
        )
    elif dict(stored._mapping) != values:
        conn.execute(
            update(lti_context_services)
            .where(lti_context_services.c.context_id == ctx_id)
            .values(**values, updated_at=now)
        )


@dataclass(frozen=True, slots=True)
class LaunchSession:
    """A launch as the pages see it (the page URL carries its id)."""

    id: str
    registration_id: str
    deployment_id: str
    message_type: str
    sub: str
    learner_id: str
    context_id: str | None
    roles: tuple[str, ...]
    claims: dict[str, Any]


def load_launch(store: Store, launch_id: str) -> LaunchSession | None:
    """The unexpired launch ``launch_id``."""
    with store.read() as conn:
        row = conn.execute(
            select(lti_launches).where(lti_launches.c.id == launch_id)
        ).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return LaunchSession(
        row.id,
        row.registration_id,
        row.deployment_id,
        row.message_type,
        row.sub,
        row.learner_id,
        row.context_id,
        tuple(row.roles),
        dict(row.claims),
    )


def _replayed() -> LaunchUnauthorized:
    return LaunchUnauthorized(
        "This launch was already used; a login's state and nonce are good for one launch.",
        check="state-replay",
        admin_hint="A repeated POST of the same id_token is refused (replay protection). "
        "Ask the user to launch again from the course.",
    )
