"""Validate and normalize xAPI statements (xAPI 1.0.3 Data, and xAPI 2.0 / IEEE 9274.1.1).

:func:`validate_statement` checks one statement against every rule of the Data part that an LRS
can check without a store, and returns a normalized copy for storage. Any failure is an
:class:`~gateway.errors.InvalidPayload` (HTTP 400, never 422: xAPI Communication 3.2) whose
sentence names the JSON path of the offending field, the rule, and the spec section, e.g.
``actor.mbox must be a mailto: IRI, not 'bob@example.com' (xAPI 1.0.3 Data 2.4.2.3).``

Section numbers are those of the xAPI 1.0.3 Data document (``Data 2.4.2.3``); the ADL conformance
suite cites the same numbers for both versions, so they are used for 2.0 too.

Rules, by section of the 1.0.3 Data document:

* 2.2 formatting: properties the spec does not define (including miscased keys) are refused,
  at every level; ``null`` is refused everywhere but inside extension values; JSON types are
  exact (``"true"`` is no boolean, ``"17"`` no number, NaN and infinity are no numbers);
  formatted strings (IRI, UUID, mailto, timestamps...) are never empty.
* 2.3.2 voiding: a statement with verb ``.../voided`` must have a StatementRef object.
* 2.4 statement: actor, verb, object required; 2.4.1 id a UUID (any variant nibble).
* 2.4.2 actor: Agent with exactly one IFI; Group anonymous (non-empty ``member``, no IFI) or
  identified (exactly one IFI); members are Agents only; 2.4.2.3 ``mbox`` a mailto IRI,
  ``mbox_sha1sum`` 40 hex digits, ``openid`` a URI; 2.4.2.4 account with IRL homePage and name.
* 2.4.3 verb: IRI id, language-map display.
* 2.4.4 object: Activity (default), Agent and Group (objectType required), StatementRef (UUID id),
  SubStatement (no id, stored, version, authority, nor a nested SubStatement);
  2.4.4.1 Activity: IRI id; definition with language-map name and description, IRI type,
  IRL moreInfo, exact-case interactionType, correctResponsesPattern an array of strings,
  component lists only those of the interactionType, components with distinct ids, and any of
  these requiring an interactionType.
* 2.4.5 result: boolean success and completion, string response, ISO 8601 duration (4.6, ``PnW``
  alone); 2.4.5.1 score: numbers, scaled in -1..1, min < max, min <= raw <= max.
* 2.4.6 context: UUID registration, Agent or Group instructor, Group team, contextActivities with
  parent/grouping/category/other only (Activities; a single object is accepted), revision and
  platform only when the object is an Activity, RFC 5646 language, StatementRef statement;
  2.0 only: contextAgents / contextGroups (objectType, Agent / Group, non-empty IRI
  relevantTypes); 1.0.3 refuses them as undefined properties.
* 2.4.7, 2.4.8, 4.5 timestamp and stored: ISO 8601 date-time with seconds; never the
  unknown-offset ``-00:00`` (nor ``-00``, ``-0000``); 2.0 (RFC 3339) also requires an offset
  written ``Z`` or ``±hh:mm``. Future timestamps are accepted.
* 2.4.9 authority: an Agent, or an anonymous Group of exactly two Agents (OAuth).
* 2.4.10 version: ``1.0`` or ``1.0.x`` on a 1.0.3 LRS; also ``2.0`` / ``2.0.x`` on a 2.0 LRS (the
  2.0 suite still sends and expects to store 1.0.x statements).
* 2.4.11 attachments: IRI usageType, language-map display (and description), media-type
  contentType, non-negative integer length, hex SHA-2 sha2, IRL fileUrl; 2.6 signature
  attachments are ``application/octet-stream``.
* 4.1 extensions: IRI keys, any JSON value (``null`` included); 4.2 language maps: well-formed
  RFC 5646 tags (no repeated variant or extension singleton) mapping to strings; 4.3 IRIs are
  absolute (a scheme, no whitespace); 4.4 UUIDs in 8-4-4-4-12 hex form.
* Limits (:class:`ValidationLimits`): nesting deeper than 32 levels and strings longer than the
  configured length are refused with a 400 sentence.

Normalization (what the returned statement adds or canonicalizes; the input is never mutated):

* ``objectType`` defaults are written out: ``Agent`` for an actor, instructor, authority or group
  member without one, ``Activity`` for a statement object or a context activity without one
  (Data 2.4.2.1, 2.4.4, 2.4.6.2).
* A single Activity under ``context.contextActivities.<key>`` becomes a one-element array
  (Data 2.4.6.2: "the LRS MUST return every value in the contextActivities object as an array").
* ``timestamp`` and ``stored`` are rewritten in UTC with a ``Z`` designator; the fraction of a
  second is kept digit for digit (2.0 requires UTC; 1.0.3 Data 4.5 says the LRS SHOULD* return
  UTC). A 1.0.3 timestamp without a zone is read as UTC (Data 4.5 "SHOULD include the time zone").
* Nothing else changes: ids, IFIs, durations and extension values keep their exact form, so a
  statement compared with a re-sent copy still matches (Communication 2.1.2).

What the LRS adds at storage time, and this module leaves to it because it needs a clock or
the credentials: ``id`` when absent (Data 2.4.1), ``stored`` (2.4.8), ``authority`` from the
credentials (2.4.9), ``version`` when absent (2.4.10: ``1.0.0`` / ``2.0.0``), and a missing
``timestamp`` set to ``stored`` (2.4.7). :func:`complete_statement` does exactly that, given
those values. Batch-level rules that need no store (duplicate ids in one POST) are checked by
:func:`validate_statements`; rules that need one (voiding a voiding statement, 409 on a
conflicting id) are the LRS's. Two request-level rules are pure and live here too:
:func:`check_put_id` (the body id of a PUT equals ``statementId``) and
:func:`check_attachment_parts` (attachments without a fileUrl need a multipart part, and every
part must belong to an attachment). JWS signatures are checked by :mod:`gateway.xapi.signatures`
and multipart bodies parsed by :mod:`gateway.xapi.multipart`.

Speed: every check is hand-written over the parsed JSON with precompiled regular expressions;
nothing is loaded per call. Structures the spec defines have a fixed depth, so only extension
values (free JSON) are walked for the depth and string-length limits of :class:`ValidationLimits`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Final, NoReturn

from gateway.errors import InvalidPayload

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_VERSIONS",
    "ValidationLimits",
    "check_attachment_parts",
    "check_put_id",
    "complete_statement",
    "format_timestamp",
    "validate_statement",
    "validate_statements",
]

SUPPORTED_VERSIONS: Final = frozenset({"1.0.3", "2.0.0"})
"""The LRS versions this module validates for (chosen by ``X-Experience-API-Version``)."""

VOIDED_VERB: Final = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE: Final = "http://adlnet.gov/expapi/attachments/signature"


@dataclass(frozen=True, slots=True)
class ValidationLimits:
    """Bounds that keep a hostile statement from costing more than a normal one.

    ``max_depth`` counts JSON containers from the statement itself (the statement is level 1);
    ``max_string_length`` applies to every string value and key, in characters.
    """

    max_depth: int = 32
    max_string_length: int = 262_144


DEFAULT_LIMITS: Final = ValidationLimits()

# --- Precompiled formats -----------------------------------------------------------------------

# Data 4.3 / RFC 3987: an absolute IRI has a scheme; no whitespace or characters IRIs exclude.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+")
# Data 4.4: the 8-4-4-4-12 hex form of RFC 4122. Any variant nibble is accepted, as the suite
# and the spec's own cmi5 example do.
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
# Data 2.4.2.3: "mailto:" + an email address.
_MBOX = re.compile(r"mailto:[^\s@<>\"(),;:]+@[^\s@<>\"(),;:]+")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
# Data 2.4.11: SHA-224/256/384/512 as hex.
_SHA2 = re.compile(
    r"(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})"
)
# RFC 6838 type/subtype with optional parameters (Data 2.4.11 contentType).
_MEDIA_TYPE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+\-]*(?:\s*;.*)?"
)
# Data 4.5 / ISO 8601 extended format date-time (RFC 3339 in 2.0). Groups: date, time, fraction,
# zone designator Z, offset sign, offset hours, offset minutes.
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?"
    r"(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?"
)
# Data 4.6 / ISO 8601 durations: PnYnMnDTnHnMnS or PnW (weeks never combine with other units).
_DURATION = re.compile(
    r"P(?:\d+(?:[.,]\d+)?W|(?:\d+Y)?(?:\d+M)?(?:\d+D)?"
    r"(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:[.,]\d+)?S)?)?)"
)
_VERSION_1 = re.compile(r"1\.0(?:\.\d+)?")
# The 2.0 suite still sends 1.0 and 1.0.9 statements and expects them accepted (XAPI-00101).
_VERSION_2 = re.compile(r"(?:1\.0|2\.0)(?:\.\d+)?")

# RFC 5646 section 2.1 language tags (well-formed), matched case-insensitively.
_LANGTAG = re.compile(
    r"""
    (?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})   # language (+ extlang)
      (?:-[a-z]{4})?                                        # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                           # region
      (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
      (?P<extensions>(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)
      (?:-x(?:-[a-z0-9]{1,8})+)?                            # private use
    | x(?:-[a-z0-9]{1,8})+
    | en-gb-oed | i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    | sgn-(?:be-fr|be-nl|ch-de)
    | art-lojban | cel-gaulish | no-(?:bok|nyn) | zh-(?:guoyu|hakka|min|min-nan|xiang)
    )
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
_MAX_LANGUAGE_TAG = 128


@lru_cache(maxsize=4096)
def _is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is a well-formed RFC 5646 tag (no repeated variant or singleton)."""
    match = _LANGTAG.fullmatch(tag)
    if match is None:
        return False
    variants = (match.group("variants") or "").lower().split("-")[1:]
    if len(variants) != len(set(variants)):
        return False
    singletons = [
        s for s in (match.group("extensions") or "").lower().split("-") if len(s) == 1
    ]
    return len(singletons) == len(set(singletons))


# --- Property sets (Data 2.2: properties the spec does not define are refused) -----------------

_STATEMENT_KEYS: Final = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
    }
    | {"version", "attachments"}
)
# Data 2.4.4.3: a SubStatement has no id, stored, version or authority.
_SUBSTATEMENT_KEYS: Final = frozenset(
    {
        "objectType",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "attachments",
    }
)
_SUBSTATEMENT_FORBIDDEN: Final = ("id", "stored", "version", "authority")
_AGENT_KEYS: Final = frozenset(
    {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
)
_GROUP_KEYS: Final = _AGENT_KEYS | {"member"}
_IFIS: Final = ("mbox", "mbox_sha1sum", "openid", "account")
_ACCOUNT_KEYS: Final = frozenset({"homePage", "name"})
_VERB_KEYS: Final = frozenset({"id", "display"})
_ACTIVITY_KEYS: Final = frozenset({"objectType", "id", "definition"})
_STATEMENT_REF_KEYS: Final = frozenset({"objectType", "id"})
_DEFINITION_KEYS: Final = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "interactionType",
        "correctResponsesPattern",
    }
    | {"choices", "scale", "source", "target", "steps", "extensions"}
)
_COMPONENT_LISTS: Final = ("choices", "scale", "source", "target", "steps")
# Data 2.4.4.1 (Interaction Activities): the component lists each interactionType supports.
_INTERACTION_TYPES: Final[dict[str, frozenset[str]]] = {
    "true-false": frozenset(),
    "choice": frozenset({"choices"}),
    "fill-in": frozenset(),
    "long-fill-in": frozenset(),
    "matching": frozenset({"source", "target"}),
    "performance": frozenset({"steps"}),
    "sequencing": frozenset({"choices"}),
    "likert": frozenset({"scale"}),
    "numeric": frozenset(),
    "other": frozenset(),
}
_COMPONENT_KEYS: Final = frozenset({"id", "description"})
_RESULT_KEYS: Final = frozenset(
    {"score", "success", "completion", "response", "duration", "extensions"}
)
_SCORE_KEYS: Final = frozenset({"scaled", "raw", "min", "max"})
_CONTEXT_KEYS_1: Final = frozenset(
    {"registration", "instructor", "team", "contextActivities", "revision", "platform"}
    | {"language", "statement", "extensions"}
)
_CONTEXT_ONLY_2: Final = frozenset({"contextAgents", "contextGroups"})
_CONTEXT_KEYS_2: Final = _CONTEXT_KEYS_1 | _CONTEXT_ONLY_2
_CONTEXT_ACTIVITY_KEYS: Final = ("parent", "grouping", "category", "other")
_CONTEXT_AGENT_KEYS: Final = frozenset({"objectType", "agent", "relevantTypes"})
_CONTEXT_GROUP_KEYS: Final = frozenset({"objectType", "group", "relevantTypes"})
_ATTACHMENT_KEYS: Final = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)
_ATTACHMENT_REQUIRED: Final = ("usageType", "display", "contentType", "length", "sha2")


def _describe(value: object) -> str:
    """A short description of a JSON value for an error sentence."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {_number_text(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown) if value else "the empty string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _number_text(value: float) -> str:
    """A number as the sentence shows it (ints beyond Python's digit limit are not printed)."""
    try:
        return repr(value)
    except ValueError:
        return "(a very large number)"


def _join(path: str, key: object) -> str:
    """The JSON path of ``key`` under ``path``."""
    name = key if isinstance(key, str) else repr(key)
    return f"{path}.{name}" if path else name


class _Checker:
    """The rules of one xAPI version; one instance is shared by every call for that version."""

    __slots__ = ("context_keys", "is_v2", "label", "max_depth", "max_str", "version_re")

    def __init__(self, version: str, limits: ValidationLimits) -> None:
        self.is_v2 = version.startswith("2.")
        self.label = version
        self.max_depth = limits.max_depth
        self.max_str = limits.max_string_length
        self.context_keys = _CONTEXT_KEYS_2 if self.is_v2 else _CONTEXT_KEYS_1
        self.version_re = _VERSION_2 if self.is_v2 else _VERSION_1

    # --- failures and primitives ---------------------------------------------------------------

    def fail(self, path: str, rule: str, section: str) -> NoReturn:
        """Raise the 400 sentence: path, rule, spec section."""
        where = path or "The statement"
        raise InvalidPayload(f"{where} {rule} (xAPI {self.label} Data {section}).")

    def obj(self, value: object, path: str, section: str) -> dict[str, Any]:
        """``value`` as a JSON object, or a failure."""
        if not isinstance(value, dict):
            self.fail(path, f"must be a JSON object, not {_describe(value)}", section)
        return value

    def array(self, value: object, path: str, section: str) -> list[Any]:
        """``value`` as a JSON array, or a failure."""
        if not isinstance(value, list):
            self.fail(path, f"must be an array, not {_describe(value)}", section)
        return value

    def keys(
        self, d: dict[str, Any], allowed: frozenset[str], path: str, section: str
    ) -> None:
        """Refuse properties the spec does not define here (Data 2.2; keys are case-sensitive)."""
        unknown = d.keys() - allowed
        if unknown:
            key = sorted(map(str, unknown))[0]
            if key in _CONTEXT_ONLY_2 and allowed is _CONTEXT_KEYS_1:
                self.fail(
                    _join(path, key),
                    "is new in xAPI 2.0 and not allowed in 1.0.3",
                    "2.4.6",
                )
            self.fail(
                _join(path, key),
                "is not a property the spec defines here (property names are case-sensitive)",
                "2.2",
            )

    def string(self, value: object, path: str, section: str) -> str:
        """``value`` as a string within the length limit."""
        if not isinstance(value, str):
            self.fail(path, f"must be a string, not {_describe(value)}", section)
        if len(value) > self.max_str:
            self.fail(path, f"is longer than {self.max_str} characters", "2.2")
        return value

    def formatted(
        self,
        value: object,
        pattern: re.Pattern[str],
        what: str,
        path: str,
        section: str,
    ) -> str:
        """``value`` as a string matching ``pattern`` in full (Data 2.2: no empty strings)."""
        text = self.string(value, path, section)
        if pattern.fullmatch(text) is None:
            self.fail(path, f"must be {what}, not {_describe(text)}", section)
        return text

    def iri(self, value: object, path: str, section: str = "4.3") -> str:
        """An absolute IRI with a scheme (Data 4.3; Data 2.2 refuses IRIs without one)."""
        return self.formatted(
            value, _IRI, "an absolute IRI with a scheme", path, section
        )

    def irl(self, value: object, path: str, section: str) -> str:
        """An IRL: an IRI that resolves (Data 4.3); only its IRI form can be checked."""
        return self.formatted(
            value, _IRI, "an IRL (an absolute IRI with a scheme)", path, section
        )

    def uuid(self, value: object, path: str, section: str = "4.4") -> str:
        """A UUID in its hyphenated hex form (Data 4.4, RFC 4122)."""
        return self.formatted(value, _UUID, "a UUID (RFC 4122)", path, section)

    def boolean(self, value: object, path: str, section: str) -> bool:
        """A JSON boolean, not a string that spells one (Data 2.2)."""
        if not isinstance(value, bool):
            self.fail(path, f"must be a boolean, not {_describe(value)}", section)
        return value

    def number(self, value: object, path: str, section: str) -> int | float:
        """A finite JSON number, not a string that spells one (Data 2.2)."""
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            self.fail(path, f"must be a number, not {_describe(value)}", section)
        return value

    def language(self, value: object, path: str, section: str = "4.2") -> str:
        """An RFC 5646 language tag (Data 4.2)."""
        tag = self.string(value, path, section)
        if len(tag) > _MAX_LANGUAGE_TAG or not _is_language_tag(tag):
            self.fail(
                path, f"must be an RFC 5646 language tag, not {_describe(tag)}", section
            )
        return tag

    def language_map(
        self, value: object, path: str, section: str = "4.2"
    ) -> dict[str, str]:
        """A language map: RFC 5646 tags to strings (Data 4.2)."""
        d = self.obj(value, path, section)
        for tag, text in d.items():
            if (
                not isinstance(tag, str)
                or len(tag) > _MAX_LANGUAGE_TAG
                or not _is_language_tag(tag)
            ):
                self.fail(
                    path,
                    f"is a language map: key {_describe(tag)} is not an RFC 5646 language tag",
                    "4.2",
                )
            self.string(text, f"{path}[{tag!r}]", "4.2")
        return dict(d)

    def timestamp(self, value: object, path: str, section: str) -> str:
        """An ISO 8601 date-time (RFC 3339 with an offset in 2.0), returned in UTC (Data 4.5)."""
        text = self.string(value, path, section)
        m = _TIMESTAMP.fullmatch(text)
        if m is None:
            self.fail(
                path, f"must be an ISO 8601 timestamp, not {_describe(text)}", "4.5"
            )
        year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = (
            m.groups()
        )
        if sign is not None:
            offset = timedelta(hours=int(off_h), minutes=int(off_m or 0))
            if sign == "-" and not offset:
                # RFC 3339 4.3: -00:00 means "offset unknown"; the suite rejects all its forms.
                self.fail(path, "must not use the unknown-offset form -00:00", "4.5")
            if self.is_v2 and off_m is None:
                self.fail(
                    path, "must give its offset as +hh:mm or -hh:mm (RFC 3339)", "4.5"
                )
            if int(off_h) > 23 or int(off_m or 0) > 59:
                self.fail(path, f"has an impossible offset in {_describe(text)}", "4.5")
            if sign == "+":
                offset = -offset
        elif zulu is None and self.is_v2:
            self.fail(path, "must include a time zone offset or Z (RFC 3339)", "4.5")
        else:
            offset = timedelta(0)
        try:
            moment = datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second)
            )
            moment += offset
        except (ValueError, OverflowError):
            self.fail(path, f"is not a real date and time: {_describe(text)}", "4.5")
        iso = (
            f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
            f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
        )
        return f"{iso}.{fraction}Z" if fraction else f"{iso}Z"

    def extensions(self, value: object, path: str, depth: int) -> dict[str, Any]:
        """An extensions object: IRI keys, any JSON values within the limits (Data 4.1)."""
        d = self.obj(value, path, "4.1")
        for key in d:
            if (
                not isinstance(key, str)
                or len(key) > self.max_str
                or not _IRI.fullmatch(key)
            ):
                self.fail(path, f"keys must be IRIs, not {_describe(key)}", "4.1")
        self.free_json(d, path, depth)
        return dict(d)

    def free_json(self, root: dict[str, Any], path: str, depth: int) -> None:
        """Walk extension values: JSON types only, within the depth and string limits."""
        stack: list[tuple[object, int]] = [(root, depth)]
        max_depth, max_str = self.max_depth, self.max_str
        while stack:
            value, level = stack.pop()
            if isinstance(value, str):
                if len(value) > max_str:
                    self.fail(
                        path, f"holds a string longer than {max_str} characters", "2.2"
                    )
                continue
            if value is None or isinstance(value, bool | int):
                continue
            if isinstance(value, float):
                if not math.isfinite(value):
                    self.fail(
                        path,
                        "holds a number JSON cannot express (NaN or infinity)",
                        "2.2",
                    )
                continue
            if isinstance(value, dict | list):
                if level > max_depth:
                    self.fail(path, f"is nested deeper than {max_depth} levels", "2.2")
                items: Iterable[object]
                if isinstance(value, dict):
                    for key in value:
                        if not isinstance(key, str) or len(key) > max_str:
                            self.fail(
                                path,
                                "holds an object key that is not a short string",
                                "2.2",
                            )
                    items = value.values()
                else:
                    items = value
                stack.extend((item, level + 1) for item in items)
                continue
            self.fail(path, f"holds {_describe(value)}, which is not JSON", "2.2")

    # --- actors ----------------------------------------------------------------------------------

    def ifis(self, d: dict[str, Any], path: str, out: dict[str, Any]) -> int:
        """Check the inverse functional identifiers present; copy them to ``out``; count them."""
        count = 0
        if "mbox" in d:
            out["mbox"] = self.formatted(
                d["mbox"], _MBOX, "a mailto: IRI", _join(path, "mbox"), "2.4.2.3"
            )
            count += 1
        if "mbox_sha1sum" in d:
            out["mbox_sha1sum"] = self.formatted(
                d["mbox_sha1sum"],
                _SHA1,
                "the 40 hex digits of a SHA-1",
                _join(path, "mbox_sha1sum"),
                "2.4.2.3",
            )
            count += 1
        if "openid" in d:
            out["openid"] = self.formatted(
                d["openid"], _IRI, "a URI", _join(path, "openid"), "2.4.2.3"
            )
            count += 1
        if "account" in d:
            apath = _join(path, "account")
            account = self.obj(d["account"], apath, "2.4.2.4")
            self.keys(account, _ACCOUNT_KEYS, apath, "2.4.2.4")
            if "homePage" not in account:
                self.fail(apath, "must have a homePage", "2.4.2.4")
            if "name" not in account:
                self.fail(apath, "must have a name", "2.4.2.4")
            out["account"] = {
                "homePage": self.irl(
                    account["homePage"], apath + ".homePage", "2.4.2.4"
                ),
                "name": self.string(account["name"], apath + ".name", "2.4.2.4"),
            }
            count += 1
        return count

    def agent(self, d: dict[str, Any], path: str) -> dict[str, Any]:
        """An Agent: exactly one IFI (Data 2.4.2.1)."""
        self.keys(d, _AGENT_KEYS, path, "2.4.2.1")
        out: dict[str, Any] = {"objectType": "Agent"}
        if "name" in d:
            out["name"] = self.string(d["name"], _join(path, "name"), "2.4.2.1")
        count = self.ifis(d, path, out)
        if count != 1:
            self.fail(
                path or "actor",
                "must have exactly one inverse functional identifier (mbox, mbox_sha1sum, "
                f"openid or account), not {count}",
                "2.4.2.1",
            )
        return out

    def group(self, d: dict[str, Any], path: str) -> tuple[dict[str, Any], int]:
        """A Group, anonymous (member, no IFI) or identified (one IFI) (Data 2.4.2.2)."""
        self.keys(d, _GROUP_KEYS, path, "2.4.2.2")
        out: dict[str, Any] = {"objectType": "Group"}
        if "name" in d:
            out["name"] = self.string(d["name"], _join(path, "name"), "2.4.2.2")
        count = self.ifis(d, path, out)
        if count > 1:
            self.fail(
                path,
                f"is an identified Group with {count} identifiers; it must have exactly one",
                "2.4.2.2",
            )
        if "member" in d:
            mpath = _join(path, "member")
            members = self.array(d["member"], mpath, "2.4.2.2")
            if count == 0 and not members:
                self.fail(
                    mpath,
                    "of an anonymous Group must list at least one Agent",
                    "2.4.2.2",
                )
            out["member"] = [
                self.member(m, f"{mpath}[{i}]") for i, m in enumerate(members)
            ]
        elif count == 0:
            self.fail(
                path,
                "is an anonymous Group (no identifier) and must have member",
                "2.4.2.2",
            )
        return out, count

    def member(self, value: object, path: str) -> dict[str, Any]:
        """A Group member: an Agent, never a Group (Data 2.4.2.2)."""
        d = self.obj(value, path, "2.4.2.2")
        object_type = d.get("objectType", "Agent")
        if object_type != "Agent":
            self.fail(
                _join(path, "objectType"),
                f'must be "Agent": Group members are Agents, not {_describe(object_type)}',
                "2.4.2.2",
            )
        return self.agent(d, path)

    def actor(self, value: object, path: str, section: str = "2.4.2") -> dict[str, Any]:
        """An Agent or a Group (objectType defaults to Agent) (Data 2.4.2)."""
        d = self.obj(value, path, section)
        object_type = d.get("objectType", "Agent")
        if object_type == "Agent":
            return self.agent(d, path)
        if object_type == "Group":
            return self.group(d, path)[0]
        self.fail(
            _join(path, "objectType"),
            f'must be "Agent" or "Group", not {_describe(object_type)}',
            section,
        )

    def authority(self, value: object, path: str) -> dict[str, Any]:
        """An Agent, or an anonymous Group of exactly two Agents for OAuth (Data 2.4.9)."""
        d = self.obj(value, path, "2.4.9")
        if d.get("objectType") == "Group":
            out, count = self.group(d, path)
            if count != 0 or len(out.get("member", ())) != 2:
                self.fail(
                    path,
                    "as a Group must be an anonymous Group of exactly two Agents "
                    "(OAuth consumer and user)",
                    "2.4.9",
                )
            return out
        return self.actor(d, path, "2.4.9")

    # --- verb and object -------------------------------------------------------------------------

    def verb(self, value: object, path: str) -> dict[str, Any]:
        """A Verb: an IRI id and an optional display language map (Data 2.4.3)."""
        d = self.obj(value, path, "2.4.3")
        self.keys(d, _VERB_KEYS, path, "2.4.3")
        if "id" not in d:
            self.fail(path, "must have an id", "2.4.3")
        out: dict[str, Any] = {"id": self.iri(d["id"], path + ".id", "2.4.3")}
        if "display" in d:
            out["display"] = self.language_map(d["display"], path + ".display")
        return out

    def activity(self, d: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        """An Activity: an IRI id and an optional definition (Data 2.4.4.1)."""
        self.keys(d, _ACTIVITY_KEYS, path, "2.4.4.1")
        if "id" not in d:
            self.fail(path, "is an Activity and must have an id", "2.4.4.1")
        out: dict[str, Any] = {
            "objectType": "Activity",
            "id": self.iri(d["id"], path + ".id", "2.4.4.1"),
        }
        if "definition" in d:
            out["definition"] = self.definition(
                d["definition"], path + ".definition", depth + 1
            )
        return out

    def definition(self, value: object, path: str, depth: int) -> dict[str, Any]:
        """An Activity Definition, with the interaction rules (Data 2.4.4.1)."""
        d = self.obj(value, path, "2.4.4.1")
        self.keys(d, _DEFINITION_KEYS, path, "2.4.4.1")
        out: dict[str, Any] = {}
        for key in ("name", "description"):
            if key in d:
                out[key] = self.language_map(d[key], f"{path}.{key}")
        if "type" in d:
            out["type"] = self.iri(d["type"], path + ".type", "2.4.4.1")
        if "moreInfo" in d:
            out["moreInfo"] = self.irl(d["moreInfo"], path + ".moreInfo", "2.4.4.1")
        lists = [key for key in _COMPONENT_LISTS if key in d]
        if "interactionType" in d:
            kind = d["interactionType"]
            supported = _INTERACTION_TYPES.get(kind) if isinstance(kind, str) else None
            if supported is None:
                self.fail(
                    path + ".interactionType",
                    "must be one of "
                    + ", ".join(_INTERACTION_TYPES)
                    + f", not {_describe(kind)}",
                    "2.4.4.1",
                )
            out["interactionType"] = kind
            for key in lists:
                if key not in supported:
                    self.fail(
                        f"{path}.{key}",
                        f'is not a component list of interactionType "{kind}"',
                        "2.4.4.1",
                    )
        elif lists or "correctResponsesPattern" in d:
            first = (
                "correctResponsesPattern"
                if "correctResponsesPattern" in d
                else lists[0]
            )
            self.fail(f"{path}.{first}", "requires an interactionType", "2.4.4.1")
        if "correctResponsesPattern" in d:
            cpath = path + ".correctResponsesPattern"
            patterns = self.array(d["correctResponsesPattern"], cpath, "2.4.4.1")
            out["correctResponsesPattern"] = [
                self.string(p, f"{cpath}[{i}]", "2.4.4.1")
                for i, p in enumerate(patterns)
            ]
        for key in lists:
            out[key] = self.components(d[key], f"{path}.{key}")
        if "extensions" in d:
            out["extensions"] = self.extensions(
                d["extensions"], path + ".extensions", depth + 1
            )
        return out

    def components(self, value: object, path: str) -> list[dict[str, Any]]:
        """Interaction components: id and description, ids distinct (Data 2.4.4.1)."""
        items = self.array(value, path, "2.4.4.1")
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            ipath = f"{path}[{i}]"
            d = self.obj(item, ipath, "2.4.4.1")
            self.keys(d, _COMPONENT_KEYS, ipath, "2.4.4.1")
            if "id" not in d:
                self.fail(ipath, "must have an id", "2.4.4.1")
            ident = self.string(d["id"], ipath + ".id", "2.4.4.1")
            if not ident:
                self.fail(ipath + ".id", "must not be empty", "2.4.4.1")
            if ident in seen:
                self.fail(
                    ipath + ".id",
                    f"repeats {ident!r}; component ids must be distinct",
                    "2.4.4.1",
                )
            seen.add(ident)
            component: dict[str, Any] = {"id": ident}
            if "description" in d:
                component["description"] = self.language_map(
                    d["description"], ipath + ".description"
                )
            out.append(component)
        return out

    def statement_ref(self, d: dict[str, Any], path: str) -> dict[str, Any]:
        """A StatementRef: objectType "StatementRef" and a UUID id (Data 2.4.4.3)."""
        self.keys(d, _STATEMENT_REF_KEYS, path, "2.4.4.3")
        if d.get("objectType") != "StatementRef":
            self.fail(
                _join(path, "objectType"),
                f'must be "StatementRef", not {_describe(d.get("objectType"))}',
                "2.4.4.3",
            )
        if "id" not in d:
            self.fail(path, "is a StatementRef and must have an id", "2.4.4.3")
        return {
            "objectType": "StatementRef",
            "id": self.uuid(d["id"], path + ".id", "2.4.4.3"),
        }

    def statement_object(
        self, value: object, path: str, *, in_substatement: bool
    ) -> dict[str, Any]:
        """A statement object: Activity (default), Agent, Group, StatementRef, SubStatement."""
        d = self.obj(value, path, "2.4.4")
        object_type = d.get("objectType", "Activity")
        if object_type == "Activity":
            return self.activity(d, path, 2 if not in_substatement else 3)
        if object_type == "Agent":
            return self.agent(d, path)
        if object_type == "Group":
            return self.group(d, path)[0]
        if object_type == "StatementRef":
            return self.statement_ref(d, path)
        if object_type == "SubStatement":
            if in_substatement:
                self.fail(
                    path,
                    "is a SubStatement inside a SubStatement, which is not allowed",
                    "2.4.4.3",
                )
            return self.statement(d, path, substatement=True)
        self.fail(
            _join(path, "objectType"),
            "must be one of Activity, Agent, Group, StatementRef, SubStatement (case-sensitive), "
            f"not {_describe(object_type)}",
            "2.4.4",
        )

    # --- result, context, attachments ------------------------------------------------------------

    def result(self, value: object, path: str, depth: int) -> dict[str, Any]:
        """A Result and its Score (Data 2.4.5, 2.4.5.1)."""
        d = self.obj(value, path, "2.4.5")
        self.keys(d, _RESULT_KEYS, path, "2.4.5")
        out: dict[str, Any] = {}
        if "score" in d:
            out["score"] = self.score(d["score"], path + ".score")
        for key in ("success", "completion"):
            if key in d:
                out[key] = self.boolean(d[key], f"{path}.{key}", "2.4.5")
        if "response" in d:
            out["response"] = self.string(d["response"], path + ".response", "2.4.5")
        if "duration" in d:
            out["duration"] = self.formatted(
                d["duration"],
                _DURATION,
                "an ISO 8601 duration",
                path + ".duration",
                "4.6",
            )
            if out["duration"] in {"P", "PT"} or out["duration"].endswith("T"):
                self.fail(
                    path + ".duration",
                    "must be an ISO 8601 duration with a value",
                    "4.6",
                )
        if "extensions" in d:
            out["extensions"] = self.extensions(
                d["extensions"], path + ".extensions", depth + 1
            )
        return out

    def score(self, value: object, path: str) -> dict[str, Any]:
        """Score: scaled in -1..1, min < max, min <= raw <= max (Data 2.4.5.1)."""
        d = self.obj(value, path, "2.4.5.1")
        self.keys(d, _SCORE_KEYS, path, "2.4.5.1")
        out = {key: self.number(d[key], f"{path}.{key}", "2.4.5.1") for key in d}
        scaled, raw = out.get("scaled"), out.get("raw")
        low, high = out.get("min"), out.get("max")
        if scaled is not None and not -1 <= scaled <= 1:
            self.fail(
                path + ".scaled",
                f"must be between -1 and 1, not {_number_text(scaled)}",
                "2.4.5.1",
            )
        if low is not None and high is not None and not low < high:
            self.fail(
                path + ".min",
                f"({_number_text(low)}) must be less than max ({_number_text(high)})",
                "2.4.5.1",
            )
        if raw is not None:
            if low is not None and raw < low:
                self.fail(
                    path + ".raw",
                    f"({_number_text(raw)}) must not be less than min ({_number_text(low)})",
                    "2.4.5.1",
                )
            if high is not None and raw > high:
                self.fail(
                    path + ".raw",
                    f"({_number_text(raw)}) must not exceed max ({_number_text(high)})",
                    "2.4.5.1",
                )
        return out

    def context(
        self, value: object, path: str, *, object_is_activity: bool, depth: int
    ) -> dict[str, Any]:
        """A Context (Data 2.4.6), with 2.0's contextAgents and contextGroups."""
        d = self.obj(value, path, "2.4.6")
        self.keys(d, self.context_keys, path, "2.4.6")
        out: dict[str, Any] = {}
        if "registration" in d:
            out["registration"] = self.uuid(
                d["registration"], path + ".registration", "2.4.6"
            )
        if "instructor" in d:
            out["instructor"] = self.actor(
                d["instructor"], path + ".instructor", "2.4.6"
            )
        if "team" in d:
            tpath = path + ".team"
            team = self.obj(d["team"], tpath, "2.4.6")
            if team.get("objectType") != "Group":
                self.fail(tpath, 'must be a Group (with objectType "Group")', "2.4.6")
            out["team"] = self.group(team, tpath)[0]
        if "contextActivities" in d:
            out["contextActivities"] = self.context_activities(
                d["contextActivities"], path + ".contextActivities", depth + 1
            )
        for key in ("revision", "platform"):
            if key in d:
                if not object_is_activity:
                    self.fail(
                        f"{path}.{key}",
                        "is only allowed when the statement's object is an Activity",
                        "2.4.6.1",
                    )
                out[key] = self.string(d[key], f"{path}.{key}", "2.4.6")
        if "language" in d:
            out["language"] = self.language(d["language"], path + ".language", "2.4.6")
        if "statement" in d:
            spath = path + ".statement"
            out["statement"] = self.statement_ref(
                self.obj(d["statement"], spath, "2.4.6"), spath
            )
        if "extensions" in d:
            out["extensions"] = self.extensions(
                d["extensions"], path + ".extensions", depth + 1
            )
        if "contextAgents" in d:
            out["contextAgents"] = self.context_agents(
                d["contextAgents"], path + ".contextAgents"
            )
        if "contextGroups" in d:
            out["contextGroups"] = self.context_groups(
                d["contextGroups"], path + ".contextGroups"
            )
        return out

    def context_activities(
        self, value: object, path: str, depth: int
    ) -> dict[str, Any]:
        """parent/grouping/category/other: Activities, a single one made an array (2.4.6.2)."""
        d = self.obj(value, path, "2.4.6.2")
        unknown = d.keys() - set(_CONTEXT_ACTIVITY_KEYS)
        if unknown:
            self.fail(
                _join(path, sorted(map(str, unknown))[0]),
                "is not one of parent, grouping, category, other",
                "2.4.6.2",
            )
        out: dict[str, Any] = {}
        for key in _CONTEXT_ACTIVITY_KEYS:
            if key not in d:
                continue
            kpath = f"{path}.{key}"
            items = d[key]
            if isinstance(items, dict):
                items = [items]
                item_paths = [kpath]
            else:
                items = self.array(items, kpath, "2.4.6.2")
                item_paths = [f"{kpath}[{i}]" for i in range(len(items))]
            out[key] = [
                self.context_activity(item, ipath, depth + 2)
                for item, ipath in zip(items, item_paths, strict=True)
            ]
        return out

    def context_activity(self, value: object, path: str, depth: int) -> dict[str, Any]:
        """One context activity: an Activity (Data 2.4.6.2)."""
        d = self.obj(value, path, "2.4.6.2")
        object_type = d.get("objectType", "Activity")
        if object_type != "Activity":
            self.fail(
                _join(path, "objectType"),
                f'must be "Activity", not {_describe(object_type)}',
                "2.4.6.2",
            )
        return self.activity(d, path, depth)

    def relevant_types(self, d: dict[str, Any], path: str, out: dict[str, Any]) -> None:
        """relevantTypes: a non-empty array of IRIs (xAPI 2.0 Data 2.4.6)."""
        if "relevantTypes" in d:
            rpath = path + ".relevantTypes"
            types = self.array(d["relevantTypes"], rpath, "2.4.6")
            if not types:
                self.fail(rpath, "must not be empty", "2.4.6")
            out["relevantTypes"] = [
                self.iri(t, f"{rpath}[{i}]", "2.4.6") for i, t in enumerate(types)
            ]

    def context_agents(self, value: object, path: str) -> list[dict[str, Any]]:
        """The 2.0 contextAgents: {objectType "contextAgent", agent, relevantTypes?}."""
        return self._context_members(
            value,
            path,
            "contextAgent",
            "agent",
            "Agent",
            _CONTEXT_AGENT_KEYS,
            lambda d, p: self.agent(d, p),
        )

    def context_groups(self, value: object, path: str) -> list[dict[str, Any]]:
        """The 2.0 contextGroups: {objectType "contextGroup", group, relevantTypes?}."""
        return self._context_members(
            value,
            path,
            "contextGroup",
            "group",
            "Group",
            _CONTEXT_GROUP_KEYS,
            lambda d, p: self.group(d, p)[0],
        )

    def _context_members(
        self,
        value: object,
        path: str,
        object_type: str,
        member_key: str,
        member_type: str,
        allowed: frozenset[str],
        check_member: Callable[[dict[str, Any], str], dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """The 2.0 contextAgents or contextGroups (Data 2.4.6): typed wrappers of one member."""
        items = self.array(value, path, "2.4.6")
        out: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            ipath = f"{path}[{i}]"
            d = self.obj(item, ipath, "2.4.6")
            self.keys(d, allowed, ipath, "2.4.6")
            if d.get("objectType") != object_type:
                self.fail(ipath + ".objectType", f'must be "{object_type}"', "2.4.6")
            if member_key not in d:
                article = "an" if member_key[0] in "aeiou" else "a"
                self.fail(ipath, f"must have {article} {member_key}", "2.4.6")
            mpath = f"{ipath}.{member_key}"
            member = self.obj(d[member_key], mpath, "2.4.6")
            # An agent's objectType may be left out; a group's must be given.
            given = member.get(
                "objectType", "Agent" if member_type == "Agent" else None
            )
            if given != member_type:
                self.fail(mpath + ".objectType", f'must be "{member_type}"', "2.4.6")
            entry: dict[str, Any] = {
                "objectType": object_type,
                member_key: check_member(member, mpath),
            }
            self.relevant_types(d, ipath, entry)
            out.append(entry)
        return out

    def attachments(self, value: object, path: str) -> list[dict[str, Any]]:
        """Attachments: usageType, display, contentType, length, sha2, fileUrl (Data 2.4.11)."""
        items = self.array(value, path, "2.4.11")
        out: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            ipath = f"{path}[{i}]"
            d = self.obj(item, ipath, "2.4.11")
            self.keys(d, _ATTACHMENT_KEYS, ipath, "2.4.11")
            for key in _ATTACHMENT_REQUIRED:
                if key not in d:
                    self.fail(ipath, f"must have {key}", "2.4.11")
            length = d["length"]
            if isinstance(length, bool) or not isinstance(length, int) or length < 0:
                self.fail(
                    ipath + ".length",
                    f"must be a non-negative integer, not {_describe(length)}",
                    "2.4.11",
                )
            attachment: dict[str, Any] = {
                "usageType": self.iri(d["usageType"], ipath + ".usageType", "2.4.11"),
                "display": self.language_map(d["display"], ipath + ".display"),
            }
            if "description" in d:
                attachment["description"] = self.language_map(
                    d["description"], ipath + ".description"
                )
            attachment["contentType"] = self.formatted(
                d["contentType"],
                _MEDIA_TYPE,
                "an Internet media type",
                ipath + ".contentType",
                "2.4.11",
            )
            if (
                attachment["usageType"] == SIGNATURE_USAGE
                and attachment["contentType"].split(";")[0].strip().lower()
                != "application/octet-stream"
            ):
                # Data 2.6: a signature is a JWS sent as application/octet-stream.
                self.fail(
                    ipath + ".contentType",
                    "of a signature attachment must be application/octet-stream",
                    "2.6",
                )
            attachment["length"] = length
            attachment["sha2"] = self.formatted(
                d["sha2"], _SHA2, "a SHA-2 hash in hex", ipath + ".sha2", "2.4.11"
            )
            if "fileUrl" in d:
                attachment["fileUrl"] = self.irl(
                    d["fileUrl"], ipath + ".fileUrl", "2.4.11"
                )
            out.append(attachment)
        return out

    # --- statement -------------------------------------------------------------------------------

    def statement(
        self, d: dict[str, Any], path: str, *, substatement: bool
    ) -> dict[str, Any]:
        """A Statement (Data 2.4) or a SubStatement (Data 2.4.4.3)."""
        prefix = path + "." if path else ""
        if substatement:
            for key in _SUBSTATEMENT_FORBIDDEN:
                if key in d:
                    self.fail(
                        prefix + key, "is not allowed in a SubStatement", "2.4.4.3"
                    )
            self.keys(d, _SUBSTATEMENT_KEYS, path, "2.4.4.3")
        else:
            self.keys(d, _STATEMENT_KEYS, path, "2.4")
        for key in ("actor", "verb", "object"):
            if key not in d:
                self.fail(prefix + key, "is required", "2.4")
        out: dict[str, Any] = {"objectType": "SubStatement"} if substatement else {}
        if "id" in d:
            out["id"] = self.uuid(d["id"], "id", "2.4.1")
        out["actor"] = self.actor(d["actor"], prefix + "actor")
        out["verb"] = verb = self.verb(d["verb"], prefix + "verb")
        base_depth = 2 if substatement else 1
        out["object"] = obj = self.statement_object(
            d["object"], prefix + "object", in_substatement=substatement
        )
        if (
            not substatement
            and verb["id"] == VOIDED_VERB
            and obj["objectType"] != "StatementRef"
        ):
            self.fail(
                "object",
                "of a voiding statement (verb voided) must be a StatementRef",
                "2.3.2",
            )
        if "result" in d:
            out["result"] = self.result(d["result"], prefix + "result", base_depth + 1)
        if "context" in d:
            out["context"] = self.context(
                d["context"],
                prefix + "context",
                object_is_activity=obj["objectType"] == "Activity",
                depth=base_depth + 1,
            )
        if "timestamp" in d:
            out["timestamp"] = self.timestamp(
                d["timestamp"], prefix + "timestamp", "2.4.7"
            )
        if "stored" in d:
            out["stored"] = self.timestamp(d["stored"], "stored", "2.4.8")
        if "authority" in d:
            out["authority"] = self.authority(d["authority"], "authority")
        if "version" in d:
            out["version"] = self.formatted(
                d["version"],
                self.version_re,
                "2.0.x or 1.0.x" if self.is_v2 else "1.0 or 1.0.x",
                "version",
                "2.4.10",
            )
        if "attachments" in d:
            out["attachments"] = self.attachments(
                d["attachments"], prefix + "attachments"
            )
        return out


@lru_cache(maxsize=16)
def _checker(version: str, limits: ValidationLimits) -> _Checker:
    """The shared checker for one version and set of limits."""
    if version not in SUPPORTED_VERSIONS:
        raise ValueError(
            f"xAPI version must be one of {sorted(SUPPORTED_VERSIONS)}, not {version!r}"
        )
    return _Checker(version, limits)


def validate_statement(
    statement: object, *, version: str, limits: ValidationLimits = DEFAULT_LIMITS
) -> dict[str, Any]:
    """Check one statement for the LRS ``version`` ("1.0.3" or "2.0.0"); return it normalized.

    Raises :class:`~gateway.errors.InvalidPayload` naming the field, the rule and the section.
    The normalization is described in the module docstring; it is idempotent.
    """
    checker = _checker(version, limits)
    return checker.statement(checker.obj(statement, "", "2.4"), "", substatement=False)


def validate_statements(
    payload: object, *, version: str, limits: ValidationLimits = DEFAULT_LIMITS
) -> list[dict[str, Any]]:
    """Check the body of a statements POST: one statement or an array of them.

    The whole batch is refused if any statement is invalid (Communication 2.1.2), the sentence
    naming its index; so is a batch that repeats a statement id (compared case-insensitively).
    An empty array is returned as an empty list: whether to store nothing or refuse is the LRS's
    choice (the spec does not say).
    """
    checker = _checker(version, limits)
    if isinstance(payload, dict):
        return [checker.statement(payload, "", substatement=False)]
    if not isinstance(payload, list):
        raise InvalidPayload(
            "The body must be a statement object or an array of statements, "
            f"not {_describe(payload)} (xAPI {version} Communication 2.1.2)."
        )
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(payload):
        try:
            statement = checker.statement(
                checker.obj(item, "", "2.4"), "", substatement=False
            )
        except InvalidPayload as error:
            raise InvalidPayload(
                f"Statement [{index}] of the batch: {error.detail}"
            ) from None
        if "id" in statement:
            key = statement["id"].lower()
            if key in seen:
                raise InvalidPayload(
                    f"Statement [{index}] of the batch repeats the id of statement "
                    f"[{seen[key]}]; ids must be unique in one request "
                    f"(xAPI {version} Communication 2.1.2)."
                )
            seen[key] = index
        out.append(statement)
    return out


def format_timestamp(moment: datetime) -> str:
    """An aware datetime as the LRS writes it: UTC, milliseconds, ``Z`` (Data 4.5)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an xAPI timestamp needs an aware datetime")
    # isoformat is several times faster than strftime; the offset is always +00:00 here.
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def complete_statement(
    statement: Mapping[str, Any],
    *,
    version: str,
    stored: datetime,
    authority: Mapping[str, Any],
    statement_id: str,
) -> dict[str, Any]:
    """Add what the LRS assigns at storage time to a statement :func:`validate_statement` returned.

    * ``id``: the statement's own, else ``statement_id`` (Data 2.4.1: the LRS MUST set one).
    * ``stored``: always ``stored`` (Data 2.4.8: set by the LRS, whatever was sent).
    * ``authority``: always ``authority``, the Agent or Group of the credentials used
      (Data 2.4.9: the LRS SHOULD* overwrite it).
    * ``version``: the statement's own, else ``1.0.0`` on a 1.0.3 LRS and ``2.0.0`` on a 2.0 LRS
      (Data 2.4.10).
    * ``timestamp``: the statement's own, else the ``stored`` value (Data 2.4.7; required in 2.0).
    """
    if version not in SUPPORTED_VERSIONS:
        raise ValueError(f"xAPI version must be one of {sorted(SUPPORTED_VERSIONS)}")
    stored_text = format_timestamp(stored)
    out = dict(statement)
    out.setdefault("id", statement_id)
    out["stored"] = stored_text
    out["authority"] = dict(authority)
    out.setdefault("version", "2.0.0" if version.startswith("2.") else "1.0.0")
    out.setdefault("timestamp", stored_text)
    return out


def check_put_id(
    statement_id: str, statement: Mapping[str, Any], *, version: str
) -> None:
    """A PUT's ``statementId`` is a UUID and equals the body's id, if it has one (Comm 2.1.1)."""
    if not isinstance(statement_id, str) or _UUID.fullmatch(statement_id) is None:
        raise InvalidPayload(
            f"The statementId parameter must be a UUID, not {_describe(statement_id)} "
            f"(xAPI {version} Communication 2.1.1)."
        )
    body_id = statement.get("id")
    if isinstance(body_id, str) and body_id.lower() != statement_id.lower():
        raise InvalidPayload(
            f"id ({body_id}) differs from the statementId parameter ({statement_id}) "
            f"(xAPI {version} Communication 2.1.1)."
        )


def _attachments_of(
    statement: Mapping[str, Any],
) -> Iterable[tuple[str, Mapping[str, Any]]]:
    """(path, attachment) for a validated statement and its SubStatement."""
    for i, attachment in enumerate(statement.get("attachments", ())):
        yield f"attachments[{i}]", attachment
    obj = statement.get("object", {})
    if obj.get("objectType") == "SubStatement":
        for i, attachment in enumerate(obj.get("attachments", ())):
            yield f"object.attachments[{i}]", attachment


def check_attachment_parts(
    statements: Sequence[Mapping[str, Any]],
    part_hashes: Collection[str],
    *,
    version: str,
) -> None:
    """Match attachments to the multipart parts of the request (Comm 1.5.2, Data 2.4.11).

    ``part_hashes`` are the ``X-Experience-API-Hash`` values of the parts after the first
    (empty for an ``application/json`` body). An attachment without a ``fileUrl`` needs a part
    with its ``sha2``; a part that no attachment names is refused. Hashes compare
    case-insensitively.
    """
    parts = {h.lower() for h in part_hashes}
    named: set[str] = set()
    for index, statement in enumerate(statements):
        where = f"Statement [{index}] of the batch: " if len(statements) > 1 else ""
        for path, attachment in _attachments_of(statement):
            sha2 = str(attachment.get("sha2", "")).lower()
            named.add(sha2)
            if "fileUrl" not in attachment and sha2 not in parts:
                raise InvalidPayload(
                    f"{where}{path} has no fileUrl and no multipart part with its sha2 "
                    f"(xAPI {version} Communication 1.5.2)."
                )
    extra = sorted(parts - named)
    if extra:
        raise InvalidPayload(
            f"The multipart part with hash {extra[0]} belongs to no attachment "
            f"(xAPI {version} Communication 1.5.2)."
        )


# --- Parameters of the document resources (Communication 2.3–2.6) ----------------------------


def validate_agent(
    value: object,
    *,
    version: str,
    path: str = "agent",
    limits: ValidationLimits = DEFAULT_LIMITS,
) -> dict[str, Any]:
    """Check one Agent (never a Group) with exactly one IFI; return it normalized.

    This is the ``agent`` parameter of the document resources (Communication 2.3, 2.6).

    Raises :class:`~gateway.errors.InvalidPayload` naming ``path`` and the rule broken.
    """
    checker = _checker(version, limits)
    d = checker.obj(value, path, "2.4.2.1")
    object_type = d.get("objectType", "Agent")
    if object_type != "Agent":
        checker.fail(
            _join(path, "objectType"),
            f'must be "Agent", not {_describe(object_type)}',
            "2.4.2.1",
        )
    return checker.agent(d, path)


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI (Data 4.3), e.g. an ``activityId``."""
    return _IRI.fullmatch(text) is not None


def is_uuid(text: str) -> bool:
    """Whether ``text`` is a UUID in its 8-4-4-4-12 hex form (Data 4.4)."""
    return _UUID.fullmatch(text) is not None
