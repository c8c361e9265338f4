"""Build ``model.json``, the compact Caliper 1.2 type table, from the 1EdTech JSON Schemas.

The bundled draft-04 schemas (schema_1_2, bare ``$ref`` names) are large and loose; the
endpoint only needs, per type, its required properties and the kind of each property. This
module reads a schema directory once, at development time, and writes that table::

    python -m gateway.caliper.model_gen SCHEMA_DIR gateway/caliper/model.json

Kinds: ``str``, ``num``, ``int``, ``bool``, ``datetime``, ``duration``, ``map``, ``any``,
``context``, ``["enum", values]``, ``["list", kind]`` and ``["ref", group]`` (an entity given
inline with one of the types listed in ``groups[group]``, or as an IRI string).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

Kind = Any


def _load(schema_dir: Path) -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text()) for p in sorted(schema_dir.glob("*.json"))
    }


def _is_entity(schema: dict[str, Any]) -> bool:
    return schema.get("type") == ["object", "string"] or schema.get("id") in (
        "SystemIdentifier",
        "TextPositionSelector",
        "Selector",
    )


def _kind(spec: dict[str, Any], schemas: dict[str, dict[str, Any]]) -> Kind:
    if "$ref" in spec:
        name, _, pointer = spec["$ref"].partition("#/")
        target = schemas[name]
        if pointer:
            return _kind(target[pointer], schemas)
        if _is_entity(target):
            return ["ref", [name]]
        if "enum" in target:
            return ["enum", target["enum"]]
        return "map"
    for key in ("anyOf", "oneOf"):
        if key in spec:
            types: list[str] = []
            for option in spec[key]:
                sub = _kind(option, schemas)
                if isinstance(sub, list) and sub[0] == "ref":
                    types.extend(sub[1])
            return ["ref", types] if types else "any"
    kind = spec.get("type")
    fmt = spec.get("format")
    if kind == "array":
        items = spec.get("items")
        return ["list", _kind(items, schemas) if items else "any"]
    if kind == "string":
        if "enum" in spec:
            return ["enum", spec["enum"]]
        return {"date-time": "datetime", "duration": "duration"}.get(str(fmt), "str")
    if kind in ("number", "integer"):
        return "int" if fmt in ("uint32", "long") or kind == "integer" else "num"
    if kind == "boolean":
        return "bool"
    if kind == "object":
        return "map"
    return "any"


def build_model(schema_dir: Path) -> dict[str, Any]:
    """The type table of every entity and event schema in ``schema_dir``."""
    schemas = _load(schema_dir)
    types: dict[str, Any] = {}
    for name, schema in schemas.items():
        if not _is_entity(schema):
            continue
        props = {}
        for prop, spec in schema.get("properties", {}).items():
            if prop in ("type", "@context", "id"):
                continue
            props[prop] = _kind(spec, schemas)
        types[name] = {"required": schema.get("required", []), "props": props}
    groups: list[list[str]] = []

    def share(kind: Kind) -> Kind:
        # Reference the same list of types by its index in ``groups``: the table stays small.
        if isinstance(kind, list) and kind[0] == "ref":
            if kind[1] not in groups:
                groups.append(kind[1])
            return ["ref", groups.index(kind[1])]
        if isinstance(kind, list) and kind[0] == "list":
            return ["list", share(kind[1])]
        return kind

    for entry in types.values():
        entry["props"] = {k: share(v) for k, v in entry["props"].items()}
    return {
        "groups": groups,
        "types": types,
        "actions": schemas["Action"]["enum"],
        "profiles": schemas["Profile"]["enum"],
    }


if __name__ == "__main__":  # pragma: no cover - a development tool
    model = build_model(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(model, indent=0, sort_keys=True) + "\n")
