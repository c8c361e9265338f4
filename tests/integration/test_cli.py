from __future__ import annotations

import base64
import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import text

from gateway import create_app
from gateway.cli import cli
from gateway.settings import Settings
from gateway.store import Store, expected_revision
from tests.helpers import make_settings, settings_env


def _run(settings: Settings, *args: str) -> Result:
    return CliRunner().invoke(
        cli, list(args), env=settings_env(settings), catch_exceptions=False
    )


def _json(result: Result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_init_on_a_fresh_machine_makes_folder_database_and_keys(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "new")
    first = _json(_run(settings, "init", "--json"))
    assert isinstance(first, dict)
    assert Path(first["instance_path"]).is_dir()
    assert first["revision_before"] is None and first["revision"] == expected_revision()
    assert {k["purpose"] for k in first["keys_created"]} == {
        "lti",
        "credentials",
        "credentials-jwt",
    }
    again = _json(_run(settings, "init", "--json"))
    assert isinstance(again, dict) and again["keys_created"] == []


def test_init_refuses_a_database_from_a_newer_tessera(
    settings: Settings, store: Store
) -> None:
    with store.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    result = _run(settings, "init")
    assert result.exit_code == 1
    assert "migrated by a newer Tessera" in result.stderr


def test_bad_configuration_exits_2_naming_the_variable(tmp_path: Path) -> None:
    env = {"TESSERA_INSTANCE_PATH": str(tmp_path), "TESSERA_LOG_LEVEL": "LOUD"}
    result = CliRunner().invoke(cli, ["init"], env=env)
    assert result.exit_code == 2
    assert (
        "TESSERA_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR" in result.stderr
    )


def test_vendor_add_prints_credentials_that_work(
    settings: Settings, store: Store
) -> None:
    out = _json(_run(settings, "vendor", "add", "acme", "--json"))
    assert isinstance(out, dict) and out["name"] == "acme"
    key, secret = out["xapi"]["key"], out["xapi"]["secret"]
    client = create_app(settings, store).test_client()
    basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
    response = client.get("/whoami", headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200 and response.json["vendor"] == "acme"  # type: ignore[index]
    token = out["caliper"]["token"]
    response = client.get("/whoami", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_vendor_list_never_shows_secrets(settings: Settings) -> None:
    added = _json(_run(settings, "vendor", "add", "acme", "--json"))
    listed = _run(settings, "vendor", "list", "--json")
    assert isinstance(added, dict)
    assert added["xapi"]["secret"] not in listed.stdout
    assert [v["name"] for v in json.loads(listed.stdout)] == ["acme"]
    text_listing = _run(settings, "vendor", "list").stdout
    assert "acme" in text_listing and added["xapi"]["secret"] not in text_listing


def test_vendor_rotate_and_remove(settings: Settings, store: Store) -> None:
    old = _json(_run(settings, "vendor", "add", "acme", "--json"))
    new = _json(_run(settings, "vendor", "rotate", "acme", "--grace", "1h", "--json"))
    assert isinstance(old, dict) and isinstance(new, dict)
    assert new["xapi"]["secret"] != old["xapi"]["secret"]
    assert len(new["credentials"]) == 4 and all(
        c["expires_at"] for c in new["credentials"] if c["key"] in (old["xapi"]["key"],)
    )
    removed = _json(_run(settings, "vendor", "remove", "acme", "--yes", "--json"))
    assert removed == {"removed": "acme", "id": old["id"]}
    assert _json(_run(settings, "vendor", "list", "--json")) == []


def test_vendor_errors_are_one_sentence(settings: Settings) -> None:
    result = _run(settings, "vendor", "rotate", "ghost")
    assert result.exit_code == 1
    assert "No vendor is named 'ghost'" in result.stderr
    bad = _run(settings, "vendor", "rotate", "ghost", "--grace", "soon")
    assert bad.exit_code == 2 and "90s or 24h" in bad.stderr
    _run(settings, "vendor", "add", "acme")
    dup = _run(settings, "vendor", "add", "acme")
    assert dup.exit_code == 1 and "already exists" in dup.stderr


def test_keys_rotate_keeps_the_old_key_published(settings: Settings) -> None:
    assert _run(settings, "init").exit_code == 0
    before = _json(_run(settings, "keys", "list", "--json"))
    new = _json(_run(settings, "keys", "rotate", "--purpose", "lti", "--json"))
    after = _json(_run(settings, "keys", "list", "--json"))
    assert (
        isinstance(before, list) and isinstance(after, list) and isinstance(new, dict)
    )
    assert len(after) == len(before) + 1
    retired = [k for k in after if k["retired_at"]]
    assert [k["purpose"] for k in retired] == ["lti"]
    assert new["kid"] in [k["kid"] for k in after if not k["retired_at"]]
