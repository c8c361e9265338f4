"""An independent platform (PyPI lti1p3platform) launches a running Tessera over real HTTP.

The admin registers the platform with `tessera platform add`; a browser (requests, with the
state cookie carried by hand as a browser would) follows the OIDC login to the platform and
POSTs the platform-signed launch; Tessera serves the page, syncs the roster from the
platform's NRPS on an instructor's launch, and answers deep linking with a response the
platform library validates against Tessera's published JWKS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import requests

from gateway.settings import Settings
from tests.e2e.conftest import free_port, register_platform, running_tessera
from tests.lti_platform_peer import INSTRUCTOR, LEARNER, PeerPlatform

pytestmark = pytest.mark.e2e


@pytest.fixture
def running(
    settings: Settings, tmp_path: Path
) -> Iterator[tuple[str, dict[str, str], Path, PeerPlatform]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    peer = PeerPlatform(base)
    try:
        with running_tessera(
            settings,
            tmp_path,
            port=port,
            TESSERA_BASE_URL=base,
            TESSERA_ALLOW_PRIVATE_URLS="1",
        ) as (url, env, log):
            added = register_platform(env, peer)
            assert added["issuer"] == peer.url
            yield url, env, log, peer
    finally:
        peer.stop()


def _launch(peer: PeerPlatform, **launch: Any) -> requests.Response:
    """The browser: login at Tessera, to the platform, back to Tessera's launch URL."""
    browser = requests.Session()
    started = browser.get(
        peer.preflight_url(launch["user_id"]), allow_redirects=False, timeout=10
    )
    assert started.status_code == 302, started.text
    auth_redirect = started.headers["Location"]
    assert auth_redirect.startswith(f"{peer.url}/auth?")
    cookie = started.headers["Set-Cookie"]
    assert "SameSite=None" in cookie and "Partitioned" in cookie and "Secure" in cookie
    form = peer.launch_form(auth_redirect, **launch)
    # requests keeps Secure cookies for https only; a browser on localhost sends them.
    name_value = cookie.split(";", 1)[0]
    landed = browser.post(
        form["launch_url"],
        data={"id_token": form["id_token"], "state": form["state"]},
        headers={"Cookie": name_value},
        allow_redirects=False,
        timeout=10,
    )
    assert landed.status_code == 303, landed.text
    page = browser.get(
        requests.compat.urljoin(form["launch_url"], landed.headers["Location"]),
        timeout=30,
    )
    return page


def test_a_learner_launch_shows_their_page(
    running: tuple[str, dict[str, str], Path, PeerPlatform],
) -> None:
    _, _, _, peer = running
    page = _launch(
        peer, user_id="l-7", roles=[LEARNER], name="Grace Hopper", email="g@x.edu"
    )
    assert page.status_code == 200
    assert "Grace Hopper" in page.text and 'id="no-evidence"' in page.text


def test_an_instructor_launch_syncs_the_roster_from_nrps(
    running: tuple[str, dict[str, str], Path, PeerPlatform],
) -> None:
    _, _, _, peer = running
    peer.members = [
        {"user_id": "t-1", "roles": [INSTRUCTOR], "name": "Teacher One"},
        {
            "user_id": "l-1",
            "roles": [LEARNER],
            "name": "Learner One",
            "email": "one@x.edu",
            "lis_person_sourcedid": "SIS-1",
        },
        {"user_id": "l-2", "roles": [LEARNER], "name": "Learner Two"},
    ]
    page = _launch(peer, user_id="t-1", roles=[INSTRUCTOR], name="Teacher One")
    assert page.status_code == 200, page.text
    assert "Biology 1" in page.text
    assert "Roster refreshed from the LMS: 3 members" in page.text
    for name in ("Learner One", "Learner Two", "Teacher One"):
        assert name in page.text
    assert peer.token_requests, "Tessera never asked the platform for a token"
    assert all(ua.startswith("Tessera/") for ua in peer.service_user_agents)


def test_deep_linking_returns_a_response_the_platform_validates(
    running: tuple[str, dict[str, str], Path, PeerPlatform],
) -> None:
    _, _, _, peer = running
    browser_page = _launch(
        peer, user_id="t-1", roles=[INSTRUCTOR], name="T", deep_link=True
    )
    assert browser_page.status_code == 200
    assert 'id="place"' in browser_page.text
    action = re.search(r'<form method="post" action="([^"]+)"', browser_page.text)
    assert action
    answer = requests.post(
        requests.compat.urljoin(browser_page.url, unescape(action[1])),
        data={"view": "class"},
        timeout=10,
    )
    assert answer.status_code == 200
    autopost = re.search(r'action="([^"]+)"', answer.text)
    token = re.search(r'name="JWT" value="([^"]+)"', answer.text)
    assert (
        autopost and token and unescape(autopost[1]) == f"{peer.url}/deep_link_return"
    )
    returned = requests.post(
        unescape(autopost[1]), data={"JWT": unescape(token[1])}, timeout=10
    )
    assert returned.status_code == 200, returned.text
    assert peer.deep_link_items is not None and peer.deep_link_claims is not None
    [item] = peer.deep_link_items
    assert item["type"] == "ltiResourceLink"
    assert item["custom"] == {"tessera_view": "class"}
    dl = "https://purl.imsglobal.org/spec/lti-dl/claim/"
    assert peer.deep_link_claims[dl + "data"] == {"token": "opaque-123"}
    assert peer.deep_link_claims[dl + "msg"]
    assert peer.deep_link_claims["aud"] == peer.url
