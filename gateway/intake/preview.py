"""What a vendor's adapter would make of a payload, without storing anything.

The admin console's "test a payload" box: an admin pastes an xAPI statement (or a list of
them) or a Caliper event (or envelope) and sees, per payload, the observations the vendor's
adapter reads out of it and the competencies today's alignment rules (and, for a vendor whose
hints are trusted, the CASE references in the payload) would give them evidence for. The
protocol's validation runs first, as the endpoints run it. Everything is read in one
transaction that is rolled back; no raw record, learner or evidence is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.errors import InvalidPayload
from gateway.intake.alignment import Aligner
from gateway.intake.model import AdapterRejected, Observation
from gateway.intake.pipeline import vendor_context
from gateway.store import Store
from gateway.store.tokens import current_tokens
from gateway.vendors import get_vendor

PROTOCOLS = ("xapi", "caliper")
MAX_PREVIEW_ITEMS = 50


@dataclass(frozen=True, slots=True)
class PreviewTarget:
    """A competency an observation would count for."""

    competency_id: str
    shared_id: str
    via: str  # "alignment" or "hint"


@dataclass(frozen=True, slots=True)
class PreviewObservation:
    """One observation and where it would lead."""

    observation: Observation
    targets: tuple[PreviewTarget, ...]


@dataclass(frozen=True, slots=True)
class PreviewItem:
    """One payload of what was pasted: what the adapter made of it."""

    label: str  # the statement's or event's id, or its position
    status: str  # evidence, unaligned, no score, rejected or voids
    detail: str | None = None
    observations: tuple[PreviewObservation, ...] = field(default=())


def _xapi_items(data: Any) -> list[tuple[str, Mapping[str, Any]]]:
    from gateway.xapi.validation import validate_statement

    statements = data if isinstance(data, list) else [data]
    out: list[tuple[str, Mapping[str, Any]]] = []
    for i, raw in enumerate(statements[:MAX_PREVIEW_ITEMS]):
        where = f"statement {i + 1}"
        checked = validate_statement(raw, version="2.0.0")
        out.append((str(checked.get("id") or where), checked))
    return out


def _caliper_items(data: Any) -> list[tuple[str, Mapping[str, Any]]]:
    from gateway.caliper.validation import (
        CONTEXT_V1P2,
        SUPPORTED_VERSIONS,
        CaliperInvalid,
        CaliperUnsupportedVersion,
        check_envelope,
        check_item,
    )

    try:
        if isinstance(data, dict) and "dataVersion" in data:
            events = check_envelope(data).data
        else:
            events = data if isinstance(data, list) else [data]
            for i, event in enumerate(events):
                context = event.get("@context") if isinstance(event, dict) else None
                version = context if context in SUPPORTED_VERSIONS else CONTEXT_V1P2
                check_item(event, f"[{i}]", str(version))
    except (CaliperInvalid, CaliperUnsupportedVersion) as exc:
        raise InvalidPayload(f"Not a valid Caliper event: {exc}") from None
    found = [e for e in events if isinstance(e, dict) and "action" in e]
    if not found:
        raise InvalidPayload("The Caliper payload holds no event (only entities).")
    return [(str(e.get("id", f"event {i + 1}")), e) for i, e in enumerate(found)]


def preview_payload(
    store: Store, vendor_name: str, protocol: str, text: str
) -> list[PreviewItem]:
    """The observations ``vendor_name``'s adapter reads from ``text``; nothing is stored."""
    from adapters.inbound import get_adapter

    if protocol not in PROTOCOLS:
        raise InvalidPayload(f"Choose the protocol: {' or '.join(PROTOCOLS)}.")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InvalidPayload(f"The payload is not JSON: {exc}.") from None
    vendor = get_vendor(store, vendor_name)
    items = _xapi_items(data) if protocol == "xapi" else _caliper_items(data)
    out: list[PreviewItem] = []
    with store.read() as conn:  # rolled back at the end, whatever was touched
        ctx = vendor_context(conn, vendor.id)
        adapter = get_adapter(ctx.adapter, protocol)
        aligner = Aligner(conn, current_tokens(conn))
        for label, payload in items:
            voided = adapter.voids(payload)
            if voided is not None:
                out.append(PreviewItem(label, "voids", f"It voids {voided}."))
                continue
            try:
                observed = adapter.observe(payload, ctx.settings)
            except AdapterRejected as exc:
                out.append(PreviewItem(label, "rejected", exc.reason))
                continue
            except Exception as exc:  # noqa: BLE001 - show an adapter bug, do not crash
                out.append(
                    PreviewItem(
                        label,
                        "rejected",
                        f"The {ctx.adapter!r} adapter failed: {type(exc).__name__}: "
                        f"{exc}",
                    )
                )
                continue
            hints = aligner.resolve_hints(
                h for o in observed if ctx.trust_hints for h in o.hints
            )
            shown = []
            for obs in observed:
                hinted = [hints[h] for h in obs.hints if h in hints]
                by_rule = {
                    t.competency_id
                    for t in aligner.targets(ctx.id, obs.activity_id, [])
                }
                targets = tuple(
                    PreviewTarget(
                        t.competency_id,
                        t.shared_id,
                        "alignment" if t.competency_id in by_rule else "hint",
                    )
                    for t in aligner.targets(ctx.id, obs.activity_id, hinted)
                )
                shown.append(PreviewObservation(obs, targets))
            scored = [o for o in shown if o.observation.score is not None]
            if any(o.targets for o in scored):
                status = "evidence"
            elif scored:
                status = "unaligned"
            else:
                status = "no score"
            out.append(PreviewItem(label, status, None, tuple(shown)))
        conn.rollback()
    return out
