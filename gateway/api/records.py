"""``/api/v1/raw-records`` and ``/api/v1/replay``: payloads as received, and re-deriving them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.api.lookups import vendor_id_named
from gateway.api.openapi import ApiGroup, Param, current_admin
from gateway.api.pagination import Page, PageRequest, page_of
from gateway.errors import InvalidPayload
from gateway.extension import tessera
from gateway.intake import queries
from gateway.intake.pipeline import replay, void_records
from gateway.intake.service import record_counts
from gateway.store import Store

api = ApiGroup(
    "raw-records",
    "Every inbound payload (xAPI statement, Caliper event, CSV row, ...) is kept verbatim "
    "as a raw record, with a status: processed, unaligned (no alignment covers its "
    "activity yet), rejected (its score could not be used; the reason says why) or voided. "
    "Evidence is re-derived from them by a replay.",
)

_STATUSES = ["received", "processed", "unaligned", "rejected", "voided"]

RAW_RECORD = api.schema(
    "RawRecord",
    {
        "type": "object",
        "description": "A raw record without its body.",
        "required": ["id", "protocol", "external_id", "received_at", "status"],
        "properties": {
            "id": {"type": "string"},
            "protocol": {"type": "string"},
            "vendor_id": {"type": ["string", "null"]},
            "vendor": {"type": ["string", "null"], "description": "The vendor's name."},
            "external_id": {"type": "string"},
            "received_at": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": _STATUSES},
            "reason": {
                "type": ["string", "null"],
                "description": "Why it is rejected (or voided), as a sentence.",
            },
            "voided_by": {"type": ["string", "null"]},
            "voids": {"type": ["string", "null"]},
        },
    },
)
RAW_RECORD_DETAIL = api.schema(
    "RawRecordDetail",
    {
        "allOf": [
            RAW_RECORD,
            {
                "type": "object",
                "required": ["body", "observations", "evidence"],
                "properties": {
                    "body": {"description": "The payload as received, parsed."},
                    "observations": {"type": "integer"},
                    "evidence": {"type": "integer"},
                },
            },
        ]
    },
)
_DATE_TIME = {"type": "string", "format": "date-time", "maxLength": 64}


def _store() -> Store:
    return tessera().store


def _parse_time(value: str | None, label: str) -> datetime | None:
    """An ISO 8601 date-time (a date alone means its midnight); UTC when no offset is given."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidPayload(
            f"{label} must be an ISO 8601 date-time such as 2026-11-01T08:00:00Z; "
            f"got {value!r}."
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


@api.operation(
    "GET",
    "/raw-records",
    summary="List raw records",
    params=[
        Param("status", {"type": "string", "enum": _STATUSES}),
        Param("vendor", {"type": "string", "maxLength": 64}, "The vendor's name."),
        Param(
            "since",
            _DATE_TIME,
            "Only records received at or after this time (ISO 8601; UTC if no offset).",
        ),
    ],
    response_schema=RAW_RECORD,
    paginated=True,
)
def list_raw_records(
    page: PageRequest, status: str | None, vendor: str | None, since: str | None
) -> Page:
    """Raw records newest first, without their bodies; filter by status, vendor, time."""
    found = queries.list_raw_records(
        _store(),
        status=status,
        vendor_id=vendor_id_named(vendor, "Query parameter 'vendor'"),
        since=_parse_time(since, "Query parameter 'since'"),
        after=page.after,
        limit=page.fetch,
    )
    return page_of(
        found, page, key=lambda r: r.cursor_key, render=lambda r: r.to_json()
    )


@api.operation(
    "GET",
    "/raw-records/counts",
    summary="Count raw records by status",
    response_schema={
        "type": "object",
        "description": "Status -> number of raw records.",
        "additionalProperties": {"type": "integer"},
    },
)
def count_raw_records() -> dict[str, int]:
    """How many raw records are in each status (statuses with none are left out)."""
    return record_counts(_store())


@api.operation(
    "GET",
    "/raw-records/{record_id}",
    summary="Get a raw record",
    params=[Param("record_id", {"type": "string"}, location="path")],
    response_schema=RAW_RECORD_DETAIL,
)
def get_raw_record(record_id: str) -> dict[str, Any]:
    """One raw record with its body as received, its status and reason, and what it made."""
    return queries.get_raw_record(_store(), record_id).to_json()


@api.operation(
    "POST",
    "/raw-records/{record_id}/void",
    summary="Void a raw record (its evidence is retracted)",
    params=[Param("record_id", {"type": "string"}, location="path")],
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "required": ["reason"],
        "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 500}},
    },
    response_schema=RAW_RECORD_DETAIL,
)
def void_raw_record(record_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Retract what a payload said (a vendor's deletion, an admin's decision), keeping it.

    The record stays stored with status ``voided`` and the reason; a replay keeps it voided.
    """
    store = _store()
    found = queries.get_raw_record(store, record_id).record
    by = f"admin token {current_admin().name!r}: {body['reason']}"
    with store.write() as conn:
        void_records(conn, found.vendor_id, found.protocol, [found.external_id], by)
    return queries.get_raw_record(store, record_id).to_json()


@api.operation(
    "POST",
    "/replay",
    summary="Replay raw records (may take long on a large store)",
    request_schema={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "vendor": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Only this vendor's records (its name).",
            },
            "since": _DATE_TIME,
        },
    },
    body_required=False,
    response_schema={
        "type": "object",
        "required": ["records", "evidence", "statuses"],
        "properties": {
            "records": {"type": "integer"},
            "evidence": {"type": "integer"},
            "statuses": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
            },
        },
    },
)
def replay_records(body: dict[str, Any]) -> dict[str, Any]:
    """Re-derive observations and evidence from stored raw records, batch by batch.

    Idempotent and safe while intake continues. The request lasts as long as the replay:
    on a large store, narrow it with ``vendor`` or ``since``, or run ``tessera replay``.
    """
    result = replay(
        _store(),
        vendor_id=vendor_id_named(body.get("vendor"), "Field 'vendor'"),
        since=_parse_time(body.get("since"), "Field 'since'"),
    )
    return {
        "records": result.records,
        "evidence": result.evidence,
        "statuses": result.statuses,
    }
