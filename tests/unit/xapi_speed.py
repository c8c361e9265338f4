"""Measure xAPI statement validation speed (a script, not a test: timings vary by machine).

Run: ``.venv/bin/python -m tests.unit.xapi_speed``. Prints µs per statement for the spec's
Appendix A statement (typical), the cmi5 example, and a statement using every property, for
validation alone and for ``json.loads`` plus validation.
"""

from __future__ import annotations

import json
import timeit
from typing import Any

from gateway.xapi import validate_statement, validate_statements
from tests.unit.shared_fixtures import XAPI_SPEC, load_json
from tests.unit.test_xapi_validation import make_statement

NUMBER = 20_000
REPEAT = 5


def _best_us(call: Any, number: int = NUMBER) -> float:
    """Best-of-REPEAT microseconds per call."""
    return min(timeit.repeat(call, number=number, repeat=REPEAT)) / number * 1e6


def main() -> None:
    cases = {
        "typical (spec Appendix A)": load_json(
            XAPI_SPEC / "data-08-appendix-a-example-statements.json"
        ),
        "cmi5 example": load_json(XAPI_SPEC / "about-01-appendix-b-cmi5-example.json"),
        "every property": make_statement(),
    }
    for name, statement in cases.items():
        body = json.dumps(statement)
        for version in ("1.0.3", "2.0.0"):
            alone = _best_us(
                lambda s=statement, v=version: validate_statement(s, version=v)
            )
            parsed = _best_us(
                lambda b=body, v=version: validate_statement(json.loads(b), version=v)
            )
            print(
                f"{name:26} {version}: {alone:6.1f} µs validate, {parsed:6.1f} µs parse+validate"
            )
    batch = [make_statement() for _ in range(100)]
    for statement in batch:
        del statement["id"]
    per = _best_us(lambda: validate_statements(batch, version="2.0.0"), 200) / len(
        batch
    )
    print(f"batch of 100 (every property) 2.0.0: {per:6.1f} µs per statement")


if __name__ == "__main__":
    main()
