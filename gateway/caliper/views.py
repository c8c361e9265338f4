"""``POST /caliper`` (one envelope) and ``GET /caliper`` (endpoint configuration).

Caliper 1.2 §6: a sensor POSTs one Envelope per request with ``Content-Type: application/json``
and a bearer token. The endpoint answers 200 with an empty body once every event is durable,
400 for a malformed envelope or event (naming the field), 401 for a missing or wrong token,
415 for another content type and 422 for an unsupported ``dataVersion``.

Policy for an envelope with some invalid events (the spec is silent): the whole envelope is
refused with 400 and nothing is stored, so a corrected retry is idempotent by event ``id``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify, request

from adapters.inbound.caliper import envelope_entities, inline_entities
from gateway.auth import CHALLENGE, authenticate_request, require_scope
from gateway.caliper.validation import (
    SUPPORTED_VERSIONS,
    CaliperInvalid,
    CaliperUnsupportedVersion,
    check_envelope,
)
from gateway.errors import (
    Forbidden,
    InvalidPayload,
    Unauthorized,
    UnprocessableEntity,
    UnsupportedMediaType,
)
from gateway.extension import tessera
from gateway.intake.pipeline import Incoming, context_for, ingest, observe_items
from gateway.vendors import VendorPrincipal
from gateway.vendors.credentials import CredentialKind

bp = Blueprint("caliper", __name__)
PROTOCOL = "caliper"
SCOPE = "caliper/write"


def _caliper_principal() -> VendorPrincipal:
    """The vendor behind a Caliper bearer token; an xAPI Basic credential is refused (401)."""
    principal = authenticate_request(
        CredentialKind.CALIPER_BEARER, "The Caliper endpoint (Caliper 1.2 §6.1)"
    )
    try:
        require_scope(principal, SCOPE)
    except Forbidden as exc:  # Caliper 1.2 §6.1: insufficient privilege is 401 too
        raise Unauthorized(
            exc.detail, headers={"WWW-Authenticate": CHALLENGE}
        ) from None
    return principal


@bp.get("/caliper")
def endpoint_configuration() -> Response:
    """Caliper 1.2 §6.2: the versions and payload size this endpoint accepts (snake_case)."""
    _caliper_principal()
    response = jsonify(
        {
            "caliper_supported_versions": list(SUPPORTED_VERSIONS),
            "caliper_maximum_payload_size": tessera().settings.max_body_bytes // 1024,
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/caliper")
def receive_envelope() -> Response:
    """Caliper 1.2 §6.1: validate one envelope, keep its events, derive their evidence."""
    principal = _caliper_principal()
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            f"A Caliper envelope is sent as application/json, not "
            f"{request.mimetype or 'a body without a Content-Type'} (Caliper 1.2 §6.1)."
        )
    try:
        document = json.loads(request.get_data())
    except ValueError as exc:
        raise InvalidPayload(f"The body is not valid JSON: {exc}.") from None
    except RecursionError:
        raise InvalidPayload(
            "The body nests JSON too deeply to be an Envelope."
        ) from None
    try:
        envelope = check_envelope(document)
    except RecursionError:
        raise InvalidPayload("The envelope nests entities too deeply.") from None
    except CaliperInvalid as exc:
        raise InvalidPayload(str(exc), extra={"field": exc.path}) from None
    except CaliperUnsupportedVersion as exc:
        raise UnprocessableEntity(str(exc)) from None
    items = _incoming(envelope.data)
    if not items:
        return Response(status=200)
    ctx = context_for(
        principal.vendor_id,
        principal.vendor_name,
        principal.adapter,
        principal.settings,
    )
    observed = observe_items(ctx, PROTOCOL, items)  # before the write lock is taken
    with tessera().store.write() as conn:  # one transaction: 200 once all is durable
        ingest(conn, ctx, PROTOCOL, items, observed=observed)
    return Response(status=200)


def _incoming(data: list[Any]) -> list[Incoming]:
    """The envelope's events, with entities described in the same envelope inlined.

    The raw record's body is the inlined event, the same object the adapter reads, so a
    replay derives exactly what intake derived (Caliper 1.2 §4: thinned references).
    """
    entities = envelope_entities(data)
    items = []
    for item in data:
        if "action" not in item:
            continue  # an entity describe: used to inline references, not kept on its own
        event = inline_entities(item, entities) if entities else item
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        items.append(Incoming(str(event["id"]), body, event))
    return items
