from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from gateway.cli import cli
from gateway.settings import Settings
from gateway.store import Store
from tests.case_packages import ACT, SMARTER_BALANCED, make_package, real_package
from tests.helpers import settings_env

SB_ID = "1796d9a2-d5ee-11e7-b39f-71a145b86a18"


def _run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(
        cli, list(args), env=settings_env(settings), catch_exceptions=False
    )


def test_framework_import_json_then_list(settings: Settings, store: Store) -> None:
    result = _run(
        settings,
        "framework",
        "import",
        str(SMARTER_BALANCED),
        "--item-types",
        "Target, Measured Skill",
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["framework_id"] == SB_ID
    assert report["items"] == {
        "created": 48,
        "updated": 0,
        "unchanged": 0,
        "archived": 0,
    }
    assert result.stderr == ""  # no progress bar with --json
    listed = json.loads(_run(settings, "framework", "list", "--json").stdout)
    assert [(f["id"], f["competency_count"]) for f in listed] == [(SB_ID, 3)]
    assert listed[0]["competency_item_types"] == ["Target", "Measured Skill"]


def test_framework_import_text_shows_progress_and_summary(
    settings: Settings, store: Store
) -> None:
    result = _run(settings, "framework", "import", str(ACT))
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr
    assert "items: 28 created, 0 updated, 0 unchanged, 0 archived" in result.stdout
    again = _run(settings, "framework", "import", str(ACT))
    assert "items: 0 created, 0 updated, 28 unchanged, 0 archived" in again.stdout
    listing = _run(settings, "framework", "list").stdout
    assert "ACT Holistic Framework, Math" in listing and "28 items" in listing


def test_framework_import_from_a_url(
    settings: Settings, store: Store, httpserver: HTTPServer
) -> None:
    path = f"/ims/case/v1p0/CFPackages/{SB_ID}"
    httpserver.expect_request(path).respond_with_json(real_package(SMARTER_BALANCED))
    url = httpserver.url_for(path)
    refused = _run(settings, "framework", "import", url)
    assert refused.exit_code == 1 and "not https" in refused.output
    assert httpserver.log == []
    result = CliRunner().invoke(
        cli,
        ["framework", "import", url, "--json"],
        env=settings_env(settings) | {"TESSERA_ALLOW_PRIVATE_URLS": "1"},
        catch_exceptions=False,
    )
    assert json.loads(result.stdout)["items"]["created"] == 48


def test_framework_import_errors_are_one_sentence_and_exit_1(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    package = make_package("bad")
    del package["CFItems"][0]["uri"]
    target = tmp_path / "bad.json"
    target.write_text(json.dumps(package))
    result = _run(settings, "framework", "import", str(target))
    assert result.exit_code == 1
    assert "$.CFItems[0]" in result.stderr and "Traceback" not in result.stderr
    assert "No frameworks yet" in _run(settings, "framework", "list").stdout
