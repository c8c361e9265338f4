"""Reads the console needs that no API offers yet: the audit log, crosswalks, the audit write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from gateway.mastery.service import audit
from gateway.store import Store
from gateway.store.tables import (
    audit_log,
    competencies,
    frameworks,
    lti_deployments,
    lti_registrations,
    observations,
    vendors,
)

AUDIT_PAGE = 50


def record_action(
    store: Store,
    actor: str,
    action: str,
    subject: str,
    before: Any = None,
    after: Any = None,
) -> None:
    """Write one console action to the audit log (its own transaction, after the action)."""
    with store.write() as conn:
        audit(conn, actor, action, subject, before, after)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the audit page is narrowed to (each a case-insensitive substring)."""

    actor: str = ""
    action: str = ""
    subject: str = ""


def audit_page(
    store: Store, where: AuditFilter, *, before_seq: int | None, limit: int = AUDIT_PAGE
) -> tuple[list[AuditEntry], int | None]:
    """Newest first, ``limit`` at a time; the seq to pass for the next page, if any."""
    query = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit + 1)
    for column, text in (
        (audit_log.c.actor, where.actor),
        (audit_log.c.action, where.action),
        (audit_log.c.subject, where.subject),
    ):
        if text.strip():
            needle = text.strip().lower().replace("\\", "\\\\")
            needle = needle.replace("%", "\\%").replace("_", "\\_")
            query = query.where(func.lower(column).like(f"%{needle}%", escape="\\"))
    if before_seq is not None:
        query = query.where(audit_log.c.seq < before_seq)
    with store.read() as conn:
        rows = conn.execute(query).all()
    entries = [
        AuditEntry(r.seq, r.at, r.actor, r.action, r.subject, r.before, r.after)
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    return entries, (entries[-1].seq if more and entries else None)


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """A competency of one framework counted as one with a competency of another."""

    competency_id: str
    code: str | None
    statement: str
    peer_id: str
    peer_code: str | None
    peer_statement: str
    peer_framework: str


def framework_crosswalks(store: Store, framework_id: str) -> list[Crosswalk]:
    """The framework's competencies that share their shared id with another competency."""
    peer = aliased(competencies)
    with store.read() as conn:
        rows = conn.execute(
            select(
                competencies.c.id,
                competencies.c.human_coding_scheme,
                competencies.c.full_statement,
                peer.c.id.label("peer_id"),
                peer.c.human_coding_scheme.label("peer_code"),
                peer.c.full_statement.label("peer_statement"),
                frameworks.c.title.label("peer_framework"),
            )
            .join(peer, peer.c.shared_id == competencies.c.shared_id)
            .join(frameworks, frameworks.c.id == peer.c.framework_id)
            .where(competencies.c.framework_id == framework_id.strip().lower())
            .where(peer.c.id != competencies.c.id)
            .order_by(competencies.c.human_coding_scheme, competencies.c.id, peer.c.id)
            .limit(500)
        ).all()
    return [
        Crosswalk(
            r.id,
            r.human_coding_scheme,
            r.full_statement,
            r.peer_id,
            r.peer_code,
            r.peer_statement,
            r.peer_framework,
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class Overview:
    """What the console's first page counts."""

    platforms: int
    pending_deployments: int
    vendors: int
    frameworks: int
    unaligned_activities: int


def overview_counts(store: Store) -> Overview:
    """The overview's counts in one read (the inbox counted as the alignments page lists it)."""
    inbox = (
        select(observations.c.vendor_id, observations.c.activity_id)
        .where(observations.c.aligned.is_(False))
        .where(observations.c.score.is_not(None))
        .group_by(observations.c.vendor_id, observations.c.activity_id)
        .subquery()
    )

    def count(query: Any) -> Any:
        return select(func.count()).select_from(query).scalar_subquery()

    with store.read() as conn:
        row = conn.execute(
            select(
                count(lti_registrations).label("platforms"),
                count(
                    select(lti_deployments.c.deployment_id)
                    .where(lti_deployments.c.status == "pending")
                    .subquery()
                ).label("pending"),
                count(
                    select(vendors.c.id)
                    .where(vendors.c.removed_at.is_(None))
                    .subquery()
                ).label("vendors"),
                count(frameworks).label("frameworks"),
                count(inbox).label("inbox"),
            )
        ).one()
    return Overview(
        int(row.platforms),
        int(row.pending),
        int(row.vendors),
        int(row.frameworks),
        int(row.inbox),
    )
