"""What a learner could work on next, along a framework's learning progression.

CASE ``precedes`` associations order competencies (the origin comes before the
destination). Over shared competencies and a learner's decisions, :func:`next_steps` says
which competencies are not yet proficient but have every prerequisite mastered (ready now),
which wait on prerequisites not yet mastered (and which), and which competencies without
evidence come next after what the learner has mastered. :func:`precedes_edges` reads the
edges for a set of shared competencies from the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from gateway.competencies import resolve_competency_refs
from gateway.store.tables import competencies, competency_associations


@dataclass(frozen=True, slots=True)
class NextSteps:
    """Shared competency ids, each list in the order given."""

    ready: list[str]  # not yet proficient, every prerequisite mastered
    blocked: dict[str, list[str]]  # not yet proficient -> prerequisites not mastered
    up_next: list[str]  # no decision yet, right after something mastered, prereqs met


def next_steps(
    edges: Iterable[tuple[str, str]], statuses: Mapping[str, str]
) -> NextSteps:
    """Where to go next, from ``precedes`` edges (before, after) and a learner's statuses.

    ``statuses`` maps a shared competency to ``proficient``, ``not_yet`` or
    ``no_evidence``; competencies missing from it have no decision.
    """
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for first, then in edges:
        if first == then:
            continue
        before.setdefault(then, []).append(first)
        after.setdefault(first, []).append(then)
    mastered = {s for s, st in statuses.items() if st == "proficient"}
    ready: list[str] = []
    blocked: dict[str, list[str]] = {}
    for shared, status in statuses.items():
        if status == "proficient":
            continue
        missing = [
            p for p in dict.fromkeys(before.get(shared, [])) if p not in mastered
        ]
        if missing:
            blocked[shared] = missing
        else:
            ready.append(shared)
    up_next: dict[str, None] = {}
    for shared in statuses:
        if shared not in mastered:
            continue
        for then in after.get(shared, []):
            if then in statuses or then in up_next:
                continue
            if all(p in mastered for p in before.get(then, [])):
                up_next[then] = None
    return NextSteps(ready, blocked, list(up_next))


def precedes_edges(
    conn: Connection, shared_ids: Sequence[str]
) -> list[tuple[str, str]]:
    """The ``precedes`` edges touching ``shared_ids``, as (before, after) shared ids."""
    if not shared_ids:
        return []
    members = conn.execute(
        select(competencies.c.id, competencies.c.uri).where(
            competencies.c.shared_id.in_(list(shared_ids))
        )
    ).all()
    ids = [m.id for m in members]
    uris = [m.uri for m in members]
    ca = competency_associations
    links = conn.execute(
        select(
            ca.c.origin_id, ca.c.origin_uri, ca.c.destination_id, ca.c.destination_uri
        )
        .where(ca.c.association_type == "precedes")
        .where(
            or_(
                ca.c.origin_id.in_(ids),
                ca.c.destination_id.in_(ids),
                ca.c.origin_uri.in_(uris),
                ca.c.destination_uri.in_(uris),
            )
        )
    ).all()
    refs = [
        ref
        for link in links
        for ref in (
            link.origin_id,
            link.origin_uri,
            link.destination_id,
            link.destination_uri,
        )
    ]
    resolved = resolve_competency_refs(conn, refs)
    shared_of = {
        r.id: r.shared_id
        for r in conn.execute(
            select(competencies.c.id, competencies.c.shared_id).where(
                competencies.c.id.in_(sorted(set(resolved.values())))
            )
        )
    }

    def shared(id_ref: str | None, uri_ref: str | None) -> str | None:
        hit = resolved.get(id_ref or "") or resolved.get(uri_ref or "")
        return shared_of.get(hit) if hit else None

    edges: dict[tuple[str, str], None] = {}
    for link in links:
        first = shared(link.origin_id, link.origin_uri)
        then = shared(link.destination_id, link.destination_uri)
        if first and then and first != then:
            edges[(first, then)] = None
    return list(edges)
