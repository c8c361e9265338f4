"""Summarize a log file of the ADL LRS conformance suite: counts, then each failing test.

    python tests/conformance/summarize_adl_log.py .conformance/suite/logs/UUID.log

The suite's exit code is its failure count mod 256, so its log is the result. The first line
printed is ``xAPI VERSION: N passed, M failed`` (plus the run's state when it did not finish);
then the failing leaves of the test tree, grouped under their top-level group, each with its
error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def failing_leaves(node: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[Any]:
    """(titles from the root, error) of every failed test without failing children."""
    children = [c for c in node.get("tests") or () if c]
    here = (*path, str(node.get("title") or ""))
    failed = [c for c in children if c.get("status") == "failed"]
    if failed:
        for child in failed:
            yield from failing_leaves(child, here)
    elif node.get("status") == "failed":
        yield here, node.get("error")


def summarize(log: dict[str, Any]) -> list[str]:
    """The lines of the summary of one run log."""
    summary = log.get("summary") or {}
    state = log.get("state")
    head = (
        f"xAPI {summary.get('version', '?')}: {summary.get('passed', 0)} passed, "
        f"{summary.get('failed', 0)} failed"
    )
    lines = [head if state == "finished" else f"{head} (run {state})"]
    group = None
    for titles, error in failing_leaves(log.get("log") or {}):
        top = titles[1] if len(titles) > 1 else titles[0]
        if top != group:
            lines.append(f"== {top}")
            group = top
        lines.append(f"  - {' > '.join(t for t in titles[2:] if t)}")
        if error:
            lines.append(f"      {' '.join(str(error).split())[:400]}")
    return lines


def main(argv: list[str]) -> int:
    """Print the summary of the log file named on the command line."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    log = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    print("\n".join(summarize(log)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
