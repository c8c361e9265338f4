"""The equity view for leaders: who is not yet proficient, and how long mastery takes, by group.

Per class and competency, for all the class's active learners and for each group the roster
or the school provides (roles other than plain Learner from LTI/NRPS, and the groups set on
learners, such as a grade, English learners or IEP): how many learners, the share not yet
proficient (learners without evidence count as not yet proficient), and the median days from
a learner's first evidence to the day they became proficient (proficient learners only).
A group of fewer than ``MIN_GROUP`` learners in a class is suppressed: its numbers are not
shown, so no one can be identified.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from gateway.errors import InvalidPayload, NotFound
from gateway.mastery.service import audit
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    context_members,
    contexts,
    evidence,
    learner_groups,
    learners,
    mastery,
    utcnow,
)

MIN_GROUP = 10
ALL = "all learners"
MAX_GROUPS = 50


def set_groups(
    store: Store, learner_id: str, groups: Iterable[str], actor: str
) -> list[str]:
    """Replace the groups a learner belongs to; returns them, sorted."""
    wanted = sorted({g.strip() for g in groups if g and g.strip()})
    if len(wanted) > MAX_GROUPS:
        raise InvalidPayload(f"A learner may be in at most {MAX_GROUPS} groups.")
    if any(len(g) > 100 for g in wanted):
        raise InvalidPayload("A group's name is at most 100 characters.")
    now = utcnow()
    with store.write() as conn:
        if (
            conn.execute(
                select(learners.c.id).where(learners.c.id == learner_id)
            ).first()
            is None
        ):
            raise NotFound(f"No learner has id {learner_id!r}.")
        before = sorted(
            r.name
            for r in conn.execute(
                select(learner_groups.c.name).where(
                    learner_groups.c.learner_id == learner_id
                )
            )
        )
        conn.execute(
            delete(learner_groups).where(learner_groups.c.learner_id == learner_id)
        )
        if wanted:
            conn.execute(
                insert(learner_groups),
                [
                    {"learner_id": learner_id, "name": g, "created_at": now}
                    for g in wanted
                ],
            )
        audit(
            conn,
            actor,
            "learner.groups",
            f"learner:{learner_id}",
            before,
            wanted,
            at=now,
        )
    return wanted


@dataclass(frozen=True, slots=True)
class Cell:
    """One group of one class on one competency."""

    group: str
    learners: int
    not_yet: int
    days_to_mastery: list[float]

    def to_json(self) -> dict[str, Any]:
        """The cell as the API shows it: numbers only for groups of MIN_GROUP or more."""
        if self.learners < MIN_GROUP:
            return {
                "group": self.group,
                "suppressed": True,
                "learners": f"fewer than {MIN_GROUP}",
            }
        return {
            "group": self.group,
            "suppressed": False,
            "learners": self.learners,
            "not_yet_proficient": round(self.not_yet / self.learners, 3),
            "median_days_to_mastery": round(statistics.median(self.days_to_mastery), 1)
            if self.days_to_mastery
            else None,
        }


def _role_group(role: str) -> str | None:
    short = role.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return None if short in ("Learner", "Student") else f"role:{short}"


def cells(
    members: dict[str, set[str]],
    decisions: dict[str, tuple[str, datetime | None]],
    first_evidence: dict[str, datetime],
) -> list[Cell]:
    """The cells of one class and competency (pure).

    ``members``: learner -> groups; ``decisions``: learner -> (status, status_since);
    ``first_evidence``: learner -> when their first evidence was observed.
    """
    by_group: dict[str, list[str]] = defaultdict(list)
    for learner, groups in members.items():
        by_group[ALL].append(learner)
        for g in groups:
            by_group[g].append(learner)
    out = []
    for group in [ALL, *sorted(g for g in by_group if g != ALL)]:
        who = by_group[group]
        proficient = [
            lid for lid in who if decisions.get(lid, ("", None))[0] == "proficient"
        ]
        days = []
        for lid in proficient:
            since, first = decisions[lid][1], first_evidence.get(lid)
            if since is not None and first is not None:
                days.append(max(0.0, (since - first).total_seconds() / 86400))
        out.append(Cell(group, len(who), len(who) - len(proficient), days))
    return out


def equity_report(store: Store, context_id: str | None = None) -> dict[str, Any]:
    """Every class (or one) by competency and group, small groups suppressed."""
    with store.read() as conn:
        ctx_query = select(contexts.c.id, contexts.c.title, contexts.c.label).order_by(
            contexts.c.title, contexts.c.id
        )
        if context_id is not None:
            ctx_query = ctx_query.where(contexts.c.id == context_id)
        classes = conn.execute(ctx_query).all()
        if context_id is not None and not classes:
            raise NotFound(f"No class (context) has id {context_id!r}.")
        wanted = [c.id for c in classes]
        roster: dict[str, dict[str, set[str]]] = defaultdict(dict)
        for r in conn.execute(
            select(
                context_members.c.context_id,
                context_members.c.learner_id,
                context_members.c.roles,
            )
            .where(context_members.c.context_id.in_(wanted))
            .where(context_members.c.is_learner.is_(True))
            .where(context_members.c.status == "active")
        ):
            roles = {x for role in r.roles or [] if (x := _role_group(str(role)))}
            roster[r.context_id][r.learner_id] = roles
        everyone = sorted({lid for members in roster.values() for lid in members})
        for g in conn.execute(
            select(learner_groups.c.learner_id, learner_groups.c.name).where(
                learner_groups.c.learner_id.in_(everyone)
            )
        ):
            for members in roster.values():
                if g.learner_id in members:
                    members[g.learner_id].add(g.name)
        decided: dict[str, dict[str, tuple[str, datetime | None]]] = defaultdict(dict)
        for d in conn.execute(
            select(
                mastery.c.learner_id,
                mastery.c.shared_id,
                mastery.c.status,
                mastery.c.status_since,
            ).where(mastery.c.learner_id.in_(everyone))
        ):
            decided[d.shared_id][d.learner_id] = (d.status, d.status_since)
        first: dict[str, dict[str, datetime]] = defaultdict(dict)
        for e in conn.execute(
            select(
                evidence.c.learner_id,
                evidence.c.shared_id,
                func.min(evidence.c.observed_at).label("at"),
            )
            .where(evidence.c.learner_id.in_(everyone))
            .group_by(evidence.c.learner_id, evidence.c.shared_id)
        ):
            first[e.shared_id][e.learner_id] = e.at
        names = {
            n.id: (n.human_coding_scheme, n.full_statement)
            for n in conn.execute(
                select(
                    competencies.c.id,
                    competencies.c.human_coding_scheme,
                    competencies.c.full_statement,
                ).where(competencies.c.id.in_(sorted(decided)))
            )
        }
    report = []
    for c in classes:
        members = roster.get(c.id, {})
        rows = []
        for shared in sorted(
            decided, key=lambda s: (names.get(s, ("", ""))[0] or "", s)
        ):
            if not any(lid in members for lid in decided[shared]):
                continue  # no one of this class has a decision on it
            code, statement = names.get(shared, (None, None))
            rows.append(
                {
                    "competency": {
                        "id": shared,
                        "human_coding_scheme": code,
                        "statement": statement,
                    },
                    "groups": [
                        cell.to_json()
                        for cell in cells(members, decided[shared], first[shared])
                    ],
                }
            )
        report.append(
            {
                "context": {"id": c.id, "title": c.title, "label": c.label},
                "learners": len(members),
                "competencies": rows,
            }
        )
    return {"min_group_size": MIN_GROUP, "classes": report}
