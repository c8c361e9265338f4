"""``GET /healthz``: is this node able to serve, and what state is its store in."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from gateway import __version__
from gateway.extension import tessera

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
    response = jsonify(
        {
            "status": "ok" if status.ok else "unavailable",
            "version": __version__,
            "store": store,
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if status.ok else 503
