"""Time of a CASE framework import: a synthetic 20,000-item CFPackage, four levels deep.

Figures: the first import (everything inserted, crosswalks computed) and a re-import of the
same package (everything compared, nothing written), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from bench.server import database
from gateway.competencies import import_package
from gateway.settings import load_settings
from gateway.store import Store

ITEMS = 20_000
LEVELS = (20, 380, 3_600, 16_000)  # items per level; sums to ITEMS
NS = uuid.UUID("0b5c3c1e-8a0b-4a57-9a43-0d1e5cbe7f10")
STAMP = "2025-01-15T10:00:00+00:00"


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "|".join(map(str, parts))))


def _link(ident: str, base: str, kind: str) -> dict[str, str]:
    return {"title": ident[:8], "identifier": ident, "uri": f"{base}/{kind}/{ident}"}


def synthetic_package(items: int = ITEMS, name: str = "bench") -> dict[str, Any]:
    """A CFPackage of ``items`` items in four levels, with isChildOf, exactMatchOf, precedes."""
    levels = [round(n * items / ITEMS) for n in LEVELS]
    levels[-1] = items - sum(levels[:-1])
    base = f"https://case.example.org/{name}/ims/case/v1p0"
    doc_id = _uid(name, "doc")
    doc = {
        "identifier": doc_id,
        "uri": f"{base}/CFDocuments/{doc_id}",
        "creator": "Bench",
        "title": f"Synthetic framework {name}",
        "lastChangeDateTime": STAMP,
    }
    ids = [_uid(name, "item", i) for i in range(items)]
    cf_items = [
        {
            "identifier": ident,
            "uri": f"{base}/CFItems/{ident}",
            "fullStatement": f"Synthetic competency number {i} of {name}",
            "humanCodingScheme": f"SYN.{i}",
            "CFItemType": "Standard" if i >= levels[0] else "Domain",
            "educationLevel": ["05"],
            "lastChangeDateTime": STAMP,
        }
        for i, ident in enumerate(ids)
    ]
    assocs: list[dict[str, Any]] = []

    def add(kind: str, origin: dict[str, str], dest: dict[str, str], seq: int) -> None:
        ident = _uid(name, "assoc", len(assocs))
        assocs.append(
            {
                "identifier": ident,
                "uri": f"{base}/CFAssociations/{ident}",
                "associationType": kind,
                "originNodeURI": origin,
                "destinationNodeURI": dest,
                "sequenceNumber": seq,
                "lastChangeDateTime": STAMP,
            }
        )

    doc_link = _link(doc_id, base, "CFDocuments")
    start_prev, start = 0, 0
    for depth, count in enumerate(levels):
        for offset in range(count):
            i = start + offset
            child = _link(ids[i], base, "CFItems")
            if depth == 0:
                add("isChildOf", child, doc_link, offset + 1)
            else:
                parent = start_prev + offset * levels[depth - 1] // count
                add("isChildOf", child, _link(ids[parent], base, "CFItems"), offset + 1)
        start_prev, start = start, start + count
    for i in range(levels[0], items - 1, 10):  # progressions
        add(
            "precedes",
            _link(ids[i], base, "CFItems"),
            _link(ids[i + 1], base, "CFItems"),
            0,
        )
    for i in range(
        0, items - 1, 50
    ):  # crosswalks: resolved pairs, and unresolved links
        add(
            "exactMatchOf",
            _link(ids[i], base, "CFItems"),
            _link(ids[i + 1], base, "CFItems"),
            0,
        )
        other = _uid("elsewhere", i)
        add(
            "exactMatchOf",
            _link(ids[i], base, "CFItems"),
            {"title": "x", "identifier": other, "uri": f"local:{other}"},
            0,
        )
    return {"CFDocument": doc, "CFItems": cf_items, "CFAssociations": assocs}


def main() -> list[str]:
    rows = []
    package = synthetic_package()
    n_assoc = len(package["CFAssociations"])
    for backend in ("sqlite", "postgresql"):
        with database(backend) as env:
            store = Store.from_settings(load_settings(env))
            store.migrate()
            start = time.perf_counter()
            report = import_package(store, package)
            first = time.perf_counter() - start
            assert report.created == ITEMS
            start = time.perf_counter()
            again = import_package(store, package)
            second = time.perf_counter() - start
            assert not again.changed and again.unchanged == ITEMS
            store.dispose()
        rows.append(
            f"| CASE import, 20,000 items + {n_assoc:,} associations ({backend}) "
            f"| {first:.1f} s | | | | |"
        )
        rows.append(
            f"| CASE re-import, unchanged, 20,000 items ({backend}) "
            f"| {second:.1f} s | | | | |"
        )
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
