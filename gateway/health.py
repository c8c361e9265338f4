"""``GET /healthz``: is this node able to serve, and what state is its store in."""

from __future__ import annotations

import time
import weakref

from flask import Blueprint, Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from gateway import __version__
from gateway.extension import tessera
from gateway.outbox.queue import delivery_counts, oldest_pending_age
from gateway.store import Store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the store is reachable and migrated to this code's schema, else 503."""
    status = tessera().store.status()
    store: dict[str, object] = {
        "dialect": status.dialect,
        "reachable": status.reachable,
        "schema": status.state.value if status.state else None,
        "revision": status.revision,
        "expected_revision": status.expected_revision,
    }
    if status.error:
        store["error"] = status.error
    body: dict[str, object] = {
        "status": "ok" if status.ok else "unavailable",
        "version": __version__,
        "store": store,
    }
    if status.ok:
        body["deliveries"] = _delivery_state(tessera().store)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if status.ok else 503


# Counting deliveries scans the table, and load balancers probe every few seconds: each
# process reuses its last count for this long (/metrics always counts afresh).
_DELIVERY_STATE_SECONDS = 5.0
_delivery_cache: weakref.WeakKeyDictionary[Store, tuple[float, dict[str, object]]] = (
    weakref.WeakKeyDictionary()
)


def _delivery_state(store: Store) -> dict[str, object]:
    """Deliveries by status and the age of the oldest one waiting, at most a few s old."""
    now = time.monotonic()
    cached = _delivery_cache.get(store)
    if cached is not None and now - cached[0] < _DELIVERY_STATE_SECONDS:
        return cached[1]
    try:
        with store.read() as conn:
            state: dict[str, object] = {
                "counts": delivery_counts(conn),
                "oldest_pending_seconds": round(oldest_pending_age(conn), 3),
            }
    except SQLAlchemyError as exc:  # the store answered just before: say what failed
        return {"error": " ".join(str(exc).split())[:200]}
    _delivery_cache[store] = (now, state)
    return state
