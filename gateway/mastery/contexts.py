"""Classes (contexts) and their rosters, as mastery's class views read them.

LTI launches and rosters write contexts too; a class made through the API has source ``api``
and the caller's own key (a SIS section id, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update

from gateway.errors import InvalidPayload, NotFound
from gateway.ids import context_id
from gateway.store import Store
from gateway.store.tables import context_members, contexts, learners, utcnow
from gateway.store.upsert import upsert

LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def list_contexts(store: Store) -> list[dict[str, Any]]:
    """Every class, with its count of active learners."""
    active = (
        select(context_members.c.context_id, func.count().label("n"))
        .where(context_members.c.is_learner.is_(True))
        .where(context_members.c.status == "active")
        .group_by(context_members.c.context_id)
        .subquery()
    )
    with store.read() as conn:
        rows = conn.execute(
            select(contexts, active.c.n)
            .outerjoin(active, active.c.context_id == contexts.c.id)
            .order_by(contexts.c.title, contexts.c.id)
        ).all()
    return [_json(r, r.n or 0) for r in rows]


def _json(row: Any, count: int) -> dict[str, Any]:
    return {
        "id": row.id,
        "source": row.source,
        "key": row.key,
        "title": row.title,
        "label": row.label,
        "learners": count,
    }


def put_context(
    store: Store,
    source: str,
    key: str,
    *,
    title: str | None = None,
    label: str | None = None,
    learner_ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Create or update a class; with ``learner_ids``, that is its roster of learners now."""
    if not key.strip():
        raise InvalidPayload("A class needs a non-blank key.")
    cid = context_id(source, key)
    now = utcnow()
    with store.write() as conn:
        old = conn.execute(select(contexts).where(contexts.c.id == cid)).first()
        upsert(
            conn,
            contexts,
            [
                {
                    "id": cid,
                    "source": source,
                    "key": key,
                    "title": title
                    if title is not None
                    else (old.title if old else None),
                    "label": label
                    if label is not None
                    else (old.label if old else None),
                    "created_at": old.created_at if old else now,
                    "updated_at": now,
                }
            ],
        )
        if learner_ids is not None:
            wanted = sorted(set(learner_ids))
            found = {
                r.id
                for r in conn.execute(
                    select(learners.c.id).where(learners.c.id.in_(wanted))
                )
            }
            missing = [i for i in wanted if i not in found]
            if missing:
                raise NotFound(f"No learner has id {missing[0]!r}.")
            conn.execute(
                update(context_members)
                .where(context_members.c.context_id == cid)
                .where(context_members.c.learner_id.not_in(wanted))
                .values(status="inactive", updated_at=now)
            )
            upsert(
                conn,
                context_members,
                [
                    {
                        "context_id": cid,
                        "learner_id": lid,
                        "roles": [LEARNER_ROLE],
                        "is_learner": True,
                        "status": "active",
                        "updated_at": now,
                    }
                    for lid in wanted
                ],
            )
        count = len(learner_ids) if learner_ids is not None else None
        if count is None:
            count = conn.execute(
                select(func.count())
                .select_from(context_members)
                .where(context_members.c.context_id == cid)
                .where(context_members.c.is_learner.is_(True))
                .where(context_members.c.status == "active")
            ).scalar_one()
        row = conn.execute(select(contexts).where(contexts.c.id == cid)).one()
        return _json(row, len(set(learner_ids)) if learner_ids is not None else count)
