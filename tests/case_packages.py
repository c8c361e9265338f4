"""Builders for CASE CFPackages in tests, and the two real fixture packages."""

from __future__ import annotations

import copy
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "case"
SMARTER_BALANCED = FIXTURES / "smarterbalanced-grade3-math-spec-C1-TH.CFPackage.json"
ACT = FIXTURES / "act-holistic-framework-math.CFPackage.json"
_NS = uuid.UUID("2d0f0b4e-6a52-4c1b-8f0e-3b9a7f6c5d21")
STAMP = "2024-05-01T12:00:00+00:00"


@cache
def _load(path: Path) -> str:
    return path.read_text()


def real_package(path: Path) -> dict[str, Any]:
    """A fresh copy of a real fixture package (tests may change it)."""
    data: dict[str, Any] = json.loads(_load(path))
    return data


def uid(*parts: object) -> str:
    """A deterministic UUID (version 5, so it matches the CASE 1.0 pattern)."""
    return str(uuid.uuid5(_NS, "|".join(map(str, parts))))


def link(ident: str, base: str = "https://case.example.org") -> dict[str, str]:
    """A LinkURI to ``ident``."""
    return {"title": ident[:8], "identifier": ident, "uri": f"{base}/CFItems/{ident}"}


def make_item(ident: str, **overrides: Any) -> dict[str, Any]:
    """A CFItem with every field CASE requires in a package."""
    item = {
        "identifier": ident,
        "uri": f"https://case.example.org/CFItems/{ident}",
        "fullStatement": f"Statement of {ident[:8]}",
        "humanCodingScheme": f"CODE.{ident[:4]}",
        "CFItemType": "Standard",
        "lastChangeDateTime": STAMP,
    }
    item.update(overrides)
    return item


def make_association(
    kind: str,
    origin: str,
    destination: str,
    *,
    sequence: int | None = None,
    dest_uri: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A CFAssociation origin --kind--> destination (identifier derived from the three)."""
    ident = uid("assoc", origin, kind, destination)
    dest = link(destination)
    if dest_uri is not None:
        dest["uri"] = dest_uri
    assoc: dict[str, Any] = {
        "identifier": ident,
        "uri": f"https://case.example.org/CFAssociations/{ident}",
        "associationType": kind,
        "originNodeURI": link(origin),
        "destinationNodeURI": dest,
        "lastChangeDateTime": STAMP,
    }
    if sequence is not None:
        assoc["sequenceNumber"] = sequence
    assoc.update(overrides)
    return assoc


def make_package(
    name: str, tree: dict[str, list[str]] | None = None, **doc: Any
) -> dict[str, Any]:
    """A package named ``name`` whose items form ``tree`` (parent code -> child codes).

    Codes are short names; each item's identifier is ``uid(name, code)`` and its
    humanCodingScheme is the code. The key ``""`` lists the roots (children of the document).
    """
    tree = tree if tree is not None else {"": ["A", "B"], "A": ["A.1", "A.2"]}
    doc_id = uid(name, "doc")
    document = {
        "identifier": doc_id,
        "uri": f"https://case.example.org/CFDocuments/{doc_id}",
        "creator": "Tests",
        "title": f"Framework {name}",
        "lastChangeDateTime": STAMP,
    }
    document.update(doc)
    items: list[dict[str, Any]] = []
    assocs: list[dict[str, Any]] = []
    for parent, codes in tree.items():
        for seq, code in enumerate(codes, start=1):
            ident = uid(name, code)
            items.append(
                make_item(
                    ident, humanCodingScheme=code, fullStatement=f"{name} skill {code}"
                )
            )
            target = doc_id if parent == "" else uid(name, parent)
            assocs.append(make_association("isChildOf", ident, target, sequence=seq))
    return {"CFDocument": document, "CFItems": items, "CFAssociations": assocs}


def item_id(name: str, code: str) -> str:
    """The identifier :func:`make_package` gives the item ``code`` of ``name``."""
    return uid(name, code)


def with_changes(package: dict[str, Any]) -> dict[str, Any]:
    """A deep copy to modify."""
    return copy.deepcopy(package)
