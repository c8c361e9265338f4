"""The standards' fixtures, copied from the team's shared/fixtures into tests/fixtures.

They live in the repository so that a clone anywhere runs the tests; provenance is in
tests/fixtures/SOURCES-shared.md and tests/fixtures/case/SOURCES.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SHARED_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
XAPI_SPEC = SHARED_FIXTURES / "xapi" / "adl-xapi-spec-1.0.3"
XAPI_VIDEO = SHARED_FIXTURES / "xapi" / "video-profile"
CALIPER_V1P2 = SHARED_FIXTURES / "caliper" / "v1p2"


def load_json(path: Path) -> Any:
    """The parsed JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))
