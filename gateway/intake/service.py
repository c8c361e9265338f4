"""Store-level operations of the pipeline, for the CLI and the admin API."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from gateway.errors import NotFound
from gateway.intake.alignment import NewAlignment, Rule, add_alignments
from gateway.intake.pipeline import (
    Incoming,
    RecordOutcome,
    ingest,
    observations_for_competencies,
    observations_for_rules,
    rederive_observations,
    vendor_context,
)
from gateway.store import Store
from gateway.store.tables import alignments, observations, raw_records, vendors
from gateway.store.tokens import ALIGNMENTS, invalidate
from gateway.vendors import get_vendor


@dataclass(frozen=True, slots=True)
class AlignResult:
    """Rules stored and the evidence their replay made."""

    rules: list[Rule]
    observations: int
    evidence: int

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and API."""
        return {
            "alignments": [
                {
                    "id": r.id,
                    "activity": r.activity,
                    "match": r.match,
                    "competency_id": r.competency_id,
                    "vendor_id": r.vendor_id,
                    "weight": r.weight,
                    "kind": r.kind,
                    "dok": r.dok,
                }
                for r in self.rules
            ],
            "observations_replayed": self.observations,
            "evidence": self.evidence,
        }


def align(store: Store, new: Sequence[NewAlignment]) -> AlignResult:
    """Add alignment rules and turn the observations they cover into evidence, atomically."""
    with store.write() as conn:
        rules = add_alignments(conn, new)
        ids = observations_for_rules(conn, rules)
        made = rederive_observations(conn, ids)
    return AlignResult(rules, len(ids), made)


def remove_alignment(store: Store, alignment_id: str) -> int:
    """Delete one alignment rule and re-derive the observations it covered, atomically.

    Returns how many evidence rows those observations have afterwards (through other rules).
    """
    with store.write() as conn:
        row = conn.execute(
            select(alignments).where(alignments.c.id == alignment_id)
        ).first()
        if row is None:
            raise NotFound(f"No alignment has id {alignment_id!r}.")
        rule = Rule(
            row.id,
            row.vendor_id,
            row.activity,
            row.match,
            row.competency_id,
            row.weight,
            row.kind,
            row.dok,
        )
        ids = observations_for_rules(conn, [rule])
        conn.execute(delete(alignments).where(alignments.c.id == alignment_id))
        invalidate(conn, ALIGNMENTS)
        return rederive_observations(conn, ids)


def apply_crosswalk_changes(store: Store, competency_ids: Sequence[str]) -> int:
    """Re-derive evidence whose shared competency changed with a framework import."""
    with store.write() as conn:
        invalidate(conn, ALIGNMENTS)  # the cached shared ids of rule targets are stale
        return rederive_observations(
            conn, observations_for_competencies(conn, competency_ids)
        )


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """An activity that sent observations no alignment covers yet."""

    vendor: str | None
    activity_id: str
    observations: int
    last_observed: datetime

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and API."""
        return {
            "vendor": self.vendor,
            "activity_id": self.activity_id,
            "observations": self.observations,
            "last_observed": self.last_observed.isoformat(),
        }


def unaligned_inbox(store: Store, *, limit: int = 100) -> list[InboxEntry]:
    """Activities whose scored observations no rule covers yet, most observations first."""
    count = func.count().label("n")
    last = func.max(observations.c.observed_at).label("last")
    with store.read() as conn:
        rows = conn.execute(
            select(vendors.c.name, observations.c.activity_id, count, last)
            .select_from(observations)
            .outerjoin(vendors, vendors.c.id == observations.c.vendor_id)
            .where(observations.c.aligned.is_(False))
            .where(observations.c.score.is_not(None))
            .group_by(vendors.c.name, observations.c.activity_id)
            .order_by(count.desc(), observations.c.activity_id)
            .limit(limit)
        ).all()
    return [InboxEntry(r.name, r.activity_id, r.n, r.last) for r in rows]


def record_counts(store: Store) -> dict[str, int]:
    """How many raw records are in each status."""
    with store.read() as conn:
        rows = conn.execute(
            select(raw_records.c.status, func.count()).group_by(raw_records.c.status)
        ).all()
    return {status: n for status, n in rows}


def ingest_csv(store: Store, vendor_name: str, text: str) -> list[RecordOutcome]:
    """Take in a vendor's CSV export: each row is a raw record, all in one transaction.

    A row's external id is a digest of its content, so importing the same export again, or a
    later export that repeats rows, stores nothing twice.
    """
    from adapters.inbound.csv import read_csv_export

    vendor = get_vendor(store, vendor_name)
    with store.write() as conn:
        ctx = vendor_context(conn, vendor.id)
        rows = read_csv_export(text, ctx.settings)
        items = []
        for row in rows:
            body = json.dumps(row, sort_keys=True, ensure_ascii=False)
            digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:40]
            items.append(Incoming(f"csv:{digest}", body, row))
        return ingest(conn, ctx, "csv", items)
