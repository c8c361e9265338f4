"""``/api/v1/frameworks``: import CASE frameworks (CFPackages) and read them back."""

from __future__ import annotations

import json
from typing import Any

import gateway.competencies as competency_service
from gateway.api.openapi import API_PREFIX, ApiGroup, Param, Reply
from gateway.api.pagination import Page, PageRequest, encode_cursor
from gateway.competencies import Framework
from gateway.competencies.fetch import load_package_source
from gateway.errors import InvalidPayload
from gateway.extension import tessera
from gateway.intake.service import apply_crosswalk_changes
from gateway.store import Store

api = ApiGroup(
    "frameworks",
    "CASE frameworks (CFDocuments with their CFItems and CFAssociations) imported into "
    "Tessera; their items are the competencies evidence counts for.",
)

_DATE_TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
_STRING_OR_NULL = {"type": ["string", "null"]}

FRAMEWORK = api.schema(
    "Framework",
    {
        "type": "object",
        "required": ["id", "uri", "title", "case_version", "item_count"],
        "properties": {
            "id": {
                "type": "string",
                "description": "CFDocument identifier, lower-case.",
            },
            "uri": {"type": "string"},
            "title": {"type": "string"},
            "creator": _STRING_OR_NULL,
            "publisher": _STRING_OR_NULL,
            "version": _STRING_OR_NULL,
            "case_version": {"type": "string", "enum": ["1.0", "1.1"]},
            "language": _STRING_OR_NULL,
            "adoption_status": _STRING_OR_NULL,
            "last_change": _DATE_TIME_OR_NULL,
            "source_url": _STRING_OR_NULL,
            "competency_item_types": {
                "type": ["array", "null"],
                "items": {"type": "string"},
            },
            "imported_at": {"type": "string", "format": "date-time"},
            "item_count": {"type": "integer"},
            "competency_count": {"type": "integer"},
        },
    },
)
COMPETENCY = api.schema(
    "Competency",
    {
        "type": "object",
        "description": "One stored CFItem.",
        "required": ["id", "framework_id", "uri", "full_statement", "shared_id"],
        "properties": {
            "id": {"type": "string", "description": "CFItem identifier, lower-case."},
            "framework_id": {"type": "string"},
            "uri": {"type": "string"},
            "human_coding_scheme": _STRING_OR_NULL,
            "full_statement": {"type": "string"},
            "abbreviated_statement": _STRING_OR_NULL,
            "item_type": _STRING_OR_NULL,
            "education_level": {
                "type": ["array", "null"],
                "items": {"type": "string"},
            },
            "parent_id": _STRING_OR_NULL,
            "sequence": {"type": ["integer", "null"]},
            "shared_id": {
                "type": "string",
                "description": "Competencies joined by a crosswalk share this id.",
            },
            "is_competency": {"type": "boolean"},
            "status": {"type": "string", "enum": ["active", "archived"]},
            "replaced_by": _STRING_OR_NULL,
            "last_change": _DATE_TIME_OR_NULL,
        },
    },
)
TREE_NODE = api.schema(
    "CompetencyTreeNode",
    {
        "description": "A competency and its children (CASE isChildOf), by sequence.",
        "allOf": [
            COMPETENCY,
            {
                "type": "object",
                "required": ["children"],
                "properties": {
                    "children": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/CompetencyTreeNode"},
                    }
                },
            },
        ],
    },
)
IMPORT_REPORT = api.schema(
    "FrameworkImportReport",
    {
        "type": "object",
        "required": ["framework_id", "title", "items", "associations"],
        "properties": {
            "framework_id": {"type": "string"},
            "title": {"type": "string"},
            "case_version": {"type": "string"},
            "framework_created": {"type": "boolean"},
            "framework_updated": {"type": "boolean"},
            "items": {"type": "object"},
            "associations": {"type": "object"},
            "warnings": {"type": "array", "items": {"type": "object"}},
            "skipped": {"type": "array", "items": {"type": "object"}},
            "shared_id_changes": {"type": "object"},
            "evidence_rederived": {
                "type": "integer",
                "description": "Evidence rows re-derived because crosswalks changed.",
            },
        },
    },
)
_FRAMEWORK_ID = Param(
    "framework_id",
    {"type": "string", "maxLength": 64},
    "The CFDocument identifier.",
    location="path",
)
_HTTP_URL = "^[Hh][Tt][Tt][Pp][Ss]?://"


def _store() -> Store:
    return tessera().store


def _framework_key(f: Framework) -> str:
    return json.dumps([f.title, f.id])


@api.operation(
    "GET",
    "/frameworks",
    summary="List frameworks",
    response_schema=FRAMEWORK,
    paginated=True,
)
def list_frameworks(page: PageRequest) -> Page:
    """Imported frameworks by title, with their counts of active items and competencies."""
    found = sorted(
        competency_service.list_frameworks(_store()), key=lambda f: (f.title, f.id)
    )
    if page.after is not None:
        try:
            title, ident = json.loads(page.after)
            after = (str(title), str(ident))
        except (ValueError, TypeError):
            raise InvalidPayload(
                "The cursor is not one this API gave out; pass next_cursor unchanged."
            ) from None
        found = [f for f in found if (f.title, f.id) > after]
    shown = found[: page.limit]
    more = len(found) > page.limit
    return Page(
        items=[f.to_json() for f in shown],
        next_cursor=encode_cursor(_framework_key(shown[-1])) if more else None,
    )


@api.operation(
    "POST",
    "/frameworks",
    summary="Import or re-import a framework",
    status=201,
    request_schema={
        "type": "object",
        "description": "A CASE CFPackage (CFDocument, CFItems, CFAssociations, ...), or "
        '{"url": "https://..."} naming a CFPackage or CFDocument at a CASE provider.',
        "minProperties": 1,
        "properties": {
            "url": {
                "type": "string",
                "pattern": _HTTP_URL,
                "maxLength": 2000,
                "description": "an http:// or https:// URL",
            },
            # Checked by the import itself, whose errors name the element by JSONPath.
            "CFDocument": {"description": "The CFDocument of a CFPackage."},
            "CFItems": {"description": "Its CFItems."},
            "CFAssociations": {"description": "Its CFAssociations."},
        },
    },
    params=[
        Param(
            "item_types",
            {"type": "string", "maxLength": 1000},
            "Comma-separated CFItemType values that are assessable competencies "
            "(default: the stored choice on a re-import, else every item).",
        )
    ],
    response_schema=IMPORT_REPORT,
    errors=[502],
)
def import_framework(body: dict[str, Any], item_types: str | None) -> Reply:
    """Import one CFPackage in one transaction, then re-derive evidence whose crosswalks moved.

    A malformed package is refused whole with a 400 naming the failing element (as a JSONPath);
    nothing of it is stored. With ``url``, the package is fetched from that CASE provider
    (a CFDocument URL leads to its package); local file paths are never read.
    """
    if "url" in body:
        if set(body) != {"url"}:
            raise InvalidPayload(
                "Field 'url' stands alone: send either a CFPackage or {\"url\": ...}, "
                "not both."
            )
        data, source_url = load_package_source(
            body["url"], allow_private=tessera().settings.allow_private_urls
        )
    else:
        data, source_url = body, None
    types = (
        [t.strip() for t in item_types.split(",") if t.strip()]
        if item_types is not None
        else None
    )
    store = _store()
    report = competency_service.import_package(
        store, data, source_url=source_url, competency_item_types=types
    )
    rederived = apply_crosswalk_changes(store, list(report.shared_id_changes))
    return Reply(
        report.to_json() | {"evidence_rederived": rederived},
        {"Location": f"{API_PREFIX}/frameworks/{report.framework_id}"},
    )


@api.operation(
    "GET",
    "/frameworks/{framework_id}",
    summary="Get a framework",
    params=[_FRAMEWORK_ID],
    response_schema=FRAMEWORK,
)
def get_framework(framework_id: str) -> dict[str, Any]:
    """One imported framework with its counts of active items and competencies."""
    return competency_service.get_framework(_store(), framework_id).to_json()


@api.operation(
    "GET",
    "/frameworks/{framework_id}/tree",
    summary="Get a framework's items as a tree",
    params=[_FRAMEWORK_ID],
    response_schema={
        "type": "object",
        "required": ["framework_id", "children"],
        "properties": {
            "framework_id": {"type": "string"},
            "children": {"type": "array", "items": TREE_NODE},
        },
    },
)
def get_framework_tree(framework_id: str) -> dict[str, Any]:
    """The framework's active items nested by CASE isChildOf, each level by sequence."""
    tree = competency_service.competency_tree(_store(), framework_id)
    return {
        "framework_id": framework_id.strip().lower(),
        "children": [node.to_json() for node in tree],
    }
