"""HTTP for targets: one request with the shared session, its answer as an Outcome, OAuth 2.

Status codes (RFC 9110 section 15): 2xx is delivered; 408, 425, 429, 5xx and no answer at all
(timeout, refused connection) are worth retrying, with ``Retry-After`` honoured on 429 and 503
(RFC 9110 section 10.2.3); any other 4xx is a refusal that retrying will not change.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import requests

from adapters.outbound import Outcome, TargetEnv

_RETRYABLE = frozenset({408, 425, 429})
_MAX_DETAIL = 300


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def outcome_of(response: requests.Response, what: str) -> Outcome:
    """The Outcome of a target's answer to ``what`` (e.g. "PUT result 1234")."""
    code = response.status_code
    if 200 <= code < 300:
        return Outcome.delivered(f"{what}: {code}", code)
    body = " ".join(response.text[:_MAX_DETAIL].split())
    detail = f"{what}: HTTP {code}" + (f" {body}" if body else "")
    if code in _RETRYABLE or code >= 500:
        wait = None
        if code in (429, 503):
            wait = parse_retry_after(response.headers.get("Retry-After"))
        return Outcome.retry(detail, code, wait)
    return Outcome.failed(detail, code)


def settle(answer: requests.Response | Outcome, what: str) -> Outcome:
    """The Outcome of what :func:`send` returned."""
    return answer if isinstance(answer, Outcome) else outcome_of(answer, what)


def send(
    env: TargetEnv, method: str, url: str, what: str, **kwargs: Any
) -> requests.Response | Outcome:
    """One request with the shared session and timeout; no answer at all is a retry."""
    try:
        return env.http.request(method, url, timeout=env.timeout, **kwargs)
    except requests.Timeout:
        return Outcome.retry(f"{what}: no answer within {env.timeout:g} s")
    except requests.RequestException as exc:
        return Outcome.retry(f"{what}: {type(exc).__name__}: {_short(exc)}")


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:_MAX_DETAIL]


class ClientCredentials:
    """An OAuth 2 client-credentials token (RFC 6749 section 4.4), fetched and reused.

    The client authenticates with HTTP Basic (section 2.3.1); the token is kept until 30
    seconds before ``expires_in`` runs out, or until a resource answers 401.
    """

    def __init__(
        self,
        env: TargetEnv,
        token_url: str,
        client_id: str,
        secret: str,
        scope: str | None = None,
    ) -> None:
        self._env = env
        self._token_url = token_url
        self._auth = (client_id, secret)
        self._scope = scope
        self._token: str | None = None
        self._until = 0.0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget the token (the resource server refused it)."""
        self._token = None

    def headers(self) -> dict[str, str] | Outcome:
        """``Authorization: Bearer ...``, or the Outcome of a token request that failed."""
        with self._lock:  # one token request at a time, whatever the worker's threads
            return self._headers()

    def _headers(self) -> dict[str, str] | Outcome:
        if self._token is None or time.monotonic() >= self._until:
            data = {"grant_type": "client_credentials"}
            if self._scope:
                data["scope"] = self._scope
            answer = send(
                self._env,
                "POST",
                self._token_url,
                "token request",
                data=data,
                auth=self._auth,
            )
            if isinstance(answer, Outcome):
                return answer
            outcome = outcome_of(answer, "token request")
            if outcome.result != "delivered":
                return outcome
            try:
                body = answer.json()
                token = str(body["access_token"])
                expires = float(body.get("expires_in", 3600))
            except (ValueError, KeyError, TypeError):
                return Outcome.failed(
                    "token request: the answer has no access_token (RFC 6749 5.1)"
                )
            self._token, self._until = token, time.monotonic() + max(expires - 30, 1)
        return {"Authorization": f"Bearer {self._token}"}

    def call(
        self, method: str, url: str, what: str, **kwargs: Any
    ) -> requests.Response | Outcome:
        """A request with the bearer token; a 401 fetches a new token and tries once more."""
        for attempt in (1, 2):
            auth = self.headers()
            if isinstance(auth, Outcome):
                return auth
            headers: Mapping[str, str] = {**kwargs.pop("headers", {}), **auth}
            answer = send(self._env, method, url, what, headers=headers, **kwargs)
            kwargs["headers"] = {
                k: v for k, v in headers.items() if k != "Authorization"
            }
            if isinstance(answer, Outcome) or answer.status_code != 401 or attempt == 2:
                return answer
            self.invalidate()
        raise AssertionError("unreachable")  # pragma: no cover


class OnceEach:
    """A write made once per key in a process (a line item, an objective), one at a time.

    Targets PUT or POST the object a result hangs on before the first result that needs
    it; the write is idempotent, so a new process (or a failed attempt) simply makes it again.
    """

    def __init__(self) -> None:
        self._done: set[str] = set()
        self._lock = threading.Lock()

    def ensure(self, key: str, write: Callable[[], Outcome]) -> Outcome:
        """``write()`` unless it already succeeded for ``key``."""
        if key in self._done:
            return Outcome.delivered()
        with self._lock:
            if key in self._done:
                return Outcome.delivered()
            outcome = write()
            if outcome.result == "delivered":
                self._done.add(key)
            return outcome
