"""``tessera demo``: a populated instance, made through the real endpoints, once."""

from __future__ import annotations

import json

from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gateway.cli import cli
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import evidence, mastery, raw_records
from tests.api_helpers import ok
from tests.helpers import settings_env


def test_the_demo_fills_a_class_from_two_vendors_and_a_teacher(
    settings: Settings, store: Store, client: FlaskClient
) -> None:
    runner = CliRunner()
    env = settings_env(settings)
    made = runner.invoke(cli, ["demo", "--json"], env=env, catch_exceptions=False)
    assert made.exit_code == 0, made.output
    report = json.loads(made.stdout)
    assert report["seeded"] and report["learners"] == 25
    with store.read() as conn:
        by_source = dict(
            conn.execute(
                select(evidence.c.kind, func.count()).group_by(evidence.c.kind)
            ).all()
        )
        statuses = dict(
            conn.execute(
                select(raw_records.c.status, func.count()).group_by(
                    raw_records.c.status
                )
            ).all()
        )
        shared = conn.execute(
            select(func.count(func.distinct(evidence.c.shared_id)))
        ).scalar_one()
        learners_with_both = conn.execute(
            select(func.count()).select_from(
                select(evidence.c.learner_id)
                .where(evidence.c.vendor_id.is_not(None))
                .group_by(evidence.c.learner_id)
                .having(func.count(func.distinct(evidence.c.vendor_id)) == 2)
                .subquery()
            )
        ).scalar_one()
        levels = dict(
            conn.execute(
                select(mastery.c.level, func.count()).group_by(mastery.c.level)
            ).all()
        )
    # Every payload (a teacher's scores are kept as records too) became evidence: none
    # left unaligned or rejected.
    payloads = (
        report["statements"] + report["caliper_events"] + report["teacher_scores"]
    )
    assert statuses == {"processed": payloads}
    assert by_source["practice"] == report["caliper_events"]
    assert by_source["quiz"] + by_source["assessment"] == report["statements"]
    assert by_source["performance_task"] == report["teacher_scores"]
    # The district's items are exactMatchOf ACT's: six shared competencies, not twelve.
    assert shared == 6
    # Each learner is one record whatever the protocol (both vendors know the SIS id).
    assert learners_with_both == 25
    assert levels.get("mastery", 0) > 0 and levels.get("near", 0) > 0
    grid = ok(
        client.get(
            f"/api/v1/contexts/{report['context_id']}/mastery",
            headers={"Authorization": f"Bearer {report['admin_token']}"},
        )
    )
    assert len({c["learner_id"] for c in grid["cells"]}) == 25
    # The printed page links open the teacher's grid and one learner's own view.
    page = client.get(report["teacher_view"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    grid_html = html.split('id="grid"')[1].split("</table>")[0]
    assert "Math 2, Period 3" in html and grid_html.count('<th scope="row">') == 25
    mine = client.get(report["learner_view"]).get_data(as_text=True)
    assert 'id="mastery"' in mine and 'id="score-form"' not in mine

    again = runner.invoke(
        cli, ["demo", "--if-empty", "--json"], env=env, catch_exceptions=False
    )
    assert json.loads(again.stdout) == {"seeded": False}
    refused = runner.invoke(cli, ["demo"], env=env)
    assert refused.exit_code == 1 and "already here" in refused.output
    with store.read() as conn:
        assert conn.execute(
            select(func.count()).select_from(evidence)
        ).scalar_one() == (sum(by_source.values()))
