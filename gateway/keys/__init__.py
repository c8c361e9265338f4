"""Signing keys: generated at `tessera init`, rotated with `tessera keys rotate`, published as JWKS.

Rotation is staged so no verifier ever meets an unknown kid:

1. ``rotate_key(..., publish_lead=L)`` makes the new key and publishes it at once, and sets the
   old key's ``retired_at`` to now + L: the old key keeps signing until then, while platforms
   that cached the JWKS (``max-age``) pick up the new key.
2. The signer of a purpose is its *oldest* key not yet retired: the old key until ``retired_at``,
   the new one after.
3. A retired key stays published for as long as what it signed can still be checked:
   :data:`SIGNED_LIFETIME` after its retirement for LTI (deep-linking responses and client
   assertions live minutes), forever for credentials.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from sqlalchemy import Connection, insert, or_, select, update

from gateway.store import Store
from gateway.store.tables import signing_keys, utcnow

# lti: LTI messages and service tokens. credentials: Data Integrity proofs (eddsa-rdfc-2022)
# of issued learner records. credentials-jwt: the same records as VC-JWT (RS256, the algorithm
# every Open Badges 3.0 verifier must support).
PURPOSE_ALGS = {"lti": "RS256", "credentials": "EdDSA", "credentials-jwt": "RS256"}
# How long a retired key stays published: what it signed must keep verifying. LTI messages
# and client assertions live at most minutes (an hour leaves room for clocks and caches);
# credentials are verified for years, so their keys are never unpublished (None).
SIGNED_LIFETIME: dict[str, timedelta | None] = {
    "lti": timedelta(hours=1),
    "credentials": None,
    "credentials-jwt": None,
}


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A key pair row; ``private_pem`` never leaves the server."""

    kid: str
    purpose: str
    alg: str
    private_pem: str
    public_jwk: dict[str, Any]
    created_at: datetime
    retired_at: datetime | None


def generate_key(purpose: str) -> tuple[str, str, dict[str, Any]]:
    """A new key for ``purpose``: (alg, private PEM, public JWK with its RFC 7638 kid)."""
    alg = PURPOSE_ALGS[purpose]
    private: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey
    if alg == "RS256":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = private.public_key().public_numbers()
        jwk: dict[str, Any] = {"kty": "RSA", "e": _b64(numbers.e), "n": _b64(numbers.n)}
    else:
        private = ed25519.Ed25519PrivateKey.generate()
        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64u(raw)}
    jwk |= {"kid": thumbprint(jwk), "alg": alg, "use": "sig"}
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return alg, pem, jwk


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url), used as the key id."""
    required = {"RSA": ("e", "kty", "n"), "OKP": ("crv", "kty", "x")}[jwk["kty"]]
    canonical = json.dumps(
        {k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True
    )
    return _b64u(hashlib.sha256(canonical.encode("ascii")).digest())


def ensure_keys(store: Store) -> list[SigningKey]:
    """Make sure every purpose has a signing key; returns the keys created now."""
    created = []
    with store.write() as conn:
        for purpose in PURPOSE_ALGS:
            if current_key(conn, purpose) is None:
                created.append(_insert(conn, purpose))
    return created


def rotate_key(
    store: Store, purpose: str, *, publish_lead: timedelta = timedelta(0)
) -> SigningKey:
    """Publish a new key for ``purpose`` now; it signs once ``publish_lead`` has passed.

    The current key keeps signing until then (its ``retired_at`` is set to that moment) and
    stays published for :data:`SIGNED_LIFETIME` after.
    """
    retire_at = utcnow() + publish_lead
    with store.write() as conn:
        # Every key still signing or waiting to sign stops by then at the latest.
        conn.execute(
            update(signing_keys)
            .where(signing_keys.c.purpose == purpose)
            .where(
                or_(
                    signing_keys.c.retired_at.is_(None),
                    signing_keys.c.retired_at > retire_at,
                )
            )
            .values(retired_at=retire_at)
        )
        return _insert(conn, purpose)


def active_key(store: Store, purpose: str) -> SigningKey | None:
    """The key that signs for ``purpose`` now, if any."""
    with store.read() as conn:
        return current_key(conn, purpose)


def public_jwks(store: Store, *, now: datetime | None = None) -> dict[str, Any]:
    """Every published public key, newest first, as a JWK Set (RFC 7517 section 5)."""
    now = now or utcnow()
    with store.read() as conn:
        rows = conn.execute(
            select(
                signing_keys.c.purpose,
                signing_keys.c.retired_at,
                signing_keys.c.public_jwk,
            ).order_by(signing_keys.c.created_at.desc())
        ).all()
    return {
        "keys": [
            dict(r.public_jwk)
            for r in rows
            if r.retired_at is None
            or (lifetime := SIGNED_LIFETIME.get(r.purpose)) is None
            or r.retired_at + lifetime > now
        ]
    }


def list_keys(store: Store) -> list[SigningKey]:
    """Every key, active and retired, by purpose and age."""
    with store.read() as conn:
        rows = conn.execute(
            select(signing_keys).order_by(
                signing_keys.c.purpose, signing_keys.c.created_at
            )
        ).all()
    return [SigningKey(**r._mapping) for r in rows]


def current_key(conn: Connection, purpose: str) -> SigningKey | None:
    """The signer, in the caller's transaction.

    That is the oldest key not retired yet (see the module's rotation steps).
    """
    row = conn.execute(
        select(signing_keys)
        .where(signing_keys.c.purpose == purpose)
        .where(
            or_(
                signing_keys.c.retired_at.is_(None),
                signing_keys.c.retired_at > utcnow(),
            )
        )
        .order_by(signing_keys.c.created_at, signing_keys.c.kid)
        .limit(1)
    ).first()
    return SigningKey(**row._mapping) if row is not None else None


def published_keys(conn: Connection, purpose: str) -> list[SigningKey]:
    """Every key of ``purpose``, active and retired, oldest first."""
    rows = conn.execute(
        select(signing_keys)
        .where(signing_keys.c.purpose == purpose)
        .order_by(signing_keys.c.created_at, signing_keys.c.kid)
    ).all()
    return [SigningKey(**r._mapping) for r in rows]


def _insert(conn: Connection, purpose: str) -> SigningKey:
    alg, pem, jwk = generate_key(purpose)
    row = SigningKey(jwk["kid"], purpose, alg, pem, jwk, utcnow(), None)
    conn.execute(
        insert(signing_keys).values(
            kid=row.kid,
            purpose=purpose,
            alg=alg,
            private_pem=pem,
            public_jwk=jwk,
            created_at=row.created_at,
        )
    )
    return row


def _b64(number: int) -> str:
    return _b64u(number.to_bytes((number.bit_length() + 7) // 8, "big"))


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
