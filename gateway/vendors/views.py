"""``GET /whoami``: lets a vendor check its credentials before sending data (as Ralph LRS does)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from gateway.auth import authenticate_vendor
from gateway.extension import tessera

bp = Blueprint("vendors", __name__)


@bp.get("/whoami")
def whoami() -> Response:
    """The vendor, credential and scopes the request authenticated with."""
    principal = authenticate_vendor(request, tessera().store)
    response = jsonify(
        {
            "vendor": principal.vendor_name,
            "credential": {"kind": principal.kind, "key": principal.key},
            "scopes": sorted(principal.scopes),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response
