"""``tessera demo``: a populated instance to look at, made through the real endpoints.

It imports a real CASE framework (ACT's Holistic Framework, Math) and a small district
framework crosswalked to it by ``exactMatchOf``, adds two vendors of different shapes (an
xAPI quiz app scoring raw points out of 50, a Caliper practice app scoring 0-4), aligns their
activities, enrols a class of learners, then plays a school week of traffic: xAPI statements
POSTed to ``/xapi/statements`` with the first vendor's Basic credentials and Caliper envelopes
POSTed to ``/caliper`` with the second's bearer token, through the application itself (the
WSGI app in process, every check and the whole pipeline included), and a teacher's
performance-task scores. Learners are known to both vendors by their SIS id, so each learner's
evidence from both joins one record. Everything is deterministic (a seeded generator), so two
demo instances show the same class.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from gateway.api.tokens import create_admin_token
from gateway.competencies import import_package
from gateway.demo import gradebook
from gateway.intake.alignment import NewAlignment
from gateway.intake.identity import resolve_learners
from gateway.intake.model import LearnerRef
from gateway.intake.service import align
from gateway.lti.launch import standing_launch
from gateway.mastery import service as mastery
from gateway.mastery.contexts import put_context
from gateway.outbox.destinations import add_destination
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import vendors
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind

DATA = Path(__file__).parent / "data"
ACT_PACKAGE = DATA / "act-holistic-framework-math.CFPackage.json"
SIS_HOME = "https://sis.demo-district.example"
CLASS_KEY = "math-2-period-3"
GRADEBOOK = "demo-gradebook"  # the webhook destination standing in for an LMS
DEMO_LAUNCH_LIFETIME = timedelta(days=30)  # the printed page links work this long
INSTRUCTOR_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
QUIZ_VENDOR, PRACTICE_VENDOR = "mathquest", "shapeshop"
_NS = uuid.UUID("6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c")
WEEK_START = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)  # a Monday afternoon

# ACT items the class works on this week (humanCodingScheme), with a district code for each.
SKILLS = (
    ("H.A.MATH.GM.PF.2DFP.L1.1", "DM.G.1"),
    ("H.A.MATH.GM.PF.2DFP.L1.2", "DM.G.2"),
    ("H.A.MATH.GM.PF.2DFP.L1.3", "DM.G.3"),
    ("H.A.MATH.GM.PF.2DFP.L1.13", "DM.G.4"),
    ("H.A.MATH.GM.PF.2DFP.L1.15", "DM.G.5"),
    ("H.A.MATH.GM.PF.2DFP.L1.17", "DM.G.6"),
)
NAMES = (
    "Amara Okafor", "Ben Castillo", "Chloe Nguyen", "Dev Patel", "Elena Rossi",
    "Farid Haddad", "Grace Kim", "Hugo Martin", "Isla Brown", "Jonah Levi",
    "Kavya Rao", "Liam O'Neill", "Maya Cohen", "Noah Schmidt", "Olivia Chen",
    "Pablo Ruiz", "Quinn Taylor", "Rosa Diaz", "Sam Ito", "Tara Singh",
    "Umar Ali", "Vera Novak", "Wen Li", "Ximena Flores", "Yusuf Demir",
)  # fmt: skip

QUIZ_SETTINGS: dict[str, Any] = {
    "protocol": "xapi",
    "adapter": "standard",
    "score": {"scale": "points", "points_min": 0, "points_max": 50},
    "learner": {
        "identity": {"source": "account_name", "kind": "sis", "home_page": SIS_HOME}
    },
    "evidence": {
        "kind": "quiz",
        "dok": 2,
        "kind_by_activity": [{"pattern": "/unit-test/", "kind": "assessment"}],
    },
}
PRACTICE_SETTINGS: dict[str, Any] = {
    "protocol": "caliper",
    "score": {"scale": "points", "points_min": 0, "points_max": 4},
    "learner": {
        "identity": {
            "source": "actor_id",
            "kind": "sis",
            "pattern": "/students/([^/?#]+)$",
        }
    },
    "evidence": {"kind": "practice", "dok": 1},
}


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What ``tessera demo`` made."""

    framework_id: str
    context_id: str
    learners: int
    statements: int
    events: int
    teacher_scores: int
    admin_token: str
    teacher_launch: str  # a standing launch id: /lti/view/<id> is the class grid
    learner_launch: str  # one learner's own view

    def to_json(self) -> dict[str, Any]:
        """JSON for ``--json``."""
        return {
            "framework_id": self.framework_id,
            "context_id": self.context_id,
            "learners": self.learners,
            "statements": self.statements,
            "caliper_events": self.events,
            "teacher_scores": self.teacher_scores,
            "admin_token": self.admin_token,
            "teacher_view": f"/lti/view/{self.teacher_launch}",
            "learner_view": f"/lti/view/{self.learner_launch}",
            "gradebook": "/demo/gradebook",
        }


def is_seeded(store: Store) -> bool:
    """Whether the demo's vendors exist already."""
    with store.read() as conn:
        found = conn.execute(
            select(vendors.c.id).where(vendors.c.name == QUIZ_VENDOR)
        ).first()
    return found is not None


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(_NS, "|".join(map(str, parts))))


def district_package(act: dict[str, Any]) -> dict[str, Any]:
    """A small district framework whose items are ``exactMatchOf`` ACT's (a crosswalk)."""
    stamp = "2026-08-01T00:00:00+00:00"
    doc_id = _uid("district", "doc")
    base = "https://case.demo-district.example/ims/case/v1p0"
    doc_link = {"title": "Demo District Math", "identifier": doc_id, "uri": ""}
    doc_link["uri"] = f"{base}/CFDocuments/{doc_id}"
    by_code = {i.get("humanCodingScheme"): i for i in act["CFItems"]}
    items, assocs = [], []
    for seq, (act_code, code) in enumerate(SKILLS, start=1):
        ident, target = _uid("district", code), by_code[act_code]
        items.append(
            {
                "identifier": ident,
                "uri": f"{base}/CFItems/{ident}",
                "humanCodingScheme": code,
                "fullStatement": target["fullStatement"],
                "CFItemType": "Standard",
                "lastChangeDateTime": stamp,
                "CFDocumentURI": doc_link,
            }
        )
        node = {"title": code, "identifier": ident, "uri": f"{base}/CFItems/{ident}"}
        for kind, dest, number in (
            ("isChildOf", doc_link, seq),
            (
                "exactMatchOf",
                {
                    "title": act_code,
                    "identifier": target["identifier"],
                    "uri": target["uri"],
                },
                None,
            ),
        ):
            assoc_id = _uid("district", code, kind)
            assoc: dict[str, Any] = {
                "identifier": assoc_id,
                "uri": f"{base}/CFAssociations/{assoc_id}",
                "associationType": kind,
                "originNodeURI": node,
                "destinationNodeURI": dest,
                "lastChangeDateTime": stamp,
                "CFDocumentURI": doc_link,
            }
            if number is not None:
                assoc["sequenceNumber"] = number
            assocs.append(assoc)
    return {
        "CFDocument": {
            "identifier": doc_id,
            "uri": doc_link["uri"],
            "creator": "Demo District",
            "title": "Demo District Math Priorities",
            "lastChangeDateTime": stamp,
        },
        "CFItems": items,
        "CFAssociations": assocs,
    }


def _statement(
    n: int, sis: str, name: str, activity: str, raw: int, at: datetime
) -> Any:
    return {
        "id": _uid("statement", n),
        "actor": {
            "objectType": "Agent",
            "name": name,
            "account": {"homePage": SIS_HOME, "name": sis},
        },
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/scored",
            "display": {"en-US": "scored"},
        },
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {"type": "http://adlnet.gov/expapi/activities/assessment"},
        },
        "result": {"score": {"raw": raw, "min": 0, "max": 50}, "completion": True},
        "timestamp": at.isoformat(),
    }


def _caliper_time(at: datetime) -> str:
    # Caliper's form: UTC with milliseconds, e.g. 2026-11-16T14:00:00.000Z.
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _grade_event(n: int, sis: str, activity: str, points: int, at: datetime) -> Any:
    student = f"https://shapeshop.example/students/{sis}"
    attempt = f"{activity}/attempts/{n}"
    return {
        "@context": "http://purl.imsglobal.org/ctx/caliper/v1p2",
        "id": f"urn:uuid:{_uid('event', n)}",
        "type": "GradeEvent",
        "profile": "GradingProfile",
        "actor": {
            "id": "https://shapeshop.example/autograder",
            "type": "SoftwareApplication",
        },
        "action": "Graded",
        "object": {
            "id": attempt,
            "type": "Attempt",
            "assignee": {"id": student, "type": "Person"},
            "assignable": {"id": activity, "type": "AssignableDigitalResource"},
            "count": 1,
        },
        "eventTime": _caliper_time(at),
        "generated": {
            "id": f"{attempt}/score",
            "type": "Score",
            "attempt": attempt,
            "maxScore": 4.0,
            "scoreGiven": float(points),
            "scoredBy": "https://shapeshop.example/autograder",
        },
    }


def seed(settings: Settings, store: Store) -> DemoReport:
    """Make the demo (see the module docstring); call :func:`is_seeded` first to skip it."""
    from gateway.app import create_app  # the application whose endpoints the demo uses

    # First, so that every level the week's traffic decides is delivered to it.
    _, secret = add_destination(
        store,
        GRADEBOOK,
        "webhook",
        {"url": f"{settings.base_url}/demo/gradebook"},
        topics=["mastery.changed"],
    )
    assert secret is not None  # noqa: S101 - a webhook without one gets a fresh secret
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    gradebook.configure(settings.instance_path, secret)
    act = json.loads(ACT_PACKAGE.read_text())
    framework = import_package(store, act)
    import_package(store, district_package(act))
    by_code = {i["humanCodingScheme"]: i["identifier"] for i in act["CFItems"]}
    district = {code: _uid("district", code) for _, code in SKILLS}

    quiz, quiz_creds = add_vendor(
        store, QUIZ_VENDOR, display_name="MathQuest", settings=QUIZ_SETTINGS
    )
    practice, practice_creds = add_vendor(
        store,
        PRACTICE_VENDOR,
        display_name="ShapeShop",
        settings=PRACTICE_SETTINGS,
    )
    basic = next(c for c in quiz_creds if c.kind is CredentialKind.XAPI_BASIC)
    bearer = next(c for c in practice_creds if c.kind is CredentialKind.CALIPER_BEARER)
    rules = []
    for index, (act_code, code) in enumerate(SKILLS):
        # MathQuest aligns to ACT's items; ShapeShop to the district's crosswalked ones:
        # both count for one shared competency.
        rules.append(
            NewAlignment(
                f"https://mathquest.example/quiz/{index + 1}",
                by_code[act_code],
                vendor_id=quiz.id,
            )
        )
        rules.append(
            NewAlignment(
                f"https://mathquest.example/unit-test/{index + 1}",
                by_code[act_code],
                vendor_id=quiz.id,
            )
        )
        rules.append(
            NewAlignment(
                f"https://shapeshop.example/practice/{index + 1}",
                district[code],
                vendor_id=practice.id,
            )
        )
    align(store, rules)

    people = [(f"S{2600 + n:04d}", name) for n, name in enumerate(NAMES)]
    with store.write() as conn:
        learner_ids = resolve_learners(
            conn,
            [(LearnerRef("sis", sis),) for sis, _ in people],
            [name for _, name in people],
        )
    context = put_context(
        store,
        "demo",
        CLASS_KEY,
        title="Math 2, Period 3",
        label="MATH2-P3",
        learner_ids=learner_ids,
    )

    client = create_app(settings, store).test_client()
    auth = base64.b64encode(f"{basic.key}:{basic.secret}".encode()).decode()
    xapi_headers = {
        "Authorization": f"Basic {auth}",
        "X-Experience-API-Version": "1.0.3",
    }
    caliper_headers = {"Authorization": f"Bearer {bearer.bearer_token}"}
    pick = random.Random(2026)  # noqa: S311 - demo data, reproducible
    ability = [pick.uniform(0.35, 0.95) for _ in people]
    statements = events = scored = 0
    for day in range(5):
        at = WEEK_START + timedelta(days=day)
        batch: list[Any] = []
        envelope: list[Any] = []
        for n, (sis, name) in enumerate(people):
            for slot in range(2):
                skill = (day * 2 + slot + n) % len(SKILLS)
                grow = min(1.0, ability[n] + 0.05 * day + pick.uniform(-0.15, 0.1))
                kind = "unit-test" if day == 4 and slot == 0 else "quiz"
                batch.append(
                    _statement(
                        statements + len(batch),
                        sis,
                        name,
                        f"https://mathquest.example/{kind}/{skill + 1}",
                        max(0, round(50 * grow)),
                        at + timedelta(minutes=7 * n + slot),
                    )
                )
                envelope.append(
                    _grade_event(
                        events + len(envelope),
                        sis,
                        f"https://shapeshop.example/practice/{skill + 1}",
                        max(0, min(4, round(4 * grow))),
                        at + timedelta(hours=2, minutes=5 * n + slot),
                    )
                )
        sent = client.post("/xapi/statements", json=batch, headers=xapi_headers)
        if sent.status_code != 200:
            raise RuntimeError(
                f"the demo's statements were refused: {sent.get_data()!r}"
            )
        answer = client.post(
            "/caliper",
            json={
                "sensor": "https://shapeshop.example",
                "sendTime": _caliper_time(at + timedelta(hours=3)),
                "dataVersion": "http://purl.imsglobal.org/ctx/caliper/v1p2",
                "data": envelope,
            },
            headers=caliper_headers,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"the demo's events were refused: {answer.get_data()!r}")
        statements, events = statements + len(batch), events + len(envelope)
    levels = ("below", "near", "mastery", "exceeds")  # the default scale's codes
    for n, learner in enumerate(learner_ids):
        for skill in range(
            0, len(SKILLS), 2
        ):  # a performance task on every other skill
            level = levels[min(3, int(ability[n] * 4 + pick.uniform(-0.5, 0.5)))]
            mastery.add_teacher_evidence(
                store,
                learner,
                mastery.TeacherEvidence(
                    by_code[SKILLS[skill][0]],
                    "Ms. Alvarez",
                    level=level,
                    note="Shape sort: explained each grouping aloud.",
                    title="Shape sort performance task",
                    observed_at=WEEK_START + timedelta(days=4, hours=1),
                ),
            )
            scored += 1
    _, token = create_admin_token(store, "demo")
    views = {
        role: standing_launch(
            store,
            context_id=str(context["id"]),
            learner_id=learner,
            roles=[role],
            name=name,
            lifetime=DEMO_LAUNCH_LIFETIME,
        )
        for role, learner, name in (
            (INSTRUCTOR_ROLE, None, "Ms. Alvarez"),
            (LEARNER_ROLE, learner_ids[0], "a demo learner"),
        )
    }
    return DemoReport(
        framework.framework_id,
        str(context["id"]),
        len(learner_ids),
        statements,
        events,
        scored,
        token,
        views[INSTRUCTOR_ROLE],
        views[LEARNER_ROLE],
    )
