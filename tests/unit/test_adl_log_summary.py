"""The summary of an ADL conformance suite log (tests/conformance/summarize_adl_log.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conformance.summarize_adl_log import main, summarize


def leaf(title: str, status: str, error: str | None = None) -> dict[str, object]:
    return {"title": title, "status": status, "error": error, "tests": []}


LOG = {
    "state": "finished",
    "summary": {"total": 4, "passed": 2, "failed": 2, "version": "2.0.0"},
    "log": {
        "title": "root",
        "status": "failed",
        "tests": [
            {
                "title": "Signed Statements (Data 2.6)",
                "status": "failed",
                "tests": [
                    leaf("accepts RS256", "passed"),
                    leaf("rejects HS256", "failed", "expected 200\n to equal 400"),
                ],
            },
            {
                "title": "Concurrency",
                "status": "failed",
                "tests": [
                    {
                        "title": "State",
                        "status": "failed",
                        "tests": [leaf("409", "failed", "expected 204"), None],
                    }
                ],
            },
            leaf("About", "passed"),
        ],
    },
}


def test_counts_come_first_then_each_failing_leaf_by_group() -> None:
    assert summarize(LOG) == [
        "xAPI 2.0.0: 2 passed, 2 failed",
        "== Signed Statements (Data 2.6)",
        "  - rejects HS256",
        "      expected 200 to equal 400",
        "== Concurrency",
        "  - State > 409",
        "      expected 204",
    ]


def test_an_interrupted_run_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "run.log"
    path.write_text(json.dumps(dict(LOG, state="cancelled")), encoding="utf-8")
    assert main(["summarize", str(path)]) == 0
    assert capsys.readouterr().out.startswith(
        "xAPI 2.0.0: 2 passed, 2 failed (run cancelled)\n"
    )
    assert main(["summarize"]) == 2
