"""Vendor credentials: made once, shown once, stored as SHA-256 digests, checked in constant time.

A credential is a public key plus a 256-bit random secret. xAPI clients send them as HTTP Basic
user name and password; Caliper sensors send ``KEY.SECRET`` as a bearer token. Because the
secrets are long and random, a plain SHA-256 digest resists guessing as well as a slow password
hash would, and keeps the check cheap on the hot path (one indexed lookup, one hash).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum


class CredentialKind(StrEnum):
    """Which protocol a credential is for, and so how it is presented."""

    XAPI_BASIC = "xapi_basic"
    CALIPER_BEARER = "caliper_bearer"


# xAPI 1.0.3 Communication 4.2 / xAPI 2.0 scopes; a new vendor may write statements and use the
# document resources, and read back only what it wrote itself.
DEFAULT_SCOPES: dict[CredentialKind, tuple[str, ...]] = {
    CredentialKind.XAPI_BASIC: (
        "statements/write",
        "statements/read/mine",
        "state",
        "profile",
    ),
    CredentialKind.CALIPER_BEARER: ("caliper/write",),
}
XAPI_SCOPES = frozenset(
    {
        "statements/write",
        "statements/read",
        "statements/read/mine",
        "state",
        "define",
        "profile",
        "all/read",
        "all",
    }
)
_KEY_PREFIX = {CredentialKind.XAPI_BASIC: "tx_", CredentialKind.CALIPER_BEARER: "tc_"}


@dataclass(frozen=True, slots=True)
class NewCredential:
    """A credential as shown to the admin once; only ``secret_sha256`` is ever stored."""

    kind: CredentialKind
    key: str
    secret: str
    scopes: tuple[str, ...]

    @property
    def secret_sha256(self) -> str:
        """What is stored of the secret."""
        return digest_secret(self.secret)

    @property
    def bearer_token(self) -> str:
        """The single string a bearer-token client sends."""
        return f"{self.key}.{self.secret}"


def make_credential(
    kind: CredentialKind, scopes: tuple[str, ...] | None = None
) -> NewCredential:
    """Draw a fresh key (96 random bits, public) and secret (256 random bits)."""
    return NewCredential(
        kind=kind,
        key=_KEY_PREFIX[kind] + secrets.token_urlsafe(12),
        secret=secrets.token_urlsafe(32),
        scopes=scopes if scopes is not None else DEFAULT_SCOPES[kind],
    )


def digest_secret(secret: str) -> str:
    """Hex SHA-256 of a secret, the only form in which secrets are stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# Compared against when the key is unknown, so a miss costs the same as a wrong secret.
_DUMMY_DIGEST = digest_secret(secrets.token_urlsafe(32))


def secret_matches(secret: str, stored_sha256: str | None) -> bool:
    """Constant-time check of a presented secret against a stored digest (or none)."""
    expected = stored_sha256 if stored_sha256 is not None else _DUMMY_DIGEST
    ok = hmac.compare_digest(digest_secret(secret), expected)
    return ok and stored_sha256 is not None


def split_bearer_token(token: str) -> tuple[str, str] | None:
    """``KEY.SECRET`` to its halves, or None when the token is not of that form."""
    key, sep, secret = token.partition(".")
    if not sep or not key or not secret or len(key) > 64 or len(secret) > 256:
        return None
    return key, secret
