"""``tessera worker``: fan out, claim, deliver, record; again until told to stop.

One step: new outbox events become deliveries; up to ``worker_batch_size`` due ones are
claimed under a lease of ``delivery_lease_seconds``; each goes to its destination's target in
claim order; the outcomes are written in one transaction. A worker stops between two
deliveries when :attr:`Worker.stop` is set (SIGTERM, SIGINT): it writes what it did and gives
the rest of its claims back. A worker killed outright leaves its claims in flight; they are
due again when their lease lapses, and the targets' idempotency keys make the second
delivery of an item the first may have sent harmless. A claim whose lease would run out
before one more request could time out is given back rather than attempted, so a lapsed lease
never lets two workers send one item at once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from adapters.outbound import (
    CompetencyRef,
    ContextRef,
    DeliveryEvent,
    Outcome,
    Target,
    TargetEnv,
    make_target,
)
from gateway import __version__
from gateway.errors import ConfigError, TesseraError
from gateway.mastery.service import expire_overrides
from gateway.outbox.policy import RetryPolicy
from gateway.outbox.queue import Claim, claim, fan_out, record, release
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    context_members,
    contexts,
    destinations,
    learner_identifiers,
    outbox,
    utcnow,
)

log = logging.getLogger("gateway.outbox")
_DB_PAUSE_MIN, _DB_PAUSE_MAX = 1.0, 60.0  # seconds a worker waits after a store error


def make_session(settings: Settings) -> requests.Session:
    """The one HTTP session of a worker: keep-alive pools and Tessera's User-Agent."""
    session = requests.Session()
    # Proxies and CA bundles come from settings, not the environment (only settings read it);
    # it also spares requests a scan of os.environ on every request.
    session.trust_env = False
    session.headers["User-Agent"] = f"Tessera/{__version__} (+{settings.base_url})"
    size = max(settings.worker_concurrency, 4)
    adapter = HTTPAdapter(pool_connections=size, pool_maxsize=size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@dataclass
class WorkerStats:
    """What a worker did since it started."""

    steps: int = 0
    attempts: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def to_json(self) -> dict[str, Any]:
        """For ``tessera worker --json``."""
        return {
            "steps": self.steps,
            "attempts": self.attempts,
            "outcomes": dict(self.outcomes),
        }


class Worker:
    """One delivery worker; several may run at once, on one machine or many."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        name: str | None = None,
        http: requests.Session | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.name = (
            name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        )
        self.policy = RetryPolicy.from_settings(settings)
        self.env = TargetEnv(
            http or make_session(settings),
            float(settings.delivery_timeout_seconds),
            store,
            settings,
        )
        if settings.delivery_lease_seconds <= 2 * settings.delivery_timeout_seconds:
            raise ConfigError(
                "TESSERA_DELIVERY_LEASE_SECONDS must be more than twice "
                "TESSERA_DELIVERY_TIMEOUT_SECONDS (a claim must outlast the request it "
                f"covers); they are {settings.delivery_lease_seconds} and "
                f"{settings.delivery_timeout_seconds}."
            )
        self.stop = threading.Event()
        self.stats = WorkerStats()
        self._targets: dict[str, Target] = {}
        self._pool = (
            ThreadPoolExecutor(
                settings.worker_concurrency, thread_name_prefix="deliver"
            )
            if settings.worker_concurrency > 1
            else None
        )

    def _map(
        self, fn: Callable[[Claim], Outcome | None], items: Sequence[Claim]
    ) -> Iterable[Outcome | None]:
        return map(fn, items) if self._pool is None else self._pool.map(fn, items)

    def close(self) -> None:
        """Stop the delivery threads (after the batch in hand)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def run(self, *, once: bool = False) -> WorkerStats:
        """Work until :attr:`stop` is set; with ``once``, until nothing is due."""
        log.info("worker %s started", self.name)
        pause = _DB_PAUSE_MIN
        while not self.stop.is_set():
            try:
                done = self.step()
            except SQLAlchemyError as exc:
                if once:
                    raise
                # The database went away: what this step sent is sent again once the
                # leases lapse (targets are idempotent). Wait, longer each time, and go on.
                log.error(
                    "worker %s: store error, pausing %g s: %s", self.name, pause, exc
                )
                self.stop.wait(pause)
                pause = min(pause * 2, _DB_PAUSE_MAX)
                continue
            pause = _DB_PAUSE_MIN
            if done == 0:
                if once:
                    break
                self.stop.wait(self.settings.worker_poll_ms / 1000)
        self.close()
        log.info("worker %s stopped: %s", self.name, self.stats.to_json())
        return self.stats

    def step(self) -> int:
        """One round: fan out, claim a batch, deliver it; returns the attempts made."""
        self.stats.steps += 1
        expire_overrides(
            self.store
        )  # a lapsed override's level change joins this round
        fan_out(
            self.store, self.policy, limit=max(self.settings.worker_batch_size, 500)
        )
        held = claim(
            self.store,
            self.name,
            limit=self.settings.worker_batch_size,
            lease=float(self.settings.delivery_lease_seconds),
        )
        if not held:
            return 0
        events = load_events(self.store, held)
        self._refresh_targets(held)
        margin = timedelta(seconds=self.env.timeout * 2)  # connect + read

        def attempt(item: Claim) -> Outcome | None:
            if self.stop.is_set() or utcnow() + margin > item.claimed_until:
                return None  # not started: given back below
            return self._attempt(item, events[item.seq])

        # A batch never holds two deliveries of one (destination, subject) (the claim
        # supersedes or holds back the older), so its items may go out concurrently.
        outcomes = list(self._map(attempt, held))
        results = [(h, o) for h, o in zip(held, outcomes, strict=True) if o is not None]
        skipped = [h for h, o in zip(held, outcomes, strict=True) if o is None]
        release(self.store, self.name, skipped)
        for status, count in record(
            self.store, self.name, results, self.policy
        ).items():
            self.stats.outcomes[status] += count
        self.stats.attempts += len(results)
        return len(results)

    def _attempt(self, item: Claim, event: DeliveryEvent) -> Outcome:
        target = self._targets.get(item.destination_id)
        if target is None:  # removed while claimed
            return Outcome.failed("the destination was removed")
        try:
            outcome = target.deliver(event)
        except TesseraError as exc:
            outcome = Outcome.failed(exc.detail)
        except Exception as exc:  # a target's bug must not stop the worker  # noqa: BLE001
            log.exception("target of delivery %s raised", item.id)
            outcome = Outcome.retry(f"the target raised {type(exc).__name__}: {exc}")
        if outcome.result != "delivered":
            log.warning(
                "delivery %s attempt %d: %s: %s",
                item.id,
                item.attempts,
                outcome.result,
                outcome.detail,
            )
        return outcome

    def _refresh_targets(self, held: Sequence[Claim]) -> None:
        wanted = {h.destination_id for h in held} - set(self._targets)
        if not wanted:
            return
        with self.store.read() as conn:
            rows = conn.execute(
                select(
                    destinations.c.id,
                    destinations.c.kind,
                    destinations.c.settings,
                    destinations.c.secret,
                ).where(
                    destinations.c.id.in_(sorted(wanted)),
                    destinations.c.status == "active",
                )
            ).all()
        for row in rows:
            self._targets[row.id] = make_target(
                row.kind, row.settings, row.secret, self.env
            )


def load_events(store: Store, held: Sequence[Claim]) -> dict[int, DeliveryEvent]:
    """The events of ``held`` with the facts targets address by, in one read."""
    with store.read() as conn:
        rows = {
            r.seq: r
            for r in conn.execute(
                select(outbox).where(
                    outbox.c.seq.in_(sorted({h.event_seq for h in held}))
                )
            )
        }
        learner_ids = sorted(
            {
                str(r.payload["learner_id"])
                for r in rows.values()
                if r.payload.get("learner_id")
            }
        )
        shared_ids = sorted(
            {
                str(r.payload["shared_id"])
                for r in rows.values()
                if r.payload.get("shared_id")
            }
        )
        identifiers: dict[str, dict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for r in conn.execute(
            select(
                learner_identifiers.c.learner_id,
                learner_identifiers.c.kind,
                learner_identifiers.c.value,
            )
            .where(learner_identifiers.c.learner_id.in_(learner_ids))
            .order_by(learner_identifiers.c.created_at, learner_identifiers.c.value)
        ):
            identifiers[r.learner_id][r.kind].append(r.value)
        comps = {
            r.id: CompetencyRef(r.id, r.uri, r.human_coding_scheme, r.full_statement)
            for r in conn.execute(
                select(
                    competencies.c.id,
                    competencies.c.uri,
                    competencies.c.human_coding_scheme,
                    competencies.c.full_statement,
                ).where(competencies.c.id.in_(shared_ids))
            )
        }
        classes: dict[str, list[ContextRef]] = defaultdict(list)
        for m in conn.execute(
            select(
                context_members.c.learner_id,
                contexts.c.id,
                contexts.c.source,
                contexts.c.key,
                contexts.c.title,
            )
            .join(contexts, contexts.c.id == context_members.c.context_id)
            .where(
                context_members.c.learner_id.in_(learner_ids),
                context_members.c.status == "active",
            )
            .order_by(contexts.c.key)
        ):
            classes[m.learner_id].append(ContextRef(m.id, m.source, m.key, m.title))
    out: dict[int, DeliveryEvent] = {}
    for h in held:
        row = rows[h.event_seq]
        payload: Mapping[str, Any] = row.payload
        learner = payload.get("learner_id")
        out[h.seq] = DeliveryEvent(
            delivery_id=h.id,
            event_id=row.event_id,
            topic=row.topic,
            seq=row.seq,
            subject=row.subject,
            payload=payload,
            created_at=row.created_at,
            attempt=h.attempts,
            learner_id=learner,
            learner_identifiers={
                k: tuple(v) for k, v in identifiers.get(learner or "", {}).items()
            },
            competency=comps.get(str(payload.get("shared_id"))),
            contexts=tuple(classes.get(learner or "", ())),
        )
    return out
