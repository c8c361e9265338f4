"""Scale-out: two `tessera run` web nodes against one PostgreSQL behave as one service.

Nothing a request needs lives in one process: a vendor's statements posted to either node are
stored once and read back from the other, and an LTI login that starts on one node finishes
its launch on the other (the state, the nonce and the launch session are rows, not memory).
Two `tessera worker` processes sharing one queue are tested in tests/e2e/test_worker.py.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from gateway.settings import Settings
from tests.e2e.conftest import BIN, free_port, register_platform, running_tessera
from tests.lti_platform_peer import LEARNER, PeerPlatform

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_nodes(
    settings: Settings, tmp_path: Path
) -> Iterator[tuple[str, str, dict[str, str], PeerPlatform]]:
    """Nodes A and B on one PostgreSQL; the public base URL is A's (the load balancer's)."""
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("several web nodes share one PostgreSQL; SQLite is one machine's")
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    peer = PeerPlatform(public)
    common = {"TESSERA_BASE_URL": public, "TESSERA_ALLOW_PRIVATE_URLS": "1"}
    with contextlib.ExitStack() as stack:
        stack.callback(peer.stop)
        a, env, _ = stack.enter_context(
            running_tessera(settings, tmp_path, port=port, **common)
        )
        b, _, _ = stack.enter_context(running_tessera(settings, tmp_path, **common))
        register_platform(env, peer)
        yield a, b, env, peer


def _statement(n: int) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:learner{n % 5}@school.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/scored"},
        "object": {"id": f"https://vendor.example/quiz/{n % 3}"},
        "result": {"score": {"scaled": 0.5 + n / 100}},
    }


def test_statements_posted_to_either_node_are_stored_once(
    two_nodes: tuple[str, str, dict[str, str], PeerPlatform],
) -> None:
    a, b, env, _ = two_nodes
    made = subprocess.run(
        [BIN / "tessera", "vendor", "add", "acme", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    creds = json.loads(made.stdout)["xapi"]
    basic = base64.b64encode(f"{creds['key']}:{creds['secret']}".encode()).decode()
    headers = {
        "Authorization": f"Basic {basic}",
        "X-Experience-API-Version": "1.0.3",
    }
    sent = [_statement(n) for n in range(20)]
    for n, statement in enumerate(sent):
        node = (a, b)[n % 2]
        answer = requests.post(
            f"{node}/xapi/statements", json=statement, headers=headers, timeout=10
        )
        assert answer.status_code == 200, answer.text
        # The same statement again, on the other node: nothing new is stored.
        again = requests.put(
            f"{(b, a)[n % 2]}/xapi/statements",
            params={"statementId": statement["id"]},
            json=statement,
            headers=headers,
            timeout=10,
        )
        assert again.status_code == 204, again.text
    for node in (a, b):
        found = requests.get(
            f"{node}/xapi/statements",
            params={"limit": 100},
            headers=headers,
            timeout=10,
        ).json()["statements"]
        assert sorted(s["id"] for s in found) == sorted(s["id"] for s in sent)


def test_a_login_on_one_node_launches_on_the_other(
    two_nodes: tuple[str, str, dict[str, str], PeerPlatform],
) -> None:
    a, b, _, peer = two_nodes
    browser = requests.Session()
    started = browser.get(peer.preflight_url("l-1"), allow_redirects=False, timeout=10)
    assert started.status_code == 302, started.text  # the login ran on node A
    form = peer.launch_form(
        started.headers["Location"], user_id="l-1", roles=[LEARNER], name="Ada Lovelace"
    )
    assert form["launch_url"].startswith(a)
    cookie = started.headers["Set-Cookie"].split(";", 1)[0]
    landed = browser.post(
        form["launch_url"].replace(a, b),  # the load balancer sent the POST to node B
        data={"id_token": form["id_token"], "state": form["state"]},
        headers={"Cookie": cookie},
        allow_redirects=False,
        timeout=10,
    )
    assert landed.status_code == 303, landed.text
    page_path = landed.headers["Location"].replace(a, "")
    for node in (a, b):  # the launch's pages are served by either node
        page = browser.get(f"{node}{page_path}", timeout=30)
        assert page.status_code == 200 and "Ada Lovelace" in page.text
