"""`tessera destination add|list|remove` and `tessera worker --once`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from gateway.cli import cli
from gateway.settings import Settings
from gateway.store import Store
from tests.delivery_helpers import COMPETENCIES, Sink, seed_people, set_level
from tests.helpers import settings_env


def _run(settings: Settings, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(
        cli, list(args), env=settings_env(settings), input=stdin, catch_exceptions=False
    )


def test_destinations_from_the_command_line(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    added = _run(
        settings, "destination", "add", "dw", "--kind", "webhook",
        "--url", "https://dw.example/hook", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    made = json.loads(added.stdout)
    assert made["secret"].startswith("whsec_")
    config = tmp_path / "sis.toml"
    config.write_text(
        'base_url = "https://sis.example/ims/oneroster/gradebook/v1p2"\n'
        'token_url = "https://sis.example/token"\nclient_id = "tessera"\n'
    )
    sis = _run(
        settings, "destination", "add", "sis", "--kind", "oneroster",
        "--settings", str(config), "--secret-stdin", "--json", stdin="s3cret\n",
    )  # fmt: skip
    assert sis.exit_code == 0, sis.output
    assert json.loads(sis.stdout)["secret"] is None  # given, so not shown
    listed = _run(settings, "destination", "list")
    assert "dw" in listed.stdout and "sis" in listed.stdout
    assert "s3cret" not in listed.stdout and "whsec_" not in listed.stdout
    refused = _run(settings, "destination", "add", "x", "--kind", "oneroster")
    assert refused.exit_code == 1 and "settings.base_url is required" in refused.stderr
    removed = _run(settings, "destination", "remove", "dw", "--json")
    assert json.loads(removed.stdout)["abandoned"] == 0
    assert "dw" not in _run(settings, "destination", "list").stdout


def test_worker_once_delivers_what_is_due(
    settings: Settings, store: Store, httpserver: HTTPServer
) -> None:
    sink = Sink()
    httpserver.expect_request("/hook", method="POST").respond_with_handler(sink)
    url = httpserver.url_for("/hook")
    _run(settings, "destination", "add", "hook", "--kind", "webhook", "--url", url)
    [learner] = seed_people(store, 1)
    set_level(store, learner, COMPETENCIES[0], "mastery")
    done = _run(settings, "worker", "--once", "--json")
    assert done.exit_code == 0, done.output
    stats = json.loads(done.stdout)
    assert stats["attempts"] == 1 and stats["outcomes"] == {"delivered": 1}
    assert [r["body"]["data"]["level"] for r in sink.received] == ["mastery"]
