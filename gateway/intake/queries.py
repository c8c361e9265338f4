"""Read-only queries over the intake tables, for the admin API.

Plain functions over :meth:`Store.read` with SQLAlchemy Core. List functions read one page in
key order after a cursor key, with one query per page (no query per row), and return
``limit`` rows plus one when more follow (see :mod:`gateway.api.pagination`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from gateway.errors import InvalidPayload, NotFound
from gateway.store import Store
from gateway.store.tables import (
    alignments,
    competencies,
    evidence,
    learner_identifiers,
    learners,
    observations,
    raw_records,
    vendors,
)

EVIDENCE_CAP = 500  # evidence rows shown with one learner


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- Alignments. ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlignmentRow:
    """One stored alignment rule, with its vendor's name and competency's coding."""

    id: str
    vendor_id: str | None
    vendor: str | None
    activity: str
    match: str
    competency_id: str
    human_coding_scheme: str | None
    shared_id: str
    weight: float | None
    kind: str | None
    dok: int | None
    source: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        """JSON for the admin API."""
        return {
            "id": self.id,
            "vendor_id": self.vendor_id,
            "vendor": self.vendor,
            "activity": self.activity,
            "match": self.match,
            "competency_id": self.competency_id,
            "human_coding_scheme": self.human_coding_scheme,
            "shared_id": self.shared_id,
            "weight": self.weight,
            "kind": self.kind,
            "dok": self.dok,
            "source": self.source,
            "created_at": self.created_at.isoformat(),
        }


def list_alignments(
    store: Store,
    *,
    vendor_id: str | None = None,
    competency_id: str | None = None,
    after: str | None = None,
    limit: int = 51,
) -> list[AlignmentRow]:
    """Alignment rules by id after ``after``, optionally for one vendor or competency."""
    stmt = (
        select(
            alignments,
            vendors.c.name.label("vendor_name"),
            competencies.c.human_coding_scheme,
            competencies.c.shared_id,
        )
        .outerjoin(vendors, vendors.c.id == alignments.c.vendor_id)
        .join(competencies, competencies.c.id == alignments.c.competency_id)
    )
    if vendor_id is not None:
        stmt = stmt.where(alignments.c.vendor_id == vendor_id)
    if competency_id is not None:
        stmt = stmt.where(alignments.c.competency_id == competency_id.strip().lower())
    if after is not None:
        stmt = stmt.where(alignments.c.id > after)
    with store.read() as conn:
        rows = conn.execute(stmt.order_by(alignments.c.id).limit(limit)).all()
    return [
        AlignmentRow(
            id=r.id,
            vendor_id=r.vendor_id,
            vendor=r.vendor_name,
            activity=r.activity,
            match=r.match,
            competency_id=r.competency_id,
            human_coding_scheme=r.human_coding_scheme,
            shared_id=r.shared_id,
            weight=r.weight,
            kind=r.kind,
            dok=r.dok,
            source=r.source,
            created_at=r.created_at,
        )
        for r in rows
    ]


# --- Learners. ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LearnerSummary:
    """A learner with every identifier it is known by."""

    id: str
    display_name: str | None
    status: str
    merged_into: str | None
    created_at: datetime
    identifiers: tuple[tuple[str, str], ...]

    def to_json(self) -> dict[str, Any]:
        """JSON for the admin API."""
        return {
            "id": self.id,
            "display_name": self.display_name,
            "status": self.status,
            "merged_into": self.merged_into,
            "created_at": self.created_at.isoformat(),
            "identifiers": [{"kind": k, "value": v} for k, v in self.identifiers],
        }


def list_learners(
    store: Store,
    *,
    status: str | None = None,
    after: str | None = None,
    limit: int = 51,
) -> list[LearnerSummary]:
    """Learners by id after ``after`` with their identifiers, in one query."""
    page = select(learners)
    if status is not None:
        page = page.where(learners.c.status == status)
    if after is not None:
        page = page.where(learners.c.id > after)
    chosen = page.order_by(learners.c.id).limit(limit).subquery()
    stmt = (
        select(chosen, learner_identifiers.c.kind, learner_identifiers.c.value)
        .outerjoin(learner_identifiers, learner_identifiers.c.learner_id == chosen.c.id)
        .order_by(chosen.c.id, learner_identifiers.c.kind, learner_identifiers.c.value)
    )
    with store.read() as conn:
        rows = conn.execute(stmt).all()
    return _summaries(rows)


def _summaries(rows: Any) -> list[LearnerSummary]:
    """Fold (learner, identifier) rows, ordered by learner, into summaries."""
    found: dict[str, tuple[Any, list[tuple[str, str]]]] = {}
    for r in rows:
        _, ids = found.setdefault(r.id, (r, []))
        if r.kind is not None:
            ids.append((r.kind, r.value))
    return [
        LearnerSummary(
            r.id, r.display_name, r.status, r.merged_into, r.created_at, tuple(ids)
        )
        for r, ids in found.values()
    ]


def get_learner(store: Store, learner_id: str) -> LearnerSummary:
    """One learner with its identifiers; :class:`NotFound` when unknown."""
    stmt = (
        select(learners, learner_identifiers.c.kind, learner_identifiers.c.value)
        .outerjoin(
            learner_identifiers, learner_identifiers.c.learner_id == learners.c.id
        )
        .where(learners.c.id == learner_id)
        .order_by(learner_identifiers.c.kind, learner_identifiers.c.value)
    )
    with store.read() as conn:
        rows = conn.execute(stmt).all()
    if not rows:
        raise NotFound(f"No learner has id {learner_id!r}.")
    return _summaries(rows)[0]


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One piece of a learner's evidence, as an admin reads it."""

    id: str
    competency_id: str
    shared_id: str
    human_coding_scheme: str | None
    score: float
    kind: str
    weight: float
    vendor: str | None
    observed_at: datetime

    def to_json(self) -> dict[str, Any]:
        """JSON for the admin API."""
        return {
            "id": self.id,
            "competency_id": self.competency_id,
            "shared_id": self.shared_id,
            "human_coding_scheme": self.human_coding_scheme,
            "score": self.score,
            "kind": self.kind,
            "weight": self.weight,
            "vendor": self.vendor,
            "observed_at": self.observed_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class LearnerDetail:
    """A learner, its identifiers and (up to a cap) its evidence, newest first."""

    learner: LearnerSummary
    evidence_count: int
    evidence: tuple[EvidenceRow, ...]

    def to_json(self) -> dict[str, Any]:
        """JSON for the admin API."""
        return self.learner.to_json() | {
            "evidence_count": self.evidence_count,
            "evidence": [e.to_json() for e in self.evidence],
            "evidence_truncated": self.evidence_count > len(self.evidence),
        }


def learner_detail(
    store: Store, learner_id: str, *, cap: int = EVIDENCE_CAP
) -> LearnerDetail:
    """A learner with its evidence count and its newest ``cap`` pieces of evidence."""
    learner = get_learner(store, learner_id)
    with store.read() as conn:
        count = conn.execute(
            select(func.count())
            .select_from(evidence)
            .where(evidence.c.learner_id == learner.id)
        ).scalar_one()
        rows = conn.execute(
            select(
                evidence.c.id,
                evidence.c.competency_id,
                evidence.c.shared_id,
                competencies.c.human_coding_scheme,
                evidence.c.score,
                evidence.c.kind,
                evidence.c.weight,
                vendors.c.name.label("vendor_name"),
                evidence.c.observed_at,
            )
            .outerjoin(competencies, competencies.c.id == evidence.c.competency_id)
            .outerjoin(vendors, vendors.c.id == evidence.c.vendor_id)
            .where(evidence.c.learner_id == learner.id)
            .order_by(evidence.c.observed_at.desc(), evidence.c.id)
            .limit(cap)
        ).all()
    return LearnerDetail(
        learner,
        int(count),
        tuple(
            EvidenceRow(
                r.id,
                r.competency_id,
                r.shared_id,
                r.human_coding_scheme,
                r.score,
                r.kind,
                r.weight,
                r.vendor_name,
                r.observed_at,
            )
            for r in rows
        ),
    )


# --- A learner's activity timeline. -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """One observation of a learner, scored or not, with what its raw record says it was."""

    observation_id: str
    observed_at: datetime
    activity_id: str
    protocol: str
    event_type: str | None
    action: str | None
    score: float | None
    raw_record_id: str

    @property
    def cursor_key(self) -> str:
        """The key newest-first pages continue after."""
        return f"{self.observed_at.isoformat()}|{self.observation_id}"

    def to_json(self) -> dict[str, Any]:
        """JSON for the admin API."""
        return {
            "observed_at": self.observed_at.isoformat(),
            "activity_id": self.activity_id,
            "protocol": self.protocol,
            "event_type": self.event_type,
            "action": self.action,
            "score": self.score,
            "raw_record_id": self.raw_record_id,
        }


def _short_term(value: Any) -> str | None:
    """A Caliper 1.0 type or action IRI cut to its name; other strings as they are."""
    if not isinstance(value, str) or not value:
        return None
    if value.startswith("http://purl.imsglobal.org/"):
        return value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return value


def _event_terms(body: str) -> tuple[str | None, str | None]:
    """(event type, action) read from a raw record body: Caliper type and action, xAPI verb."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None, None  # e.g. a CSV row
    if not isinstance(payload, dict):
        return None, None
    verb = payload.get("verb")
    if isinstance(verb, dict):  # xAPI: a Statement; its verb IRI is the action
        return "Statement", _short_term(verb.get("id"))
    kind = _short_term(payload.get("type", payload.get("@type")))
    return kind, _short_term(payload.get("action"))


def learner_activity(
    store: Store, learner_id: str, *, after: str | None = None, limit: int = 51
) -> list[ActivityRow]:
    """A learner's observations newest first (by observed_at, then id), scored or not."""
    learner = get_learner(store, learner_id)
    stmt = (
        select(
            observations.c.id,
            observations.c.observed_at,
            observations.c.activity_id,
            observations.c.score,
            observations.c.raw_record_id,
            raw_records.c.protocol,
            raw_records.c.body,
        )
        .join(raw_records, raw_records.c.id == observations.c.raw_record_id)
        .where(observations.c.learner_id == learner.id)
    )
    if after is not None:
        when, obs_id = _split_record_key(after)
        stmt = stmt.where(
            or_(
                observations.c.observed_at < when,
                and_(observations.c.observed_at == when, observations.c.id < obs_id),
            )
        )
    stmt = stmt.order_by(observations.c.observed_at.desc(), observations.c.id.desc())
    with store.read() as conn:
        rows = conn.execute(stmt.limit(limit)).all()
    return [
        ActivityRow(
            r.id,
            r.observed_at,
            r.activity_id,
            r.protocol,
            *_event_terms(r.body),
            r.score,
            r.raw_record_id,
        )
        for r in rows
    ]


# --- Raw records. ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawRecordSummary:
    """A raw record without its body."""

    id: str
    protocol: str
    vendor_id: str | None
    vendor: str | None
    external_id: str
    received_at: datetime
    status: str
    reason: str | None
    voided_by: str | None
    voids: str | None

    @property
    def cursor_key(self) -> str:
        """The key newest-first pages continue after."""
        return f"{self.received_at.isoformat()}|{self.id}"

    def to_json(self) -> dict[str, Any]:
        """JSON for the admin API."""
        return {
            "id": self.id,
            "protocol": self.protocol,
            "vendor_id": self.vendor_id,
            "vendor": self.vendor,
            "external_id": self.external_id,
            "received_at": self.received_at.isoformat(),
            "status": self.status,
            "reason": self.reason,
            "voided_by": self.voided_by,
            "voids": self.voids,
        }


_SUMMARY_COLUMNS = (
    raw_records.c.id,
    raw_records.c.protocol,
    raw_records.c.vendor_id,
    vendors.c.name.label("vendor_name"),
    raw_records.c.external_id,
    raw_records.c.received_at,
    raw_records.c.status,
    raw_records.c.status_detail,
    raw_records.c.voided_by,
    raw_records.c.voids,
)


def _summary(r: Any) -> RawRecordSummary:
    return RawRecordSummary(
        r.id,
        r.protocol,
        r.vendor_id,
        r.vendor_name,
        r.external_id,
        r.received_at,
        r.status,
        r.status_detail,
        r.voided_by,
        r.voids,
    )


def _split_record_key(after: str) -> tuple[datetime, str]:
    stamp, _, record = after.partition("|")
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        raise InvalidPayload(
            "The cursor is not one this API gave out; pass next_cursor from the previous "
            "page unchanged."
        ) from None
    if when.tzinfo is None or not record:
        raise InvalidPayload(
            "The cursor is not one this API gave out; pass next_cursor from the previous "
            "page unchanged."
        )
    return when, record


def list_raw_records(
    store: Store,
    *,
    status: str | None = None,
    vendor_id: str | None = None,
    since: datetime | None = None,
    after: str | None = None,
    limit: int = 51,
) -> list[RawRecordSummary]:
    """Raw records newest first (by received_at, then id), without their bodies."""
    stmt = select(*_SUMMARY_COLUMNS).outerjoin(
        vendors, vendors.c.id == raw_records.c.vendor_id
    )
    if status is not None:
        stmt = stmt.where(raw_records.c.status == status)
    if vendor_id is not None:
        stmt = stmt.where(raw_records.c.vendor_id == vendor_id)
    if since is not None:
        stmt = stmt.where(raw_records.c.received_at >= since)
    if after is not None:
        when, record = _split_record_key(after)
        stmt = stmt.where(
            or_(
                raw_records.c.received_at < when,
                and_(raw_records.c.received_at == when, raw_records.c.id < record),
            )
        )
    stmt = stmt.order_by(raw_records.c.received_at.desc(), raw_records.c.id.desc())
    with store.read() as conn:
        rows = conn.execute(stmt.limit(limit)).all()
    return [_summary(r) for r in rows]


@dataclass(frozen=True, slots=True)
class RawRecordDetail:
    """A raw record with its body parsed, and what was derived from it."""

    record: RawRecordSummary
    body: Any
    observations: int
    evidence: int

    def to_json(self) -> dict[str, Any]:
        """JSON for the admin API."""
        return self.record.to_json() | {
            "body": self.body,
            "observations": self.observations,
            "evidence": self.evidence,
        }


def get_raw_record(store: Store, record_id: str) -> RawRecordDetail:
    """One raw record with its parsed body and counts; :class:`NotFound` when unknown."""
    obs_count = (
        select(func.count())
        .select_from(observations)
        .where(observations.c.raw_record_id == raw_records.c.id)
        .scalar_subquery()
    )
    ev_count = (  # through observations: evidence has no index on raw_record_id
        select(func.count())
        .select_from(
            evidence.join(observations, observations.c.id == evidence.c.observation_id)
        )
        .where(observations.c.raw_record_id == raw_records.c.id)
        .scalar_subquery()
    )
    stmt = (
        select(
            *_SUMMARY_COLUMNS,
            raw_records.c.body,
            obs_count.label("n_obs"),
            ev_count.label("n_ev"),
        )
        .outerjoin(vendors, vendors.c.id == raw_records.c.vendor_id)
        .where(raw_records.c.id == record_id)
    )
    with store.read() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        raise NotFound(f"No raw record has id {record_id!r}.")
    try:
        body = json.loads(row.body)
    except ValueError:
        body = row.body  # stored verbatim; shown as text when it is not JSON
    return RawRecordDetail(_summary(row), body, int(row.n_obs), int(row.n_ev))
