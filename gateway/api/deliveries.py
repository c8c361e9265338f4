"""``/api/v1/destinations`` and ``/api/v1/deliveries``: where events go, and how it went."""

from __future__ import annotations

from typing import Any

from adapters.outbound import KINDS
from gateway.api.openapi import API_PREFIX, ApiGroup, Param, Reply
from gateway.api.pagination import Page, PageRequest, page_of
from gateway.extension import tessera
from gateway.outbox import destinations as service
from gateway.outbox.policy import STATUSES, RetryPolicy
from gateway.outbox.queue import (
    DeliveryFilter,
    delivery_counts,
    delivery_json,
    get_delivery,
    list_deliveries,
    retry_dead,
    retry_delivery,
)
from gateway.store import Store

api = ApiGroup(
    "deliveries",
    "Mastery changes (and other events) are delivered by `tessera worker` to destinations: "
    "webhooks, OneRoster 1.2 gradebooks, Ed-Fi ODS/APIs. Each (event, destination) is a "
    "delivery: pending, in_flight, delivered, superseded (a newer level of the same learner "
    "and competency replaced it before it was sent) or dead (refused, or retried past the "
    "horizon). Dead deliveries can be retried.",
)

_KINDS = list(KINDS)
DESTINATION = api.schema(
    "Destination",
    {
        "type": "object",
        "required": ["id", "name", "kind", "settings", "topics", "status"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": _KINDS},
            "settings": {"type": "object"},
            "topics": {"type": "array", "items": {"type": "string"}},
            "secret_hint": {
                "type": ["string", "null"],
                "description": "The first 12 hex digits of the secret's SHA-256.",
            },
            "status": {"type": "string", "enum": ["active", "removed"]},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
)
DELIVERY = api.schema(
    "Delivery",
    {
        "type": "object",
        "required": ["id", "event_id", "topic", "subject", "destination", "status"],
        "properties": {
            "id": {
                "type": "string",
                "description": "Also the Idempotency-Key the target sees.",
            },
            "event_id": {"type": "string"},
            "topic": {"type": "string"},
            "subject": {"type": "string"},
            "learner_id": {"type": ["string", "null"]},
            "level": {"type": ["string", "null"]},
            "destination": {"type": "object"},
            "status": {"type": "string", "enum": list(STATUSES)},
            "attempts": {"type": "integer"},
            "next_attempt_at": {"type": ["string", "null"], "format": "date-time"},
            "give_up_at": {"type": ["string", "null"], "format": "date-time"},
            "claimed_by": {"type": ["string", "null"]},
            "claimed_until": {"type": ["string", "null"], "format": "date-time"},
            "last_error": {"type": ["string", "null"]},
            "last_status_code": {"type": ["integer", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "delivered_at": {"type": ["string", "null"], "format": "date-time"},
            "payload": {"type": "object", "description": "The event (detail only)."},
        },
    },
)
_NAME_PARAM = Param(
    "name", {"type": "string", "maxLength": 64}, "The destination's name.", "path"
)
_DELIVERY_PARAM = Param("delivery_id", {"type": "string", "maxLength": 36}, "", "path")


def _store() -> Store:
    return tessera().store


@api.operation(
    "GET", "/destinations", summary="List destinations", response_schema=DESTINATION
)
def list_destinations() -> list[dict[str, Any]]:
    """Active destinations by name, without their secrets."""
    return [d.to_json() for d in service.list_destinations(_store())]


@api.operation(
    "POST",
    "/destinations",
    summary="Add a destination",
    status=201,
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "kind", "settings"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 48},
            "kind": {"type": "string", "enum": _KINDS},
            "settings": {
                "type": "object",
                "description": "Per kind: webhook {url}; oneroster {base_url, token_url, "
                "client_id, ...}; edfi {base_url, token_url, client_id, "
                "education_organization_id, grade_level_descriptor, grading_period, ...}.",
            },
            "secret": {
                "type": "string",
                "minLength": 1,
                "maxLength": 4096,
                "description": "The OAuth client secret, or a webhook's HMAC key "
                "(made for you when left out).",
            },
            "topics": {
                "type": "array",
                "items": {"type": "string", "enum": list(service.TOPICS)},
                "minItems": 1,
            },
        },
    },
    response_schema={
        "allOf": [
            DESTINATION,
            {
                "type": "object",
                "properties": {
                    "secret": {
                        "type": ["string", "null"],
                        "description": "The webhook secret Tessera made: shown only here.",
                    }
                },
            },
        ]
    },
    errors=[409],
)
def create_destination(body: dict[str, Any]) -> Reply:
    """Add a destination; new events are delivered to it from now on."""
    made, secret = service.add_destination(
        _store(),
        body["name"],
        body["kind"],
        body["settings"],
        secret=body.get("secret"),
        topics=body.get("topics"),
    )
    return Reply(
        made.to_json() | {"secret": secret},
        {"Location": f"{API_PREFIX}/destinations/{made.name}"},
    )


@api.operation(
    "DELETE",
    "/destinations/{name}",
    summary="Remove a destination",
    params=[_NAME_PARAM],
    response_schema={
        "type": "object",
        "required": ["destination", "abandoned"],
        "properties": {
            "destination": DESTINATION,
            "abandoned": {
                "type": "integer",
                "description": "Deliveries not yet made, now dead.",
            },
        },
    },
)
def remove_destination(name: str) -> dict[str, Any]:
    """Stop delivering to a destination; what it had not received yet becomes dead."""
    found, abandoned = service.remove_destination(_store(), name)
    return {"destination": found.to_json(), "abandoned": abandoned}


@api.operation(
    "GET",
    "/deliveries",
    summary="List deliveries",
    params=[
        Param("status", {"type": "string", "enum": list(STATUSES)}),
        Param("destination", {"type": "string", "maxLength": 64}, "Its name or id."),
        Param("learner", {"type": "string", "maxLength": 36}, "A learner id."),
    ],
    response_schema=DELIVERY,
    paginated=True,
)
def list_deliveries_view(
    page: PageRequest,
    status: str | None,
    destination: str | None,
    learner: str | None,
) -> Page:
    """Deliveries newest first; filter by status, destination and learner."""
    store = _store()
    destination_id = None
    if destination:
        with store.read() as conn:
            destination_id = service.get_destination(conn, destination).id
    rows = list_deliveries(
        store,
        DeliveryFilter(status, destination_id, learner),
        after=page.after,
        limit=page.fetch,
    )
    return page_of(rows, page, key=lambda r: str(r.seq), render=delivery_json)


@api.operation(
    "GET",
    "/deliveries/counts",
    summary="Count deliveries by status",
    response_schema={
        "type": "object",
        "additionalProperties": {"type": "integer"},
    },
)
def count_deliveries() -> dict[str, int]:
    """How many deliveries are in each status (every status, 0 when none)."""
    with _store().read() as conn:
        return delivery_counts(conn)


@api.operation(
    "POST",
    "/deliveries/retry",
    summary="Retry dead deliveries (of a destination, of a learner)",
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "destination": {
                "type": "string",
                "maxLength": 64,
                "description": "Its name or id.",
            },
            "learner": {"type": "string", "maxLength": 36},
        },
    },
    body_required=False,
    response_schema={
        "type": "object",
        "required": ["pending", "superseded"],
        "properties": {
            "pending": {"type": "integer", "description": "Due again now."},
            "superseded": {
                "type": "integer",
                "description": "Overtaken by a newer level, so not sent.",
            },
        },
    },
)
def retry_dead_deliveries(body: dict[str, Any]) -> dict[str, int]:
    """Make dead deliveries due again (after fixing a destination, say), oldest first.

    Each one as ``/deliveries/{id}/retry`` would: one a newer level has overtaken is
    superseded instead.
    """
    store = _store()
    destination_id = None
    if body.get("destination"):
        with store.read() as conn:
            destination_id = service.get_destination(conn, body["destination"]).id
    policy = RetryPolicy.from_settings(tessera().settings)
    where = DeliveryFilter(None, destination_id, body.get("learner"))
    return retry_dead(store, where, policy)


@api.operation(
    "GET",
    "/deliveries/{delivery_id}",
    summary="Get a delivery",
    params=[_DELIVERY_PARAM],
    response_schema=DELIVERY,
)
def get_delivery_view(delivery_id: str) -> dict[str, Any]:
    """One delivery with its event's payload, its attempts and its last error."""
    with _store().read() as conn:
        return delivery_json(get_delivery(conn, delivery_id), with_payload=True)


@api.operation(
    "POST",
    "/deliveries/{delivery_id}/retry",
    summary="Retry a dead delivery",
    params=[_DELIVERY_PARAM],
    request_schema={"type": "object", "additionalProperties": False},
    body_required=False,
    response_schema=DELIVERY,
    errors=[409],
)
def retry_delivery_view(delivery_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Make a dead delivery due now, with a fresh horizon.

    It becomes superseded instead if a newer level of the same learner and competency was
    queued or delivered since.
    """
    del body
    policy = RetryPolicy.from_settings(tessera().settings)
    return retry_delivery(_store(), delivery_id, policy)
