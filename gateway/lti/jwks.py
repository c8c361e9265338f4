"""Platform key sets: fetched through the safe session, cached per HTTP headers, refetched on miss.

A kid the cached set does not have triggers one refetch (platforms rotate: Brightspace about
hourly, with ``Cache-Control: no-store``), at most once per :data:`MIN_REFETCH_SECONDS` per
URL so a flood of forged kids cannot make Tessera hammer the platform. Only RSA keys usable
with RS256 are kept (pylti1p3 took the algorithm from the key; Tessera pins RS256).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import RSAAlgorithm

from gateway.errors import UpstreamUnavailable
from gateway.outbound import SafeSession

log = logging.getLogger("gateway.lti")

MIN_REFETCH_SECONDS = 10.0
DEFAULT_TTL = 300.0
MIN_TTL = 60.0  # even with no-store: an unknown kid refetches anyway
MAX_TTL = 86400.0
MAX_BYTES = 1024 * 1024
_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Entry:
    keys: dict[str, RSAPublicKey]
    fetched_at: float
    expires_at: float


def cache_seconds(headers: Any, now_wall: float) -> float:
    """How long a response may be kept: max-age, else Expires, else the default; bounded."""
    control = headers.get("Cache-Control", "") or ""
    match = _MAX_AGE.search(control)
    if match:
        ttl = float(match[1])
    elif headers.get("Expires"):
        try:
            ttl = parsedate_to_datetime(headers["Expires"]).timestamp() - now_wall
        except (TypeError, ValueError):
            ttl = DEFAULT_TTL
    else:
        ttl = DEFAULT_TTL
    return min(max(ttl, MIN_TTL), MAX_TTL)


def parse_jwks(document: Any) -> dict[str, RSAPublicKey]:
    """The RS256-usable RSA keys of a JWK Set, by kid; other keys are skipped."""
    keys: dict[str, RSAPublicKey] = {}
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        return keys
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
            continue
        kid = jwk.get("kid")
        if not isinstance(kid, str) or jwk.get("alg", "RS256") != "RS256":
            continue
        if jwk.get("use", "sig") != "sig":
            continue
        try:
            key = RSAAlgorithm.from_jwk(json.dumps(jwk))
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(key, RSAPublicKey):
            keys[kid] = key
    return keys


class JwksCache:
    """Per-process cache of platform key sets, shared by every request of an app."""

    def __init__(
        self,
        session_factory: Callable[[], SafeSession],
        *,
        clock: Callable[[], float] = time.monotonic,
        min_refetch: float = MIN_REFETCH_SECONDS,
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._min_refetch = min_refetch
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self.fetches = 0  # for tests and the bench: how many times a set was fetched

    def key(self, url: str, kid: str) -> RSAPublicKey | None:
        """The key ``kid`` of the set at ``url``, refetching once (rate-limited) if unknown."""
        now = self._clock()
        entry = self._entries.get(url)
        if entry is None or entry.expires_at <= now:
            entry = self._refresh(url, entry)
        found = entry.keys.get(kid)
        if found is None and now - entry.fetched_at >= self._min_refetch:
            log.info("unknown kid %s for %s: fetching the key set again", kid, url)
            entry = self._refresh(url, entry)
            found = entry.keys.get(kid)
        return found

    def _refresh(self, url: str, stale: _Entry | None) -> _Entry:
        with self._lock:
            current = self._entries.get(url)
            if current is not None and current is not stale:
                return current  # another thread fetched it meanwhile
            entry = self._fetch(url)
            self._entries[url] = entry
            return entry

    def _fetch(self, url: str) -> _Entry:
        self.fetches += 1
        try:
            with self._session_factory() as session:
                response = session.get(url, headers={"Accept": "application/json"})
                if response.status_code != 200:
                    raise UpstreamUnavailable(
                        f"The platform's key set at {url} answered HTTP "
                        f"{response.status_code}."
                    )
                if len(response.content) > MAX_BYTES:
                    raise UpstreamUnavailable(
                        f"The platform's key set at {url} is too large."
                    )
                document = response.json()
        except requests.RequestException as exc:
            raise UpstreamUnavailable(
                f"The platform's key set at {url} could not be fetched ({exc})."
            ) from None
        except ValueError:
            raise UpstreamUnavailable(
                f"The platform's key set at {url} is not JSON."
            ) from None
        now = self._clock()
        ttl = cache_seconds(response.headers, time.time())
        return _Entry(parse_jwks(document), now, now + ttl)
