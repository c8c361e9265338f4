"""Who is using the admin console, and how they proved it.

Two ways in:

- **Admin token** (a stand-alone install): the token from ``tessera admin-token create`` is
  checked exactly as the admin API checks it (:func:`gateway.api.tokens.authenticate_admin`)
  and the browser gets a first-party session cookie: HttpOnly, ``SameSite=Lax``, ``Secure``
  when the base URL is https, scoped to ``/admin``, valid for ``admin_session_seconds``. The
  cookie names the token, and every request checks again that the token is neither revoked
  nor expired, so revoking it ends its console sessions at once.
- **LTI launch** with the institution or context Administrator role (LTI Core 1.3 A.2.2 and
  A.2.3): the console's pages live under ``/admin/l/<launch_id>/``, like the launch pages
  under ``/lti/view/<launch_id>``, so they work in a course iframe with third-party cookies
  blocked, for as long as the launch lasts.

The cookie is signed with a key every web node derives alike from the store (HKDF over the
oldest credentials signing key, which is never deleted), never from per-process randomness.
Each session (a cookie's random ``sid``, or the launch) has a CSRF token, an HMAC of the
session under the same key, which every form carries and every POST must return; the sign-in
form's token is bound the same way to a random pre-session cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from gateway.api.tokens import AdminPrincipal, authenticate_admin
from gateway.keys import ensure_keys, published_keys
from gateway.lti.launch import LaunchSession, load_launch
from gateway.store import Store
from gateway.store.tables import admin_tokens, utcnow

COOKIE_NAME = "tessera_admin"
PRE_COOKIE_NAME = (
    "tessera_admin_pre"  # binds the sign-in form's CSRF token to this browser
)
COOKIE_PATH = "/admin"
_KEY_CACHE = "tessera.console.key"
_HKDF_INFO = b"tessera admin console v1"

# LTI Core 1.3 appendix A.2: the institution role (A.2.2) and the context role (A.2.3),
# also by the simple name a context role may still be sent as (A.2.3.1, deprecated).
ADMINISTRATOR_ROLES = frozenset(
    {
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
        "Administrator",
    }
)


@dataclass(frozen=True, slots=True)
class ConsoleUser:
    """Someone signed in to the console: who (for the audit log) and their CSRF token."""

    actor: str  # as written to the audit log
    label: str  # as shown on the page
    csrf: str
    launch_id: str | None = None  # set for the LTI way in


def is_administrator(roles: tuple[str, ...] | list[str]) -> bool:
    """Whether an LTI launch's roles include the institution or context Administrator."""
    return any(role in ADMINISTRATOR_ROLES for role in roles)


def console_key(app: Flask | None = None) -> bytes:
    """The key signing console cookies and CSRF tokens, the same on every web node."""
    app = app or current_app
    key: bytes | None = app.extensions.get(_KEY_CACHE)
    if key is None:
        from gateway.extension import tessera

        key = derive_console_key(tessera(app).store)
        app.extensions[_KEY_CACHE] = key
    return key


def derive_console_key(store: Store) -> bytes:
    """HKDF-SHA256 of the oldest credentials key (kept forever, shared through the store)."""
    with store.read() as conn:
        found = published_keys(conn, "credentials")
    if not found:
        ensure_keys(store)
        with store.read() as conn:
            found = published_keys(conn, "credentials")
    material = found[0].private_pem.encode("ascii")
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO
    ).derive(material)


def csrf_token(key: bytes, session_id: str) -> str:
    """The CSRF token of one console session."""
    return hmac.new(key, b"csrf|" + session_id.encode(), hashlib.sha256).hexdigest()


def csrf_matches(user: ConsoleUser, given: str | None) -> bool:
    """Whether a form's CSRF token is this session's (constant time)."""
    return given is not None and hmac.compare_digest(user.csrf, given)


def _serializer(key: bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt="tessera-admin-session")


def new_session_cookie(key: bytes, token_id: str) -> str:
    """A signed cookie value for a sign-in with admin token ``token_id``."""
    return _serializer(key).dumps({"sid": secrets.token_urlsafe(16), "tid": token_id})


def user_from_cookie(
    store: Store, key: bytes, value: str | None, max_age: int
) -> ConsoleUser | None:
    """The console user of a session cookie: signed, not expired, token still active."""
    if not value:
        return None
    try:
        data: Any = _serializer(key).loads(value, max_age=max_age)
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), str) for k in ("sid", "tid")
    ):
        return None
    with store.read() as conn:
        row = conn.execute(
            select(
                admin_tokens.c.name,
                admin_tokens.c.key,
                admin_tokens.c.scopes,
                admin_tokens.c.expires_at,
            )
            .where(admin_tokens.c.id == data["tid"])
            .where(admin_tokens.c.revoked_at.is_(None))
        ).first()
    if row is None or "admin" not in row.scopes.split():
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    return ConsoleUser(
        actor=token_actor(row.name, row.key),
        label=f"admin token {row.name}",
        csrf=csrf_token(key, "sid|" + data["sid"]),
    )


def token_for_sign_in(store: Store, token: str) -> AdminPrincipal | None:
    """The admin token a sign-in form gave, if it is valid and may administer.

    A registrar's ``records`` token, a vendor credential, a revoked or expired token: None.
    """
    with store.read() as conn:
        principal = authenticate_admin(conn, token.strip())
    if principal is None or "admin" not in principal.scopes:
        return None
    return principal


def token_actor(name: str, key: str) -> str:
    """How the audit log names someone signed in with an admin token."""
    return f"admin-token:{name} ({key})"


def user_from_launch(store: Store, key: bytes, launch_id: str) -> ConsoleUser | None:
    """The console user of an unexpired LTI launch by an Administrator; None otherwise."""
    session: LaunchSession | None = load_launch(store, launch_id)
    if session is None or not is_administrator(session.roles):
        return None
    name = session.claims.get("name") or session.sub
    actor = f"lti:{session.registration_id}:{session.sub} ({name})"
    return ConsoleUser(
        actor=actor[:200],
        label=f"{name} (LMS administrator)",
        csrf=csrf_token(key, "launch|" + launch_id),
        launch_id=launch_id,
    )
