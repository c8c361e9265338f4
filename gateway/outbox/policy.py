"""What an attempt's outcome makes of a delivery: pure, so the rules are tested alone."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from adapters.outbound import Outcome
from gateway.settings import Settings

PENDING = "pending"
IN_FLIGHT = "in_flight"
DELIVERED = "delivered"
SUPERSEDED = "superseded"
DEAD = "dead"
STATUSES = (PENDING, IN_FLIGHT, DELIVERED, SUPERSEDED, DEAD)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter, capped, within a horizon."""

    base: float  # seconds before the first retry
    cap: float  # longest wait between attempts (a Retry-After may ask for longer)
    horizon: float  # seconds from the first try until a delivery is given up

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        """The policy the settings describe."""
        return cls(
            settings.delivery_backoff_ms / 1000,
            float(settings.delivery_backoff_max_seconds),
            float(settings.delivery_horizon_seconds),
        )

    def delay(self, attempts: int, rand: float) -> float:
        """Seconds before attempt ``attempts + 1``: base * 2^(attempts-1), capped, jittered.

        ``rand`` in [0, 1) spreads the delay over its upper half ("equal jitter"), so a
        burst of failures does not come back as one burst.
        """
        full = min(self.cap, self.base * 2.0 ** max(attempts - 1, 0))
        return full / 2 + full / 2 * rand


@dataclass(frozen=True, slots=True)
class Verdict:
    """A delivery's state after an attempt."""

    status: str
    next_attempt_at: datetime
    error: str | None


def judge(
    outcome: Outcome,
    *,
    attempts: int,
    now: datetime,
    give_up_at: datetime,
    policy: RetryPolicy,
    rand: float | None = None,
) -> Verdict:
    """Delivered, pending again (when), or dead (a refusal, or past the horizon)."""
    if outcome.result == "delivered":
        return Verdict(DELIVERED, now, None)
    if outcome.result == "failed":
        return Verdict(DEAD, now, outcome.detail)
    wait = policy.delay(attempts, random.random() if rand is None else rand)  # noqa: S311 - jitter, not security
    if outcome.retry_after is not None:
        wait = max(outcome.retry_after, 0.0)
    when = now + timedelta(seconds=wait)
    if when > give_up_at:
        return Verdict(
            DEAD,
            now,
            f"{outcome.detail} (gave up after {attempts} attempts: the next one would "
            "fall after the delivery horizon)",
        )
    return Verdict(PENDING, when, outcome.detail)
