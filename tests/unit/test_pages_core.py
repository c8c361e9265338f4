"""The launch pages' pure parts: grid filters and sorts, who needs support, CSV, progression."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from gateway.lti.pages import (
    GridQuery,
    grid_csv,
    grid_rows,
    short_codes,
    sparkline,
    who_needs_support,
)
from gateway.mastery.progression import next_steps
from gateway.mastery.queries import ClassGrid, GridCell, GridColumn, tier
from gateway.mastery.scales import DEFAULT_SCALE_LEVELS, parse_scale

SCALE = parse_scale(DEFAULT_SCALE_LEVELS)
NOW = datetime(2026, 11, 24, tzinfo=UTC)


def _cell(code: str | None, status: str, days: int = 0) -> GridCell:
    label = {lv.code: lv.label for lv in SCALE.levels}.get(code or "", "no level yet")
    points = {lv.code: lv.points for lv in SCALE.levels}.get(code or "")
    return GridCell(
        code,
        label,
        points,
        tier(SCALE, code),
        status,
        NOW - timedelta(days=days),
        False,
    )


def _grid() -> ClassGrid:
    cols = [
        GridColumn("a", "f1", "M.1.A", "Add"),
        GridColumn("b", "f1", "M.1.B", "Subtract"),
        GridColumn("c", "f2", None, "Write an argument"),
    ]
    cells = {
        ("l1", "a"): _cell("exceeds", "proficient"),
        ("l1", "b"): _cell("near", "not_yet", 9),
        ("l2", "a"): _cell("below", "not_yet", 3),
        ("l3", "c"): _cell("mastery", "proficient"),
        ("l3", "a"): _cell(None, "not_yet", 20),
    }
    return ClassGrid(
        {}, [("l1", "Zoe"), ("l2", "amir"), ("l3", "Bea")], cols, cells, SCALE
    )


def _names(query: GridQuery) -> list[str]:
    return [r.name for r in grid_rows(_grid(), query)[1]]


def test_tiers_follow_the_mastery_cut() -> None:
    assert [tier(SCALE, lv.code) for lv in SCALE.levels] == [
        "none",
        "below",
        "near",
        "at",
        "above",
    ]
    assert tier(SCALE, None) == "none" and tier(SCALE, "unknown") == "none"


def test_grid_sorts_by_name_by_a_competency_and_by_what_is_open() -> None:
    assert _names(GridQuery()) == ["amir", "Bea", "Zoe"]  # case-insensitive
    assert _names(GridQuery(descending=True)) == ["Zoe", "Bea", "amir"]
    # By competency a, highest first; no level (None points) sorts lowest.
    assert _names(GridQuery(sort="a", descending=True)) == ["Zoe", "amir", "Bea"]
    assert _names(GridQuery(sort="a")) == ["Bea", "amir", "Zoe"]
    assert _names(GridQuery(sort="open")) == ["amir", "Bea", "Zoe"]  # 1 each, by name
    assert _names(GridQuery(sort="no-such-column")) == ["amir", "Bea", "Zoe"]


def test_grid_filters_narrow_rows_and_columns() -> None:
    columns, rows = grid_rows(_grid(), GridQuery(framework="f2"))
    assert [c.id for c in columns] == ["c"] and len(rows) == 3  # every learner stays
    columns, rows = grid_rows(_grid(), GridQuery(level="near"))
    assert [c.id for c in columns] == ["b"] and [r.name for r in rows] == ["Zoe"]
    columns, rows = grid_rows(_grid(), GridQuery(not_yet=True))
    assert [c.id for c in columns] == ["a", "b"]
    assert [r.name for r in rows] == ["amir", "Bea", "Zoe"]
    assert grid_rows(_grid(), GridQuery(level="mastery", framework="f1")) == ([], [])


def test_query_args_round_trip() -> None:
    q = GridQuery.from_args(
        {"level": "near", "status": "not_yet", "sort": "a", "dir": "desc"}
    )
    assert q == GridQuery(level="near", not_yet=True, sort="a", descending=True)
    assert q.args(sort=None, dir=None) == {"level": "near", "status": "not_yet"}
    assert GridQuery.from_args({}).args() == {}


def test_who_needs_support_longest_waiting_first() -> None:
    grid = _grid()
    support = who_needs_support(grid, grid.columns, NOW)
    assert [(s.column.id, s.count, s.longest_days) for s in support] == [
        ("a", 2, 20),
        ("b", 1, 9),
    ]
    assert [w[1] for w in support[0].waiting] == ["Bea", "amir"]


def test_csv_has_labels_and_defuses_formulas() -> None:
    grid = ClassGrid(
        {},
        [("l1", "=HYPERLINK(1)")],
        _grid().columns[:1],
        {("l1", "a"): _cell("near", "not_yet")},
        SCALE,
    )
    columns, rows = grid_rows(grid, GridQuery())
    out = list(csv.reader(io.StringIO(grid_csv(columns, rows))))
    assert out == [
        ["learner", "learner_id", "M.1.A Add"],
        ["'=HYPERLINK(1)", "l1", "Near Mastery"],
    ]


def test_short_codes_drop_the_shared_prefix() -> None:
    cols = _grid().columns[:2]
    assert short_codes(cols) == ("M.1.", {"a": "A", "b": "B"})
    assert short_codes(_grid().columns)[0] == ""  # one column has no code
    single = [GridColumn("x", None, "M.1.A", "Add")]
    assert short_codes(single) == ("", {"x": "M.1.A"})


def test_sparkline_scales_between_zero_and_top() -> None:
    assert sparkline([], 4) == ""
    assert sparkline([0, 4], 4, width=10, height=10) == "0.0,8.0 10.0,2.0"
    assert sparkline([2], 4, width=10, height=10) == "0.0,5.0 10.0,5.0"  # a flat line
    assert sparkline([9], 4, width=10, height=10) == "0.0,2.0 10.0,2.0"  # clamped


def test_next_steps_along_precedes() -> None:
    edges = [("a", "b"), ("b", "c"), ("a", "d"), ("x", "d")]
    steps = next_steps(edges, {"a": "proficient", "b": "not_yet", "d": "not_yet"})
    assert steps.ready == ["b"]  # a is mastered
    assert steps.blocked == {"d": ["x"]}  # x is not mastered (and has no decision)
    assert steps.up_next == []  # c comes after b, which is not mastered
    steps = next_steps(edges, {"a": "proficient", "b": "proficient"})
    assert steps.up_next == ["c"]  # d also waits on x
    assert next_steps([("a", "a")], {"a": "not_yet"}).ready == [
        "a"
    ]  # a self-loop is ignored
