"""SafeSession against a real local HTTP server: refused by default, allowed in development."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from gateway.errors import UnsafeUrl
from gateway.outbound import USER_AGENT, SafeSession


def test_loopback_is_refused_before_any_request_is_sent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jwks").respond_with_json({"keys": []})
    with SafeSession(allow_private=False) as session, pytest.raises(UnsafeUrl):
        session.get(httpserver.url_for("/jwks"))
    assert httpserver.log == []


def test_allowed_in_development_with_a_user_agent(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/jwks", headers={"User-Agent": USER_AGENT}
    ).respond_with_json({"keys": []})
    with SafeSession(allow_private=True) as session:
        assert session.get(httpserver.url_for("/jwks")).json() == {"keys": []}
