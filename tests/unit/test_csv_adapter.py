from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.inbound.csv import CsvAdapter, read_csv_export
from adapters.inbound.settings import (
    VendorSettings,
    load_vendor_settings_file,
    parse_vendor_settings,
)
from gateway.errors import InvalidPayload, PayloadTooLarge
from gateway.intake.model import AdapterRejected, LearnerRef, Observation

ADAPTER = CsvAdapter()
REPO = Path(__file__).resolve().parents[2]
_, QUILLPAD = load_vendor_settings_file(
    REPO / "config" / "vendors" / "quillpad-export.toml"
)

QUILLPAD_EXPORT = (
    "\ufeffStudent Number;Email;Student;Task ID;Points;Max Points;Rubric Level;Submitted;"
    "Standards\r\n"
    "10042;Ada@School.example;Ada L.;essay-3;18;24;;03/14/2024;W.6.1|W.6.4\r\n"
    '10043;;"Grace, H.";essay-3;;;Meets;03/15/2024;'
    "https://case.example.org/CFItems/6b9bf846-d7cc-11e8-824f-0242ac160002\r\n"
    ";;;;;;;;\r\n"
    "10044;;Alan T.;essay-3;;;;;\r\n"
)


def settings(csv: dict[str, object], **rest: object) -> VendorSettings:
    return parse_vendor_settings({"csv": csv, **rest}, vendor_name="pad")


def observe_all(text: str, vendor: VendorSettings) -> list[Observation]:
    return [
        o for row in read_csv_export(text, vendor) for o in ADAPTER.observe(row, vendor)
    ]


def test_the_quillpad_example_export() -> None:
    rows = read_csv_export(QUILLPAD_EXPORT, QUILLPAD)
    assert len(rows) == 3  # the blank row is skipped
    assert rows[1]["Student"] == "Grace, H."
    found = observe_all(QUILLPAD_EXPORT, QUILLPAD)
    assert found == [
        Observation(
            learner=(
                LearnerRef("sis", "10042"),
                LearnerRef("email", "ada@school.example"),
            ),
            activity_id="https://quillpad.example/tasks/essay-3",
            observed_at=datetime(2024, 3, 14, tzinfo=UTC),
            score=0.75,
            raw_score=18.0,
            max_score=24.0,
            kind="performance_task",
            dok=3,
            hints=("W.6.1", "W.6.4"),
            learner_name="Ada L.",
        ),
        Observation(
            learner=(LearnerRef("sis", "10043"),),
            activity_id="https://quillpad.example/tasks/essay-3",
            observed_at=datetime(2024, 3, 15, tzinfo=UTC),
            score=0.75,
            level_label="Meets",
            kind="performance_task",
            dok=3,
            hints=(
                "https://case.example.org/CFItems/6b9bf846-d7cc-11e8-824f-0242ac160002",
            ),
            learner_name="Grace, H.",
        ),
    ]  # Alan's row has no result at all: nothing observed


def test_delimiter_is_sniffed_and_vendor_ids_are_prefixed() -> None:
    vendor = settings(
        {"learner_columns": {"user": "vendor"}, "activity_column": "item"},
        score={"scale": "percent"},
    )
    for sep in (",", "\t", "|", ";"):
        text = (
            sep.join(["user", "item", "score"])
            + "\n"
            + sep.join(["u1", "q1", "85"])
            + "\n"
        )
        (obs,) = observe_all(text, vendor)
        assert (obs.learner, obs.activity_id, obs.score) == (
            (LearnerRef("vendor", "pad|u1"),),
            "q1",
            0.85,
        )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("85%", 0.85), ("42,5%", 0.425), ("0", 0.0), ("100", 1.0)],
)
def test_number_and_percent_cells(cell: str, expected: float) -> None:
    vendor = settings({}, score={"scale": "percent"})
    rows = [{"learner_id": "u1", "activity_id": "a1", "score": cell}]
    assert ADAPTER.observe(rows[0], vendor)[0].score == pytest.approx(expected)


def test_pass_fail_cells() -> None:
    vendor = settings({}, score={"scale": "pass_fail"})
    for cell, score, success in (
        ("Pass", 1.0, True),
        ("F", 0.0, False),
        ("1", 1.0, True),
    ):
        (obs,) = ADAPTER.observe(
            {"learner_id": "u1", "activity_id": "a1", "score": cell}, vendor
        )
        assert (obs.score, obs.success) == (score, success)


def test_bad_cells_are_rejected_with_a_reason() -> None:
    vendor = settings(
        {"max_column": "max"}, score={"scale": "points", "points_max": 10}
    )
    row = {"learner_id": "u1", "activity_id": "a1", "score": "9", "max": "10"}
    assert ADAPTER.observe(row, vendor)[0].score == 0.9
    cases = [
        ({"score": "lots"}, "not a number"),
        ({"score": "11"}, "above its max"),
        ({"max": "ten"}, "max score 'ten' is not a number"),
        ({"max": "0"}, "greater than 0"),
        ({"learner_id": ""}, "no learner id in column"),
        ({"activity_id": " "}, "no activity id"),
    ]
    for change, match in cases:
        with pytest.raises(AdapterRejected, match=match):
            ADAPTER.observe({**row, **change}, vendor)


def test_dates_in_iso_and_configured_formats() -> None:
    iso = settings({"date_column": "when"}, score={"scale": "scaled"})
    row = {
        "learner_id": "u",
        "activity_id": "a",
        "score": "0.5",
        "when": "2024-03-01T08:00:00-05:00",
    }
    assert ADAPTER.observe(row, iso)[0].observed_at == datetime(
        2024, 3, 1, 13, tzinfo=UTC
    )
    us = settings({"date_column": "when", "date_format": "%m/%d/%Y %H:%M"})
    row["when"] = "03/01/2024 08:00"
    assert ADAPTER.observe(row, us)[0].observed_at == datetime(
        2024, 3, 1, 8, tzinfo=UTC
    )
    row["when"] = "2024-03-01"
    with pytest.raises(AdapterRejected, match="format"):
        ADAPTER.observe(row, us)


def test_missing_mapped_columns_are_named() -> None:
    with pytest.raises(InvalidPayload) as caught:
        read_csv_export("Student;Task;Points\n1;a;3\n", QUILLPAD)
    detail = caught.value.detail
    assert "'Student Number', 'Email', 'Task ID'" in detail
    assert "'Student', 'Task', 'Points'" in detail


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("", InvalidPayload, "empty"),
        ("learner_id,,score\n", InvalidPayload, "empty column name"),
        (
            "learner_id,activity_id,score,score\n",
            InvalidPayload,
            "more than once: score",
        ),
        ("learner_id,activity_id,score\nu,a,1,extra\n", InvalidPayload, "Line 2"),
        ('learner_id,activity_id,score\nu,"a\n', InvalidPayload, "cannot be read"),
    ],
)
def test_malformed_exports(text: str, error: type[Exception], match: str) -> None:
    vendor = settings({"delimiter": ","})
    with pytest.raises(error, match=match):
        read_csv_export(text, vendor)


def test_size_and_row_limits() -> None:
    vendor = settings({"max_rows": 2, "max_bytes": 200})
    header = "learner_id,activity_id,score\n"
    assert len(read_csv_export(header + "u,a,1\nu,b,1\n", vendor)) == 2
    with pytest.raises(PayloadTooLarge, match="max_rows"):
        read_csv_export(header + "u,a,1\nu,b,1\nu,c,1\n", vendor)
    with pytest.raises(PayloadTooLarge, match="max_bytes"):
        read_csv_export(header + "u,a,1\n" * 40, vendor)


def test_short_rows_are_padded_and_cells_trimmed() -> None:
    vendor = settings({"delimiter": ","}, score={"scale": "scaled"})
    rows = read_csv_export("learner_id , activity_id,score\n u1 ,a1\n", vendor)
    assert rows == [{"learner_id": "u1", "activity_id": "a1", "score": ""}]
    assert ADAPTER.observe(rows[0], vendor) == []
    assert ADAPTER.voids(rows[0]) is None
