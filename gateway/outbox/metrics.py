"""``GET /metrics``: Prometheus text exposition (format 0.0.4) of intake and delivery.

Every figure is read from the store when scraped, so any web node gives the same answer and
nothing is lost when a process restarts: raw records received (by protocol), evidence rows,
mastery changes (outbox events), deliveries by status, attempts made, the age of the oldest
undelivered delivery and the outbox events not yet fanned out. Like ``/healthz`` it needs no
token (it holds counts, not data); restrict it at the proxy if that matters.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Response
from sqlalchemy import Connection, func, select

from gateway.extension import tessera
from gateway.outbox.queue import delivery_counts, fanout_lag, oldest_pending_age
from gateway.store.tables import deliveries, evidence, outbox, raw_records

bp = Blueprint("metrics", __name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _family(
    name: str, kind: str, doc: str, samples: Iterable[tuple[str, float]]
) -> list[str]:
    lines = [f"# HELP {name} {doc}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {value:g}" for labels, value in samples]
    return lines


def render_metrics(conn: Connection) -> str:
    """The exposition text for the store behind ``conn``."""
    received = conn.execute(
        select(raw_records.c.protocol, func.count()).group_by(raw_records.c.protocol)
    ).all()
    changes = conn.execute(
        select(func.count())
        .select_from(outbox)
        .where(outbox.c.topic == "mastery.changed")
    ).scalar_one()
    attempts = conn.execute(
        select(func.coalesce(func.sum(deliveries.c.attempts), 0))
    ).scalar_one()
    lines: list[str] = []
    lines += _family(
        "tessera_records_received_total",
        "counter",
        "Raw records received (kept verbatim), by protocol.",
        [(f'{{protocol="{p}"}}', n) for p, n in received],
    )
    lines += _family(
        "tessera_evidence",
        "gauge",
        "Evidence rows (observations aligned to shared competencies).",
        [("", conn.execute(select(func.count()).select_from(evidence)).scalar_one())],
    )
    lines += _family(
        "tessera_mastery_changes_total",
        "counter",
        "Changes of a learner's level (mastery.changed events written to the outbox).",
        [("", changes)],
    )
    lines += _family(
        "tessera_deliveries",
        "gauge",
        "Deliveries by status: pending, in_flight, delivered, superseded, dead.",
        [(f'{{status="{s}"}}', n) for s, n in delivery_counts(conn).items()],
    )
    lines += _family(
        "tessera_delivery_attempts_total",
        "counter",
        "Attempts made to deliver (every try, successful or not).",
        [("", attempts)],
    )
    lines += _family(
        "tessera_delivery_oldest_pending_age_seconds",
        "gauge",
        "Age of the oldest delivery not yet delivered (0 when the queue is empty).",
        [("", oldest_pending_age(conn))],
    )
    lines += _family(
        "tessera_outbox_unrouted_events",
        "gauge",
        "Outbox events no worker has fanned out into deliveries yet.",
        [("", fanout_lag(conn))],
    )
    return "\n".join(lines) + "\n"


@bp.get("/metrics")
def metrics() -> Response:
    """The metrics, for a Prometheus scraper."""
    with tessera().store.read() as conn:
        body = render_metrics(conn)
    response = Response(body, content_type=CONTENT_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response
