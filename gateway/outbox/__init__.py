"""Delivery of outbox events: destinations, the deliveries queue, and the worker.

The mastery engine writes events to ``outbox`` in the transaction that makes them true. The
worker (``tessera worker``) fans each new event out into one ``deliveries`` row per active
destination that takes its topic (a cursor on ``outbox.seq``), claims due deliveries under a
lease, hands each to its target (``adapters.outbound``) and records the outcome: delivered,
retried later with exponential backoff and jitter (or when ``Retry-After`` says), or dead once
the horizon has passed or the target refused for good. For one subject (a learner and a
competency) and destination only the newest event is delivered: a newer event supersedes an
older one not yet sent, and an older one is never sent after a newer one.

Modules: ``policy`` (pure: backoff and what an outcome makes of a delivery), ``destinations``
(configured targets), ``queue`` (fan-out, claims, outcomes, listings), ``worker`` (the loop),
``metrics`` (``GET /metrics``), ``events`` (``evidence.received`` and ``credential.issued``,
written only while a destination takes them).
"""
