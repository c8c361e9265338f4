"""Competencies: CASE frameworks imported into the store, their hierarchy and crosswalks.

:func:`import_package` writes one CFPackage in one transaction; the query functions read what
is stored. Parsing is pure and lives in :mod:`gateway.competencies.case`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy import (
    case as sql_case,
)
from sqlalchemy.exc import SQLAlchemyError

from gateway.competencies.case import (
    CROSSWALK_TYPES,
    CaseAssociation,
    CaseItem,
    ImportWarning,
    ParsedPackage,
    parse_package,
)
from gateway.errors import Conflict, NotFound, StoreError
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    competency_associations,
    competency_rubrics,
    frameworks,
    utcnow,
)
from gateway.store.tokens import ALIGNMENTS, invalidate

__all__ = [
    "Competency",
    "CompetencyDetail",
    "Framework",
    "ImportReport",
    "ImportWarning",
    "TreeNode",
    "competency_tree",
    "get_competency",
    "get_framework",
    "import_package",
    "list_frameworks",
    "parse_package",
    "resolve_competency_refs",
    "search_competencies",
]

Progress = Callable[[int, int], None]
BATCH = 2000  # rows per executemany; also how often progress is reported
_IMPORT_LOCK_ID = (
    0xCA5E1  # any fixed number: serializes framework imports on PostgreSQL
)
_IN_CHUNK = 500  # bound parameters per IN list (SQLite and PostgreSQL both take this)
_OWNER_CHUNK = 5000  # ids per ownership check (SQLite >= 3.32 allows 32766 parameters)

# Columns compared to decide whether a stored competency changed (shared_id is derived).
_ITEM_COLUMNS = (
    "framework_id",
    "uri",
    "human_coding_scheme",
    "full_statement",
    "abbreviated_statement",
    "item_type",
    "education_level",
    "list_enumeration",
    "language",
    "last_change",
    "parent_id",
    "sequence",
    "is_competency",
    "status",
    "replaced_by",
    "item",
)
_ASSOC_COLUMNS = (
    "framework_id",
    "association_type",
    "origin_id",
    "origin_uri",
    "destination_id",
    "destination_uri",
    "sequence",
    "last_change",
    "association",
)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, for the CLI, the admin API and the intake pipeline."""

    framework_id: str
    title: str
    case_version: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    associations: int = 0
    associations_created: int = 0
    associations_updated: int = 0
    associations_removed: int = 0
    framework_created: bool = False
    framework_updated: bool = False
    warnings: tuple[ImportWarning, ...] = ()
    skipped: tuple[ImportWarning, ...] = ()
    # competency id -> (old shared id, new shared id), for competencies that existed before
    # this import: the intake pipeline re-derives their evidence.
    shared_id_changes: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the import changed anything stored."""
        return bool(
            self.framework_created
            or self.framework_updated
            or self.created
            or self.updated
            or self.archived
            or self.associations_created
            or self.associations_updated
            or self.associations_removed
            or self.shared_id_changes
        )

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return {
            "framework_id": self.framework_id,
            "title": self.title,
            "case_version": self.case_version,
            "framework_created": self.framework_created,
            "framework_updated": self.framework_updated,
            "items": {
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "archived": self.archived,
            },
            "associations": {
                "total": self.associations,
                "created": self.associations_created,
                "updated": self.associations_updated,
                "removed": self.associations_removed,
            },
            "warnings": [w.to_json() for w in self.warnings],
            "skipped": [s.to_json() for s in self.skipped],
            "shared_id_changes": {
                k: {"old": old, "new": new}
                for k, (old, new) in sorted(self.shared_id_changes.items())
            },
        }


@dataclass(frozen=True, slots=True)
class Framework:
    """An imported CASE framework (one CFDocument)."""

    id: str
    uri: str
    title: str
    creator: str | None
    publisher: str | None
    version: str | None
    case_version: str
    language: str | None
    adoption_status: str | None
    last_change: datetime | None
    source_url: str | None
    competency_item_types: tuple[str, ...] | None
    imported_at: datetime
    item_count: int
    competency_count: int

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return {
            "id": self.id,
            "uri": self.uri,
            "title": self.title,
            "creator": self.creator,
            "publisher": self.publisher,
            "version": self.version,
            "case_version": self.case_version,
            "language": self.language,
            "adoption_status": self.adoption_status,
            "last_change": _iso(self.last_change),
            "source_url": self.source_url,
            "competency_item_types": (
                list(self.competency_item_types)
                if self.competency_item_types is not None
                else None
            ),
            "imported_at": self.imported_at.isoformat(),
            "item_count": self.item_count,
            "competency_count": self.competency_count,
        }


@dataclass(frozen=True, slots=True)
class Competency:
    """One stored CFItem."""

    id: str
    framework_id: str
    uri: str
    human_coding_scheme: str | None
    full_statement: str
    abbreviated_statement: str | None
    item_type: str | None
    education_level: tuple[str, ...] | None
    parent_id: str | None
    sequence: int | None
    shared_id: str
    is_competency: bool
    status: str
    replaced_by: str | None
    last_change: datetime | None

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return {
            "id": self.id,
            "framework_id": self.framework_id,
            "uri": self.uri,
            "human_coding_scheme": self.human_coding_scheme,
            "full_statement": self.full_statement,
            "abbreviated_statement": self.abbreviated_statement,
            "item_type": self.item_type,
            "education_level": (
                list(self.education_level) if self.education_level is not None else None
            ),
            "parent_id": self.parent_id,
            "sequence": self.sequence,
            "shared_id": self.shared_id,
            "is_competency": self.is_competency,
            "status": self.status,
            "replaced_by": self.replaced_by,
            "last_change": _iso(self.last_change),
        }


@dataclass(frozen=True, slots=True)
class TreeNode:
    """A competency with its children, ordered by sequence."""

    competency: Competency
    children: tuple[TreeNode, ...]

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return self.competency.to_json() | {
            "children": [c.to_json() for c in self.children]
        }


@dataclass(frozen=True, slots=True)
class CompetencyDetail:
    """A competency with its crosswalk peers and its progression neighbours."""

    competency: Competency
    shared_members: tuple[Competency, ...]  # others with the same shared id
    prerequisites: tuple[Competency, ...]  # X precedes this
    successors: tuple[Competency, ...]  # this precedes X

    def to_json(self) -> dict[str, Any]:
        """JSON for the CLI and the admin API."""
        return self.competency.to_json() | {
            "shared_members": [c.to_json() for c in self.shared_members],
            "prerequisites": [c.to_json() for c in self.prerequisites],
            "successors": [c.to_json() for c in self.successors],
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- import ---------------------------------------------------------------------------


def import_package(
    store: Store,
    data: Any,
    *,
    source_url: str | None = None,
    competency_item_types: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import (or re-import) one CFPackage in one transaction and recompute crosswalks.

    ``competency_item_types`` names the CFItemType values that are assessable competencies;
    None keeps the framework's stored choice on a re-import, and means every item otherwise.
    """
    parsed = parse_package(data)
    types = tuple(competency_item_types) if competency_item_types is not None else None
    try:
        with store.write() as conn:
            if conn.dialect.name == "postgresql":
                # Crosswalks span frameworks: one import at a time sees every committed
                # link. (SQLite's write transaction holds the database lock from BEGIN.)
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:id)"), {"id": _IMPORT_LOCK_ID}
                )
            # Shared ids may change: pipeline processes reload their alignment rules.
            invalidate(conn, ALIGNMENTS)
            return _import(conn, parsed, source_url, types, progress)
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
        raise StoreError(
            f"The framework {parsed.document.identifier} could not be stored ({reason}); "
            "nothing of it was imported. Check the database and try again."
        ) from exc


def _insert_and_update(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    new_rows: list[dict[str, Any]],
    changed_rows: list[dict[str, Any]],
    tick: Callable[[int], None],
) -> None:
    """Insert ``new_rows`` and update ``changed_rows`` (keyed by ``b_id``) in batches."""
    for chunk in _chunks(new_rows, BATCH):
        conn.execute(insert(table), list(chunk))
        tick(len(chunk))
    if changed_rows:
        stmt = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({c: bindparam(c) for c in columns})
        )
        for chunk in _chunks(changed_rows, BATCH):
            conn.execute(stmt, list(chunk))
            tick(len(chunk))


def _chunks(seq: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def _import(
    conn: Connection,
    parsed: ParsedPackage,
    source_url: str | None,
    types: tuple[str, ...] | None,
    progress: Progress | None,
) -> ImportReport:
    doc = parsed.document
    now = utcnow()
    total = len(parsed.items) + len(parsed.associations)
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(min(done, total), total)

    existing_fw = (
        conn.execute(select(frameworks).where(frameworks.c.id == doc.identifier))
        .mappings()
        .first()
    )
    if existing_fw is not None:
        # A re-import keeps what the first import was told unless told otherwise.
        if types is None and existing_fw["competency_item_types"] is not None:
            types = tuple(existing_fw["competency_item_types"])
        source_url = source_url or existing_fw["source_url"]

    fw_values = {
        "uri": doc.uri,
        "title": doc.title,
        "creator": doc.creator,
        "publisher": doc.publisher,
        "version": doc.version,
        "case_version": parsed.case_version,
        "language": doc.language,
        "adoption_status": doc.adoption_status,
        "last_change": doc.last_change,
        "source_url": source_url,
        "competency_item_types": list(types) if types is not None else None,
        "document": dict(doc.raw),
        "imported_at": now,
    }
    fw_updated = existing_fw is not None and any(
        existing_fw[k] != v for k, v in fw_values.items() if k != "imported_at"
    )
    if existing_fw is None:
        conn.execute(insert(frameworks).values(id=doc.identifier, **fw_values))
    elif fw_updated:
        conn.execute(
            update(frameworks)
            .where(frameworks.c.id == doc.identifier)
            .values(**fw_values)
        )

    item_stats = _write_items(conn, parsed, types, tick)
    assoc_stats = _write_associations(conn, parsed, tick)
    _write_rubrics(conn, doc.identifier, parsed.rubrics)
    changes = _recompute_shared_ids(conn, item_stats.new_ids)
    if progress is not None:
        progress(total, total)
    return ImportReport(
        framework_id=doc.identifier,
        title=doc.title,
        case_version=parsed.case_version,
        created=item_stats.created,
        updated=item_stats.updated,
        unchanged=item_stats.unchanged,
        archived=item_stats.archived,
        associations=len(parsed.associations),
        associations_created=assoc_stats[0],
        associations_updated=assoc_stats[1],
        associations_removed=assoc_stats[2],
        framework_created=existing_fw is None,
        framework_updated=fw_updated,
        warnings=parsed.warnings + _unused_types(parsed, types),
        skipped=parsed.skipped,
        shared_id_changes=changes,
    )


def _write_rubrics(
    conn: Connection, framework_id: str, rubrics: Sequence[Mapping[str, Any]]
) -> None:
    """The framework's rubrics become exactly the package's (re-import replaces them)."""
    conn.execute(
        delete(competency_rubrics).where(
            competency_rubrics.c.framework_id == framework_id
        )
    )
    rows = {
        r["identifier"].lower(): {
            "id": r["identifier"].lower(),
            "framework_id": framework_id,
            "uri": r.get("uri") if isinstance(r.get("uri"), str) else None,
            "title": r.get("title") if isinstance(r.get("title"), str) else None,
            "rubric": dict(r),
        }
        for r in rubrics
    }
    if rows:
        conn.execute(insert(competency_rubrics), list(rows.values()))


def _unused_types(
    parsed: ParsedPackage, types: tuple[str, ...] | None
) -> tuple[ImportWarning, ...]:
    """A warning for each competency item type no item of the package has (a typo?)."""
    if types is None:
        return ()
    present = {item.item_type for item in parsed.items}
    return tuple(
        ImportWarning(
            "$.CFItems[*].CFItemType",
            f"no CFItem has the CFItemType {name!r} given as a competency type; the "
            f"package has: {', '.join(sorted(t for t in present if t)) or 'none'}.",
        )
        for name in types
        if name not in present
    )


def _check_ownership(
    conn: Connection, table: Any, new_ids: Sequence[str], fw_id: str, what: str
) -> None:
    """Refuse new rows whose identifier already belongs to another framework."""
    for chunk in _chunks(new_ids, _OWNER_CHUNK):
        clash = conn.execute(
            select(table.c.id, table.c.framework_id)
            .where(table.c.id.in_(chunk), table.c.framework_id != fw_id)
            .limit(1)
        ).first()
        if clash is not None:
            raise Conflict(
                f"The {what} {clash.id} already belongs to the framework "
                f"{clash.framework_id}; CASE identifiers are global, so this package "
                "cannot be imported as it is. Nothing was imported."
            )


@dataclass
class _ItemStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    new_ids: set[str] = field(default_factory=set)


def _item_row(
    item: CaseItem,
    fw_id: str,
    parent: tuple[str | None, int | None],
    replaced_by: str | None,
    types: tuple[str, ...] | None,
) -> dict[str, Any]:
    return {
        "framework_id": fw_id,
        "uri": item.uri,
        "human_coding_scheme": item.human_coding_scheme,
        "full_statement": item.full_statement,
        "abbreviated_statement": item.abbreviated_statement,
        "item_type": item.item_type,
        "education_level": (
            list(item.education_level) if item.education_level is not None else None
        ),
        "list_enumeration": item.list_enumeration,
        "language": item.language,
        "last_change": item.last_change,
        "parent_id": parent[0],
        "sequence": parent[1],
        "is_competency": types is None or (item.item_type or "") in types,
        "status": "active",
        "replaced_by": replaced_by,
        "item": dict(item.raw),
    }


def _write_items(
    conn: Connection,
    parsed: ParsedPackage,
    types: tuple[str, ...] | None,
    tick: Callable[[int], None],
) -> _ItemStats:
    fw_id = parsed.document.identifier
    stats = _ItemStats()
    stored: dict[str, RowMapping] = {
        row["id"]: row
        for row in conn.execute(
            select(competencies).where(competencies.c.framework_id == fw_id)
        ).mappings()
    }
    parents = parsed.parents()
    # CASE replacedBy: origin superseded by destination; evidence migrates forward.
    replaced = {
        a.origin_id: a.destination_id
        for a in parsed.associations
        if a.association_type == "replacedBy"
    }
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    for item in parsed.items:
        row = _item_row(
            item,
            fw_id,
            parents.get(item.identifier, (None, None)),
            replaced.get(item.identifier),
            types,
        )
        old = stored.get(item.identifier)
        if old is None:
            new_rows.append(row | {"id": item.identifier, "shared_id": item.identifier})
        elif any(old[c] != row[c] for c in _ITEM_COLUMNS):
            changed_rows.append(row | {"b_id": item.identifier})
        else:
            stats.unchanged += 1
    _check_ownership(conn, competencies, [r["id"] for r in new_rows], fw_id, "CFItem")
    _insert_and_update(conn, competencies, _ITEM_COLUMNS, new_rows, changed_rows, tick)
    present = {item.identifier for item in parsed.items}
    vanished = [
        {"b_id": ident}
        for ident, row in stored.items()
        if ident not in present and row["status"] != "archived"
    ]
    if vanished:
        # case.md section 5 rule 5: a vanished item is archived, never deleted.
        conn.execute(
            update(competencies)
            .where(competencies.c.id == bindparam("b_id"))
            .values(status="archived"),
            vanished,
        )
    stats.created = len(new_rows)
    stats.new_ids = {row["id"] for row in new_rows}
    stats.updated = len(changed_rows)
    stats.archived = len(vanished)
    return stats


def _assoc_row(assoc: CaseAssociation, fw_id: str) -> dict[str, Any]:
    return {
        "framework_id": fw_id,
        "association_type": assoc.association_type,
        "origin_id": assoc.origin_id,
        "origin_uri": assoc.origin_uri,
        "destination_id": assoc.destination_id,
        "destination_uri": assoc.destination_uri,
        "sequence": assoc.sequence,
        "last_change": assoc.last_change,
        "association": dict(assoc.raw),
    }


def _write_associations(
    conn: Connection, parsed: ParsedPackage, tick: Callable[[int], None]
) -> tuple[int, int, int]:
    """Store every association (all types, resolved or not); (created, updated, removed)."""
    fw_id = parsed.document.identifier
    stored: dict[str, RowMapping] = {
        row["id"]: row
        for row in conn.execute(
            select(competency_associations).where(
                competency_associations.c.framework_id == fw_id
            )
        ).mappings()
    }
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    for assoc in parsed.associations:
        row = _assoc_row(assoc, fw_id)
        old = stored.get(assoc.identifier)
        if old is None:
            new_rows.append(row | {"id": assoc.identifier})
        elif any(old[c] != row[c] for c in _ASSOC_COLUMNS):
            changed_rows.append(row | {"b_id": assoc.identifier})
    _check_ownership(
        conn,
        competency_associations,
        [r["id"] for r in new_rows],
        fw_id,
        "CFAssociation",
    )
    _insert_and_update(
        conn, competency_associations, _ASSOC_COLUMNS, new_rows, changed_rows, tick
    )
    present = {a.identifier for a in parsed.associations}
    # Associations carry no evidence: those gone from the package are simply removed.
    gone = [ident for ident in stored if ident not in present]
    for chunk in _chunks(gone, _IN_CHUNK):
        conn.execute(
            delete(competency_associations).where(
                competency_associations.c.id.in_(chunk)
            )
        )
    return len(new_rows), len(changed_rows), len(gone)


def _recompute_shared_ids(
    conn: Connection, new_ids: set[str]
) -> dict[str, tuple[str, str]]:
    """Give every crosswalk component (exactMatchOf, isTranslationOf) its smallest member id.

    Works over all frameworks, so a link stored with an earlier framework resolves when the
    framework it points at is imported later. Returns the changes of competencies that were
    stored before this import (new ones carry no evidence yet).
    """
    ca, c = competency_associations, competencies
    crosswalk = ca.c.association_type.in_(sorted(CROSSWALK_TYPES))
    edges = conn.execute(
        select(
            ca.c.origin_id, ca.c.origin_uri, ca.c.destination_id, ca.c.destination_uri
        )
        .where(crosswalk)
        .order_by(ca.c.id)
    ).all()
    # Candidates: every competency at an end of a crosswalk link, and every competency that
    # currently shares another's id (its link may be gone). Four indexed joins, one query.
    ends = [
        (ca.c.origin_id, c.c.id),
        (ca.c.destination_id, c.c.id),
        (ca.c.origin_uri, c.c.uri),
        (ca.c.destination_uri, c.c.uri),
    ]
    queries = [
        select(c.c.id, c.c.uri, c.c.shared_id).join(ca, and_(crosswalk, end == col))
        for end, col in ends
    ]
    queries.append(
        select(c.c.id, c.c.uri, c.c.shared_id).where(c.c.shared_id != c.c.id)
    )
    rows = conn.execute(union(*queries)).all()
    current = {row.id: row.shared_id for row in rows}
    by_uri: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r.id):
        by_uri.setdefault(row.uri, row.id)

    parent = {ident: ident for ident in current}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def resolve(ident: str, uri: str | None) -> str | None:
        if ident in parent:
            return ident
        return by_uri.get(uri) if uri is not None else None

    for edge in edges:
        a = resolve(edge.origin_id, edge.origin_uri)
        b = resolve(edge.destination_id, edge.destination_uri)
        if a is None or b is None:
            continue  # an unresolved cross-framework link: kept, resolved later
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the root is always the smallest id
    updates: list[dict[str, str]] = []
    changes: dict[str, tuple[str, str]] = {}
    for ident, old in current.items():
        new = find(ident)
        if new != old:
            updates.append({"b_id": ident, "new_shared": new})
            if ident not in new_ids:
                changes[ident] = (old, new)
    for chunk in _chunks(updates, BATCH):
        conn.execute(
            update(c)
            .where(c.c.id == bindparam("b_id"))
            .values(shared_id=bindparam("new_shared")),
            list(chunk),
        )
    return changes


# --- queries --------------------------------------------------------------------------


def _competency(row: Any) -> Competency:
    levels = row.education_level
    return Competency(
        id=row.id,
        framework_id=row.framework_id,
        uri=row.uri,
        human_coding_scheme=row.human_coding_scheme,
        full_statement=row.full_statement,
        abbreviated_statement=row.abbreviated_statement,
        item_type=row.item_type,
        education_level=tuple(levels) if levels is not None else None,
        parent_id=row.parent_id,
        sequence=row.sequence,
        shared_id=row.shared_id,
        is_competency=bool(row.is_competency),
        status=row.status,
        replaced_by=row.replaced_by,
        last_change=row.last_change,
    )


_COMPETENCY_COLUMNS = [col for col in competencies.c if col.name != "item"]


def _framework_query() -> Any:
    counts = (
        select(
            competencies.c.framework_id,
            func.count().label("item_count"),
            func.sum(sql_case((competencies.c.is_competency, 1), else_=0)).label(
                "competency_count"
            ),
        )
        .where(competencies.c.status == "active")
        .group_by(competencies.c.framework_id)
        .subquery()
    )
    return select(
        frameworks,
        func.coalesce(counts.c.item_count, 0).label("item_count"),
        func.coalesce(counts.c.competency_count, 0).label("competency_count"),
    ).outerjoin(counts, counts.c.framework_id == frameworks.c.id)


def _framework(row: Any) -> Framework:
    types = row.competency_item_types
    return Framework(
        id=row.id,
        uri=row.uri,
        title=row.title,
        creator=row.creator,
        publisher=row.publisher,
        version=row.version,
        case_version=row.case_version,
        language=row.language,
        adoption_status=row.adoption_status,
        last_change=row.last_change,
        source_url=row.source_url,
        competency_item_types=tuple(types) if types is not None else None,
        imported_at=row.imported_at,
        item_count=int(row.item_count),
        competency_count=int(row.competency_count),
    )


def list_frameworks(store: Store) -> list[Framework]:
    """Every imported framework, by title, with its count of active items."""
    with store.read() as conn:
        rows = conn.execute(
            _framework_query().order_by(frameworks.c.title, frameworks.c.id)
        ).all()
    return [_framework(row) for row in rows]


def get_framework(store: Store, framework_id: str) -> Framework:
    """One framework by CFDocument identifier; :class:`NotFound` when not imported."""
    with store.read() as conn:
        row = conn.execute(
            _framework_query().where(frameworks.c.id == framework_id.strip().lower())
        ).first()
    if row is None:
        raise NotFound(
            f"No framework {framework_id} has been imported; see `tessera framework list`."
        )
    return _framework(row)


def competency_tree(store: Store, framework_id: str) -> list[TreeNode]:
    """The active items of a framework as nested nodes ordered by sequence (CASE isChildOf)."""
    get_framework(store, framework_id)
    with store.read() as conn:
        rows = conn.execute(
            select(*_COMPETENCY_COLUMNS).where(
                competencies.c.framework_id == framework_id.strip().lower(),
                competencies.c.status == "active",
            )
        ).all()
    items = [_competency(row) for row in rows]
    ids = {c.id for c in items}
    children: dict[str | None, list[Competency]] = {}
    for comp in items:
        key = comp.parent_id if comp.parent_id in ids else None
        children.setdefault(key, []).append(comp)

    def order(c: Competency) -> tuple[bool, int, str, str]:
        seq = c.sequence
        return (seq is None, seq or 0, c.human_coding_scheme or "", c.id)

    # Children before parents, without recursion: a deep framework cannot overflow the stack.
    visit: list[str | None] = []
    stack: list[str | None] = [None]
    while stack:
        key = stack.pop()
        visit.append(key)
        stack.extend(comp.id for comp in children.get(key, []))
    built: dict[str | None, tuple[TreeNode, ...]] = {}
    for key in reversed(visit):
        built[key] = tuple(
            TreeNode(comp, built[comp.id])
            for comp in sorted(children.get(key, []), key=order)
        )
    return list(built[None])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_competencies(
    store: Store, query: str, *, framework_id: str | None = None, limit: int = 50
) -> list[Competency]:
    """Active competencies whose human coding scheme starts with, or text contains, ``query``.

    Case-insensitive. Coding-scheme matches come first, then by coding scheme and id.
    """
    needle = _like_escape(query.strip().lower())
    if not needle:
        return []
    code = func.lower(competencies.c.human_coding_scheme)
    prefix = code.like(f"{needle}%", escape="\\")
    text_match = or_(
        func.lower(competencies.c.full_statement).like(f"%{needle}%", escape="\\"),
        func.lower(competencies.c.abbreviated_statement).like(
            f"%{needle}%", escape="\\"
        ),
    )
    stmt = select(*_COMPETENCY_COLUMNS).where(
        competencies.c.status == "active", or_(prefix, text_match)
    )
    if framework_id is not None:
        stmt = stmt.where(competencies.c.framework_id == framework_id.strip().lower())
    rank = sql_case((prefix, literal(0)), else_=literal(1))
    no_code = sql_case(
        (competencies.c.human_coding_scheme.is_(None), literal(1)), else_=literal(0)
    )
    stmt = stmt.order_by(
        rank, no_code, competencies.c.human_coding_scheme, competencies.c.id
    ).limit(limit)
    with store.read() as conn:
        return [_competency(row) for row in conn.execute(stmt)]


def get_competency(store: Store, competency_id: str) -> CompetencyDetail:
    """A competency with its crosswalk peers and its ``precedes`` neighbours."""
    ident = competency_id.strip().lower()
    ca = competency_associations
    with store.read() as conn:
        row = conn.execute(
            select(*_COMPETENCY_COLUMNS).where(competencies.c.id == ident)
        ).first()
        if row is None:
            raise NotFound(
                f"No competency {competency_id} is stored; import its framework with "
                "`tessera framework import`."
            )
        comp = _competency(row)
        peers = [
            _competency(r)
            for r in conn.execute(
                select(*_COMPETENCY_COLUMNS)
                .where(
                    competencies.c.shared_id == comp.shared_id,
                    competencies.c.id != comp.id,
                )
                .order_by(competencies.c.id)
            )
        ]
        # CASE precedes: origin comes before destination in a progression.
        links = conn.execute(
            select(
                ca.c.origin_id,
                ca.c.origin_uri,
                ca.c.destination_id,
                ca.c.destination_uri,
            ).where(
                ca.c.association_type == "precedes",
                or_(
                    ca.c.origin_id == comp.id,
                    ca.c.destination_id == comp.id,
                    ca.c.origin_uri == comp.uri,
                    ca.c.destination_uri == comp.uri,
                ),
            )
        ).all()
        before: list[str] = []  # refs (id, then uri) of what precedes this one
        after: list[str] = []
        for link in links:
            if link.destination_id == comp.id or link.destination_uri == comp.uri:
                before += [link.origin_id, link.origin_uri]
            if link.origin_id == comp.id or link.origin_uri == comp.uri:
                after += [link.destination_id, link.destination_uri]
        resolved = resolve_competency_refs(conn, [*before, *after])
        wanted = {resolved[ref] for ref in [*before, *after] if ref in resolved}
        found = {
            r.id: _competency(r)
            for r in conn.execute(
                select(*_COMPETENCY_COLUMNS).where(
                    competencies.c.id.in_(sorted(wanted))
                )
            )
        }

    def pick(refs: list[str]) -> tuple[Competency, ...]:
        ids: dict[str, None] = {}
        for id_ref, uri_ref in zip(refs[::2], refs[1::2], strict=True):
            hit = resolved.get(id_ref) or resolved.get(uri_ref)
            if hit is not None and hit in found:
                ids[hit] = None
        return tuple(found[i] for i in ids)

    return CompetencyDetail(
        competency=comp,
        shared_members=tuple(peers),
        prerequisites=pick(before),
        successors=pick(after),
    )


def resolve_competency_refs(conn: Connection, refs: Iterable[str]) -> dict[str, str]:
    """Map each ref that is a stored CFItem identifier or uri to its competency id.

    Identifiers match case-insensitively, uris exactly. Two queries for the whole batch.
    Active competencies win over archived ones when a uri is shared.
    """
    wanted = {ref for ref in refs if isinstance(ref, str) and ref.strip()}
    if not wanted:
        return {}
    lowered: dict[str, list[str]] = {}
    for ref in wanted:
        lowered.setdefault(ref.strip().lower(), []).append(ref)
    out: dict[str, str] = {}
    for row in conn.execute(
        select(competencies.c.id).where(
            competencies.c.id.in_(bindparam("ids", expanding=True))
        ),
        {"ids": sorted(lowered)},
    ):
        for ref in lowered[row.id]:
            out[ref] = row.id
    rest = sorted(ref for ref in wanted if ref not in out)
    if rest:
        rows = conn.execute(
            select(competencies.c.id, competencies.c.uri)
            .where(competencies.c.uri.in_(bindparam("uris", expanding=True)))
            .order_by(competencies.c.status, competencies.c.id),
            {"uris": rest},
        )
        for row in rows:
            out.setdefault(row.uri, row.id)
    return out
