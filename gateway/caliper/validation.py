"""Caliper envelope and event validation: pure functions, no Flask, no I/O.

The type table (``model.json``) is generated from the 1EdTech Caliper 1.2 JSON Schemas by
:mod:`gateway.caliper.model_gen` and compiled once, at import. The schemas are loose where the
profiles are strict (a GradeEvent's ``object`` may be any entity there), so the profile rules of
Caliper 1.2 §3 are written out in :mod:`gateway.caliper.profiles` and checked on top.

Every error names the offending field by its path in the envelope, e.g.
``data[0].generated.maxScore``, so a vendor can act on the 400 without reading our code.

Deliberate deviation: the model types some properties as decimals (``Score.maxScore``,
``AssignableDigitalResource.maxScore``, ``AggregateMeasure.metricValue``/``maxMetricValue``)
and a few 1EdTech error fixtures expect an integer there to be refused. JSON has one number
type (RFC 8259 §6), so ``15`` and ``15.0`` are the same value: any number is accepted for a
decimal property.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from gateway.caliper.profiles import (
    BASES,
    EVENT_RULES,
    EXTRA_PROPS,
    OVERRIDES,
    REQUIRED,
    ROLE_NAMES,
)

# Caliper 1.2 §5.2 / Appendix A: the context IRIs of each version.
CONTEXT_V1P2 = "http://purl.imsglobal.org/ctx/caliper/v1p2"
CONTEXT_V1P1 = "http://purl.imsglobal.org/ctx/caliper/v1p1"
CONTEXT_V1P0 = "http://purl.imsglobal.org/ctx/caliper/v1/Context"
SUPPORTED_VERSIONS = (CONTEXT_V1P1, CONTEXT_V1P2)
# The 1.1 profile-extension contexts (ToolLaunch, ToolUse, ...) that 1.1 events may name.
_V1P1_EXTENSION = re.compile(r"^http://purl\.imsglobal\.org/ctx/caliper/v1p1/\w+$")
ENVELOPE_KEYS = ("sensor", "sendTime", "dataVersion", "data")

# Caliper 1.2 §4.4 / Appendix: date-times are ISO 8601 with millisecond precision, in UTC;
# an offset is tolerated, the milliseconds are not optional (a fraction may be longer).
_DATETIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d"
    r"\.\d{3,9}(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$"
)
# ISO 8601 durations (PnYnMnDTnHnMnS, PnW).
_DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)
# An absolute IRI (RFC 3987): a scheme, then no spaces or characters IRIs exclude.
_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^`]+$')
# Caliper 1.2 §4.1: an Event id is a UUID URN (RFC 4122).
_EVENT_ID = re.compile(
    r"^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


class CaliperInvalid(ValueError):
    """The envelope or one of its items breaks the Caliper model (HTTP 400)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


class CaliperUnsupportedVersion(ValueError):
    """The envelope's ``dataVersion`` is not one this endpoint reads (HTTP 422)."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """A checked Caliper envelope (Caliper 1.2 §5.2)."""

    sensor: str
    send_time: str
    data_version: str
    data: list[Any]


# -- the compiled type table -------------------------------------------------------------------


def _load_model() -> dict[str, Any]:
    text = resources.files("gateway.caliper").joinpath("model.json").read_text()
    model: dict[str, Any] = json.loads(text)
    return model


_MODEL = _load_model()
_GROUPS: list[frozenset[str]] = [frozenset(g) for g in _MODEL["groups"]]


def _kind(raw: Any) -> Any:
    """A kind from the table, with its type lists as frozensets."""
    if isinstance(raw, list) and raw[0] == "ref":
        return (
            "ref",
            _GROUPS[raw[1]] if isinstance(raw[1], int) else frozenset(raw[1]),
        )
    if isinstance(raw, list) and raw[0] == "list":
        return ("list", _kind(raw[1]))
    if isinstance(raw, list) and raw[0] == "enum":
        return ("enum", frozenset(raw[1]))
    return raw


def _compile_types() -> dict[str, tuple[tuple[str, ...], dict[str, Any]]]:
    """Per type: its required properties and the kind of each property."""
    types: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {}
    table = _MODEL["types"]
    for name, entry in table.items():
        base = table[BASES[name]] if name in BASES else entry
        props = {k: _kind(v) for k, v in base["props"].items()}
        props.update({k: _kind(v) for k, v in entry["props"].items()})
        props.update({k: _kind(v) for k, v in EXTRA_PROPS.items() if k not in props})
        props.update({k: _kind(v) for k, v in OVERRIDES.get(name, {}).items()})
        required = tuple(
            r
            for r in base["required"] + entry["required"]
            if r not in ("type", "@context")
        )
        required = tuple(dict.fromkeys(required + REQUIRED.get(name, ())))
        types[name] = (required, props)
    return types


TYPES = _compile_types()
EVENT_TYPES = frozenset(t for t in TYPES if t == "Event" or t.endswith("Event"))
ACTIONS = frozenset(_MODEL["actions"])
PROFILES = frozenset(_MODEL["profiles"])


# -- checks ------------------------------------------------------------------------------------


def _a(word: str) -> str:
    """``word`` with its indefinite article: "an Assessment", "a Person"."""
    return f"an {word}" if word[:1] in "AEIOU" else f"a {word}"


def _describe(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _real_day(stamp: str) -> bool:
    """Whether the date of a matched date-time exists (no 30 February)."""
    try:
        date.fromisoformat(stamp[:10])
    except ValueError:
        return False
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# A compiled check: (value, path, version) -> None, raising CaliperInvalid.
Check = Callable[[Any, str, str], None]


def _check_str(value: Any, path: str, version: str) -> None:
    if type(value) is not str:
        raise CaliperInvalid(path, f"must be a string, not {_describe(value)}.")


def _check_datetime(value: Any, path: str, version: str) -> None:
    if type(value) is not str or not _DATETIME.match(value) or not _real_day(value):
        raise CaliperInvalid(
            path,
            "must be an ISO 8601 date and time with milliseconds, e.g. "
            f"2024-01-31T09:30:00.000Z; got {_describe(value)}.",
        )


def _check_duration(value: Any, path: str, version: str) -> None:
    if type(value) is not str or not _DURATION.match(value):
        raise CaliperInvalid(
            path,
            f"must be an ISO 8601 duration such as PT1H30M; got {_describe(value)}.",
        )


def _check_num(value: Any, path: str, version: str) -> None:
    # Deliberate deviation (see the module docstring): an integer is a decimal too.
    if not _is_number(value):
        raise CaliperInvalid(path, f"must be a number, not {_describe(value)}.")


def _check_int(value: Any, path: str, version: str) -> None:
    if type(value) is not int or value < 0:
        raise CaliperInvalid(
            path, f"must be a non-negative integer, not {_describe(value)}."
        )


def _check_bool(value: Any, path: str, version: str) -> None:
    if type(value) is not bool:
        raise CaliperInvalid(path, f"must be true or false, not {_describe(value)}.")


def _check_map(value: Any, path: str, version: str) -> None:
    if type(value) is not dict:
        raise CaliperInvalid(path, f"must be a JSON object, not {_describe(value)}.")


def _check_role(value: Any, path: str, version: str) -> None:
    base, _, sub = value.partition("#") if type(value) is str else ("", "", "")
    if base not in ROLE_NAMES or (sub and not sub.replace("-", "").isalnum()):
        raise CaliperInvalid(
            path,
            f"{_describe(value)} is not a LIS role such as Learner or Instructor#TA.",
        )


def _check_any(value: Any, path: str, version: str) -> None:
    return


_SCALARS: dict[str, Check] = {
    "str": _check_str,
    "datetime": _check_datetime,
    "duration": _check_duration,
    "num": _check_num,
    "int": _check_int,
    "bool": _check_bool,
    "map": _check_map,
    "role": _check_role,
    "any": _check_any,
}


def _compile(kind: Any) -> Check:
    """The check of one kind of the type table, built once at import."""
    if isinstance(kind, str):
        return _SCALARS[kind]
    tag, arg = kind
    if tag == "enum":
        terms: frozenset[str] = arg

        def check_enum(value: Any, path: str, version: str) -> None:
            if type(value) is not str or value not in terms:
                raise CaliperInvalid(
                    path,
                    f"{_describe(value)} is not one of the Caliper terms "
                    f"{', '.join(sorted(terms))}.",
                )

        return check_enum
    if tag == "list":
        each = _compile(arg)

        def check_list(value: Any, path: str, version: str) -> None:
            if type(value) is not list:
                raise CaliperInvalid(path, f"must be a list, not {_describe(value)}.")
            for i, item in enumerate(value):
                each(item, f"{path}[{i}]", version)

        return check_list
    allowed: frozenset[str] = arg

    def check_ref(value: Any, path: str, version: str) -> None:
        check_entity(value, path, version, allowed)

    return check_ref


def _check_reference(value: str, path: str) -> None:
    # Caliper 1.2 §4: an entity may be "thinned" to its IRI.
    if not _IRI.match(value):
        raise CaliperInvalid(
            path, f"must be an entity or the IRI of one, not {_describe(value)}."
        )


def _check_context(value: Any, path: str, version: str) -> None:
    """Caliper 1.2 §4.2: ``@context`` is the version's IRI, or a list that includes it."""
    contexts = value if isinstance(value, list) else [value]
    names = [c for c in contexts if isinstance(c, str)]
    if any(not isinstance(c, str | dict) for c in contexts):
        raise CaliperInvalid(
            path, "must be a context IRI, a context object or a list of those."
        )
    known = {version, CONTEXT_V1P2, CONTEXT_V1P1}
    if names and not any(n in known or _V1P1_EXTENSION.match(n) for n in names):
        raise CaliperInvalid(
            path, f"{_describe(value)} does not name the Caliper context {version}."
        )


def check_entity(
    value: Any, path: str, version: str, allowed: frozenset[str] | None = None
) -> str:
    """Check an entity (inline or thinned); return its type (``""`` for a reference)."""
    if isinstance(value, str):
        _check_reference(value, path)
        return ""
    if not isinstance(value, dict):
        raise CaliperInvalid(
            path, f"must be an entity or the IRI of one, not {_describe(value)}."
        )
    kind = value.get("type")
    if not isinstance(kind, str):
        raise CaliperInvalid(f"{path}.type", "is missing; every entity names its type.")
    if kind not in TYPES:
        raise CaliperInvalid(f"{path}.type", f"{kind!r} is not a Caliper 1.2 type.")
    if kind in EVENT_TYPES:
        raise CaliperInvalid(f"{path}.type", f"{_a(kind)} is not an entity.")
    if allowed is not None and kind not in allowed:
        raise CaliperInvalid(
            f"{path}.type",
            f"{_a(kind)} is not allowed here; expected one of {', '.join(sorted(allowed))}.",
        )
    _check_properties(value, kind, path, version)
    return kind


def _check_event_id(value: Any, path: str, version: str) -> None:
    # Caliper 1.2 §4.1: an Event id is a UUID URN.
    if type(value) is not str or not _EVENT_ID.match(value):
        raise CaliperInvalid(
            path,
            "must be a UUID URN such as "
            f"urn:uuid:3a5ba5b6-2c8f-4b6b-9c1e-2f8d4c7f1a22, not {_describe(value)}.",
        )


def _check_entity_id(value: Any, path: str, version: str) -> None:
    # Caliper 1.2 §4: an Entity id is an IRI.
    if type(value) is not str or not _IRI.match(value):
        raise CaliperInvalid(path, f"must be an IRI, not {_describe(value)}.")


def _compile_checks(name: str, props: dict[str, Any]) -> dict[str, Check]:
    checks = {k: _compile(v) for k, v in props.items()}
    checks["id"] = _check_event_id if name in EVENT_TYPES else _check_entity_id
    checks["@context"] = _check_context
    checks["type"] = _check_any  # checked by the caller, which dispatched on it
    return checks


# Per type: required properties and the compiled check of each property.
_CHECKS: dict[str, tuple[tuple[str, ...], dict[str, Check]]] = {
    name: (required, _compile_checks(name, props))
    for name, (required, props) in TYPES.items()
}


def _check_properties(
    value: Mapping[str, Any], kind: str, path: str, version: str
) -> None:
    required, checks = _CHECKS[kind]
    prefix = f"{path}." if path else ""
    for name in required:
        if value.get(name) is None:
            raise CaliperInvalid(
                prefix + name, f"is required on {_a(kind)} and is missing or null."
            )
    for name, item in value.items():
        if item is None:
            if name == "type":
                continue
            raise CaliperInvalid(
                prefix + name, "must not be null; leave the property out instead."
            )
        check = checks.get(name)
        if check is not None:
            check(item, prefix + name, version)


def check_event(event: dict[str, Any], path: str, version: str) -> None:
    """Check one event against its type and its profile (Caliper 1.2 §3, Appendix B)."""
    kind = event.get("type")
    if kind is None:
        raise CaliperInvalid(f"{path}.type", "is required on an Event and is missing.")
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        raise CaliperInvalid(
            f"{path}.type", f"{_describe(kind)} is not a Caliper event type."
        )
    if "@context" not in event:
        raise CaliperInvalid(
            f"{path}.@context", "is required on an Event and is missing."
        )
    _check_properties(event, kind, path, version)
    action = event["action"]
    if not isinstance(action, str) or action not in ACTIONS:
        raise CaliperInvalid(
            f"{path}.action", f"{_describe(action)} is not a Caliper action."
        )
    profile = event.get("profile")
    if profile is not None and (
        not isinstance(profile, str) or profile not in PROFILES
    ):
        raise CaliperInvalid(
            f"{path}.profile", f"{_describe(profile)} is not a Caliper profile."
        )
    rule = EVENT_RULES.get(kind)
    if rule is None:
        return
    if rule.actions and action not in rule.actions:
        raise CaliperInvalid(
            f"{path}.action",
            f"{action!r} is not an action of {_a(kind)}; "
            f"expected one of {', '.join(sorted(rule.actions))}.",
        )
    for name, allowed in rule.entities:
        item = event.get(name)
        inline_type = item.get("type") if isinstance(item, dict) else None
        if isinstance(item, dict) and (
            not isinstance(inline_type, str) or inline_type not in allowed
        ):
            raise CaliperInvalid(
                f"{path}.{name}.type",
                f"{_a(kind)}'s {name} must be one of {', '.join(sorted(allowed))}, "
                f"not {_describe(item.get('type'))}.",
            )
    for needs_action, name in rule.required:
        if action == needs_action and event.get(name) is None:
            raise CaliperInvalid(
                f"{path}.{name}", f"is required on {_a(kind)} {action} and is missing."
            )


def check_item(item: Any, path: str, version: str) -> None:
    """Check one item of an envelope's ``data``: an Event or an Entity "describe"."""
    if not isinstance(item, dict):
        raise CaliperInvalid(
            path, f"must be an Event or an Entity, not {_describe(item)}."
        )
    kind = item.get("type")
    if "action" in item or (isinstance(kind, str) and kind in EVENT_TYPES):
        check_event(item, path, version)
        return
    check_entity(item, path, version)


def check_envelope(document: Any) -> Envelope:
    """Check an envelope and every item in it (Caliper 1.2 §5.2); raise on the first fault."""
    if not isinstance(document, dict):
        raise CaliperInvalid("", "The body must be a Caliper Envelope, a JSON object.")
    for key in ENVELOPE_KEYS:
        if key not in document:
            raise CaliperInvalid(key, "is required on an Envelope and is missing.")
    extra = sorted(set(document) - set(ENVELOPE_KEYS))
    if extra:
        raise CaliperInvalid(
            extra[0],
            "is not an Envelope property; an Envelope has exactly sensor, sendTime, "
            "dataVersion and data.",
        )
    sensor, send_time = document["sensor"], document["sendTime"]
    version, data = document["dataVersion"], document["data"]
    if not isinstance(sensor, str) or not sensor:
        raise CaliperInvalid("sensor", "must be a non-empty string, preferably an IRI.")
    _check_datetime(send_time, "sendTime", "")
    if not isinstance(version, str):
        raise CaliperInvalid("dataVersion", "must be a string, a Caliper context IRI.")
    if version not in SUPPORTED_VERSIONS:
        raise CaliperUnsupportedVersion(
            f"The dataVersion {version!r} is not supported; send "
            f"{' or '.join(SUPPORTED_VERSIONS)}."
        )
    if not isinstance(data, list):
        raise CaliperInvalid("data", "must be a list of Events and Entities.")
    for i, item in enumerate(data):
        check_item(item, f"data[{i}]", version)
    return Envelope(sensor, send_time, version, data)
