"""Per-credential rate limits at the endpoints: 429 with Retry-After, one vendor at a time.

The Redis case runs two apps (two web nodes) against the local Redis and shows they share
one budget; it is skipped, saying why, when Redis cannot be reached.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import redis

from gateway import create_app
from gateway.api.tokens import create_admin_token
from gateway.extension import EXTENSION_KEY
from gateway.ratelimit import MemoryLimiter
from gateway.settings import Settings
from gateway.store import Store
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from tests.api_helpers import basic_auth_headers, make_statement, problem
from tests.helpers import make_settings

REDIS_URL = "redis://127.0.0.1:6379/0"
V2 = {"X-Experience-API-Version": "2.0.0"}


def _limited(settings: Settings, tmp: Path, **more: object) -> Settings:
    return make_settings(
        tmp,
        settings.database_url,
        rate_limit_per_second=1,
        rate_limit_burst=3,
        **more,
    )


def _frozen_app(settings: Settings, store: Store, tmp: Path) -> Any:
    """An app limited to 1 request/s after a burst of 3, on a clock that stands still
    (so a slow machine cannot refill a budget between two requests of a test)."""
    app = create_app(_limited(settings, tmp), store)
    ext = app.extensions[EXTENSION_KEY]
    app.extensions[EXTENSION_KEY] = replace(
        ext, limiter=MemoryLimiter(1, 3, clock=lambda: 1000.0)
    )
    return app.test_client()


def _post(client, auth: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(
        "/xapi/statements",
        json=make_statement(str(uuid.uuid4())),
        headers=auth | V2,
    )


def test_a_vendor_over_its_limit_gets_429_and_others_do_not(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    client = _frozen_app(settings, store, tmp_path)
    acme = basic_auth_headers(store, "acme")
    other = basic_auth_headers(store, "other")
    answers = [_post(client, acme).status_code for _ in range(3)]
    assert answers == [200, 200, 200]  # the burst
    refused = _post(client, acme)
    body = problem(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert "acme" in body["detail"] and "retry in" in body["detail"]
    assert _post(client, other).status_code == 200  # another vendor is not held back

    # The same vendor's Caliper token is another credential with its own budget.
    _, creds = add_vendor(store, "caliper-vendor")
    token = next(c for c in creds if c.kind is CredentialKind.CALIPER_BEARER)
    bearer = {"Authorization": f"Bearer {token.key}.{token.secret}"}
    codes = [
        client.post("/caliper", json={}, headers=bearer).status_code for _ in range(4)
    ]
    assert 429 not in codes[:3] and codes[3] == 429


def test_an_admin_token_over_its_limit_gets_429(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    client = _frozen_app(settings, store, tmp_path)
    _, token = create_admin_token(store, "ops")
    auth = {"Authorization": f"Bearer {token}"}
    codes = [client.get("/api/v1/vendors", headers=auth).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # A bad token is refused as before (401), not counted against anyone.
    bad = client.get("/api/v1/vendors", headers={"Authorization": "Bearer ta_x.y"})
    assert bad.status_code == 401


def test_two_web_nodes_share_one_budget_in_redis(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} not reachable: {exc}")
    limited = _limited(settings, tmp_path, redis_url=REDIS_URL)
    node_a = create_app(limited, store).test_client()
    node_b = create_app(limited, store).test_client()
    auth = basic_auth_headers(store, f"shared-{uuid.uuid4().hex[:6]}")
    codes = [_post(node, auth).status_code for node in (node_a, node_b, node_a)]
    assert codes == [200, 200, 200]
    refused = _post(node_b, auth)  # the fourth request, on either node, is over
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_redis_down_lets_requests_through(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    # Nothing listens on port 1: a limiter that cannot count must not stop intake.
    down = _limited(settings, tmp_path, redis_url="redis://127.0.0.1:1/0")
    client = create_app(down, store).test_client()
    auth = basic_auth_headers(store, "acme")
    assert [_post(client, auth).status_code for _ in range(5)] == [200] * 5
    token = base64.b64encode(b"x:y").decode()
    assert _post(client, {"Authorization": f"Basic {token}"}).status_code == 401
