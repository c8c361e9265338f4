"""Launch pages, on-demand roster sync, and the deep-linking response, through the test client."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs

import jwt
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from gateway.api.tokens import create_admin_token
from gateway.keys import ensure_keys, public_jwks
from gateway.mastery.service import TeacherEvidence, add_teacher_evidence
from gateway.store import Store
from tests.builders import seed_competencies
from tests.lti_peers import (
    CLIENT_ID,
    DL,
    DROP,
    INSTRUCTOR,
    ISSUER,
    LEARNER,
    EvilPlatform,
    launch,
    login,
)

NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
C1 = "c1000000-0000-4000-8000-000000000001"


def _token(request: Request) -> Response:
    form = {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}
    body = {"access_token": "t", "expires_in": 3600, "scope": form["scope"]}
    return Response(json.dumps(body), content_type="application/json")


def _launch(client: FlaskClient, evil: EvilPlatform, **claims: Any) -> str:
    claims = {"email": DROP, "lti_lis": DROP} | claims  # each user their own identity
    started = login(client)
    response = launch(
        client, evil.sign(evil.claims(started.nonce, **claims)), started.state
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return str(response.headers["Location"])


def test_instructor_sees_the_class_and_learners_only_themselves(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    ensure_keys(store)
    evil = EvilPlatform(httpserver)
    evil.register(store)
    calls: list[str] = []

    def roster(request: Request) -> Response:
        calls.append(request.path)
        members = [
            {"user_id": "teacher", "roles": [INSTRUCTOR], "name": "Ms Teacher"},
            {"user_id": "kid-1", "roles": [LEARNER], "name": "Kid One"},
            {"user_id": "kid-2", "roles": [LEARNER], "name": "Kid Two"},
        ]
        return Response(
            json.dumps({"members": members}), content_type="application/json"
        )

    httpserver.expect_request("/token").respond_with_handler(_token)
    httpserver.expect_request("/roster").respond_with_handler(roster)
    nrps = {"context_memberships_url": httpserver.url_for("/roster")}
    teacher = _launch(
        client,
        evil,
        sub="teacher",
        name="Ms Teacher",
        lti_roles=[INSTRUCTOR],
        **{NRPS_CLAIM: nrps},
    )
    page = client.get(teacher).get_data(as_text=True)
    assert "Roster refreshed from the LMS: 3 members" in page
    assert "Kid One" in page and "Kid Two" in page and "Math 3" in page
    again = client.get(teacher).get_data(as_text=True)  # not stale: no second sync
    assert "Roster refreshed" not in again and len(calls) == 1
    synced = client.post(teacher + "/roster/sync")
    assert synced.status_code == 303 and len(calls) == 2
    kid_link = re.search(r'href="([^"]+)">Kid One<', page)
    assert kid_link
    kid_page = client.get(unescape(kid_link[1]))
    assert kid_page.status_code == 200 and "Kid One" in kid_page.get_data(as_text=True)

    # Mastery shows on both pages: a teacher scores Kid Two's performance task.
    seed_competencies(store, [(C1, None)])
    kid_two = re.search(r'href="([^"]+)">Kid Two<', page)
    assert kid_two
    kid_two_id = unescape(kid_two[1]).rsplit("/", 1)[1]
    add_teacher_evidence(
        store, kid_two_id, TeacherEvidence(C1, "Ms Teacher", level="near")
    )
    grid = client.get(teacher).get_data(as_text=True)
    assert 'id="grid"' in grid and "Near Mastery" in grid
    assert 'id="not-yet"' in grid and "Kid Two</a> (0 d)" in grid

    kid = _launch(client, evil, sub="kid-2", name="Kid Two", **{NRPS_CLAIM: nrps})
    own = client.get(kid).get_data(as_text=True)
    assert "Kid Two" in own and 'id="roster"' not in own
    assert (
        'id="mastery"' in own
        and "Near Mastery (2)" in own
        and "not yet proficient" in own
        and "needs 3 pieces of evidence for Mastery" in own
        and 'id="score-form"' not in own  # a learner scores nothing
    )
    other_id = unescape(kid_link[1]).rsplit("/", 1)[1]
    assert client.get(f"{kid}/learners/{other_id}").status_code == 404
    assert client.post(kid + "/roster/sync").status_code == 404
    assert client.get("/lti/view/not-a-launch").status_code == 401

    _, token = create_admin_token(store, "t")
    from gateway.store.tables import contexts

    with store.read() as conn:
        [ctx] = conn.execute(contexts.select()).all()
    answer = client.post(
        f"/api/v1/contexts/{ctx.id}/roster-sync",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.json
    assert answer.json == {
        "context_id": ctx.id,
        "members": 3,
        "learners": 2,
        "deactivated": 0,
    }


def test_deep_linking_response_with_a_line_item_and_the_data_echoed(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    ensure_keys(store)
    evil = EvilPlatform(httpserver)
    evil.register(store)
    settings = {
        "deep_link_return_url": "https://evil-platform.example/dl/return",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe"],
        "accept_lineitem": True,
        "data": "csrf-echo-42",
    }
    chooser = _launch(
        client,
        evil,
        lti_roles=[INSTRUCTOR],
        lti_message_type="LtiDeepLinkingRequest",
        lti_resource_link=None,
        **{DL + "deep_linking_settings": settings},
    )
    assert chooser.endswith("/deep-link")
    page = client.get(chooser).get_data(as_text=True)
    assert 'name="line_item"' in page
    answer = client.post(chooser, data={"view": "learner", "line_item": "1"})
    body = answer.get_data(as_text=True)
    assert 'action="https://evil-platform.example/dl/return"' in body
    token = re.search(r'name="JWT" value="([^"]+)"', body)
    assert token
    jwks = jwt.PyJWKSet.from_dict(public_jwks(store))
    kid = jwt.get_unverified_header(token[1])["kid"]
    claims = jwt.decode(
        token[1], jwks[kid].key, algorithms=["RS256"], audience=ISSUER, issuer=CLIENT_ID
    )
    lti = "https://purl.imsglobal.org/spec/lti/claim/"
    assert claims[lti + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[lti + "deployment_id"] == "dep-1"
    assert claims[DL + "data"] == "csrf-echo-42"
    assert claims[DL + "msg"] and claims[DL + "log"]
    [item] = claims[DL + "content_items"]
    assert item["type"] == "ltiResourceLink"
    assert item["custom"] == {"tessera_view": "learner"}
    assert item["lineItem"]["resourceId"] == "tessera:learner"
    assert "?" not in item["url"]  # per-item values go in custom, not the query


def test_deep_linking_response_leaves_out_what_was_not_asked_for() -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: F401

    from gateway.keys import SigningKey, generate_key
    from gateway.lti.deeplink import LineItemSpec, ResourceLink, deep_linking_response
    from gateway.store.tables import utcnow

    alg, pem, jwk = generate_key("lti")
    key = SigningKey(jwk["kid"], "lti", alg, pem, jwk, utcnow(), None)
    signed = deep_linking_response(
        key=key,
        client_id="c",
        issuer="https://p.example",
        deployment_id="d",
        settings={
            "deep_link_return_url": "https://p.example/r",
            "accept_lineitem": False,
        },
        items=[
            ResourceLink(
                "T", custom={"a": "b"}, line_item=LineItemSpec("L", 1, "r", "t")
            )
        ],
        errormsg="nothing placed",
    )
    claims = jwt.decode(signed, options={"verify_signature": False})
    assert DL + "data" not in claims  # only echoed when the request carried it
    assert "lineItem" not in claims[DL + "content_items"][0]
    assert claims[DL + "errormsg"] == "nothing placed" and DL + "msg" not in claims
    assert jwt.get_unverified_header(signed)["kid"] == key.kid


def test_a_link_placed_as_the_learner_view_shows_instructors_their_own_page(
    client: FlaskClient, store: Store, httpserver: HTTPServer
) -> None:
    evil = EvilPlatform(httpserver)
    evil.register(store)
    page = client.get(
        _launch(
            client,
            evil,
            sub="teacher",
            name="Ms Teacher",
            lti_roles=[INSTRUCTOR],
            lti_custom={"tessera_view": "learner"},
        )
    ).get_data(as_text=True)
    assert "Ms Teacher" in page and 'id="roster"' not in page
