"""Pure parsing of a CASE CFPackage (1.0 or 1.1) into frozen dataclasses; no database, no I/O.

Import is lenient (see ``shared/standards/case.md`` section 5): real provider exports break the
strict schemas, so only the hard requirements are enforced and everything else becomes a warning
with the JSONPath of the element concerned. A package that breaks a hard rule raises
:class:`~gateway.errors.InvalidPayload` naming the element, and nothing of it is imported.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gateway.errors import InvalidPayload

# CASE 1.0 CFAssociation.associationType: a closed enumeration of nine values.
ASSOCIATION_TYPES_1_0 = frozenset(
    {
        "isChildOf",
        "isPartOf",
        "isPeerOf",
        "exactMatchOf",
        "isRelatedTo",
        "precedes",
        "replacedBy",
        "exemplar",
        "hasSkillLevel",
    }
)
# CASE 1.1 CFAssociation.associationType: the 1.0 list, isTranslationOf, or an ext: name.
ASSOCIATION_TYPES_1_1 = ASSOCIATION_TYPES_1_0 | {"isTranslationOf"}
EXTENSION_TYPE = re.compile(r"^ext:[A-Za-z0-9.\-_]+$")
# Associations that make two competencies one shared competency (crosswalks).
CROSSWALK_TYPES = frozenset({"exactMatchOf", "isTranslationOf"})

# CASE 1.0 OpenAPI UUID pattern: versions 1-5, variant nibble 8-b.
_UUID_1_0 = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)
ID_MAX = 64  # width of the id columns (a UUID is 36)
LINK_ID_MAX = 200  # width of association endpoint ids (LinkGenURI need not be a UUID)
# Namespace for identifiers Tessera derives for associations that came without one.
_ASSOCIATION_NS = uuid.UUID("6f1d7c52-3c0e-4c55-9d0b-6a3f4e0c2b11")

# Properties of the packaged classes (CASE 1.1 CFPackage schema, plus 1.0). Providers also put
# CFDocumentURI / CFPackageURI inside packages (case.md section 5); those are expected, not warned.
_DOCUMENT_FIELDS = frozenset(
    {
        "identifier",
        "uri",
        "creator",
        "title",
        "lastChangeDateTime",
        "officialSourceURL",
        "publisher",
        "description",
        "subject",
        "subjectURI",
        "language",
        "version",
        "adoptionStatus",
        "statusStartDate",
        "statusEndDate",
        "licenseURI",
        "notes",
        "frameworkType",
        "caseVersion",
        "extensions",
        "CFPackageURI",
    }
)
_ITEM_FIELDS = frozenset(
    {
        "identifier",
        "fullStatement",
        "alternativeLabel",
        "CFItemType",
        "uri",
        "humanCodingScheme",
        "listEnumeration",
        "abbreviatedStatement",
        "conceptKeywords",
        "conceptKeywordsURI",
        "notes",
        "subject",
        "subjectURI",
        "language",
        "educationLevel",
        "CFItemTypeURI",
        "licenseURI",
        "statusStartDate",
        "statusEndDate",
        "lastChangeDateTime",
        "extensions",
        "CFDocumentURI",
    }
)
_ASSOCIATION_FIELDS = frozenset(
    {
        "identifier",
        "associationType",
        "sequenceNumber",
        "uri",
        "originNodeURI",
        "destinationNodeURI",
        "CFAssociationGroupingURI",
        "lastChangeDateTime",
        "notes",
        "extensions",
        "CFDocumentURI",
    }
)


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """Something tolerated in a package, located by JSONPath and told in a sentence."""

    path: str
    message: str

    def to_json(self) -> dict[str, str]:
        """JSON for the CLI and the admin API."""
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True, slots=True)
class CaseDocument:
    """The CFDocument of a package: the framework."""

    identifier: str  # lower-cased
    uri: str
    title: str
    creator: str | None
    publisher: str | None
    version: str | None
    language: str | None
    adoption_status: str | None
    last_change: datetime | None
    package_uri: str | None  # CFPackageURI.uri, when the provider gave one
    raw: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CaseItem:
    """One CFItem: a competency or another node of the framework (heading, example...)."""

    identifier: str  # lower-cased
    uri: str
    full_statement: str
    human_coding_scheme: str | None
    abbreviated_statement: str | None
    item_type: str | None
    education_level: tuple[str, ...] | None
    list_enumeration: str | None
    language: str | None
    last_change: datetime | None
    raw: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CaseAssociation:
    """One CFAssociation: origin --associationType--> destination."""

    identifier: str  # lower-cased; derived when the provider gave none
    association_type: str
    origin_id: str  # lower-cased
    origin_uri: str
    destination_id: str  # lower-cased
    destination_uri: str
    sequence: int | None
    last_change: datetime | None
    raw: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ParsedPackage:
    """A CFPackage that passed the hard rules, with what was tolerated."""

    case_version: str  # "1.0" or "1.1"
    document: CaseDocument
    items: tuple[CaseItem, ...]
    associations: tuple[CaseAssociation, ...]
    warnings: tuple[ImportWarning, ...]
    rubrics: tuple[
        Mapping[str, Any], ...
    ] = ()  # CFRubrics with an identifier, as received
    skipped: tuple[
        ImportWarning, ...
    ] = ()  # parts of the package Tessera does not store

    def parents(self) -> dict[str, tuple[str | None, int | None]]:
        """Each item's (parent id, sequence) from its first isChildOf (CASE: the hierarchy).

        A parent of None means the item hangs directly under the CFDocument. Items with no
        isChildOf at all are roots too; they are not listed here.
        """
        item_ids = {item.identifier for item in self.items}
        found: dict[str, tuple[str | None, int | None]] = {}
        for assoc in self.associations:
            if assoc.association_type != "isChildOf" or assoc.origin_id in found:
                continue
            if assoc.origin_id not in item_ids:
                continue
            parent = assoc.destination_id if assoc.destination_id in item_ids else None
            found[assoc.origin_id] = (parent, assoc.sequence)
        return found


class _Parser:
    def __init__(self) -> None:
        self.warnings: list[ImportWarning] = []

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(ImportWarning(path, message))

    def required_str(
        self, obj: Mapping[str, Any], key: str, path: str, what: str
    ) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InvalidPayload(
                f"{what} at {path} has no {key}, which CASE requires; fix the package at "
                f"{path}.{key} and import it again. Nothing was imported."
            )
        return value

    def optional_str(
        self, obj: Mapping[str, Any], key: str, path: str, limit: int | None = None
    ) -> str | None:
        value = obj.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            self.warn(f"{path}.{key}", f"{key} is not a string; it was ignored.")
            return None
        if value is not None and limit is not None and len(value) > limit:
            self.warn(
                f"{path}.{key}",
                f"{key} is longer than {limit} characters; it is stored cut to {limit} "
                "(the raw JSON keeps it whole).",
            )
            return value[:limit]
        return value

    def identifier(
        self, obj: Mapping[str, Any], path: str, what: str, limit: int = ID_MAX
    ) -> str:
        value = self.required_str(obj, "identifier", path, what).strip().lower()
        if len(value) > limit:
            raise InvalidPayload(
                f"{what} at {path} has an identifier of {len(value)} characters; Tessera "
                f"keys hold at most {limit} (a CASE UUID has 36). Nothing was imported."
            )
        if not _UUID_1_0.match(value):
            self.warn(
                f"{path}.identifier",
                f"identifier {value!r} is not a CASE UUID (version 1-5, variant 8-b); "
                "it is kept as the key anyway.",
            )
        return value

    def last_change(self, obj: Mapping[str, Any], path: str) -> datetime | None:
        value = obj.get("lastChangeDateTime")
        where = f"{path}.lastChangeDateTime"
        if value is None:
            self.warn(
                where,
                "lastChangeDateTime is missing; changes are detected by content instead.",
            )
            return None
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
        self.warn(where, f"lastChangeDateTime {value!r} is not an ISO 8601 date-time.")
        return None

    def extra_fields(
        self, obj: Mapping[str, Any], known: frozenset[str], path: str
    ) -> None:
        for key in obj:
            if key not in known:
                self.warn(
                    f"{path}.{key}",
                    f"{key} is not a CASE property; it is kept with the raw JSON.",
                )


def _link(
    parser: _Parser, assoc: Mapping[str, Any], key: str, path: str
) -> tuple[str, str]:
    """(lower-cased identifier, uri) of a LinkGenURI; both are hard requirements."""
    link = assoc.get(key)
    where = f"{path}.{key}"
    if not isinstance(link, Mapping):
        raise InvalidPayload(
            f"The CFAssociation at {path} has no {key}, which CASE requires; fix {where} "
            "and import the package again. Nothing was imported."
        )
    ident = parser.required_str(link, "identifier", where, "The node link")
    uri = parser.required_str(link, "uri", where, "The node link")
    if len(ident.strip()) > LINK_ID_MAX:
        raise InvalidPayload(
            f"The node link at {where} has an identifier longer than {LINK_ID_MAX} "
            "characters, which Tessera cannot key. Nothing was imported."
        )
    return ident.strip().lower(), uri


def _case_version(document: Mapping[str, Any], parser: _Parser) -> str:
    """CASE 1.1 CFDocument.caseVersion is "1.1" when present; its absence means 1.0."""
    declared = document.get("caseVersion")
    if declared is None:
        return "1.0"
    if declared == "1.1":
        return "1.1"
    parser.warn(
        "$.CFDocument.caseVersion",
        f"caseVersion {declared!r} is not '1.1' (the only value CASE 1.1 allows); "
        "the package is read as CASE 1.0.",
    )
    return "1.0"


def _list(data: Mapping[str, Any], key: str) -> Sequence[Any]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidPayload(
            f"$.{key} must be an array in a CFPackage; it is a {type(value).__name__}. "
            "Nothing was imported."
        )
    return value


def _parse_document(raw: Any, parser: _Parser) -> CaseDocument:
    path = "$.CFDocument"
    if not isinstance(raw, Mapping):
        raise InvalidPayload(
            "This is not a CASE CFPackage: it has no CFDocument object at $.CFDocument. "
            "Give the URL or file of a CFPackage (GET /ims/case/v1p0/CFPackages/{id})."
        )
    ident = parser.identifier(raw, path, "The CFDocument")
    uri = parser.required_str(raw, "uri", path, "The CFDocument")
    title = parser.required_str(raw, "title", path, "The CFDocument")
    parser.extra_fields(raw, _DOCUMENT_FIELDS, path)
    package = raw.get("CFPackageURI")
    package_uri = package.get("uri") if isinstance(package, Mapping) else None
    return CaseDocument(
        identifier=ident,
        uri=uri,
        title=title,
        creator=parser.optional_str(raw, "creator", path),
        publisher=parser.optional_str(raw, "publisher", path),
        version=parser.optional_str(raw, "version", path, 200),
        language=parser.optional_str(raw, "language", path, 32),
        adoption_status=parser.optional_str(raw, "adoptionStatus", path, 64),
        last_change=parser.last_change(raw, path),
        package_uri=package_uri if isinstance(package_uri, str) else None,
        raw=dict(raw),
    )


def _parse_item(raw: Any, path: str, parser: _Parser) -> CaseItem:
    if not isinstance(raw, Mapping):
        raise InvalidPayload(
            f"The CFItem at {path} is not a JSON object. Nothing was imported."
        )
    ident = parser.identifier(raw, path, "The CFItem")
    uri = parser.required_str(raw, "uri", path, "The CFItem")
    statement = parser.required_str(raw, "fullStatement", path, "The CFItem")
    parser.extra_fields(raw, _ITEM_FIELDS, path)
    levels = raw.get("educationLevel")
    education: tuple[str, ...] | None = None
    if isinstance(levels, list):
        education = tuple(str(level) for level in levels)
    elif isinstance(levels, str):  # CASE says array of strings; some send one string
        parser.warn(
            f"{path}.educationLevel", "educationLevel is a string, not an array."
        )
        education = (levels,)
    return CaseItem(
        identifier=ident,
        uri=uri,
        full_statement=statement,  # CASE 1.1: String, so whitespace is kept as given
        human_coding_scheme=parser.optional_str(raw, "humanCodingScheme", path, 200),
        abbreviated_statement=parser.optional_str(raw, "abbreviatedStatement", path),
        item_type=parser.optional_str(raw, "CFItemType", path, 200),
        education_level=education,
        list_enumeration=parser.optional_str(raw, "listEnumeration", path, 64),
        language=parser.optional_str(raw, "language", path, 32),
        last_change=parser.last_change(raw, path),
        raw=dict(raw),
    )


def _parse_association(
    raw: Any, path: str, document_id: str, parser: _Parser, version: str
) -> CaseAssociation:
    if not isinstance(raw, Mapping):
        raise InvalidPayload(
            f"The CFAssociation at {path} is not a JSON object. Nothing was imported."
        )
    kind = parser.required_str(raw, "associationType", path, "The CFAssociation")
    origin_id, origin_uri = _link(parser, raw, "originNodeURI", path)
    dest_id, dest_uri = _link(parser, raw, "destinationNodeURI", path)
    # CASE 1.1 CFAssociation.associationType: the 1.0 list, isTranslationOf or ext:<name>.
    if kind not in ASSOCIATION_TYPES_1_1 and not EXTENSION_TYPE.match(kind):
        parser.warn(
            f"{path}.associationType",
            f"associationType {kind!r} is not a CASE type; it is stored, not interpreted.",
        )
    elif version == "1.0" and kind not in ASSOCIATION_TYPES_1_0:
        parser.warn(
            f"{path}.associationType",
            f"associationType {kind!r} is CASE 1.1 in a 1.0 package; it is accepted.",
        )
    raw_ident = raw.get("identifier")
    if isinstance(raw_ident, str) and raw_ident.strip():
        ident = parser.identifier(raw, path, "The CFAssociation")
    else:
        ident = str(
            uuid.uuid5(_ASSOCIATION_NS, f"{document_id}|{origin_id}|{kind}|{dest_id}")
        )
        parser.warn(
            f"{path}.identifier",
            f"the CFAssociation has no identifier; Tessera derived {ident}.",
        )
    if "uri" not in raw:
        parser.warn(f"{path}.uri", "the CFAssociation has no uri.")
    parser.extra_fields(raw, _ASSOCIATION_FIELDS, path)
    seq = raw.get("sequenceNumber")
    sequence: int | None = None
    if isinstance(seq, int) and not isinstance(seq, bool):
        sequence = seq
    elif isinstance(seq, str) and seq.strip().lstrip("-").isdigit():
        sequence = int(seq)
    elif seq is not None:
        parser.warn(
            f"{path}.sequenceNumber", f"sequenceNumber {seq!r} is not an integer."
        )
    return CaseAssociation(
        identifier=ident,
        association_type=kind,
        origin_id=origin_id,
        origin_uri=origin_uri,
        destination_id=dest_id,
        destination_uri=dest_uri,
        sequence=sequence,
        last_change=parser.last_change(raw, path),
        raw=dict(raw),
    )


def _check_cycles(
    associations: Sequence[CaseAssociation], item_ids: set[str], paths: dict[str, str]
) -> None:
    """Reject an isChildOf cycle (case.md section 5, rule 3): a hierarchy must be a tree."""
    children: dict[str, list[str]] = {}
    for assoc in associations:
        if assoc.association_type != "isChildOf":
            continue
        if assoc.origin_id in item_ids and assoc.destination_id in item_ids:
            children.setdefault(assoc.destination_id, []).append(assoc.origin_id)
    white, grey, black = 0, 1, 2
    state = dict.fromkeys(children, white)
    for start in children:
        if state.get(start, white) != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = grey
        while stack:
            node, index = stack[-1]
            kids = children.get(node, [])
            if index < len(kids):
                stack[-1] = (node, index + 1)
                kid = kids[index]
                kid_state = state.get(kid, white)
                if kid_state == grey:
                    raise InvalidPayload(
                        f"The isChildOf associations form a cycle through the CFItem "
                        f"{kid} at {paths[kid]}; a CASE hierarchy must be a tree. "
                        "Nothing was imported."
                    )
                if kid_state == white:
                    state[kid] = grey
                    stack.append((kid, 0))
            else:
                state[node] = black
                stack.pop()


def parse_package(data: Any) -> ParsedPackage:
    """Read a CFPackage leniently; raise :class:`InvalidPayload` when it breaks a hard rule."""
    if not isinstance(data, Mapping):
        raise InvalidPayload(
            f"A CASE CFPackage is a JSON object; this is a {type(data).__name__}. "
            "Nothing was imported."
        )
    parser = _Parser()
    if "CFDocument" not in data and {"document", "items"} & set(data):
        raise InvalidPayload(
            "This is OpenCASE's internal shape (document, items), not the CASE wire "
            "format; export a CFPackage (CFDocument, CFItems, CFAssociations)."
        )
    raw_doc = data.get("CFDocument")
    version = _case_version(raw_doc, parser) if isinstance(raw_doc, Mapping) else "1.0"
    document = _parse_document(raw_doc, parser)
    if version == "1.0" and "extensions" in data:
        parser.warn("$.extensions", "extensions is CASE 1.1 in a 1.0 package; kept.")

    items: list[CaseItem] = []
    paths: dict[str, str] = {document.identifier: "$.CFDocument"}
    for index, raw in enumerate(_list(data, "CFItems")):
        path = f"$.CFItems[{index}]"
        item = _parse_item(raw, path, parser)
        if item.identifier in paths:
            raise InvalidPayload(
                f"The identifier {item.identifier} at {path}.identifier is already used "
                f"at {paths[item.identifier]}; identifiers must be unique in a package. "
                "Nothing was imported."
            )
        paths[item.identifier] = path
        items.append(item)

    associations: list[CaseAssociation] = []
    seen: dict[str, str] = {}
    item_ids = {item.identifier for item in items}
    for index, raw in enumerate(_list(data, "CFAssociations")):
        path = f"$.CFAssociations[{index}]"
        assoc = _parse_association(raw, path, document.identifier, parser, version)
        if assoc.identifier in seen:
            raise InvalidPayload(
                f"The identifier {assoc.identifier} at {path}.identifier is already used "
                f"at {seen[assoc.identifier]}; identifiers must be unique in a package. "
                "Nothing was imported."
            )
        seen[assoc.identifier] = path
        if assoc.association_type == "isChildOf":
            if assoc.origin_id not in item_ids:
                parser.warn(
                    f"{path}.originNodeURI",
                    f"isChildOf from {assoc.origin_id}, which is not a CFItem of this "
                    "package; the link is kept but is not part of the hierarchy.",
                )
            elif (
                assoc.destination_id not in item_ids
                and assoc.destination_id != document.identifier
            ):
                parser.warn(
                    f"{path}.destinationNodeURI",
                    f"isChildOf to {assoc.destination_id}, which is neither a CFItem of "
                    "this package nor its CFDocument; the item is placed at the root.",
                )
        associations.append(assoc)
    _check_cycles(associations, item_ids, paths)

    first_parent: dict[str, str] = {}
    for index, assoc in enumerate(associations):
        if assoc.association_type == "isChildOf" and assoc.origin_id in item_ids:
            if assoc.origin_id in first_parent:
                parser.warn(
                    f"$.CFAssociations[{index}]",
                    f"CFItem {assoc.origin_id} has more than one parent; the tree uses "
                    f"the first ({first_parent[assoc.origin_id]}), all links are kept.",
                )
            else:
                first_parent[assoc.origin_id] = assoc.destination_id

    rubrics = _rubrics(data, parser)
    return ParsedPackage(
        case_version=version,
        document=document,
        items=tuple(items),
        associations=tuple(associations),
        warnings=tuple(parser.warnings),
        rubrics=rubrics,
        skipped=_skipped(data),
    )


def _rubrics(data: Mapping[str, Any], parser: Any) -> tuple[Mapping[str, Any], ...]:
    """The package's CFRubrics that can be used: each needs an identifier."""
    found = data.get("CFRubrics")
    if not isinstance(found, list):
        return ()
    out = []
    for index, rubric in enumerate(found):
        if isinstance(rubric, Mapping) and isinstance(rubric.get("identifier"), str):
            out.append(rubric)
        else:
            parser.warn(
                f"$.CFRubrics[{index}]", "a CFRubric without an identifier is skipped."
            )
    return tuple(out)


def _skipped(data: Mapping[str, Any]) -> tuple[ImportWarning, ...]:
    """What a package carries that the import does not store, each with the reason."""
    out: list[ImportWarning] = []
    definitions = data.get("CFDefinitions")
    if isinstance(definitions, Mapping):
        for key, value in definitions.items():
            if isinstance(value, list) and value:
                out.append(
                    ImportWarning(
                        f"$.CFDefinitions.{key}",
                        f"{len(value)} {key} not stored as such: items keep the names and "
                        "URIs they reference.",
                    )
                )
    if data.get("extensions"):
        out.append(
            ImportWarning(
                "$.extensions",
                "package-level extensions are not stored; those on each object are.",
            )
        )
    return tuple(out)
