"""The demo's gradebook: the receiving end of a webhook, standing in for an LMS.

``tessera demo`` adds a webhook destination for ``mastery.changed`` pointing here and keeps
its secret in the instance folder (``demo-gradebook.json``, readable by its owner only). A
delivery worker (``tessera run --with-worker``, as ``make run`` starts it) delivers each
level change, signed; ``POST /demo/gradebook`` checks the signature like any receiver must
and appends the grade to ``demo-gradebook.jsonl``; ``GET /demo/gradebook`` shows the latest
grade per learner and competency, as a gradebook would. On an instance without the demo both
answer 404.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from adapters.outbound.webhook import verify_signature
from gateway.extension import tessera
from gateway.store.tables import competencies, learners

bp = Blueprint("demo", __name__, template_folder="templates")
CONFIG = "demo-gradebook.json"
LOG = "demo-gradebook.jsonl"
_LOCK = threading.Lock()


def configure(instance: Path, secret: str) -> None:
    """Keep the destination's secret where the receiver finds it (owner-only file)."""
    path = instance / CONFIG
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump({"secret": secret}, out)


def _secret() -> str:
    path = tessera().settings.instance_path / CONFIG
    try:
        return str(json.loads(path.read_text())["secret"])
    except (OSError, ValueError, KeyError):
        abort(404)


@bp.post("/demo/gradebook")
def receive() -> Response:
    """A signed mastery.changed webhook: recorded as a grade."""
    raw = request.get_data()
    if not verify_signature(_secret(), dict(request.headers), raw):
        abort(401, "The Tessera-Signature does not match the demo gradebook's secret.")
    event = json.loads(raw)
    if event.get("type") == "mastery.changed":
        data = event.get("data") or {}
        line = {
            "event_id": event.get("id"),
            "learner_id": data.get("learner_id"),
            "shared_id": data.get("shared_id"),
            "label": data.get("label"),
            "points": data.get("points"),
            "at": data.get("at"),
            "received": request.headers.get("Tessera-Timestamp"),
        }
        with _LOCK, (tessera().settings.instance_path / LOG).open("a") as out:
            out.write(json.dumps(line) + "\n")
    return Response(status=204)


def grades() -> list[dict[str, Any]]:
    """The latest grade per learner and competency, with names, by learner."""
    _secret()
    path = tessera().settings.instance_path / LOG
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    if path.exists():
        for text in path.read_text().splitlines():
            line = json.loads(text)
            latest[(line["learner_id"], line["shared_id"])] = line
    with tessera().store.read() as conn:
        names = dict(
            conn.execute(
                select(learners.c.id, learners.c.display_name).where(
                    learners.c.id.in_(sorted({k[0] for k in latest}))
                )
            ).all()
        )
        codes = dict(
            conn.execute(
                select(competencies.c.id, competencies.c.human_coding_scheme).where(
                    competencies.c.id.in_(sorted({k[1] for k in latest}))
                )
            ).all()
        )
    rows = [
        line
        | {
            "learner": names.get(line["learner_id"]) or line["learner_id"],
            "competency": codes.get(line["shared_id"]) or line["shared_id"],
        }
        for line in latest.values()
    ]
    return sorted(rows, key=lambda r: (str(r["learner"]), str(r["competency"])))


@bp.get("/demo/gradebook")
def gradebook() -> Response:
    """The demo LMS's gradebook page."""
    rows = grades()
    body = render_template("demo/gradebook.html", rows=rows)
    return Response(body, mimetype="text/html", headers={"Cache-Control": "no-store"})
