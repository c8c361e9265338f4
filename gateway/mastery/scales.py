"""Proficiency scales: named levels with points and cut points. Pure; no I/O.

A scale is an ordered list of levels, lowest first. ``min_fraction`` (0..1 of the top level's
points) is the cut point a score must reach for the level; exactly one level is the mastery
level. The default is Canvas's 4+1 scale, so a Canvas gradebook round-trips losslessly.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from gateway.errors import InvalidPayload


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a scale."""

    code: str
    label: str
    points: float
    min_fraction: float
    is_mastery: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The level as configuration and API JSON."""
        return {
            "code": self.code,
            "label": self.label,
            "points": self.points,
            "min_fraction": self.min_fraction,
            "mastery": self.is_mastery,
        }


@dataclass(frozen=True, slots=True)
class Scale:
    """Levels ordered lowest first, with the index of the mastery level."""

    levels: tuple[Level, ...]
    mastery_index: int
    # Derived once: read on every score folded in.
    top_points: float = field(init=False)  # a normalized score of 1 is worth this much
    mastery_points: float = field(init=False)  # the n-times policy's threshold
    _cuts: tuple[float, ...] = field(init=False, repr=False)
    _positions: dict[str, int] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "top_points", self.levels[-1].points)
        object.__setattr__(
            self, "mastery_points", self.levels[self.mastery_index].points
        )
        object.__setattr__(self, "_cuts", tuple(lv.min_fraction for lv in self.levels))
        positions = {lv.code: i for i, lv in reversed(list(enumerate(self.levels)))}
        object.__setattr__(self, "_positions", positions)

    @property
    def mastery(self) -> Level:
        """The level at which a learner is proficient."""
        return self.levels[self.mastery_index]

    def index(self, code: str) -> int:
        """Position of the level ``code`` (lowest is 0)."""
        return self._positions[code]  # KeyError for a code the scale does not have

    def level_index_for(self, points: float) -> int:
        """The highest level whose cut point ``points`` reaches (rounded to 2 places)."""
        fraction = round(points, 2) / self.top_points if self.top_points else 0.0
        return max(bisect.bisect_right(self._cuts, fraction + 1e-9) - 1, 0)

    def by_fraction(self, fraction: float) -> int:
        """The highest level whose cut point the fraction 0..1 reaches."""
        return self.level_index_for(fraction * self.top_points)

    def as_list(self) -> list[dict[str, Any]]:
        """The levels as configuration JSON, lowest first."""
        return [level.as_dict() for level in self.levels]


DEFAULT_SCALE_LEVELS: list[dict[str, Any]] = [
    {"code": "none", "label": "No Evidence", "points": 0, "min_fraction": 0.0},
    {"code": "below", "label": "Below Mastery", "points": 1, "min_fraction": 0.25},
    {"code": "near", "label": "Near Mastery", "points": 2, "min_fraction": 0.5},
    {
        "code": "mastery",
        "label": "Mastery",
        "points": 3,
        "min_fraction": 0.75,
        "mastery": True,
    },
    {"code": "exceeds", "label": "Exceeds Mastery", "points": 4, "min_fraction": 1.0},
]


def parse_scale(value: Any, field: str = "scale") -> Scale:
    """A scale from configuration JSON (a list of levels, lowest first), or a clear error.

    ``min_fraction`` may be left out: it is then the level's share of the top points.
    """
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) < 2:
        raise InvalidPayload(
            f"{field} must be a list of at least two levels, lowest first, each with a "
            "code, a label and points."
        )
    raw: list[Mapping[str, Any]] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise InvalidPayload(
                f"{field}[{i}] must be an object with code, label and points."
            )
        raw.append(item)
    # Points first: every other check (default cut points) depends on them.
    for i, item in enumerate(raw):
        points = item.get("points")
        if not _is_number(points) or points < 0:
            raise InvalidPayload(f"{field}[{i}].points must be a number of 0 or more.")
        if i and points <= raw[i - 1]["points"]:
            raise InvalidPayload(
                f"{field}[{i}].points must be greater than {field}[{i - 1}].points: levels "
                "are listed lowest first and points increase."
            )
    top = float(raw[-1]["points"])
    if top <= 0:
        raise InvalidPayload(
            f"{field}[{len(raw) - 1}].points (the top level) must be above 0."
        )
    levels: list[Level] = []
    mastery: list[int] = []
    for i, item in enumerate(raw):
        where = f"{field}[{i}]"
        unknown = set(item) - {"code", "label", "points", "min_fraction", "mastery"}
        if unknown:
            raise InvalidPayload(
                f"{where} has unknown key(s) {', '.join(sorted(unknown))}; a level has "
                "code, label, points, min_fraction and mastery."
            )
        code, label, points = item.get("code"), item.get("label"), float(item["points"])
        if not isinstance(code, str) or not code.strip() or len(code) > 32:
            raise InvalidPayload(
                f"{where}.code must be a short non-empty text (at most 32)."
            )
        if not isinstance(label, str) or not label.strip():
            raise InvalidPayload(f"{where}.label must be a non-empty text.")
        fraction = item.get("min_fraction", points / top)
        if not _is_number(fraction) or not 0 <= fraction <= 1:
            raise InvalidPayload(f"{where}.min_fraction must be a number from 0 to 1.")
        flag = item.get("mastery", False)
        if not isinstance(flag, bool):
            raise InvalidPayload(f"{where}.mastery must be true or false.")
        if flag:
            mastery.append(i)
        levels.append(Level(code, label, points, float(fraction), flag))
    for i in range(1, len(levels)):
        lo, hi = levels[i - 1], levels[i]
        if hi.min_fraction <= lo.min_fraction:
            raise InvalidPayload(
                f"{field}[{i}].min_fraction must be greater than {field}[{i - 1}]"
                ".min_fraction: cut points increase with the levels."
            )
    if len({level.code for level in levels}) != len(levels):
        raise InvalidPayload(f"{field}: every level needs its own code.")
    if len(mastery) != 1:
        raise InvalidPayload(
            f'{field}: exactly one level must be marked "mastery": true '
            f"(found {len(mastery)})."
        )
    return Scale(tuple(levels), mastery[0])


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


DEFAULT_SCALE = parse_scale(DEFAULT_SCALE_LEVELS)
