"""Tessera as an admin runs it: `tessera vendor add`, then `tessera run` (gunicorn), over HTTP."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from gateway.settings import Settings
from tests.e2e.conftest import BIN, running_tessera

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(
    settings: Settings, tmp_path: Path
) -> Iterator[tuple[str, dict[str, str], Path]]:
    with running_tessera(settings, tmp_path) as running:
        yield running


def test_vendor_credentials_from_the_cli_work_against_gunicorn(
    server: tuple[str, dict[str, str], Path], backend: str
) -> None:
    base, env, log = server
    added = subprocess.run(
        [BIN / "tessera", "vendor", "add", "acme", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    creds = json.loads(added.stdout)

    health = requests.get(f"{base}/healthz", timeout=5)
    assert health.json()["store"]["dialect"] == backend

    ok = requests.get(
        f"{base}/whoami",
        auth=(creds["xapi"]["key"], creds["xapi"]["secret"]),
        timeout=5,
    )
    assert ok.status_code == 200 and ok.json()["vendor"] == "acme"
    bearer = {"Authorization": f"Bearer {creds['caliper']['token']}"}
    assert (
        requests.get(f"{base}/whoami", headers=bearer, timeout=5).json()["vendor"]
        == "acme"
    )
    bad = requests.get(
        f"{base}/whoami", auth=(creds["xapi"]["key"], "wrong"), timeout=5
    )
    assert bad.status_code == 401
    assert bad.headers["Content-Type"] == "application/problem+json"

    # Every request line in the server's JSON log carries the id the client was given.
    time.sleep(0.2)
    entries = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{")
    ]
    logged_ids = {e["request_id"] for e in entries if e.get("path") == "/whoami"}
    assert {ok.headers["X-Request-ID"], bad.headers["X-Request-ID"]} <= logged_ids


def test_oversized_body_is_refused_by_the_real_server(
    server: tuple[str, dict[str, str], Path],
) -> None:
    base, _, _ = server
    huge = b"x" * (16 * 1024 * 1024 + 1)
    for method in (
        "GET",
        "POST",
    ):  # refused before auth and before routing decides on 405
        response = requests.request(method, f"{base}/whoami", data=huge, timeout=30)
        assert response.status_code == 413
        assert "TESSERA_MAX_BODY_BYTES" in response.json()["detail"]
    assert (
        requests.get(f"{base}/healthz", timeout=5).status_code == 200
    )  # still serving


def test_a_signed_statement_with_attachment_data_round_trips_through_gunicorn(
    server: tuple[str, dict[str, str], Path],
) -> None:
    """multipart/mixed in and out over real HTTP (xAPI Communication 1.5.2, Data 2.6)."""
    from tests.integration.test_xapi_attachments import attachment, data_part, signed
    from tests.unit.test_xapi_multipart import CT, body, json_part
    from tests.unit.test_xapi_signatures import original, sign

    base, env, _ = server
    added = subprocess.run(
        [BIN / "tessera", "vendor", "add", "acme", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    creds = json.loads(added.stdout)
    auth = (creds["xapi"]["key"], creds["xapi"]["secret"])
    picture = bytes(range(256)) * 64
    # The signature covers the statement with its other attachments (Data 2.6).
    statement = dict(
        original(), attachments=[attachment(picture, contentType="image/png")]
    )
    token = sign(statement, algorithm="RS512", x5c=True)
    sent = signed(statement, token)
    sent["attachments"] = [*statement["attachments"], *sent["attachments"]]
    raw = body(
        json_part(json.dumps(sent).encode()), data_part(token), data_part(picture)
    )
    headers = {"X-Experience-API-Version": "1.0.3", "Content-Type": CT}
    posted = requests.post(
        f"{base}/xapi/statements", data=raw, headers=headers, auth=auth, timeout=10
    )
    assert posted.status_code == 200, posted.text
    assert posted.json() == [statement["id"]]

    got = requests.get(
        f"{base}/xapi/statements",
        params={"statementId": statement["id"], "attachments": "true"},
        headers={"X-Experience-API-Version": "1.0.3"},
        auth=auth,
        timeout=10,
    )
    assert got.status_code == 200, got.text
    boundary = got.headers["Content-Type"].partition("boundary=")[2]
    assert got.headers["Content-Type"] == f"multipart/mixed; boundary={boundary}"
    assert picture in got.content and token in got.content

    tampered = raw.replace(b"Example Learner", b"Someone Else!!!")
    refused = requests.post(
        f"{base}/xapi/statements", data=tampered, headers=headers, auth=auth, timeout=10
    )
    assert refused.status_code == 400
    assert "not the statement received" in refused.json()["detail"]
