"""Mastery configuration: policy, proficiency scale, evidence rules and roll-up, in layers.

A layer is a partial JSON object ``{"policy", "scale", "rules", "rollup"}`` kept in
``mastery_configs`` for the whole instance (scope ``default``), a framework, or a competency.
The configuration of a competency is its own layer over its framework's over the default;
``rules`` merge key by key, the other parts replace. Parsing is pure; :func:`config_for`
reads the layers once per process (a token tells when they change).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from gateway.errors import InvalidPayload
from gateway.mastery.policies import DEFAULT_POLICY, Policy, parse_policy
from gateway.mastery.rules import Rules, parse_rules
from gateway.mastery.scales import DEFAULT_SCALE, Scale, parse_scale
from gateway.store.tables import competencies, mastery_configs
from gateway.store.tokens import ALIGNMENTS, cached, current_tokens

MASTERY_CONFIG = "mastery_config"  # cache token kind
SCOPES = ("default", "framework", "competency")
_PARTS = ("policy", "scale", "rules", "rollup")


@dataclass(frozen=True, slots=True)
class Rollup:
    """A parent competency's level from its children's: all of them, or a share."""

    method: str  # all | share
    share: float = 1.0

    def as_dict(self) -> dict[str, Any]:
        """As configuration JSON."""
        return {"method": self.method, "share": self.share}


@dataclass(frozen=True, slots=True)
class MasteryConfig:
    """Everything that decides one competency's mastery."""

    policy: Policy
    scale: Scale
    rules: Rules
    rollup: Rollup | None
    version: str  # digest of the effective configuration: a change means a recompute

    def as_dict(self) -> dict[str, Any]:
        """The effective configuration as JSON."""
        return {
            "policy": {"name": self.policy.name, **self.policy.params()},
            "scale": self.scale.as_list(),
            "rules": self.rules.as_dict(),
            "rollup": None if self.rollup is None else self.rollup.as_dict(),
            "version": self.version,
        }


def check_layer(layer: Any, field: str = "config") -> dict[str, Any]:
    """A layer's own parts, each parsed alone (a sentence names the field on error)."""
    if not isinstance(layer, Mapping):
        raise InvalidPayload(
            f"{field} must be an object with any of {', '.join(_PARTS)}."
        )
    unknown = set(layer) - set(_PARTS)
    if unknown:
        raise InvalidPayload(
            f"{field} has unknown part(s) {', '.join(sorted(unknown))}; a mastery "
            f"configuration has {', '.join(_PARTS)}."
        )
    if "policy" in layer:
        parse_policy(layer["policy"], f"{field}.policy")
    if "scale" in layer:
        parse_scale(layer["scale"], f"{field}.scale")
    if "rules" in layer and not isinstance(layer["rules"], Mapping):
        raise InvalidPayload(f"{field}.rules must be an object.")
    if "rollup" in layer:
        parse_rollup(layer["rollup"], f"{field}.rollup")
    return dict(layer)


def parse_rollup(value: Any, field: str = "rollup") -> Rollup | None:
    """A roll-up from JSON: null, ``{"method": "all"}`` or ``{"method": "share", ...}``."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or value.get("method") not in ("all", "share"):
        raise InvalidPayload(
            f'{field} must be null, {{"method": "all"}} or {{"method": "share", "share": 0.75}}.'
        )
    if set(value) - {"method", "share"}:
        raise InvalidPayload(f"{field} takes only method and share.")
    share = value.get("share", 1.0)
    if value["method"] == "share" and (
        isinstance(share, bool)
        or not isinstance(share, int | float)
        or not 0 < share <= 1
    ):
        raise InvalidPayload(f"{field}.share must be a number above 0 and at most 1.")
    return Rollup(value["method"], float(share) if value["method"] == "share" else 1.0)


def merge(layers: Iterable[tuple[str, Mapping[str, Any]]]) -> MasteryConfig:
    """The effective configuration of layers given lowest first as (name, layer)."""
    merged: dict[str, Any] = {}
    rules: dict[str, Any] = {}
    where = {"policy": "policy", "scale": "scale", "rollup": "rollup"}
    rules_where = "rules"
    for name, layer in layers:
        for part in ("policy", "scale", "rollup"):
            if part in layer:
                merged[part] = layer[part]
                where[part] = f"{name}.{part}"
        if "rules" in layer:
            rules.update(layer["rules"])
            rules_where = f"{name}.rules"
    policy = (
        parse_policy(merged["policy"], where["policy"])
        if "policy" in merged
        else DEFAULT_POLICY
    )
    scale = (
        parse_scale(merged["scale"], where["scale"])
        if "scale" in merged
        else DEFAULT_SCALE
    )
    parsed_rules = parse_rules(rules, scale, rules_where)
    rollup = parse_rollup(merged.get("rollup"), where["rollup"])
    canonical = json.dumps(
        {
            "policy": {"name": policy.name, **policy.params()},
            "scale": scale.as_list(),
            "rules": parsed_rules.as_dict(),
            "rollup": None if rollup is None else rollup.as_dict(),
        },
        sort_keys=True,
    )
    version = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return MasteryConfig(policy, scale, parsed_rules, rollup, version)


DEFAULT_CONFIG = merge([])


@dataclass(frozen=True, slots=True)
class _Layers:
    default: Mapping[str, Any]
    frameworks: Mapping[str, Mapping[str, Any]]
    competencies: Mapping[str, Mapping[str, Any]]


def _load_layers(conn: Connection) -> _Layers:
    default: Mapping[str, Any] = {}
    frameworks: dict[str, Mapping[str, Any]] = {}
    comps: dict[str, Mapping[str, Any]] = {}
    for row in conn.execute(select(mastery_configs)):
        if row.scope == "default":
            default = row.config
        elif row.scope == "framework":
            frameworks[row.target] = row.config
        else:
            comps[row.target] = row.config
    return _Layers(default, frameworks, comps)


class ConfigResolver:
    """Effective configurations by shared competency, for one transaction."""

    def __init__(self, conn: Connection, tokens: dict[str, str] | None = None) -> None:
        self._conn = conn
        tokens = current_tokens(conn) if tokens is None else tokens
        self._layers = cached(conn, MASTERY_CONFIG, tokens, lambda: _load_layers(conn))
        self._memo: dict[str, MasteryConfig] = {}
        self._plain = not self._layers.frameworks and not self._layers.competencies
        if self._plain:
            self._only = merge([("default", self._layers.default)])
        self.any_rollup = any(
            layer.get("rollup") is not None
            for layer in (
                self._layers.default,
                *self._layers.frameworks.values(),
                *self._layers.competencies.values(),
            )
        )

    def for_shared(self, shared_id: str) -> MasteryConfig:
        """The configuration of a shared competency: its canonical item's layers."""
        if self._plain:
            return self._only
        found = self._memo.get(shared_id)
        if found is None:
            row = self._conn.execute(
                select(competencies.c.framework_id).where(
                    competencies.c.id == shared_id
                )
            ).first()
            framework = row.framework_id if row is not None else None
            found = self._memo[shared_id] = self.effective(framework, shared_id)
        return found

    def effective(
        self, framework_id: str | None, competency_id: str | None
    ) -> MasteryConfig:
        """The layers of a framework and a competency over the default, merged."""
        layers: list[tuple[str, Mapping[str, Any]]] = [
            ("default", self._layers.default)
        ]
        if framework_id is not None and framework_id in self._layers.frameworks:
            layers.append(("framework", self._layers.frameworks[framework_id]))
        if competency_id is not None and competency_id in self._layers.competencies:
            layers.append(("competency", self._layers.competencies[competency_id]))
        return merge(layers)


_hierarchy: dict[tuple[str, str], dict[str, list[str]]] = {}


def parents_of(conn: Connection, tokens: dict[str, str]) -> dict[str, list[str]]:
    """Shared competency -> the shared competencies it is a child of (CASE isChildOf).

    Kept per process until a framework import or alignment change gives a new token.
    """
    key = (
        conn.engine.url.render_as_string(hide_password=True),
        tokens.get(ALIGNMENTS, ""),
    )
    found = _hierarchy.get(key)
    if found is None:
        rows = conn.execute(
            select(
                competencies.c.id, competencies.c.parent_id, competencies.c.shared_id
            )
        ).all()
        shared = {r.id: r.shared_id for r in rows}
        out: dict[str, set[str]] = {}
        for r in rows:
            parent = shared.get(r.parent_id) if r.parent_id else None
            if parent is not None and parent != r.shared_id:
                out.setdefault(r.shared_id, set()).add(parent)
        found = {k: sorted(v) for k, v in out.items()}
        _hierarchy.clear()
        _hierarchy[key] = found
    return found


def children_of(parents: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The inverse of :func:`parents_of`: shared competency -> its children."""
    out: dict[str, list[str]] = {}
    for child, ps in parents.items():
        for p in ps:
            out.setdefault(p, []).append(child)
    return {k: sorted(v) for k, v in out.items()}
