"""A small validator for the subset of JSON Schema (2020-12) the admin API's request bodies use.

Why not ``jsonschema``: request schemas here are small and flat, and an admin reading a 400 needs a
sentence naming the field (``Field 'settings.scale' must be a number.``) more than a full
implementation. :func:`check_schema` runs when an operation is declared and refuses any keyword
outside :data:`SUPPORTED`, so a schema can never claim a rule that is silently not enforced.
The test suite checks every declared schema against the OpenAPI 3.1 meta-schema independently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Keywords that constrain, and that validate() enforces.
_ASSERTIONS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "enum",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "items",
        "minItems",
        "maxItems",
    }
)
# Keywords that only annotate.
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "format", "readOnly", "writeOnly"}
)
SUPPORTED = _ASSERTIONS | _ANNOTATIONS

_TYPE_WORDS = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One way a value breaks its schema: where (``a.b[2]``, empty for the root) and why."""

    field: str
    message: str

    def to_json(self) -> dict[str, str]:
        """JSON for the ``errors`` member of a problem document."""
        return {"field": self.field, "message": self.message}


def check_schema(schema: Mapping[str, Any], where: str = "schema") -> None:
    """Raise :class:`ValueError` if ``schema`` uses a keyword :func:`validate` does not know."""
    unknown = set(schema) - SUPPORTED
    if unknown:
        raise ValueError(
            f"{where} uses {', '.join(sorted(unknown))}, which gateway.api.validation does "
            f"not enforce; supported are {', '.join(sorted(SUPPORTED))}."
        )
    types = schema.get("type")
    for name in [types] if isinstance(types, str) else list(types or []):
        if name not in _TYPE_WORDS:
            raise ValueError(f"{where} has an unknown type {name!r}.")
    if "pattern" in schema:
        re.compile(schema["pattern"])
    for prop, sub in schema.get("properties", {}).items():
        check_schema(sub, f"{where}.{prop}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), Mapping):
            check_schema(schema[key], f"{where}[{key}]")


def validate(
    value: Any, schema: Mapping[str, Any], *, root: str = "The request body"
) -> list[SchemaError]:
    """Every way ``value`` breaks ``schema`` (empty when it conforms).

    ``root`` names the value itself in messages; members are named ``Field 'a.b'``.
    """
    errors: list[SchemaError] = []
    _validate(value, schema, "", errors, root)
    return errors


def _where(path: str, root: str) -> str:
    return f"Field {path!r}" if path else root


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "integer":  # JSON Schema 2020-12: a number with no fractional part
        if isinstance(value, float):
            return value.is_integer()
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    return value is None  # "null"


def _validate(
    value: Any,
    schema: Mapping[str, Any],
    path: str,
    errors: list[SchemaError],
    root: str,
) -> None:
    where = _where(path, root)
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else list(types)
        if not any(_is_type(value, n) for n in names):
            wanted = " or ".join(_TYPE_WORDS[n] for n in names)
            errors.append(SchemaError(path, f"{where} must be {wanted}."))
            return
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(repr(c) for c in schema["enum"])
        errors.append(SchemaError(path, f"{where} must be one of {choices}."))
    if isinstance(value, str):
        _validate_string(value, schema, where, path, errors)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(
                SchemaError(path, f"{where} must be at least {schema['minimum']}.")
            )
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(
                SchemaError(path, f"{where} must be at most {schema['maximum']}.")
            )
    elif isinstance(value, dict):
        _validate_object(value, schema, where, path, errors, root)
    elif isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(
                SchemaError(
                    path, f"{where} must hold at least {schema['minItems']} items."
                )
            )
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(
                SchemaError(
                    path, f"{where} must hold at most {schema['maxItems']} items."
                )
            )
        if isinstance(schema.get("items"), Mapping):
            for i, item in enumerate(value):
                _validate(item, schema["items"], f"{path}[{i}]", errors, root)


def _validate_string(
    value: str,
    schema: Mapping[str, Any],
    where: str,
    path: str,
    errors: list[SchemaError],
) -> None:
    if "minLength" in schema and len(value) < schema["minLength"]:
        n = schema["minLength"]
        errors.append(
            SchemaError(
                path,
                f"{where} must not be empty."
                if n == 1
                else f"{where} must be at least {n} characters long.",
            )
        )
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        errors.append(
            SchemaError(
                path,
                f"{where} must be at most {schema['maxLength']} characters long.",
            )
        )
    if "pattern" in schema and not re.search(schema["pattern"], value):
        hint = f" ({schema['description']})" if "description" in schema else ""
        errors.append(
            SchemaError(
                path,
                f"{where} is {value!r}, which does not match {schema['pattern']}{hint}.",
            )
        )


def _validate_object(
    value: dict[str, Any],
    schema: Mapping[str, Any],
    where: str,
    path: str,
    errors: list[SchemaError],
    root: str,
) -> None:
    props: Mapping[str, Any] = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    for name in schema.get("required", ()):
        if name not in value:
            errors.append(
                SchemaError(prefix + name, f"Field {prefix + name!r} is required.")
            )
    if "minProperties" in schema and len(value) < schema["minProperties"]:
        errors.append(
            SchemaError(
                path,
                f"{where} must set at least {schema['minProperties']} of: "
                f"{', '.join(props)}.",
            )
        )
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in props:
            _validate(item, props[name], prefix + name, errors, root)
        elif extra is False:
            accepted = ", ".join(props) or "none"
            errors.append(
                SchemaError(
                    prefix + name,
                    f"Field {prefix + name!r} is not accepted here; the accepted fields "
                    f"are {accepted}.",
                )
            )
        elif isinstance(extra, Mapping):
            _validate(item, extra, prefix + name, errors, root)
