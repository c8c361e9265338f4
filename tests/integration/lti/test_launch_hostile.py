"""The hostile platform tries every failure of the 1EdTech launch checks; each is refused.

Every refusal must be an HTML page naming the failed check, with the right status and a log
line naming the same check; the valid variants must be accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from gateway.lti.jwks import JwksCache
from gateway.lti.platforms import list_registrations
from gateway.lti.services import lti_services
from gateway.store import Store
from gateway.store.tables import context_members, contexts, learner_identifiers
from tests.lti_peers import (
    CLIENT_ID,
    DEPLOYMENT,
    DROP,
    INSTRUCTOR,
    ISSUER,
    LAUNCH_URL,
    LEARNER,
    EvilPlatform,
    launch,
    login,
)


@pytest.fixture
def evil(store: Store, httpserver: HTTPServer) -> EvilPlatform:
    platform = EvilPlatform(httpserver)
    platform.register(store)
    return platform


def _refused(response: Any, status: int, check: str, caplog: Any) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    assert response.mimetype == "text/html"
    assert f'<code id="check">{check}</code>' in body, body
    assert 'id="hint"' in body  # what the admin should check
    logged = [
        r
        for r in caplog.records
        if r.name == "gateway.lti" and getattr(r, "lti_check", None) == check
    ]
    assert logged, f"no log line for check {check}"
    return body


def _accepted(response: Any) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    location: str = response.headers["Location"]
    assert location.startswith("/lti/view/")
    return location


def _attempt(
    client: FlaskClient,
    evil: EvilPlatform,
    sign: dict[str, Any] | None = None,
    **claims: Any,
) -> Any:
    started = login(client)
    token = evil.sign(evil.claims(started.nonce, **claims), **(sign or {}))
    return launch(client, token, started.state)


# --- Valid launches. -------------------------------------------------------------------


def test_valid_launch_links_identity_context_and_membership(
    client: FlaskClient, store: Store, evil: EvilPlatform
) -> None:
    page = client.get(_accepted(_attempt(client, evil)))
    assert page.status_code == 200 and "Ada Lovelace" in page.get_data(as_text=True)
    with store.read() as conn:
        ids = {
            (r.kind, r.value): r.learner_id
            for r in conn.execute(select(learner_identifiers))
        }
        ctx = conn.execute(select(contexts)).one()
        member = conn.execute(select(context_members)).one()
    lti_learner = ids[("lti", f"{ISSUER}|user-1")]
    assert ids[("email", "ada@example.edu")] == lti_learner
    assert ids[("sis", "SIS-001")] == lti_learner
    assert ctx.key == f"{ISSUER}|{CLIENT_ID}|{DEPLOYMENT}|course-1"
    assert (ctx.title, ctx.label) == ("Math 3", "MATH3")
    assert member.learner_id == lti_learner and member.is_learner
    assert member.roles == [LEARNER] and member.status == "active"


@pytest.mark.parametrize(
    "variant",
    [
        {"lti_roles": []},
        {"lti_roles": ["http://example.com/unknown#Role"]},
        {"lti_roles": ["Learner"]},
        {"lti_roles": [LEARNER, INSTRUCTOR, "Mentor"]},
        {"lti_context": DROP},
        {"name": DROP, "email": DROP, "lti_lis": DROP},
        {"email": "only@example.edu", "name": DROP},
        {"aud": [CLIENT_ID]},
        {"aud": CLIENT_ID, "azp": CLIENT_ID},
        {"unknown_claim": {"ignored": True}},
    ],
    ids=[
        "empty-roles",
        "unknown-role",
        "short-role",
        "several-roles",
        "no-context",
        "no-pii",
        "email-only",
        "aud-list-of-one",
        "azp-equal",
        "unknown-claim",
    ],
)
def test_valid_variants_are_accepted(
    client: FlaskClient, evil: EvilPlatform, variant: dict[str, Any]
) -> None:
    page = client.get(_accepted(_attempt(client, evil, **variant)))
    assert page.status_code == 200


def test_clock_skew_inside_the_leeway_is_accepted(
    client: FlaskClient, evil: EvilPlatform
) -> None:
    now = int(time.time())
    _accepted(_attempt(client, evil, iat=now + 30, exp=now - 30))


def test_login_by_post_works_too(client: FlaskClient, evil: EvilPlatform) -> None:
    response = client.post(
        "/lti/login",
        data={
            "iss": ISSUER,
            "login_hint": "u",
            "target_link_uri": LAUNCH_URL,
            "client_id": CLIENT_ID,
        },
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"{ISSUER}/auth?")
    for part in (
        "scope=openid",
        "response_type=id_token",
        "response_mode=form_post",
        "prompt=none",
        f"client_id={CLIENT_ID}",
        "redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Flti%2Flaunch",
        "login_hint=u",
    ):
        assert part in location
    cookie = response.headers["Set-Cookie"]
    for attribute in ("Secure", "HttpOnly", "SameSite=None", "Partitioned"):
        assert attribute in cookie


# --- Header and signature. -------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_with_public_key(evil: EvilPlatform, claims: dict[str, Any]) -> str:
    """The classic algorithm-confusion forgery: HMAC keyed with the platform's public key."""
    secret = evil.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": evil.kid}).encode())
    body = _b64(json.dumps(claims).encode())
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(mac)}"


def test_no_kid(client: FlaskClient, evil: EvilPlatform, caplog: Any) -> None:
    _refused(_attempt(client, evil, sign={"kid": DROP}), 401, "kid", caplog)


def test_unknown_kid_refetches_once_then_refuses(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    _accepted(_attempt(client, evil))  # warms the cache
    assert evil.jwks_hits == 1
    started = login(client)
    token = evil.sign(evil.claims(started.nonce), kid="nobody")
    # Within the rate limit: no refetch for a forged kid.
    _refused(launch(client, token, started.state), 401, "kid", caplog)
    assert evil.jwks_hits == 1


def test_unknown_kid_after_the_rate_limit_refetches_once(
    app: Flask, client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    now = [1000.0]
    services = lti_services(app)
    services.jwks = JwksCache(services.session, clock=lambda: now[0])
    _accepted(_attempt(client, evil))
    now[0] += 30
    _refused(_attempt(client, evil, sign={"kid": "nobody"}), 401, "kid", caplog)
    assert evil.jwks_hits == 2


def test_kid_rotated_since_the_last_fetch_is_accepted_after_a_refetch(
    app: Flask, client: FlaskClient, evil: EvilPlatform
) -> None:
    now = [1000.0]
    services = lti_services(app)
    services.jwks = JwksCache(services.session, clock=lambda: now[0])
    _accepted(_attempt(client, evil))
    evil.rotate()
    now[0] += 30
    _accepted(_attempt(client, evil))
    assert evil.jwks_hits == 2


def test_alg_none(client: FlaskClient, evil: EvilPlatform, caplog: Any) -> None:
    started = login(client)
    token = jwt.encode(
        evil.claims(started.nonce), None, algorithm="none", headers={"kid": evil.kid}
    )
    _refused(launch(client, token, started.state), 401, "alg", caplog)


def test_hs256_signed_with_the_public_key(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    started = login(client)
    token = _hs256_with_public_key(evil, evil.claims(started.nonce))
    _refused(launch(client, token, started.state), 401, "alg", caplog)


def test_rs512_is_refused(client: FlaskClient, evil: EvilPlatform, caplog: Any) -> None:
    _refused(_attempt(client, evil, sign={"alg": "RS512"}), 401, "alg", caplog)


def test_payload_changed_after_signing(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    started = login(client)
    head, _, sig = evil.sign(evil.claims(started.nonce)).split(".")
    forged = _b64(json.dumps(evil.claims(started.nonce, sub="admin")).encode())
    token = f"{head}.{forged}.{sig}"
    _refused(launch(client, token, started.state), 401, "signature", caplog)


def test_signed_by_another_key(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    from tests.lti_peers import new_key

    _refused(_attempt(client, evil, sign={"key": new_key()}), 401, "signature", caplog)


def test_not_a_jwt(client: FlaskClient, evil: EvilPlatform, caplog: Any) -> None:
    started = login(client)
    _refused(launch(client, "not-a-jwt", started.state), 400, "jwt", caplog)


# --- Claims. -------------------------------------------------------------------------


NOW = int(time.time())


@pytest.mark.parametrize(
    ("claims", "status", "check"),
    [
        ({"iss": "https://other.example"}, 401, "iss"),
        ({"aud": "someone-else"}, 401, "aud"),
        ({"aud": [CLIENT_ID, "x"]}, 401, "azp"),
        ({"aud": ["x", CLIENT_ID], "azp": CLIENT_ID}, 401, "aud"),
        ({"azp": "someone-else"}, 401, "azp"),
        ({"exp": DROP}, 401, "exp"),
        ({"exp": NOW - 3600}, 401, "exp"),
        ({"iat": DROP}, 401, "iat"),
        ({"iat": NOW + 3600, "exp": NOW + 7200}, 401, "iat"),
        ({"iat": NOW - 7200}, 401, "iat"),
        ({"nonce": "made-up"}, 401, "nonce"),
        ({"lti_version": "1.1"}, 400, "version"),
        ({"lti_version": DROP}, 400, "version"),
        ({"lti_message_type": DROP}, 400, "message_type"),
        ({"lti_message_type": "LtiStartProctoring"}, 400, "message_type"),
        ({"lti_deployment_id": DROP}, 400, "deployment_id"),
        ({"lti_deployment_id": "x" * 256}, 400, "deployment_id"),
        ({"lti_roles": DROP}, 400, "roles"),
        ({"lti_roles": "Learner"}, 400, "roles"),
        ({"lti_resource_link": DROP}, 400, "resource_link"),
        ({"lti_resource_link": {"title": "no id"}}, 400, "resource_link"),
        ({"sub": DROP}, 400, "sub"),
        (
            {"lti_target_link_uri": "http://127.0.0.1:8000/lti/other"},
            400,
            "target_link_uri",
        ),
        (
            {
                "lti_deep_linking_settings": DROP,
                "lti_message_type": "LtiDeepLinkingRequest",
            },
            400,
            "deep_linking_settings",
        ),
    ],
    ids=lambda v: json.dumps(v, default=str)[:60] if isinstance(v, dict) else str(v),
)
def test_bad_claims_are_refused(
    client: FlaskClient,
    evil: EvilPlatform,
    caplog: Any,
    claims: dict[str, Any],
    status: int,
    check: str,
) -> None:
    _refused(_attempt(client, evil, **claims), status, check, caplog)


def test_non_string_sub_is_refused(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    # PyJWT refuses to *encode* a non-string sub, so the forged token is built by hand.
    started = login(client)
    claims = evil.claims(started.nonce, sub=12345)
    head = _b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": evil.kid}).encode())
    body = _b64(json.dumps(claims).encode())
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    sig = evil.key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    token = f"{head}.{body}.{_b64(sig)}"
    _refused(launch(client, token, started.state), 400, "sub", caplog)


# --- Replay and state. -----------------------------------------------------------------


def test_the_same_id_token_posted_twice(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    started = login(client)
    token = evil.sign(evil.claims(started.nonce))
    _accepted(launch(client, token, started.state))
    _refused(launch(client, token, started.state), 401, "state-replay", caplog)


def test_a_new_token_reusing_a_spent_nonce(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    first = login(client)
    _accepted(launch(client, evil.sign(evil.claims(first.nonce)), first.state))
    second = login(client)
    token = evil.sign(evil.claims(first.nonce, jti="new"))
    _refused(launch(client, token, second.state), 401, "nonce", caplog)


def test_a_nonce_from_another_login(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    a, b = login(client), login(client)
    _refused(
        launch(client, evil.sign(evil.claims(a.nonce)), b.state), 401, "nonce", caplog
    )


def test_missing_and_unknown_state(
    client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    started = login(client)
    token = evil.sign(evil.claims(started.nonce))
    _refused(client.post("/lti/launch", data={"id_token": token}), 401, "state", caplog)
    _refused(launch(client, token, "forged-state"), 401, "state", caplog)


def test_state_from_another_browser_offers_a_new_window(
    app: Flask, client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    started = login(client)
    token = evil.sign(evil.claims(started.nonce))
    other_browser = app.test_client()
    body = _refused(
        launch(other_browser, token, started.state), 401, "state-browser", caplog
    )
    link = re.search(r'id="new-window" href="([^"]+)"', body)
    assert (
        link
        and link[1].startswith("/lti/login?")
        and "lti_message_hint=hint-1" in link[1]
    )
    # The login was not spent by the refusal's cause: the right browser still gets in.
    _accepted(launch(client, token, started.state))


def test_platform_storage_binds_the_state_without_a_cookie(
    app: Flask, client: FlaskClient, evil: EvilPlatform, caplog: Any
) -> None:
    response = client.get(
        "/lti/login",
        query_string={
            "iss": ISSUER,
            "login_hint": "u",
            "target_link_uri": LAUNCH_URL,
            "client_id": CLIENT_ID,
            "lti_storage_target": "post_message_forwarding",
        },
    )
    assert response.status_code == 200  # the page that puts the binding in storage
    page = response.get_data(as_text=True)
    assert '"lti.put_data"' in page and "post_message_forwarding" in page
    binding = json.loads(re.search(r"value = (\"[^\"]+\")", page)[1])  # type: ignore[index]
    redirect_url = json.loads(re.search(r"redirect = (\"[^\"]+\")", page)[1])  # type: ignore[index]
    state = re.search(r"state=([^&]+)", redirect_url)[1]  # type: ignore[index]
    nonce = re.search(r"nonce=([^&]+)", redirect_url)[1]  # type: ignore[index]
    token = evil.sign(evil.claims(nonce))
    cookieless = app.test_client()  # third-party cookies blocked
    first = launch(cookieless, token, state)
    assert first.status_code == 200 and '"lti.get_data"' in first.get_data(as_text=True)
    _refused(
        launch(cookieless, token, state, lti_storage_binding="guess"),
        401,
        "state-browser",
        caplog,
    )
    _accepted(launch(cookieless, token, state, lti_storage_binding=binding))


# --- Deployments. --------------------------------------------------------------------


def test_unknown_deployment_is_recorded_and_accepted_under_the_accept_policy(
    client: FlaskClient, store: Store, evil: EvilPlatform
) -> None:
    _accepted(_attempt(client, evil, lti_deployment_id="189:new"))
    [reg] = list_registrations(store)
    assert {(d.deployment_id, d.status) for d in reg.deployments} == {
        (DEPLOYMENT, "active"),
        ("189:new", "active"),
    }


def test_unknown_deployment_waits_for_approval_under_the_approve_policy(
    client: FlaskClient, store: Store, httpserver: HTTPServer, caplog: Any
) -> None:
    from gateway.lti.platforms import set_deployment

    evil = EvilPlatform(httpserver)
    reg = evil.register(store, policy="approve")
    _refused(
        _attempt(client, evil, lti_deployment_id="dep-2"), 403, "deployment", caplog
    )
    [found] = list_registrations(store)
    assert ("dep-2", "pending") in {
        (d.deployment_id, d.status) for d in found.deployments
    }
    _refused(
        _attempt(client, evil, lti_deployment_id="dep-2"), 403, "deployment", caplog
    )
    set_deployment(store, reg.id, "dep-2", "active")
    _accepted(_attempt(client, evil, lti_deployment_id="dep-2"))


# --- Login. -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"iss": ""}, "login"),
        ({"iss": "https://unknown.example"}, "registration"),
        ({"client_id": "other-client"}, "registration"),
        ({"target_link_uri": "https://attacker.example/lti/launch"}, "target_link_uri"),
        (
            {"target_link_uri": "http://127.0.0.1:8000/api/v1/vendors"},
            "target_link_uri",
        ),
    ],
)
def test_bad_logins_are_refused(
    client: FlaskClient,
    evil: EvilPlatform,
    caplog: Any,
    params: dict[str, str],
    check: str,
) -> None:
    query = {
        "iss": ISSUER,
        "login_hint": "u",
        "target_link_uri": LAUNCH_URL,
        "client_id": CLIENT_ID,
    } | params
    _refused(client.get("/lti/login", query_string=query), 400, check, caplog)


def test_the_issuer_alone_picks_its_only_registration(
    client: FlaskClient, evil: EvilPlatform
) -> None:
    response = client.get(
        "/lti/login",
        query_string={"iss": ISSUER, "login_hint": "u", "target_link_uri": LAUNCH_URL},
    )
    assert response.status_code == 302


@pytest.fixture(autouse=True)
def _log_lti(caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="gateway.lti")
