"""A teacher-visible mastery change reaches a real LTI gradebook (PyPI lti1p3platform) by AGS.

The learner launches from the platform (so Tessera knows the course, its line items URL and
the learner's ``sub``); a teacher's performance task makes them proficient; the outbox worker
delivers to an ``lti_ags`` destination: one line item per competency, found or created once,
and the score with the level's points and label.
"""

from __future__ import annotations

from dataclasses import replace

from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.keys import ensure_keys, public_jwks
from gateway.lti.platforms import NewRegistration, add_registration
from gateway.mastery import service
from gateway.outbox.destinations import add_destination
from gateway.outbox.worker import Worker
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import learner_identifiers
from tests.builders import seed_competencies
from tests.delivery_helpers import all_settled, drain
from tests.lti_platform_peer import LEARNER, PeerPlatform

C1 = "c1000000-0000-4000-8000-000000000001"


def test_a_mastery_change_reaches_the_platform_gradebook(
    store: Store, settings: Settings, client: FlaskClient
) -> None:
    ensure_keys(store)
    seed_competencies(store, [(C1, None)])
    peer = PeerPlatform("http://127.0.0.1:8000")
    try:
        peer.registration.set_tool_key_set(public_jwks(store))
        add_registration(
            store,
            NewRegistration(**peer.endpoints, deployment_ids=[peer.deployment_id]),
            allow_private=True,
        )
        started = client.get(peer.preflight_url("learner-1").split("8000", 1)[1])
        form = peer.launch_form(
            started.headers["Location"], user_id="learner-1", roles=[LEARNER], name="L"
        )
        landed = client.post(
            "/lti/launch", data={"id_token": form["id_token"], "state": form["state"]}
        )
        assert landed.status_code == 303, landed.get_data(as_text=True)
        with store.read() as conn:
            learner = conn.execute(
                select(learner_identifiers.c.learner_id).where(
                    learner_identifiers.c.kind == "lti"
                )
            ).scalar_one()
        add_destination(store, "gradebook", "lti_ags", {})
        service.set_layer(
            store, "default", "", {"rules": {"min_evidence": 1, "min_sources": 1}}, "t"
        )
        service.add_teacher_evidence(
            store, learner, service.TeacherEvidence(C1, "Ms Rivera", level="mastery")
        )
        fast = replace(
            settings,
            allow_private_urls=True,
            delivery_timeout_seconds=5,
            delivery_lease_seconds=30,
            delivery_backoff_ms=20,
        )
        worker = Worker(store, fast, name="w1")
        drain(worker, all_settled(store))
        [(_, score)] = peer.scores
        assert score["userId"] == "learner-1"
        assert (score["scoreGiven"], score["scoreMaximum"]) == (3.0, 4.0)
        assert score["comment"] == "Mastery"
        assert score["gradingProgress"] == "FullyGraded"
        [line_item] = peer.line_items.values()
        assert line_item["resourceId"] == C1 and line_item["tag"] == "tessera-mastery"
        # A later change goes to the same line item.
        service.override(store, learner, C1, "exceeds", "portfolio review", "Ms Rivera")
        drain(worker, all_settled(store))
        assert [s["scoreGiven"] for _, s in peer.scores] == [3.0, 4.0]
        assert len(peer.line_items) == 1
    finally:
        peer.stop()
