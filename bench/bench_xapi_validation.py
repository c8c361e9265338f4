"""xAPI statement validation speed: µs per statement, best of several runs.

The spec's Appendix A statement (typical), the cmi5 example, and a statement using every
property, for validation alone and for ``json.loads`` plus validation.
"""

from __future__ import annotations

import json
import timeit
from typing import Any

from gateway.xapi import validate_statement, validate_statements
from tests.unit.shared_fixtures import XAPI_SPEC, load_json
from tests.unit.test_xapi_validation import make_statement

NUMBER = 5_000
REPEAT = 5


def _best_us(call: Any, number: int = NUMBER) -> float:
    """Best-of-REPEAT microseconds per call."""
    return min(timeit.repeat(call, number=number, repeat=REPEAT)) / number * 1e6


def main() -> list[str]:
    cases = {
        "typical (spec Appendix A)": load_json(
            XAPI_SPEC / "data-08-appendix-a-example-statements.json"
        ),
        "cmi5 example": load_json(XAPI_SPEC / "about-01-appendix-b-cmi5-example.json"),
        "every property": make_statement(),
    }
    rows = []
    for name, statement in cases.items():
        body = json.dumps(statement)
        for version in ("1.0.3", "2.0.0"):
            alone = _best_us(
                lambda s=statement, v=version: validate_statement(s, version=v)
            )
            parsed = _best_us(
                lambda b=body, v=version: validate_statement(json.loads(b), version=v)
            )
            rows.append(
                f"| xAPI validation, {name}, {version} | {alone:.0f} µs "
                f"({parsed:.0f} µs with json.loads) | | | | |"
            )
    batch = [make_statement() for _ in range(100)]
    for statement in batch:
        del statement["id"]
    per = _best_us(lambda: validate_statements(batch, version="2.0.0"), 200) / len(
        batch
    )
    rows.append(
        f"| xAPI validation, batch of 100 (every property), 2.0.0 | {per:.0f} µs each | | | | |"
    )
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
