"""Evidence rules: what evidence a level needs beyond its score. Pure.

The rules are Tessera's policy, not a standard (standards/mastery.md, section 4), and every
threshold is configurable per framework or competency. A rule that is not met caps the level
the learner can reach; the explanation names it ("needs a performance task").

- ``min_evidence`` / ``min_sources``: how many pieces of evidence, from how many distinct
  sources, before the mastery level (default 3 from 2).
- ``required_kinds`` from ``required_kinds_from``: at least one piece of one of these kinds for
  that level and above (default: a performance task or an assessment for Mastery).
- ``auto_kinds`` and ``auto_cap``: evidence only of these kinds (auto-scored practice) reaches
  at most ``auto_cap`` (default: the level below mastery): digital data never decides alone.
- ``min_dok`` from ``min_dok_from``: a piece at this Webb depth of knowledge or deeper for that
  level and above (off by default; CASE has no DOK, it comes from the alignment).

The rules read a :class:`Tally` of the evidence, folded one piece at a time like a policy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gateway.errors import InvalidPayload
from gateway.intake.model import EVIDENCE_KINDS
from gateway.mastery.scales import Scale

_KIND_WORDS = {
    "practice": "practice",
    "quiz": "quiz",
    "assessment": "assessment",
    "performance_task": "performance task",
}


@dataclass(frozen=True, slots=True)
class Rules:
    """The evidence rules in force for one competency."""

    min_evidence: int = 3
    min_sources: int = 2
    required_kinds: tuple[str, ...] = ("performance_task", "assessment")
    required_kinds_from: str | None = None  # a level code; None: the mastery level
    auto_kinds: tuple[str, ...] = ("practice",)
    auto_cap: str | None = "near"  # a level code; None: no cap (parsed: below mastery)
    min_dok: int | None = None
    min_dok_from: str | None = None  # a level code; None: the top level

    def as_dict(self) -> dict[str, Any]:
        """The rules as configuration JSON."""
        return {
            "min_evidence": self.min_evidence,
            "min_sources": self.min_sources,
            "required_kinds": list(self.required_kinds),
            "required_kinds_from": self.required_kinds_from,
            "auto_kinds": list(self.auto_kinds),
            "auto_cap": self.auto_cap,
            "min_dok": self.min_dok,
            "min_dok_from": self.min_dok_from,
        }


def parse_rules(value: Any, scale: Scale, field: str = "rules") -> Rules:
    """Rules from configuration JSON (keys left out keep their defaults), checked on ``scale``."""
    if not isinstance(value, Mapping):
        raise InvalidPayload(f'{field} must be an object, e.g. {{"min_evidence": 3}}.')
    known = Rules().as_dict()
    unknown = set(value) - set(known)
    if unknown:
        raise InvalidPayload(
            f"{field} has unknown key(s) {', '.join(sorted(unknown))}; the rules are "
            f"{', '.join(known)}."
        )
    args: dict[str, Any] = {}
    for key in ("min_evidence", "min_sources"):
        if key in value:
            args[key] = _whole(value[key], f"{field}.{key}", 1, 100)
    if "min_dok" in value:
        args["min_dok"] = (
            None
            if value["min_dok"] is None
            else _whole(value["min_dok"], f"{field}.min_dok", 1, 4)
        )
    for key in ("required_kinds", "auto_kinds"):
        if key in value:
            args[key] = _kinds(value[key], f"{field}.{key}")
    codes = [level.code for level in scale.levels]
    for key in ("required_kinds_from", "auto_cap", "min_dok_from"):
        if key in value:
            code = value[key]
            if code is not None and code not in codes:
                raise InvalidPayload(
                    f"{field}.{key} must be a level code of the scale ({', '.join(codes)}) "
                    f"or null (got {code!r})."
                )
            args[key] = code
    if (
        "auto_cap" not in value
    ):  # the default: the level just below mastery, on any scale
        args["auto_cap"] = scale.levels[max(scale.mastery_index - 1, 0)].code
    return Rules(**args)


def _whole(value: Any, field: str, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise InvalidPayload(
            f"{field} must be a whole number from {low} to {high} (got {value!r})."
        )
    return value


def _kinds(value: Any, field: str) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise InvalidPayload(f"{field} must be a list of evidence kinds.")
    for kind in value:
        if kind not in EVIDENCE_KINDS:
            raise InvalidPayload(
                f"{field} names an unknown evidence kind {kind!r}; the kinds are "
                f"{', '.join(EVIDENCE_KINDS)}."
            )
    return tuple(value)


# --- The tally: what the rules read, folded one piece of evidence at a time. -------------
# JSON: [count, sorted distinct sources, {kind: count}, deepest DOK or None]


def tally_start() -> list[Any]:
    """The tally of no evidence."""
    return [0, [], {}, None]


def tally_step(tally: list[Any], source: str, kind: str, dok: int | None) -> list[Any]:
    """The tally with one more piece of evidence (updated in place and returned)."""
    tally[0] += 1
    sources = tally[1]
    if source not in sources:
        sources.append(source)
        sources.sort()
    kinds = tally[2]
    kinds[kind] = kinds.get(kind, 0) + 1
    if dok is not None and (tally[3] is None or dok > tally[3]):
        tally[3] = dok
    return tally


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rule's verdict on the evidence; its sentence is written only when read."""

    rule: str
    met: bool
    caps_at: int | None  # the highest level index reachable while the rule is not met
    text: Callable[[], str] = field(compare=False, repr=False)

    @property
    def message(self) -> str:
        """What the rule asks for, as a teacher would say it ("needs a performance task")."""
        return self.text()

    def as_dict(self, scale: Scale) -> dict[str, Any]:
        """As stored with the decision (the sentence is rebuilt from the tally on reading)."""
        return {
            "rule": self.rule,
            "met": self.met,
            "caps_at": None
            if self.caps_at is None
            else scale.levels[self.caps_at].code,
        }


def verdicts(
    rules: Rules, scale: Scale, tally: Sequence[Any]
) -> list[tuple[str, bool, int]]:
    """(rule, met, highest level index reachable while unmet) for each rule in force.

    Cheap: no sentences. :func:`evaluate` adds them for reading.
    """
    count, sources, kinds, deepest = tally
    mastery = scale.mastery_index
    out = [
        ("min_evidence", count >= rules.min_evidence, mastery - 1),
        ("min_sources", len(sources) >= rules.min_sources, mastery - 1),
    ]
    if rules.required_kinds:
        start = (
            scale.index(rules.required_kinds_from)
            if rules.required_kinds_from
            else mastery
        )
        met = any(kinds.get(k, 0) for k in rules.required_kinds)
        out.append(("required_kinds", met, start - 1))
    if rules.auto_cap is not None and rules.auto_kinds:
        auto_only = count > 0 and all(k in rules.auto_kinds for k in kinds)
        out.append(("auto_cap", not auto_only, scale.index(rules.auto_cap)))
    if rules.min_dok is not None:
        top = len(scale.levels) - 1
        start = scale.index(rules.min_dok_from) if rules.min_dok_from else top
        met = deepest is not None and deepest >= rules.min_dok
        out.append(("min_dok", met, start - 1))
    return out


def _sentence(
    rule: str, rules: Rules, scale: Scale, tally: Sequence[Any], caps: int
) -> str:
    count, sources = tally[0], tally[1]
    above = scale.levels[caps + 1].label if caps + 1 < len(scale.levels) else ""
    if rule == "min_evidence":
        return (
            f"needs {rules.min_evidence} pieces of evidence for {above} (has {count})"
        )
    if rule == "min_sources":
        return (
            f"needs evidence from {rules.min_sources} different sources for {above} "
            f"(has {len(sources)})"
        )
    if rule == "required_kinds":
        words = " or ".join(_KIND_WORDS[k] for k in rules.required_kinds)
        article = "an" if words[0] in "aeiou" else "a"
        return f"needs {article} {words} for {above}"
    if rule == "auto_cap":
        return (
            f"auto-scored practice alone reaches at most {scale.levels[caps].label}; "
            "needs evidence of another kind"
        )
    return f"needs evidence at depth of knowledge {rules.min_dok} or deeper for {above}"


def evaluate(rules: Rules, scale: Scale, tally: Sequence[Any]) -> list[Outcome]:
    """Each rule's outcome for the evidence tallied, with its sentence."""
    return [
        Outcome(
            rule,
            met,
            caps,
            functools.partial(_sentence, rule, rules, scale, tally, caps),
        )
        for rule, met, caps in verdicts(rules, scale, tally)
    ]


def cap_index(rules: Rules, scale: Scale, tally: Sequence[Any]) -> int:
    """The highest level index the unmet rules allow."""
    limit = len(scale.levels) - 1
    for _, met, caps in verdicts(rules, scale, tally):
        if not met and caps < limit:
            limit = caps
    return max(limit, 0)
