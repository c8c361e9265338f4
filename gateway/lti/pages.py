"""The launch pages, server-rendered: a learner's own view and an instructor's class grid.

A learner sees each competency's level (label, points and colour, never colour alone), a
small chart of their scores over time, why (the explanation and what the evidence rules
still need), the evidence behind it, and what to work on next along the framework's
progression. An instructor sees the class as a learners x competencies heat map (filter by
framework, level or "not yet proficient", sort by name, by a competency or by how much is
still open, export as CSV), who needs support on what and for how long, and the roster; on a
learner's page they score a performance task or override a level with a reason.

The pure parts (filtering and sorting the grid, the support summary, the chart, the CSV) are
functions over :class:`~gateway.mastery.queries.ClassGrid`; the data comes from
:mod:`gateway.mastery.queries` and :mod:`gateway.mastery.progression`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from sqlalchemy import func, select

from gateway.mastery.config import ConfigResolver
from gateway.mastery.progression import next_steps, precedes_edges
from gateway.mastery.queries import (
    ClassGrid,
    Filters,
    GridCell,
    GridColumn,
    class_grid,
    learner_mastery,
    tier,
)
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    competency_rubrics,
    context_members,
    contexts,
    evidence,
    frameworks,
    learners,
    utcnow,
)

PAGE_EVIDENCE_CAP = 20  # pieces listed per competency on a learner's page
SUPPORT_NAMES = 5  # learners named per competency in "who needs support"
SORTS = ("name", "open")  # or a competency's shared id


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
        .where(
            evidence.c.learner_id.in_(
                select(context_members.c.learner_id).where(
                    context_members.c.context_id == ctx_id
                )
            )
        )
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


# --- The class grid: pure over a ClassGrid. --------------------------------------------


@dataclass(frozen=True, slots=True)
class GridQuery:
    """What the teacher asked the grid for (all optional; unknown values are ignored)."""

    framework: str | None = None
    level: str | None = None  # a level code: learners and competencies with that level
    not_yet: bool = False  # learners and competencies with someone not yet proficient
    sort: str = "name"  # name | open | a competency's shared id
    descending: bool = False

    @classmethod
    def from_args(cls, args: Any) -> GridQuery:
        """From a request's query string."""
        return cls(
            framework=args.get("framework") or None,
            level=args.get("level") or None,
            not_yet=args.get("status") == "not_yet",
            sort=args.get("sort") or "name",
            descending=args.get("dir") == "desc",
        )

    def args(self, **change: Any) -> dict[str, str]:
        """Query-string arguments for this query with ``change`` applied."""
        fields = {
            "framework": self.framework,
            "level": self.level,
            "status": "not_yet" if self.not_yet else None,
            "sort": None if self.sort == "name" else self.sort,
            "dir": "desc" if self.descending else None,
        } | change
        return {k: str(v) for k, v in fields.items() if v}


@dataclass(frozen=True, slots=True)
class GridRow:
    """A learner's row: the cells in column order (None: no decision)."""

    learner_id: str
    name: str
    cells: list[GridCell | None]
    open_count: int  # competencies with evidence but not yet proficient


def _keep(cell: GridCell | None, query: GridQuery) -> bool:
    if cell is None:
        return False
    if query.level is not None and cell.code != query.level:
        return False
    return not query.not_yet or cell.status == "not_yet"


def grid_rows(
    grid: ClassGrid, query: GridQuery
) -> tuple[list[GridColumn], list[GridRow]]:
    """The columns and rows the teacher asked for, sorted."""
    columns = [
        c
        for c in grid.columns
        if query.framework is None or c.framework_id == query.framework
    ]
    narrowing = query.level is not None or query.not_yet
    if narrowing:
        columns = [
            c
            for c in columns
            if any(
                _keep(grid.cells.get((lid, c.id)), query) for lid, _ in grid.learners
            )
        ]
    rows: list[GridRow] = []
    for lid, name in grid.learners:
        cells = [grid.cells.get((lid, c.id)) for c in columns]
        if narrowing and not any(_keep(cell, query) for cell in cells):
            continue
        open_count = sum(1 for c in cells if c is not None and c.status == "not_yet")
        rows.append(GridRow(lid, name or lid, cells, open_count))
    by_name = sorted(rows, key=lambda r: (r.name.casefold(), r.learner_id))
    if query.sort == "open":
        # Most open first unless asked otherwise; ties by name.
        rows = sorted(by_name, key=lambda r: r.open_count, reverse=not query.descending)
    elif query.sort != "name" and any(c.id == query.sort for c in columns):
        i = next(n for n, c in enumerate(columns) if c.id == query.sort)

        def points(row: GridRow) -> float:
            cell = row.cells[i]
            return -1.0 if cell is None or cell.points is None else cell.points

        rows = sorted(by_name, key=points, reverse=query.descending)
    else:
        rows = by_name[::-1] if query.descending else by_name
    return columns, rows


@dataclass(frozen=True, slots=True)
class Support:
    """Who needs support on one competency: not yet proficient, longest waiting first."""

    column: GridColumn
    count: int
    waiting: list[tuple[str, str, int]]  # (learner id, name, days) of the first few
    longest_days: int


def who_needs_support(
    grid: ClassGrid, columns: Sequence[GridColumn], now: datetime
) -> list[Support]:
    """Per competency, the learners not yet proficient and for how long, most first."""
    names = dict(grid.learners)
    out: list[Support] = []
    for column in columns:
        waiting = [
            (
                lid,
                names[lid] or lid,
                max(0, (now - cell.since).days) if cell.since else 0,
            )
            for lid, _ in grid.learners
            if (cell := grid.cells.get((lid, column.id))) is not None
            and cell.status == "not_yet"
        ]
        if not waiting:
            continue
        waiting.sort(key=lambda w: (-w[2], w[1].casefold()))
        out.append(
            Support(column, len(waiting), waiting[:SUPPORT_NAMES], waiting[0][2])
        )
    out.sort(key=lambda s: (-s.count, -s.longest_days, s.column.code or s.column.id))
    return out


def short_codes(columns: Sequence[GridColumn]) -> tuple[str, dict[str, str]]:
    """The dotted prefix every column's code shares, and each column's code without it."""
    codes = [c.code.split(".") for c in columns if c.code]
    shared: list[str] = []
    if len(codes) > 1 and len(codes) == len(columns):
        for parts in zip(*codes, strict=False):
            if len(set(parts)) != 1:
                break
            shared.append(parts[0])
        shared = shared[: min(len(c) for c in codes) - 1]  # keep at least one part
    prefix = ".".join(shared) + "." if shared else ""
    return prefix, {
        c.id: (c.code[len(prefix) :] if c.code else c.statement[:12]) for c in columns
    }


def grid_csv(columns: Sequence[GridColumn], rows: Sequence[GridRow]) -> str:
    """The grid as CSV: a learner per row, a competency's level label per column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["learner", "learner_id"]
        + [" ".join(filter(None, (c.code, c.statement))) for c in columns]
    )
    for row in rows:
        writer.writerow(
            [_safe(row.name), row.learner_id]
            + [cell.label if cell is not None else "" for cell in row.cells]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_class(
    store: Store,
    ctx_id: str,
    *,
    launch_id: str,
    roster_note: str | None,
    query: GridQuery,
) -> str:
    """The class grid, who needs support, and the roster."""
    info, roster = class_roster(store, ctx_id)
    grid = class_grid(store, ctx_id)
    columns, rows = grid_rows(grid, query)
    shown = {c.framework_id for c in grid.columns}
    with store.read() as conn:
        framework_names = [
            (r.id, r.title)
            for r in conn.execute(
                select(frameworks.c.id, frameworks.c.title)
                .where(frameworks.c.id.in_(sorted(x for x in shown if x)))
                .order_by(frameworks.c.title)
            )
        ]
    return render_template(
        "lti/class.html",
        context=info,
        roster=roster,
        grid=grid,
        columns=columns,
        rows=rows,
        query=query,
        frameworks=framework_names,
        support=who_needs_support(grid, columns, utcnow()),
        prefix_and_codes=short_codes(columns),
        lv_tier=tier,
        launch_id=launch_id,
        roster_note=roster_note,
    )


def class_csv(store: Store, ctx_id: str, query: GridQuery) -> str:
    """The grid the teacher is looking at, as CSV."""
    columns, rows = grid_rows(class_grid(store, ctx_id), query)
    return grid_csv(columns, rows)


# --- A learner's own view. ----------------------------------------------------------------


def sparkline(
    values: Sequence[float], top: float, width: int = 96, height: int = 24
) -> str:
    """An SVG polyline's points for ``values`` (oldest first) between 0 and ``top``."""
    if not values or top <= 0:
        return ""
    if len(values) == 1:
        values = [values[0], values[0]]  # one score: a flat line, not an invisible dot
    step = width / max(1, len(values) - 1)
    pad = 2
    points = []
    for i, value in enumerate(values):
        y = pad + (height - 2 * pad) * (1 - min(max(value / top, 0.0), 1.0))
        x = i * step
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


def _rubric_levels(
    store: Store, competency_ids: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """CASE rubric criterion levels that assess each of ``competency_ids``."""
    found: dict[str, list[dict[str, Any]]] = {}
    if not competency_ids:
        return found
    with store.read() as conn:
        for row in conn.execute(select(competency_rubrics.c.rubric)):
            for criterion in row.rubric.get("CFRubricCriteria") or []:
                item = criterion.get("CFItemURI") or {}
                target = str(item.get("identifier") or "").lower()
                if target not in competency_ids:
                    continue
                for level in criterion.get("CFRubricCriterionLevels") or []:
                    if isinstance(level.get("score"), int | float) and level.get(
                        "identifier"
                    ):
                        found.setdefault(target, []).append(
                            {
                                "id": level["identifier"],
                                "quality": level.get("quality")
                                or level.get("description")
                                or str(level["score"]),
                                "score": level["score"],
                            }
                        )
    return found


def render_learner(
    store: Store,
    learner_id: str,
    *,
    launch_id: str,
    instructor: bool = False,
    notice: str | None = None,
) -> str:
    """A learner's competencies (level, chart, why, evidence) and what to work on next."""
    found = learner_mastery(store, learner_id, Filters(), with_evidence=True)
    entries = found["mastery"]
    statuses = {e["competency"]["id"]: e["status"] for e in entries}
    with store.read() as conn:
        steps = next_steps(precedes_edges(conn, list(statuses)), statuses)
        wanted = set(steps.up_next) | {
            p for prereqs in steps.blocked.values() for p in prereqs
        }
        names = {
            e["competency"]["id"]: e["competency"]["human_coding_scheme"]
            or e["competency"]["statement"]
            for e in entries
        }
        statements = {
            e["competency"]["id"]: e["competency"]["statement"] for e in entries
        }
        for r in conn.execute(
            select(
                competencies.c.id,
                competencies.c.human_coding_scheme,
                competencies.c.full_statement,
            ).where(competencies.c.id.in_(sorted(wanted - set(names))))
        ):
            names[r.id] = r.human_coding_scheme or r.full_statement
            statements[r.id] = r.full_statement
        resolver = ConfigResolver(conn)
        scales = {sid: resolver.for_shared(sid).scale for sid in statuses}
    for entry in entries:
        scale = scales[entry["competency"]["id"]]
        code = entry["level"]["code"] if entry["level"] else None
        entry["tier"] = tier(scale, code)
        pieces = entry.get("evidence", [])
        oldest_first = [p["score"] * scale.top_points for p in reversed(pieces)]
        entry["chart"] = sparkline(oldest_first, scale.top_points)
        entry["chart_text"] = (
            f"{len(oldest_first)} scores from {oldest_first[0]:.1f} to "
            f"{oldest_first[-1]:.1f} of {scale.top_points:g} points"
            if oldest_first
            else ""
        )
        entry["evidence_shown"] = pieces[:PAGE_EVIDENCE_CAP]
        entry["scale"] = scale.levels
    proficient = sum(1 for e in entries if e["mastered"])
    return render_template(
        "lti/learner.html",
        learner=found["learner"],
        mastery=entries,
        proficient=proficient,
        steps=steps,
        statuses=statuses,
        names=names,
        statements=statements,
        launch_id=launch_id,
        instructor=instructor,
        notice=notice,
        rubric_levels=_rubric_levels(store, set(statuses)) if instructor else {},
    )
