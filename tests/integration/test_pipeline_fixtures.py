"""The standards' own example payloads, through the real adapters, into evidence.

xAPI spec examples, Caliper 1.2 fixtures and a CSV export each end up as evidence with the
right learner, competency and score; frameworks are imported with the real CASE importer.
"""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gateway.competencies import import_package
from gateway.intake.alignment import NewAlignment
from gateway.intake.pipeline import Incoming, RecordOutcome, ingest, vendor_context
from gateway.intake.service import align, apply_crosswalk_changes, ingest_csv
from gateway.store import Store
from gateway.store.tables import competencies, evidence, learner_identifiers
from gateway.vendors import add_vendor
from tests.case_packages import item_id, make_association, make_package
from tests.unit.shared_fixtures import CALIPER_V1P2, XAPI_SPEC, load_json

REPO = Path(__file__).resolve().parents[2]


def _ingest(
    store: Store, vendor: str, protocol: str, *payloads: dict[str, Any]
) -> list[RecordOutcome]:
    with store.read() as conn:
        from gateway.vendors import get_vendor

        ctx = vendor_context(conn, get_vendor(store, vendor).id)
    items = [Incoming(str(p["id"]), json.dumps(p), p) for p in payloads]
    with store.write() as conn:
        return ingest(conn, ctx, protocol, items)


def _evidence(store: Store) -> list[tuple[str, str, str, float]]:
    """(identifier kind, identifier value, competency id, score) for each evidence row."""
    with store.read() as conn:
        rows = conn.execute(
            select(
                learner_identifiers.c.kind,
                learner_identifiers.c.value,
                evidence.c.competency_id,
                evidence.c.score,
            )
            .join(
                learner_identifiers,
                learner_identifiers.c.learner_id == evidence.c.learner_id,
            )
            .order_by(evidence.c.score, learner_identifiers.c.kind)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _framework(store: Store) -> None:
    import_package(store, make_package("x", {"": ["A", "B", "C"]}))


def test_xapi_spec_examples_become_evidence(store: Store) -> None:
    _framework(store)
    add_vendor(store, "adl")
    align(
        store,
        [
            NewAlignment(
                "http://example.adlnet.gov/xapi/example/simpleCBT", item_id("x", "A")
            ),
            NewAlignment("https://example.adlnet.gov/AUidentifier", item_id("x", "B")),
        ],
    )
    appendix_a = load_json(XAPI_SPEC / "data-08-appendix-a-example-statements.json")
    cmi5 = load_json(XAPI_SPEC / "about-01-appendix-b-cmi5-example.json")
    outcomes = _ingest(store, "adl", "xapi", appendix_a, cmi5)
    assert [(o.status, o.evidence) for o in outcomes] == [
        ("processed", 1),
        ("processed", 1),
    ]
    assert _evidence(store) == [
        ("xapi_account", "http://example.adlnet.gov|1625378", item_id("x", "B"), 0.65),
        ("email", "example.learner@adlnet.gov", item_id("x", "A"), 0.95),
        (
            "mbox_sha1sum",
            "016485387e0a88d4626f9c055bb0cc4c52586865",
            item_id("x", "A"),
            0.95,
        ),
    ]


def test_the_spec_voiding_example_retracts_its_target(store: Store) -> None:
    _framework(store)
    add_vendor(store, "adl")
    align(
        store,
        [
            NewAlignment(
                "http://example.adlnet.gov/xapi/example/simpleCBT", item_id("x", "A")
            )
        ],
    )
    void = load_json(XAPI_SPEC / "data-01-example.json")
    target = copy.deepcopy(
        load_json(XAPI_SPEC / "data-08-appendix-a-example-statements.json")
    )
    target["id"] = void["object"]["id"]
    void["id"] = "f1a6c3a0-0000-4000-8000-000000000001"
    _ingest(store, "adl", "xapi", target)
    assert len(_evidence(store)) == 2
    [out] = _ingest(store, "adl", "xapi", void)
    assert out.status == "processed"
    assert _evidence(store) == []


def test_caliper_grade_events_become_evidence(store: Store) -> None:
    _framework(store)
    add_vendor(store, "caliper-vendor")
    align(
        store,
        [
            NewAlignment(
                "https://example.edu/terms/201601/courses/7/sections/1/assess/",
                item_id("x", "C"),
                match="prefix",
            )
        ],
    )
    graded = load_json(CALIPER_V1P2 / "caliperEventGradeGraded.json")
    graded_item = load_json(CALIPER_V1P2 / "caliperEventGradeGradedItem.json")
    submitted = load_json(CALIPER_V1P2 / "caliperEventAssessmentSubmitted.json")
    outcomes = _ingest(
        store, "caliper-vendor", "caliper", graded, graded_item, submitted
    )
    assert [o.evidence for o in outcomes] == [1, 1, 0]  # a submission carries no score
    learner = ("caliper", "https://example.edu/users/554433")
    assert [(r[0], r[1], r[2], round(r[3], 4)) for r in _evidence(store)] == [
        (*learner, item_id("x", "C"), 0.6667),
        (*learner, item_id("x", "C"), 1.0),
    ]


def test_caliper_learning_objectives_align_by_themselves(store: Store) -> None:
    _framework(store)
    add_vendor(store, "caliper-vendor")
    graded = copy.deepcopy(load_json(CALIPER_V1P2 / "caliperEventGradeGraded.json"))
    with store.read() as conn:
        uri = conn.execute(
            select(competencies.c.uri).where(competencies.c.id == item_id("x", "B"))
        ).scalar_one()
    graded["object"]["assignable"]["learningObjectives"] = [
        {"id": uri, "type": "LearningObjective"}
    ]
    [out] = _ingest(store, "caliper-vendor", "caliper", graded)
    assert out.evidence == 1
    assert [r[2] for r in _evidence(store)] == [item_id("x", "B")]


def test_a_csv_export_becomes_evidence(store: Store) -> None:
    _framework(store)
    settings = tomllib.loads(
        (REPO / "config" / "vendors" / "quillpad-export.toml").read_text()
    )
    add_vendor(store, "quillpad", settings=settings)
    a, b = item_id("x", "A"), item_id("x", "B")
    export = (
        "Student Number;Email;Student;Task ID;Points;Max Points;Rubric Level;Submitted;Standards\n"
        f"S-100;ada@school.test;Ada;essay-1;3;4;Meets;11/02/2026;{a}\n"
        f"S-200;bo@school.test;Bo;essay-1;;;Exceeds;11/03/2026;{b}\n"
    )
    outcomes = ingest_csv(store, "quillpad", export)
    assert [(o.status, o.evidence) for o in outcomes] == [
        ("processed", 1),
        ("processed", 1),
    ]
    rows = [r for r in _evidence(store) if r[0] == "sis"]
    assert rows == [("sis", "S-100", a, 0.75), ("sis", "S-200", b, 1.0)]
    with store.read() as conn:
        kinds = conn.execute(select(evidence.c.kind, evidence.c.dok).distinct()).all()
    assert kinds == [("performance_task", 3)]
    again = ingest_csv(store, "quillpad", export)
    assert [o.stored for o in again] == [False, False]


def test_a_crosswalk_imported_later_moves_evidence_to_the_shared_id(
    store: Store,
) -> None:
    # The shared id is the smallest member id: align to the larger one so the crosswalk
    # must move the evidence.
    first, second = sorted(["x", "y"], key=lambda n: item_id(n, "A"), reverse=True)
    early = make_package(first, {"": ["A"]})
    late = make_package(second, {"": ["A"]})
    late["CFAssociations"].append(
        make_association("exactMatchOf", item_id(second, "A"), item_id(first, "A"))
    )
    import_package(store, early)
    add_vendor(store, "adl")
    align(
        store,
        [
            NewAlignment(
                "http://example.adlnet.gov/xapi/example/simpleCBT", item_id(first, "A")
            )
        ],
    )
    statement = load_json(XAPI_SPEC / "data-08-appendix-a-example-statements.json")
    _ingest(store, "adl", "xapi", statement)
    with store.read() as conn:
        assert set(conn.execute(select(evidence.c.shared_id)).scalars()) == {
            item_id(first, "A")
        }
    report = import_package(store, late)
    assert item_id(first, "A") in report.shared_id_changes
    assert apply_crosswalk_changes(store, list(report.shared_id_changes)) == 1
    with store.read() as conn:
        shared = dict(
            conn.execute(select(competencies.c.id, competencies.c.shared_id)).all()
        )
        ev = conn.execute(select(evidence.c.shared_id, evidence.c.competency_id)).all()
    assert (
        shared[item_id(first, "A")]
        == shared[item_id(second, "A")]
        == item_id(second, "A")
    )
    assert ev == [(item_id(second, "A"), item_id(first, "A"))]
