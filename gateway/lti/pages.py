"""The launch pages, server-rendered and plain: a learner's mastery, an instructor's class.

A learner sees each competency's level (label and points), why (the explanation and what the
evidence rules still need) and the evidence; an instructor sees the class grid (learners x
competencies), who is not yet proficient and since when, and the roster. The pages issue
polishes them; the data comes from :mod:`gateway.mastery.queries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template
from sqlalchemy import func, select

from gateway.intake.queries import LearnerDetail, learner_detail
from gateway.mastery.queries import (
    Filters,
    context_mastery,
    learner_mastery,
    not_yet_proficient,
)
from gateway.store import Store
from gateway.store.tables import context_members, contexts, evidence, learners

PAGE_EVIDENCE_CAP = 100


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One member of a class with how much evidence Tessera holds for them."""

    learner_id: str
    display_name: str | None
    roles: tuple[str, ...]
    is_learner: bool
    status: str
    evidence_count: int


def class_roster(store: Store, ctx_id: str) -> tuple[dict[str, Any], list[RosterRow]]:
    """The context's title and label, and its members, learners first, by name."""
    counts = (
        select(evidence.c.learner_id, func.count().label("n"))
        .group_by(evidence.c.learner_id)
        .subquery()
    )
    with store.read() as conn:
        ctx = conn.execute(
            select(contexts.c.title, contexts.c.label).where(contexts.c.id == ctx_id)
        ).first()
        rows = conn.execute(
            select(
                context_members.c.learner_id,
                learners.c.display_name,
                context_members.c.roles,
                context_members.c.is_learner,
                context_members.c.status,
                func.coalesce(counts.c.n, 0).label("n"),
            )
            .join(learners, learners.c.id == context_members.c.learner_id)
            .outerjoin(counts, counts.c.learner_id == context_members.c.learner_id)
            .where(context_members.c.context_id == ctx_id)
            .order_by(
                context_members.c.is_learner.desc(),
                learners.c.display_name,
                context_members.c.learner_id,
            )
        ).all()
    info = {"title": ctx.title, "label": ctx.label} if ctx else {}
    return info, [
        RosterRow(
            r.learner_id,
            r.display_name,
            tuple(r.roles),
            bool(r.is_learner),
            r.status,
            int(r.n),
        )
        for r in rows
    ]


def is_member(store: Store, ctx_id: str, learner_id: str) -> bool:
    """Whether ``learner_id`` is on the class's roster."""
    with store.read() as conn:
        return (
            conn.execute(
                select(context_members.c.learner_id)
                .where(context_members.c.context_id == ctx_id)
                .where(context_members.c.learner_id == learner_id)
            ).first()
            is not None
        )


def render_learner(
    store: Store, learner_id: str, *, launch_id: str, back: bool = False
) -> str:
    """A learner's levels with their explanations, then the evidence, newest first."""
    detail: LearnerDetail = learner_detail(store, learner_id, cap=PAGE_EVIDENCE_CAP)
    found = learner_mastery(store, learner_id, Filters())
    return render_template(
        "lti/learner.html",
        detail=detail,
        mastery=found["mastery"],
        launch_id=launch_id,
        back=back,
    )


def render_class(
    store: Store, ctx_id: str, *, launch_id: str, roster_note: str | None
) -> str:
    """The class grid, who is not yet proficient, and the roster; a learner opens their page."""
    info, roster = class_roster(store, ctx_id)
    grid = context_mastery(store, ctx_id, Filters())
    cells = {(c["learner_id"], c["competency"]["id"]): c for c in grid["cells"]}
    return render_template(
        "lti/class.html",
        context=info,
        roster=roster,
        grid=grid,
        cells=cells,
        waiting=not_yet_proficient(store, ctx_id),
        launch_id=launch_id,
        roster_note=roster_note,
    )
