"""AGS and NRPS clients against real HTTP peers: pytest-httpserver and lti1p3platform."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from gateway.errors import NotFound, UpstreamUnavailable
from gateway.intake.identity import resolve_learners
from gateway.intake.model import LearnerRef
from gateway.keys import active_key, ensure_keys, public_jwks
from gateway.lti.platforms import (
    NewRegistration,
    Registration,
    add_registration,
    get_registration,
)
from gateway.lti.services import (
    LineItem,
    LtiServices,
    PlatformClient,
    Score,
    TokenCache,
    find_or_create_line_item,
    lti_services,
    next_link,
    post_score,
    service_url,
    sync_roster,
)
from gateway.store import Store
from gateway.store.tables import context_members, learner_identifiers
from tests.lti_peers import (
    INSTRUCTOR,
    LEARNER,
    EvilPlatform,
    launch,
    login,
)
from tests.lti_platform_peer import PeerPlatform

SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


# --- Pure helpers. ------------------------------------------------------------------------


def test_scores_url_goes_on_the_path_before_the_query() -> None:
    moodle = (
        "https://lms.example/mod/lti/services.php/2/lineitems/26/lineitem?type_id=1"
    )
    assert service_url(moodle, "/scores") == (
        "https://lms.example/mod/lti/services.php/2/lineitems/26/lineitem/scores?type_id=1"
    )
    assert (
        service_url("https://c.example/li/7/", "/scores")
        == "https://c.example/li/7/scores"
    )


def test_next_link_keeps_the_url_exactly() -> None:
    header = (
        '<https://C.example/LineItems?Page=2&ResourceID=Ab>; rel="next", '
        '<https://c.example/lineitems?page=9>; rel="last"'
    )
    assert next_link(header) == "https://C.example/LineItems?Page=2&ResourceID=Ab"
    assert next_link('<https://x/a>; rel="prev"') is None
    assert next_link(None) is None


def test_scores_carry_every_required_field() -> None:
    body = Score("u-1", 7, 10, datetime(2026, 1, 2, 3, 4, 5, 6000, UTC), "ok").to_json()
    assert body == {
        "userId": "u-1",
        "scoreGiven": 7,
        "scoreMaximum": 10,
        "timestamp": "2026-01-02T03:04:05.006+00:00",
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "comment": "ok",
    }
    with pytest.raises(ValueError):
        Score("u", 1, 1, datetime.now(UTC), grading_progress="Done").to_json()


# --- Against pytest-httpserver. ----------------------------------------------------------


def _register(store: Store, server: HTTPServer, **extra: Any) -> Registration:
    return add_registration(
        store,
        NewRegistration(
            issuer="https://lms.example",
            client_id="cid-1",
            auth_login_url="https://lms.example/auth",
            auth_token_url=server.url_for("/token"),
            jwks_url=server.url_for("/jwks"),
            **extra,
        ),
        allow_private=True,
    )


def _token_handler(seen: list[dict[str, str]], expires_in: int = 3600) -> Any:
    def handler(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}
        seen.append(form)
        body = {
            "access_token": f"tok-{len(seen)}",
            "token_type": "Bearer",
            "expires_in": expires_in,
            "scope": form["scope"],
        }
        return Response(json.dumps(body), content_type="application/json")

    return handler


def _client(store: Store, reg: Registration, **services: Any) -> PlatformClient:
    ensure_keys(store)
    key = active_key(store, "lti")
    assert key is not None
    return PlatformClient(LtiServices(allow_private=True, **services), reg, key)


def test_token_assertion_and_cache(store: Store, httpserver: HTTPServer) -> None:
    seen: list[dict[str, str]] = []
    httpserver.expect_request("/token", method="POST").respond_with_handler(
        _token_handler(seen)
    )
    httpserver.expect_request(
        "/li", headers={"Authorization": "Bearer tok-1"}
    ).respond_with_json([])
    reg = _register(store, httpserver, token_audience="https://auth.lms.example/token")
    client = _client(store, reg)
    for _ in range(3):
        client.call(
            "GET", httpserver.url_for("/li"), [LINEITEM], accept="application/json"
        )
    assert len(seen) == 1  # cached by (issuer, client_id, scopes)
    form = seen[0]
    assert form["grant_type"] == "client_credentials"
    assert form["client_assertion_type"] == (
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    )
    assert form["scope"] == LINEITEM
    key = active_key(store, "lti")
    assert key is not None
    assert jwt.get_unverified_header(form["client_assertion"])["kid"] == key.kid
    jwk = next(k for k in public_jwks(store)["keys"] if k["kid"] == key.kid)
    claims = jwt.decode(
        form["client_assertion"],
        jwt.PyJWK(jwk).key,
        algorithms=["RS256"],
        audience="https://auth.lms.example/token",  # the declared audience, not the URL
    )
    assert claims["iss"] == claims["sub"] == "cid-1"
    assert claims["exp"] - claims["iat"] <= 300 and claims["jti"]
    client.services.tokens.token(client.session, reg, [SCORE], key)
    assert len(seen) == 2  # another scope set is another token
    assert seen[1]["client_assertion"] != form["client_assertion"]


def test_a_token_is_renewed_before_it_expires(
    store: Store, httpserver: HTTPServer
) -> None:
    seen: list[dict[str, str]] = []
    httpserver.expect_request("/token").respond_with_handler(_token_handler(seen, 20))
    reg = _register(store, httpserver)
    client = _client(store, reg)
    for _ in range(2):
        client.services.tokens.token(client.session, reg, [SCORE], client.key)
    assert len(seen) == 2  # 20 s is inside the renewal margin


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [(401, {}, "HTTP 401"), (429, {"Retry-After": "30"}, "HTTP 429")],
)
def test_token_endpoint_failures(
    store: Store,
    httpserver: HTTPServer,
    status: int,
    headers: dict[str, str],
    expected: str,
) -> None:
    httpserver.expect_request("/token").respond_with_json(
        {"error": "invalid_client"}, status=status, headers=headers
    )
    reg = _register(store, httpserver)
    client = _client(store, reg)
    with pytest.raises(UpstreamUnavailable, match=expected) as caught:
        client.services.tokens.token(client.session, reg, [SCORE], client.key)
    assert caught.value.headers == headers


def test_a_slow_token_endpoint_times_out(store: Store, httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/token").respond_with_handler(slow)
    reg = _register(store, httpserver)
    client = _client(store, reg, timeout=(1.0, 0.3))
    with pytest.raises(UpstreamUnavailable, match="could not be reached"):
        client.services.tokens.token(client.session, reg, [SCORE], client.key)


def test_line_items_page_by_link_header_keeping_case_and_are_created_once(
    store: Store, httpserver: HTTPServer, app: Flask, client: FlaskClient
) -> None:
    evil = EvilPlatform(httpserver)
    evil.register(store)
    httpserver.expect_request("/token").respond_with_handler(_token_handler([]))
    lineitems = httpserver.url_for("/Course/7/LineItems")
    _launch_with_services(client, evil, lineitems=lineitems)
    ctx_id = _only_context(store)
    next_page = httpserver.url_for("/Course/7/LineItems") + "?Page=2&ResourceID=Comp-1"
    httpserver.expect_request(
        "/Course/7/LineItems",
        query_string={"resource_id": "comp-1", "tag": "mastery"},
        method="GET",
    ).respond_with_json([], headers={"Link": f'<{next_page}>; rel="next"'})
    httpserver.expect_request(
        "/Course/7/LineItems", query_string="Page=2&ResourceID=Comp-1", method="GET"
    ).respond_with_json([{"id": "other", "resourceId": "comp-9", "tag": "mastery"}])
    created = httpserver.url_for("/Course/7/LineItems/55") + "?type_id=1"
    httpserver.expect_request(
        "/Course/7/LineItems",
        method="POST",
        headers={"Content-Type": "application/vnd.ims.lis.v2.lineitem+json"},
        json={
            "scoreMaximum": 4,
            "label": "3.MD.B.3",
            "resourceId": "comp-1",
            "tag": "mastery",
        },
    ).respond_with_json({"id": created}, status=201)
    httpserver.expect_request(
        "/Course/7/LineItems/55/scores",
        method="POST",
        query_string="type_id=1",
        headers={"Content-Type": "application/vnd.ims.lis.v1.score+json"},
    ).respond_with_data("", status=204)
    reg = get_registration(store, _reg_id(store))
    pc = PlatformClient(lti_services(app), reg, _key(store))
    item = LineItem("3.MD.B.3", 4, "comp-1", "mastery")
    url = find_or_create_line_item(pc, store, ctx_id, lineitems, item)
    assert url == created
    assert find_or_create_line_item(pc, store, ctx_id, lineitems, item) == created
    post_score(pc, url, Score("user-1", 3, 4, datetime.now(UTC)))
    calls = [
        (r.method, r.path, r.query_string.decode())
        for r, _ in httpserver.log
        if "/Course/" in r.path
    ]
    assert calls == [
        ("GET", "/Course/7/LineItems", "resource_id=comp-1&tag=mastery"),
        ("GET", "/Course/7/LineItems", "Page=2&ResourceID=Comp-1"),
        ("POST", "/Course/7/LineItems", ""),
        ("POST", "/Course/7/LineItems/55/scores", "type_id=1"),
    ]
    sent = [r for r, _ in httpserver.log if r.path.endswith("/scores")]
    body = json.loads(sent[0].get_data())
    assert {
        "userId",
        "scoreGiven",
        "scoreMaximum",
        "timestamp",
        "activityProgress",
        "gradingProgress",
    } <= body.keys()
    assert all(
        r.headers["User-Agent"].startswith("Tessera/") for r, _ in httpserver.log
    )


def test_a_score_refused_the_moodle_way_says_why(
    store: Store, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/token").respond_with_handler(_token_handler([]))
    httpserver.expect_request("/li/1/lineitem/scores").respond_with_data(
        "Incorrect score received", status=400
    )
    reg = _register(store, httpserver)
    pc = _client(store, reg)
    with pytest.raises(UpstreamUnavailable, match="HTTP 400: Incorrect score received"):
        post_score(
            pc,
            httpserver.url_for("/li/1/lineitem") + "?type_id=1",
            Score("u", 1, 2, datetime.now(UTC)),
        )


def test_nrps_pages_filters_and_links_identities(
    store: Store, httpserver: HTTPServer, app: Flask, client: FlaskClient
) -> None:
    ensure_keys(store)
    evil = EvilPlatform(httpserver)
    evil.register(store)
    httpserver.expect_request("/token").respond_with_handler(_token_handler([]))
    # Vendor evidence arrived first, naming the learner by email only.
    with store.write() as conn:
        [by_email] = resolve_learners(
            conn, [(LearnerRef("email", "two@x.edu"),)], [None]
        )
    memberships = httpserver.url_for("/nrps/Context/7")
    _launch_with_services(client, evil, memberships=memberships, roles=[INSTRUCTOR])
    ctx_id = _only_context(store)
    accept = {"Accept": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"}
    page2 = httpserver.url_for("/nrps/Context/7") + "?Cursor=AbC"
    members_1 = [
        {"user_id": "user-1", "roles": [INSTRUCTOR], "status": "Active"},
        {
            "user_id": "s-1",
            "roles": [LEARNER],
            "email": "One@X.edu",
            "lis_person_sourcedid": "SIS-1",
            "name": "One",
        },
    ]
    members_2 = [
        {
            "user_id": "s-2",
            "roles": [LEARNER],
            "email": "two@x.edu",
            "status": "Inactive",
            "given_name": "Two",
            "family_name": "T",
        }
    ]
    httpserver.expect_request(
        "/nrps/Context/7", query_string="", headers=accept
    ).respond_with_json(
        {
            "id": memberships,
            "context": {"id": "course-1", "title": "Math 3 (NRPS)"},
            "members": members_1,
        },
        headers={"Link": f'<{page2}>; rel="next"'},
    )
    httpserver.expect_request(
        "/nrps/Context/7", query_string="Cursor=AbC", headers=accept
    ).respond_with_json({"id": memberships, "members": members_2})
    synced = sync_roster(store, lti_services(app), ctx_id)
    assert (synced.members, synced.learners) == (3, 2)
    with store.read() as conn:
        ids = {
            (r.kind, r.value): r.learner_id
            for r in conn.execute(select(learner_identifiers))
        }
        rows = {r.learner_id: r for r in conn.execute(select(context_members))}
    assert ids[("lti", "https://evil-platform.example|s-2")] == by_email  # joined
    assert (
        ids[("email", "one@x.edu")]
        == ids[("sis", "SIS-1")]
        == ids[("lti", "https://evil-platform.example|s-1")]
    )
    assert rows[by_email].status == "inactive" and rows[by_email].is_learner
    # A later full roster without s-1 marks s-1 inactive; a role-filtered one changes nobody.
    httpserver.clear()
    httpserver.expect_request("/token").respond_with_handler(_token_handler([]))
    asked: list[dict[str, str]] = []

    def roster(request: Request) -> Response:
        asked.append(dict(request.args))
        members = [members_2[0]] if request.args.get("role") else members_1[:1]
        return Response(
            json.dumps({"members": members}), content_type="application/json"
        )

    httpserver.expect_request("/nrps/Context/7").respond_with_handler(roster)
    filtered = sync_roster(store, lti_services(app), ctx_id, role=LEARNER)
    assert asked == [{"role": LEARNER}] and filtered.deactivated == 0
    result = sync_roster(store, lti_services(app), ctx_id)
    assert result.deactivated == 1
    s1 = ids[("lti", "https://evil-platform.example|s-1")]
    with store.read() as conn:
        status = conn.execute(
            select(context_members.c.status).where(context_members.c.learner_id == s1)
        ).scalar()
    assert status == "inactive"


def test_roster_sync_needs_an_nrps_endpoint(store: Store, app: Flask) -> None:
    with pytest.raises(NotFound, match="Names and Role Provisioning"):
        sync_roster(store, lti_services(app), "no-such-context")


# --- Against lti1p3platform. -------------------------------------------------------------


def test_ags_against_lti1p3platform(
    store: Store, app: Flask, client: FlaskClient
) -> None:
    ensure_keys(store)
    peer = PeerPlatform("http://127.0.0.1:8000")
    try:
        peer.registration.set_tool_key_set(
            public_jwks(store)
        )  # as fetched from Tessera
        reg = add_registration(
            store,
            NewRegistration(**peer.endpoints, deployment_ids=[peer.deployment_id]),
            allow_private=True,
        )
        started = client.get(peer.preflight_url("learner-1").split("8000", 1)[1])
        assert started.status_code == 302
        form = peer.launch_form(
            started.headers["Location"], user_id="learner-1", roles=[LEARNER], name="L"
        )
        landed = client.post(
            "/lti/launch", data={"id_token": form["id_token"], "state": form["state"]}
        )
        assert landed.status_code == 303, landed.get_data(as_text=True)
        ctx_id = _only_context(store)
        pc = PlatformClient(lti_services(app), reg, _key(store))
        item = LineItem("Fractions", 4, "comp-7", "mastery", resource_link_id="link-1")
        url = find_or_create_line_item(pc, store, ctx_id, peer.lineitems_url, item)
        assert "type_id=1" in url and len(peer.line_items) == 1
        # A second Tessera process (no local mapping) finds it by resourceId and tag.
        from gateway.store.tables import lti_line_items

        with store.write() as conn:
            conn.execute(lti_line_items.delete())
        assert (
            find_or_create_line_item(pc, store, ctx_id, peer.lineitems_url, item) == url
        )
        assert len(peer.line_items) == 1
        post_score(pc, url, Score("learner-1", 3, 4, datetime.now(UTC), "3 of 4"))
        [(_, score)] = peer.scores
        assert (
            score["userId"] == "learner-1" and score["gradingProgress"] == "FullyGraded"
        )
        assert len(peer.token_requests) == 2  # lineitem scope, then score scope; cached
        assert isinstance(pc.services.tokens, TokenCache)
    finally:
        peer.stop()


# --- Helpers. -------------------------------------------------------------------------------


def _launch_with_services(
    client: FlaskClient,
    evil: EvilPlatform,
    *,
    lineitems: str | None = None,
    memberships: str | None = None,
    roles: list[str] | None = None,
) -> None:
    claims: dict[str, Any] = {}
    if lineitems:
        claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
            "scope": [LINEITEM, SCORE],
            "lineitems": lineitems,
        }
    if memberships:
        claims["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"] = {
            "context_memberships_url": memberships,
            "service_versions": ["2.0"],
        }
    started = login(client)
    token = evil.sign(
        evil.claims(started.nonce, lti_roles=roles or [LEARNER], **claims)
    )
    response = launch(client, token, started.state)
    assert response.status_code == 303, response.get_data(as_text=True)


def _only_context(store: Store) -> str:
    from gateway.store.tables import contexts

    with store.read() as conn:
        [ctx_id] = conn.execute(select(contexts.c.id)).scalars().all()
    return str(ctx_id)


def _reg_id(store: Store) -> str:
    from gateway.lti.platforms import list_registrations

    [reg] = list_registrations(store)
    return reg.id


def _key(store: Store) -> Any:
    ensure_keys(store)
    key = active_key(store, "lti")
    assert key is not None
    return key
