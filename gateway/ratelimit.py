"""Per-credential rate limits: a vendor's or an admin token's requests per second.

The rule is GCRA (the generic cell rate algorithm, a token bucket kept as one timestamp): with
``rate`` requests per second and a ``burst``, a credential may send ``burst`` requests at once
and then one every ``1 / rate`` seconds; a request over that is refused with the time to wait.
:func:`gcra` is the pure rule; :class:`MemoryLimiter` keeps the timestamps in this process
(one budget per web process), :class:`RedisLimiter` in Redis with an atomic script (one budget
shared by every web node). Over the limit, :func:`check` raises
:class:`~gateway.errors.TooManyRequests` (429 with ``Retry-After``).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any, Protocol

from gateway.errors import TooManyRequests
from gateway.settings import Settings

log = logging.getLogger("gateway.ratelimit")
_PRUNE_AT = 50_000  # keys remembered before the memory limiter forgets idle ones


def gcra(
    tat: float | None, now: float, rate: float, burst: int
) -> tuple[float | None, float]:
    """One request at ``now`` against the theoretical arrival time ``tat``.

    Returns ``(new_tat, 0.0)`` when allowed, or ``(None, seconds to wait)`` when not.
    """
    interval = 1.0 / rate
    start = now if tat is None or tat < now else tat
    new_tat = start + interval
    allow_at = new_tat - burst * interval
    if now < allow_at:
        return None, allow_at - now
    return new_tat, 0.0


class Limiter(Protocol):
    """Where the budgets live."""

    def hit(self, key: str) -> float:
        """Count one request of ``key``: 0 when allowed, else the seconds to wait."""
        ...


class MemoryLimiter:
    """Budgets in this process (each web process counts on its own)."""

    def __init__(self, rate: float, burst: int, clock: Any = time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._tats: dict[str, float] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """See :meth:`Limiter.hit`."""
        now = self._clock()
        with self._lock:
            new_tat, wait = gcra(self._tats.get(key), now, self.rate, self.burst)
            if new_tat is not None:
                self._tats[key] = new_tat
                if len(self._tats) > _PRUNE_AT:
                    self._tats = {k: t for k, t in self._tats.items() if t > now}
            return wait


# KEYS[1]: the budget; ARGV: interval (s), burst. Redis keeps the TAT in ms, on its clock.
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1]) * 1000
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - burst * interval
if now < allow_at then return tostring((allow_at - now) / 1000) end
redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX',
           math.ceil(new_tat - now) + 1000)
return '0'
"""


class RedisLimiter:
    """Budgets in Redis, shared by every web node; the clock is the Redis server's."""

    def __init__(self, url: str, rate: float, burst: int) -> None:
        import redis

        self.rate, self.burst = rate, burst
        self._client = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        self._script = self._client.register_script(_SCRIPT)

    def hit(self, key: str) -> float:
        """See :meth:`Limiter.hit`; if Redis cannot answer, the request is let through."""
        try:
            answer = self._script(
                keys=[f"tessera:rl:{key}"], args=[1.0 / self.rate, self.burst]
            )
            return float(answer)
        except Exception as exc:  # noqa: BLE001 - a limiter outage must not stop intake
            log.warning("rate limiter unavailable, request let through: %s", exc)
            return 0.0


def make_limiter(settings: Settings) -> Limiter | None:
    """The limiter the settings ask for (None: no limits)."""
    if settings.rate_limit_per_second <= 0:
        return None
    rate, burst = settings.rate_limit_per_second, settings.rate_limit_burst
    if settings.redis_url:
        return RedisLimiter(settings.redis_url, rate, burst)
    return MemoryLimiter(rate, burst)


def check(limiter: Limiter | None, key: str, who: str) -> None:
    """Count a request of credential ``key``; 429 when it is over its budget."""
    if limiter is None:
        return
    wait = limiter.hit(key)
    if wait > 0:
        retry = max(1, math.ceil(wait))
        raise TooManyRequests(
            f"{who} sent more requests than its limit allows; retry in {retry} "
            f"second{'s' if retry != 1 else ''} (send statements in batches to need "
            "fewer requests).",
            headers={"Retry-After": str(retry)},
        )
