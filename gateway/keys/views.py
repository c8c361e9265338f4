"""Publishes the public signing keys (LTI Security 1.0 section 6.3; RFC 7517)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from gateway.extension import tessera
from gateway.keys import public_jwks

bp = Blueprint("keys", __name__)


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    """The JWK Set of every published public key."""
    response = jsonify(public_jwks(tessera().store))
    # Platforms cache the set; a short max-age lets a rotation reach them within minutes.
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
