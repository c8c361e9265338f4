"""Builders for learner-record tests: a crosswalked framework, a learner, mastery rows.

Mastery rows are written directly, as the mastery engine would leave them; the records code
only reads them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from sqlalchemy import insert, select

from gateway.competencies import import_package
from gateway.intake.identity import resolve_learners
from gateway.intake.model import LearnerRef
from gateway.mastery import service
from gateway.records.jsonld import CLR_V2P0, MULTIKEY_V1, bundled_context
from gateway.store import Store
from gateway.store.tables import evidence, mastery, observations, raw_records
from tests.case_packages import item_id, make_association, make_package

BASE_URL = "https://records.example.edu"
NODE_DIR = Path(__file__).resolve().parent / "verifiers" / "node"
MATH_TREE = {"": ["OA"], "OA": ["OA.1", "OA.2", "OA.3", "OA.4"]}


@dataclass(frozen=True)
class Seeded:
    """What :func:`seed` made."""

    learner_id: str
    framework_id: str  # "math": a domain OA over four standards
    other_framework_id: str  # "state": its S.1 is exactMatchOf math's OA.1

    def shared(self, code: str) -> str:
        """The shared id of a math item."""
        return item_id("math", code).lower()


def seed(store: Store) -> Seeded:
    """Two crosswalked frameworks and a learner with an email address and a SIS id."""
    math = make_package("math", MATH_TREE, title="Grade 3 Mathematics")
    for item in math["CFItems"]:
        if item["humanCodingScheme"] == "OA":
            item["CFItemType"] = "Domain"
    state = make_package("state", {"": ["S.1"]}, title="State Standards")
    state["CFAssociations"].append(
        make_association(
            "exactMatchOf",
            item_id("state", "S.1"),
            item_id("math", "OA.1"),
            dest_uri=f"https://case.example.org/CFItems/{item_id('math', 'OA.1')}",
        )
    )
    import_package(store, math, competency_item_types=["Standard"])
    import_package(store, state)
    with store.write() as conn:
        (learner_id,) = resolve_learners(
            conn,
            [(LearnerRef("email", "ada@example.edu"), LearnerRef("sis", "S-1001"))],
            ["Ada"],
        )
    return Seeded(
        learner_id,
        math["CFDocument"]["identifier"].lower(),
        state["CFDocument"]["identifier"].lower(),
    )


def set_mastery(
    store: Store,
    learner_id: str,
    shared_id: str,
    level: str,
    *,
    since: datetime | None = None,
) -> None:
    """Give the learner ``level`` on a competency through the mastery engine itself.

    The first time, a teacher scores a performance task at that level (the rules are
    relaxed so that one piece decides: these tests are about credentials, not evidence
    rules); after that, a teacher overrides the level, as a teacher would.
    """
    with store.read() as conn:
        decided = conn.execute(
            select(mastery.c.level)
            .where(mastery.c.learner_id == learner_id)
            .where(mastery.c.shared_id == shared_id)
        ).first()
    if decided is not None:
        service.override(store, learner_id, shared_id, level, "re-assessed", "tests")
        return
    service.set_layer(
        store,
        "default",
        "",
        {"rules": {"min_evidence": 1, "min_sources": 1}},
        "records tests",
    )
    service.add_teacher_evidence(
        store,
        learner_id,
        service.TeacherEvidence(
            shared_id,
            "records tests",
            level=level,
            observed_at=since or datetime(2026, 11, 2, 15, 30, tzinfo=UTC),
        ),
    )


def add_evidence(
    store: Store, learner_id: str, shared_id: str, kinds: Sequence[str]
) -> None:
    """Evidence rows (with their raw record and observation) for the summary."""
    with store.write() as conn:
        for n, kind in enumerate(kinds):
            key = f"{learner_id[:8]}-{shared_id[:8]}-{n}"
            at = datetime(2026, 10, 1 + n, tzinfo=UTC)
            conn.execute(
                insert(raw_records).values(
                    id=f"r-{key}",
                    protocol="api",
                    external_id=key,
                    body="{}",
                    received_at=at,
                    status="processed",
                )
            )
            conn.execute(
                insert(observations).values(
                    id=f"o-{key}",
                    raw_record_id=f"r-{key}",
                    learner_id=learner_id,
                    activity_id=f"https://vendor.example/{n}",
                    observed_at=at,
                    score=0.9,
                    hints=[],
                    aligned=True,
                )
            )
            conn.execute(
                insert(evidence).values(
                    id=f"e-{key}",
                    observation_id=f"o-{key}",
                    raw_record_id=f"r-{key}",
                    learner_id=learner_id,
                    shared_id=shared_id,
                    competency_id=shared_id,
                    score=0.9,
                    kind=kind,
                    weight=1.0,
                    observed_at=at,
                    received_at=at,
                )
            )


# --- The independent verifiers ------------------------------------------------------------


def served(client: FlaskClient, url: str) -> bytes:
    """What this Tessera serves at an absolute URL under BASE_URL (a verifier's download)."""
    if not url.startswith(BASE_URL):
        raise OSError(f"not fetched: {url}")
    response = client.get(urlsplit(url).path)
    if response.status_code != 200:
        raise OSError(f"{url}: {response.status_code}")
    return response.data


def node_documents(client: FlaskClient) -> dict[str, Any]:
    """What the Node verifier would fetch: the DID document, its keys, the status lists."""
    did = json.loads(served(client, f"{BASE_URL}/.well-known/did.json"))
    docs: dict[str, Any] = {did["id"]: did}
    for method in did["verificationMethod"]:
        docs[method["id"]] = {"@context": did["@context"], **method}
    n = 1
    while client.get(f"/status/{n}").status_code == 200:
        url = f"{BASE_URL}/status/{n}"
        docs[url] = json.loads(served(client, url))
        n += 1
    return docs


def ensure_node_verifier() -> None:
    """Install the Node verifier's locked packages when missing (as `make test` does)."""
    lock = NODE_DIR / "package-lock.json"
    marker = NODE_DIR / "node_modules" / ".package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to install the Node credential verifier")
    subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=NODE_DIR,
        check=True,
        capture_output=True,
        timeout=600,
    )


def node_verify(
    credentials: Sequence[dict[str, Any]], documents: dict[str, Any]
) -> list[dict[str, Any]]:
    """Results of @digitalcredentials/vc for each credential (see verify.mjs)."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed to run the Node credential verifier")
    payload = {
        "credentials": list(credentials),
        "documents": documents,
        # The CLR 2.0.1 and Multikey contexts are not bundled in the Node loader.
        "contexts": {url: bundled_context(url) for url in (CLR_V2P0, MULTIKEY_V1)},
    }
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [node, str(NODE_DIR / "verify.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "NODE_NO_WARNINGS": "1"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"verify.mjs failed: {done.stderr[-2000:]}")
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results
