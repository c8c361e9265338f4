"""Alignment: which shared competencies an activity's observations are evidence for.

Rules come from admins (exact activity id, id prefix, or glob pattern; for one vendor or any)
and, when the vendor's settings trust them, from CASE references found in the payload itself.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import tomllib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from gateway.competencies import resolve_competency_refs
from gateway.errors import InvalidPayload, NotFound
from gateway.ids import uuid5
from gateway.intake.model import EVIDENCE_KINDS
from gateway.store.tables import alignments, competencies, utcnow
from gateway.store.tokens import ALIGNMENTS, cached, invalidate
from gateway.store.upsert import insert_ignore

MATCH_KINDS = ("exact", "prefix", "glob")
_ALIGNMENT_NS = uuid.UUID("0b7d1c8e-5a1f-4c35-9a52-7c4f1e0e3d21")


@dataclass(frozen=True, slots=True)
class Rule:
    """One alignment rule as stored."""

    id: str
    vendor_id: str | None
    activity: str
    match: str
    competency_id: str
    weight: float | None
    kind: str | None
    dok: int | None

    def matches(self, vendor_id: str | None, activity_id: str) -> bool:
        """Whether this rule covers ``activity_id`` sent by ``vendor_id``."""
        if self.vendor_id is not None and self.vendor_id != vendor_id:
            return False
        if self.match == "exact":
            return activity_id == self.activity
        if self.match == "prefix":
            return activity_id.startswith(self.activity)
        return fnmatch.fnmatchcase(activity_id, self.activity)


@dataclass(frozen=True, slots=True)
class Target:
    """A competency an observation counts for, with what the rule says about it."""

    competency_id: str
    shared_id: str
    weight: float | None
    kind: str | None
    dok: int | None


@dataclass(frozen=True, slots=True)
class RuleIndex:
    """Every alignment rule, indexed for look-up, with the shared id of each target."""

    exact: dict[str, list[Rule]]
    patterns: list[Rule]
    shared: dict[str, str]


def load_rules(conn: Connection) -> RuleIndex:
    """Read every alignment rule (one query); cached per process by :class:`Aligner`."""
    rows = conn.execute(
        select(alignments, competencies.c.shared_id).join(
            competencies, competencies.c.id == alignments.c.competency_id
        )
    ).all()
    exact: dict[str, list[Rule]] = {}
    patterns: list[Rule] = []
    for r in rows:
        rule = Rule(
            r.id,
            r.vendor_id,
            r.activity,
            r.match,
            r.competency_id,
            r.weight,
            r.kind,
            r.dok,
        )
        if rule.match == "exact":
            exact.setdefault(rule.activity, []).append(rule)
        else:
            patterns.append(rule)
    return RuleIndex(exact, patterns, {r.competency_id: r.shared_id for r in rows})


class Aligner:
    """Resolves activities to targets; rules come from this process's cache (see state)."""

    def __init__(self, conn: Connection, tokens: dict[str, str]) -> None:
        self._conn = conn
        self._index = cached(conn, ALIGNMENTS, tokens, lambda: load_rules(conn))
        self._extra: dict[str, str] = {}  # shared ids of hinted competencies

    def resolve_hints(self, hints: Iterable[str]) -> dict[str, str]:
        """Map CASE item identifiers or URIs to competency ids (unknown ones are dropped)."""
        resolved = resolve_competency_refs(self._conn, hints)
        missing = sorted(
            set(resolved.values()) - self._index.shared.keys() - self._extra.keys()
        )
        if missing:
            for r in self._conn.execute(
                select(competencies.c.id, competencies.c.shared_id).where(
                    competencies.c.id.in_(missing)
                )
            ):
                self._extra[r.id] = r.shared_id
        return resolved

    def _shared_id(self, competency_id: str) -> str | None:
        return self._index.shared.get(competency_id) or self._extra.get(competency_id)

    def targets(
        self, vendor_id: str | None, activity_id: str, hint_competencies: Sequence[str]
    ) -> list[Target]:
        """Targets for one observation: one per shared competency, rules before hints."""
        candidates = self._index.exact.get(activity_id, ()), self._index.patterns
        chosen: list[tuple[str, float | None, str | None, int | None]] = [
            (r.competency_id, r.weight, r.kind, r.dok)
            for group in candidates
            for r in group
            if r.matches(vendor_id, activity_id)
        ]
        chosen += [(c, None, None, None) for c in hint_competencies]
        out: dict[str, Target] = {}
        for competency_id, weight, kind, dok in chosen:
            sid = self._shared_id(competency_id)
            if sid is not None and sid not in out:
                out[sid] = Target(competency_id, sid, weight, kind, dok)
        return list(out.values())


@dataclass(frozen=True, slots=True)
class NewAlignment:
    """An alignment rule to add (from the CLI, a file or the API)."""

    activity: str
    competency: str  # CFItem identifier or URI
    vendor_id: str | None = None
    match: str = "exact"
    weight: float | None = None
    kind: str | None = None
    dok: int | None = None
    source: str = "explicit"


def alignment_id(a: NewAlignment, competency_id: str) -> str:
    """Deterministic id: loading the same alignment file twice adds nothing."""
    key = f"{a.vendor_id or '*'}|{a.match}|{a.activity}|{competency_id}"
    return uuid5(_ALIGNMENT_NS, key)


def validate_alignment(a: NewAlignment) -> None:
    """Raise :class:`InvalidPayload` naming the first field that breaks a rule."""
    if not a.activity.strip():
        raise InvalidPayload("An alignment needs an activity id or pattern.")
    if a.match not in MATCH_KINDS:
        raise InvalidPayload(
            f"match must be one of {', '.join(MATCH_KINDS)}; got {a.match!r}."
        )
    if a.kind is not None and a.kind not in EVIDENCE_KINDS:
        raise InvalidPayload(
            f"kind must be one of {', '.join(EVIDENCE_KINDS)}; got {a.kind!r}."
        )
    if a.weight is not None and not 0 < a.weight <= 100:
        raise InvalidPayload(f"weight must be above 0 and at most 100; got {a.weight}.")
    if a.dok is not None and a.dok not in (1, 2, 3, 4):
        raise InvalidPayload(
            f"dok (depth of knowledge) must be 1, 2, 3 or 4; got {a.dok}."
        )


def add_alignments(conn: Connection, new: Sequence[NewAlignment]) -> list[Rule]:
    """Store alignment rules (idempotently); every competency must be known."""
    for a in new:
        validate_alignment(a)
    refs = resolve_competency_refs(conn, (a.competency for a in new))
    rules = []
    for a in new:
        competency_id = refs.get(a.competency)
        if competency_id is None:
            raise NotFound(
                f"No imported competency has identifier or URI {a.competency!r}; import its "
                "framework first (`tessera framework import`)."
            )
        rules.append(
            Rule(
                alignment_id(a, competency_id),
                a.vendor_id,
                a.activity,
                a.match,
                competency_id,
                a.weight,
                a.kind,
                a.dok,
            )
        )
    now = utcnow()
    invalidate(conn, ALIGNMENTS)
    insert_ignore(
        conn,
        alignments,
        [
            {
                "id": r.id,
                "vendor_id": r.vendor_id,
                "activity": r.activity,
                "match": r.match,
                "competency_id": r.competency_id,
                "weight": r.weight,
                "kind": r.kind,
                "dok": r.dok,
                "source": a.source,
                "created_at": now,
            }
            for r, a in zip(rules, new, strict=True)
        ],
    )
    return rules


_FILE_FIELDS = ("activity", "competency", "vendor", "match", "weight", "kind", "dok")


def read_alignment_file(path: str) -> list[dict[str, Any]]:
    """Alignment rows from a CSV (with a header), JSON (a list) or TOML (``[[alignment]]``) file.

    Each row has ``activity`` and ``competency`` and may have ``vendor`` (a vendor name),
    ``match``, ``weight``, ``kind`` and ``dok``. Errors name the file, the row and the field.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidPayload(
            f"Cannot read alignment file {path}: {exc.strerror}."
        ) from None
    suffix = p.suffix.lower()
    try:
        if suffix == ".json":
            rows = json.loads(text)
        elif suffix == ".toml":
            rows = tomllib.loads(text).get("alignment", [])
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise InvalidPayload(
            f"Alignment file {path} cannot be parsed: {exc}."
        ) from None
    if not isinstance(rows, list):
        raise InvalidPayload(f"Alignment file {path} must hold a list of alignments.")
    out = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InvalidPayload(
                f"{path}, alignment {n}: expected an object with fields."
            )
        unknown = set(row) - set(_FILE_FIELDS)
        if unknown:
            raise InvalidPayload(
                f"{path}, alignment {n}: unknown field {sorted(unknown)[0]!r}; fields are "
                f"{', '.join(_FILE_FIELDS)}."
            )
        clean = {k: v for k, v in row.items() if v not in (None, "")}
        for required in ("activity", "competency"):
            if required not in clean:
                raise InvalidPayload(f"{path}, alignment {n}: {required!r} is missing.")
        try:
            if "weight" in clean:
                clean["weight"] = float(clean["weight"])
            if "dok" in clean:
                clean["dok"] = int(clean["dok"])
        except (TypeError, ValueError):
            raise InvalidPayload(
                f"{path}, alignment {n}: weight must be a number and dok a whole number."
            ) from None
        out.append(clean)
    return out
