"""Reads the console needs that no API offers yet: the audit log, crosswalks, the audit write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from gateway.mastery.service import audit
from gateway.store import Store
from gateway.store.tables import audit_log, competencies, frameworks

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
