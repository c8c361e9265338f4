"""The xAPI document resources (State, Activity Profile, Agent Profile) over HTTP, both stores."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from gateway.store import Store
from gateway.xapi import documents
from tests.api_helpers import V1, V2, basic_auth_headers, make_statement
from tests.unit.shared_fixtures import XAPI_SPEC, load_json

AU = "https://vendor.example/au/1"
ADA = {"objectType": "Agent", "mbox": "mailto:ada@school.example"}
BOB = {"account": {"homePage": "https://lms.example", "name": "bob"}}
STATE = "/xapi/activities/state"
ACTIVITY_PROFILE = "/xapi/activities/profile"
AGENT_PROFILE = "/xapi/agents/profile"


class Docs:
    """A vendor talking to the document resources through the test client."""

    def __init__(self, client: FlaskClient, auth: dict[str, str]) -> None:
        self.client = client
        self.auth = auth

    def call(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        *,
        body: bytes | str | dict[str, Any] | None = None,
        content_type: str | None = None,
        version: str = V2,
        headers: dict[str, str] | None = None,
    ) -> TestResponse:
        query = {
            k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()
        }
        all_headers = {**self.auth, "X-Experience-API-Version": version}
        all_headers.update(headers or {})
        data: bytes | str | None
        if isinstance(body, dict):
            data = json.dumps(body)
            content_type = content_type or "application/json"
        else:
            data = body
        return self.client.open(
            path,
            method=method,
            query_string=query,
            data=data,
            content_type=content_type,
            headers=all_headers,
        )


def _vendor(
    client: FlaskClient, store: Store, name: str, scopes: str | None = None
) -> Docs:
    return Docs(client, basic_auth_headers(store, name, scopes))


@pytest.fixture
def docs(client: FlaskClient, store: Store) -> Docs:
    """A vendor with the default scopes (statements, state and profile)."""
    return _vendor(client, store, "docs-vendor")


def _state(**extra: Any) -> dict[str, Any]:
    return {"activityId": AU, "agent": ADA, **extra}


def _detail(response: TestResponse) -> str:
    body = response.json
    assert isinstance(body, dict), response.get_data(as_text=True)
    return str(body["detail"])


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'


# --- each resource: PUT, GET, POST merge, DELETE -------------------------------------------

RESOURCES = [
    pytest.param(STATE, {"activityId": AU, "agent": ADA}, "stateId", id="state"),
    pytest.param(ACTIVITY_PROFILE, {"activityId": AU}, "profileId", id="activity"),
    pytest.param(AGENT_PROFILE, {"agent": BOB}, "profileId", id="agent"),
]


@pytest.mark.parametrize(("path", "base", "id_param"), RESOURCES)
@pytest.mark.parametrize("version", [V1, V2])
def test_put_get_merge_delete(
    docs: Docs, path: str, base: dict[str, Any], id_param: str, version: str
) -> None:
    params = {**base, id_param: "bookmark"}
    first = docs.call(
        "PUT",
        path,
        params,
        body={"a": 1, "b": 2},
        version=version,
        headers={"If-None-Match": "*"},
    )
    assert first.status_code == 204, first.get_data(as_text=True)
    assert first.headers["X-Experience-API-Version"] == version
    assert first.headers["ETag"] == _etag(json.dumps({"a": 1, "b": 2}).encode())

    got = docs.call("GET", path, params, version=version)
    assert got.status_code == 200
    assert got.json == {"a": 1, "b": 2}
    assert got.mimetype == "application/json"
    assert got.headers["ETag"] == _etag(got.get_data())
    assert "Last-Modified" in got.headers
    assert "X-Experience-API-Consistent-Through" in got.headers

    head = docs.call("HEAD", path, params, version=version)
    assert head.status_code == 200
    assert head.headers["ETag"] == got.headers["ETag"]
    assert head.get_data() == b""

    merged = docs.call(
        "POST",
        path,
        params,
        body={"b": 3, "c": 4},
        version=version,
        headers={"If-Match": got.headers["ETag"]},
    )
    assert merged.status_code == 204, merged.get_data(as_text=True)
    assert docs.call("GET", path, params, version=version).json == {
        "a": 1,
        "b": 3,
        "c": 4,
    }

    gone = docs.call("DELETE", path, params, version=version)
    assert gone.status_code == 204
    missing = docs.call("GET", path, params, version=version)
    assert missing.status_code == 404
    assert "bookmark" in _detail(missing)


@pytest.mark.parametrize(("path", "base", "id_param"), RESOURCES)
def test_merge_follows_the_spec_example(
    docs: Docs, path: str, base: dict[str, Any], id_param: str
) -> None:
    """Communication 2.2's JSON procedure: stored, posted, and the merged result."""
    stored, posted, result = (
        load_json(XAPI_SPEC / f"comm-0{n}-json-procedure-with-requirements.json")
        for n in (1, 2, 3)
    )
    params = {**base, id_param: "procedure"}
    assert docs.call("PUT", path, params, body=stored).status_code == 204
    assert docs.call("POST", path, params, body=posted).status_code == 204
    assert docs.call("GET", path, params).json == result


@pytest.mark.parametrize(("path", "base", "id_param"), RESOURCES)
def test_post_creates_and_refuses_non_json_merges(
    docs: Docs, path: str, base: dict[str, Any], id_param: str
) -> None:
    params = {**base, id_param: "doc"}
    assert docs.call("POST", path, params, body={"x": 1}).status_code == 204
    assert docs.call("GET", path, params).json == {"x": 1}
    not_object = docs.call(
        "POST", path, params, body="[1]", content_type="application/json"
    )
    assert not_object.status_code == 400
    as_text = docs.call("POST", path, params, body="x=1", content_type="text/plain")
    assert as_text.status_code == 400
    # The stored document is binary now: a merge into it is 400 and changes nothing.
    other = {**base, id_param: "blob"}
    docs.call(
        "PUT", path, other, body=b"\x00\x01", content_type="application/octet-stream"
    )
    refused = docs.call("POST", path, other, body={"x": 1})
    assert refused.status_code == 400
    assert docs.call("GET", path, other).get_data() == b"\x00\x01"
    assert docs.call("GET", path, params).json == {"x": 1}


@pytest.mark.parametrize(("path", "base", "id_param"), RESOURCES)
def test_binary_content_round_trips_with_its_type(
    docs: Docs, path: str, base: dict[str, Any], id_param: str
) -> None:
    params = {**base, id_param: "picture"}
    content = bytes(range(256)) * 4
    put = docs.call("PUT", path, params, body=content, content_type="image/png")
    assert put.status_code == 204
    got = docs.call("GET", path, params)
    assert got.status_code == 200
    assert got.get_data() == content
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["ETag"] == _etag(content)


# --- concurrency (Communication 3.1) ---------------------------------------------------------


@pytest.mark.parametrize(("path", "base", "id_param"), RESOURCES)
def test_if_match_and_if_none_match(
    docs: Docs, path: str, base: dict[str, Any], id_param: str
) -> None:
    params = {**base, id_param: "cc"}
    missing_match = docs.call(
        "PUT", path, params, body={"v": 0}, headers={"If-Match": '"abc"'}
    )
    assert missing_match.status_code == 412
    create = docs.call(
        "PUT", path, params, body={"v": 1}, headers={"If-None-Match": "*"}
    )
    assert create.status_code == 204
    etag = docs.call("GET", path, params).headers["ETag"]

    again = docs.call(
        "PUT", path, params, body={"v": 2}, headers={"If-None-Match": "*"}
    )
    assert again.status_code == 412
    stale = docs.call("PUT", path, params, body={"v": 2}, headers={"If-Match": '"0"'})
    assert stale.status_code == 412
    assert docs.call("GET", path, params).json == {"v": 1}

    ok = docs.call("PUT", path, params, body={"v": 2}, headers={"If-Match": etag})
    assert ok.status_code == 204
    assert docs.call("GET", path, params).json == {"v": 2}

    stale_post = docs.call(
        "POST", path, params, body={"w": 1}, headers={"If-Match": etag}
    )
    assert stale_post.status_code == 412
    stale_delete = docs.call("DELETE", path, params, headers={"If-Match": etag})
    assert stale_delete.status_code == 412
    assert docs.call("GET", path, params).status_code == 200
    star = docs.call("PUT", path, params, body={"v": 3}, headers={"If-Match": "*"})
    assert star.status_code == 204


@pytest.mark.parametrize("version", [V1, V2])
@pytest.mark.parametrize(
    ("path", "base"),
    [(ACTIVITY_PROFILE, {"activityId": AU}), (AGENT_PROFILE, {"agent": ADA})],
)
def test_unconditional_profile_overwrite_is_409(
    docs: Docs, path: str, base: dict[str, Any], version: str
) -> None:
    params = {**base, "profileId": "p"}
    create = {"If-None-Match": "*"}
    first = docs.call(
        "PUT", path, params, body={"v": 1}, version=version, headers=create
    )
    assert first.status_code == 204
    blind = docs.call("PUT", path, params, body={"v": 2}, version=version)
    assert blind.status_code == 409
    assert "If-Match" in _detail(blind)
    assert docs.call("GET", path, params, version=version).json == {"v": 1}


@pytest.mark.parametrize(
    ("path", "base"),
    [(ACTIVITY_PROFILE, {"activityId": AU}), (AGENT_PROFILE, {"agent": ADA})],
)
def test_a_blind_profile_put_creates_in_2_0_and_is_400_in_1_0_3(
    docs: Docs, path: str, base: dict[str, Any]
) -> None:
    """The 1.0.3 suite reads the concurrency headers as required (XAPI-00273, -00287)."""
    params = {**base, "profileId": "new"}
    refused = docs.call("PUT", path, params, body={"v": 1}, version=V1)
    assert refused.status_code == 400
    assert "If-None-Match" in _detail(refused)
    assert docs.call("GET", path, params).status_code == 404
    assert docs.call("PUT", path, params, body={"v": 1}, version=V2).status_code == 204
    assert docs.call("GET", path, params).json == {"v": 1}


def test_a_racing_first_write_is_409(
    docs: Docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first PUTs of one document: the unique index lets one win; the other is 409."""
    params = _state(stateId="race")
    assert docs.call("PUT", STATE, params, body={"v": 1}).status_code == 204
    monkeypatch.setattr(
        documents, "_row", lambda *args: None
    )  # as if not yet committed
    lost = docs.call("PUT", STATE, params, body={"v": 2})
    assert lost.status_code == 409
    assert "at the same time" in _detail(lost)
    monkeypatch.undo()
    assert docs.call("GET", STATE, params).json == {"v": 1}


def test_state_may_be_overwritten_without_headers_in_1_0_3_only(docs: Docs) -> None:
    """1.0.3 Communication 3.1 exempts the State resource; 2.0 (4.1.4) does not."""
    params = _state(stateId="s")
    assert docs.call("PUT", STATE, params, body={"v": 1}, version=V1).status_code == 204
    assert docs.call("PUT", STATE, params, body={"v": 2}, version=V1).status_code == 204
    assert docs.call("GET", STATE, params).json == {"v": 2}
    blind = docs.call("PUT", STATE, params, body={"v": 3}, version=V2)
    assert blind.status_code == 409
    assert "If-Match" in _detail(blind)
    assert docs.call("GET", STATE, params).json == {"v": 2}
    assert (
        docs.call("POST", STATE, params, body={"w": 1}, version=V2).status_code == 204
    )


# --- ids, since, registration, delete-all ---------------------------------------------------


@pytest.mark.parametrize(("path", "base", "id_param"), RESOURCES)
def test_ids_listing_with_since(
    docs: Docs, path: str, base: dict[str, Any], id_param: str
) -> None:
    empty = docs.call("GET", path, base)
    assert empty.status_code == 200
    assert empty.json == []
    docs.call("PUT", path, {**base, id_param: "one"}, body={"n": 1})
    time.sleep(0.01)
    middle = datetime.now(UTC)
    time.sleep(0.01)
    docs.call("PUT", path, {**base, id_param: "two"}, body={"n": 2})
    listed = docs.call("GET", path, base)
    assert listed.status_code == 200
    assert sorted(listed.json or []) == ["one", "two"]
    assert "Last-Modified" in listed.headers
    recent = docs.call("GET", path, {**base, "since": middle.isoformat()})
    assert recent.json == ["two"]
    future = (middle + timedelta(hours=1)).isoformat()
    assert docs.call("GET", path, {**base, "since": future}).json == []


def test_state_registration_and_delete_all(docs: Docs) -> None:
    reg = str(uuid.uuid4())
    docs.call("PUT", STATE, _state(stateId="a"), body={"r": None})
    docs.call("PUT", STATE, _state(stateId="b", registration=reg), body={"r": reg})
    docs.call("PUT", STATE, _state(stateId="c", registration=reg), body={"r": reg})
    assert docs.call("GET", STATE, _state()).json == ["a"]
    assert sorted(docs.call("GET", STATE, _state(registration=reg)).json or []) == [
        "b",
        "c",
    ]
    upper = docs.call("GET", STATE, _state(stateId="b", registration=reg.upper()))
    assert upper.json == {"r": reg}

    assert docs.call("DELETE", STATE, _state(registration=reg)).status_code == 204
    assert docs.call("GET", STATE, _state(registration=reg)).json == []
    assert docs.call("GET", STATE, _state()).json == ["a"]


def test_agent_identity_is_its_ifi(docs: Docs) -> None:
    """The same mbox with a name, or in another case, names the same agent's documents."""
    docs.call("PUT", AGENT_PROFILE, {"agent": ADA, "profileId": "p"}, body={"v": 1})
    named = {"name": "Ada", "mbox": "mailto:ADA@school.example"}
    assert docs.call("GET", AGENT_PROFILE, {"agent": named, "profileId": "p"}).json == {
        "v": 1
    }
    assert (
        docs.call("GET", AGENT_PROFILE, {"agent": BOB, "profileId": "p"}).status_code
        == 404
    )


# --- bad parameters, auth --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        (STATE, {"agent": ADA, "stateId": "s"}, "activityId"),
        (STATE, {"activityId": AU, "stateId": "s"}, "agent"),
        (
            STATE,
            {"activityId": "not an iri", "agent": ADA, "stateId": "s"},
            "activityId",
        ),
        (STATE, {"activityId": AU, "agent": "{nope", "stateId": "s"}, "agent"),
        (
            STATE,
            {"activityId": AU, "agent": {"name": "no ifi"}, "stateId": "s"},
            "agent",
        ),
        (
            STATE,
            {
                "activityId": AU,
                "agent": {"mbox": "mailto:a@b.c", "openid": "https://x.example/a"},
                "stateId": "s",
            },
            "agent",
        ),
        (
            STATE,
            {"activityId": AU, "agent": {"mbox": "a@b.c"}, "stateId": "s"},
            "agent.mbox",
        ),
        (
            STATE,
            {
                "activityId": AU,
                "agent": {"objectType": "Group", "mbox": "mailto:a@b.c"},
                "stateId": "s",
            },
            "agent.objectType",
        ),
        (STATE, {**_state(), "registration": "nope", "stateId": "s"}, "registration"),
        (STATE, {**_state(), "stateId": "s", "color": "red"}, "color"),
        (STATE, {**_state(), "since": "yesterday"}, "since"),
        (STATE, {**_state(), "since": "2026-11-01"}, "since"),
        (STATE, {**_state(), "stateId": "s", "since": "2026-11-01T00:00:00Z"}, "since"),
        (ACTIVITY_PROFILE, {"profileId": "p"}, "activityId"),
        (AGENT_PROFILE, {"profileId": "p"}, "agent"),
        (
            AGENT_PROFILE,
            {"agent": ADA, "profileId": "p", "activityId": AU},
            "activityId",
        ),
    ],
)
def test_bad_parameters_are_400_naming_them(
    docs: Docs, path: str, params: dict[str, Any], named: str
) -> None:
    response = docs.call("GET", path, params)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert named in _detail(response)


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        (STATE, _state(), "stateId"),
        (ACTIVITY_PROFILE, {"activityId": AU}, "profileId"),
        (AGENT_PROFILE, {"agent": ADA}, "profileId"),
    ],
)
def test_writes_need_the_document_id(
    docs: Docs, path: str, params: dict[str, Any], named: str
) -> None:
    for method in ("PUT", "POST"):
        response = docs.call(method, path, params, body={"v": 1})
        assert response.status_code == 400
        assert named in _detail(response)
    if path != STATE:
        response = docs.call("DELETE", path, params)
        assert response.status_code == 400
        assert named in _detail(response)


def test_version_header_is_required(docs: Docs, client: FlaskClient) -> None:
    response = client.get(
        STATE,
        query_string={"activityId": AU, "agent": json.dumps(ADA)},
        headers=docs.auth,
    )
    assert response.status_code == 400
    assert "X-Experience-API-Version" in _detail(response)


def test_authentication_and_scopes(
    client: FlaskClient, store: Store, docs: Docs
) -> None:
    anonymous = Docs(client, {})
    assert anonymous.call("GET", STATE, _state(stateId="s")).status_code == 401
    statements_only = _vendor(client, store, "stmts", "statements/write")
    for path, params in (
        (STATE, _state(stateId="s")),
        (ACTIVITY_PROFILE, {"activityId": AU, "profileId": "p"}),
        (AGENT_PROFILE, {"agent": ADA, "profileId": "p"}),
    ):
        assert statements_only.call("GET", path, params).status_code == 403
    state_only = _vendor(client, store, "state-only", "state")
    assert (
        state_only.call("PUT", STATE, _state(stateId="s"), body=b"x").status_code == 204
    )
    profile = state_only.call(
        "PUT", ACTIVITY_PROFILE, {"activityId": AU, "profileId": "p"}, body=b"x"
    )
    assert profile.status_code == 403


def test_documents_are_scoped_per_vendor_unless_all(
    client: FlaskClient, store: Store, docs: Docs
) -> None:
    params = _state(stateId="mine")
    docs.call("PUT", STATE, params, body={"owner": "docs"})
    other = _vendor(client, store, "other", "state")
    assert other.call("GET", STATE, params).status_code == 404
    assert other.call("GET", STATE, _state()).json == []
    # Another vendor writes its own document under the same key; both stay apart.
    assert other.call("PUT", STATE, params, body={"owner": "other"}).status_code == 204
    assert docs.call("GET", STATE, params).json == {"owner": "docs"}
    admin = _vendor(client, store, "admin", "all")
    assert admin.call("GET", STATE, _state()).json == ["mine"]
    assert admin.call("GET", STATE, params).json == {"owner": "other"}


def test_other_resources_still_answer_404(docs: Docs) -> None:
    response = docs.call("GET", "/xapi/extensions", {})
    assert response.status_code == 404
    assert response.headers["X-Experience-API-Version"]


# --- the Activities and Agents resources ----------------------------------------------------


def _post_statement(docs: Docs, statement: dict[str, Any]) -> None:
    posted = docs.client.post(
        "/xapi/statements",
        data=json.dumps(statement),
        content_type="application/json",
        headers={**docs.auth, "X-Experience-API-Version": V2},
    )
    assert posted.status_code == 200, posted.get_data(as_text=True)


def test_activity_object_has_all_that_is_known_of_its_definition(docs: Docs) -> None:
    unknown = docs.call("GET", "/xapi/activities", {"activityId": AU})
    assert unknown.status_code == 200
    assert unknown.json == {"objectType": "Activity", "id": AU}
    definitions = (
        {"name": {"en-US": "Quiz", "de-DE": "Test"}, "type": "http://t.example/a"},
        {"name": {"fr-FR": "Examen"}, "description": {"fr-FR": "Un examen"}},
        {"name": {"en-US": "Quiz 2"}, "type": "http://t.example/b"},
    )
    for definition in definitions:
        statement = make_statement(str(uuid.uuid4()), activity=AU)
        statement["object"]["definition"] = definition
        _post_statement(docs, statement)
    _post_statement(docs, make_statement(str(uuid.uuid4()), activity=AU))
    found = docs.call("GET", "/xapi/activities", {"activityId": AU})
    # The newest definition wins property by property; languages only older ones have are
    # kept (XAPI-00254).
    assert found.json == {
        "objectType": "Activity",
        "id": AU,
        "definition": {
            "name": {"en-US": "Quiz 2", "de-DE": "Test", "fr-FR": "Examen"},
            "description": {"fr-FR": "Un examen"},
            "type": "http://t.example/b",
        },
    }
    assert docs.call("HEAD", "/xapi/activities", {"activityId": AU}).status_code == 200
    bad = docs.call("GET", "/xapi/activities", {"activityId": "no iri"})
    assert bad.status_code == 400
    assert "activityId" in _detail(bad)
    assert docs.call("GET", "/xapi/activities", {}).status_code == 400


def test_agents_resource_answers_a_person(docs: Docs) -> None:
    response = docs.call(
        "GET", "/xapi/agents", {"agent": {"name": "Ada", "mbox": ADA["mbox"]}}
    )
    assert response.status_code == 200
    assert response.json == {
        "objectType": "Person",
        "name": ["Ada"],
        "mbox": ["mailto:ada@school.example"],
    }
    bad = docs.call("GET", "/xapi/agents", {"agent": {"name": "no ifi"}})
    assert bad.status_code == 400
    assert "agent" in _detail(bad)
    assert (
        Docs(docs.client, {}).call("GET", "/xapi/agents", {"agent": ADA}).status_code
        == 401
    )


# --- a cmi5-like flow --------------------------------------------------------------------------


def test_cmi5_like_flow(client: FlaskClient, store: Store) -> None:
    """The LMS writes LMS.LaunchData; the AU reads it, writes its own state, sends
    statements, and reads its state back (cmi5 §10, xAPI Communication 2.3)."""
    lms = _vendor(client, store, "lms", "all")
    registration = str(uuid.uuid4())
    launch = _state(stateId="LMS.LaunchData", registration=registration)
    launch_data = {
        "contextTemplate": {"registration": registration},
        "launchMode": "Normal",
        "moveOn": "Passed",
        "masteryScore": 0.7,
    }
    assert lms.call("PUT", STATE, launch, body=launch_data).status_code == 204

    # The AU runs under the LMS's credential (cmi5 fetch URL), here the same vendor.
    read = lms.call("GET", STATE, launch)
    assert read.status_code == 200
    assert read.json == launch_data
    assert read.json["masteryScore"] == 0.7

    own = _state(
        stateId="https://vendor.example/au/1/suspend", registration=registration
    )
    first = lms.call(
        "PUT", STATE, own, body={"page": 3}, headers={"If-None-Match": "*"}
    )
    assert first.status_code == 204

    statement = make_statement(str(uuid.uuid4()), activity=AU, verb="passed")
    statement["context"] = {"registration": registration}
    posted = client.post(
        "/xapi/statements",
        data=json.dumps(statement),
        content_type="application/json",
        headers={**lms.auth, "X-Experience-API-Version": V2},
    )
    assert posted.status_code == 200, posted.get_data(as_text=True)

    back = lms.call("GET", STATE, own)
    assert back.status_code == 200
    assert back.json == {"page": 3}
    ids = lms.call("GET", STATE, _state(registration=registration)).json
    assert sorted(ids or []) == [
        "LMS.LaunchData",
        "https://vendor.example/au/1/suspend",
    ]


# --- the 1.0.3 Alternate Request Syntax (Communication 1.3) ----------------------------------


def _alternate(
    docs: Docs, path: str, method: str, form: dict[str, str], version: str = V1
) -> TestResponse:
    fields = {"X-Experience-API-Version": version, **docs.auth, **form}
    return docs.client.post(
        path,
        query_string={"method": method},
        data=fields,
        content_type="application/x-www-form-urlencoded",
    )


def test_alternate_request_syntax_on_documents(docs: Docs) -> None:
    params = {"activityId": AU, "agent": json.dumps(ADA), "stateId": "alt"}
    put = _alternate(docs, STATE, "PUT", {**params, "content": '{"a": 1}'})
    assert put.status_code == 204, put.get_data(as_text=True)
    got = _alternate(docs, STATE, "GET", params)
    assert got.status_code == 200
    assert got.json == {"a": 1}
    assert got.headers["ETag"] == _etag(b'{"a": 1}')
    profile = {
        "activityId": AU,
        "profileId": "p",
        "Content-Type": "text/plain",
        "If-None-Match": "*",
    }
    assert (
        _alternate(
            docs, ACTIVITY_PROFILE, "PUT", {**profile, "content": "hi"}
        ).status_code
        == 204
    )
    text = docs.call("GET", ACTIVITY_PROFILE, {"activityId": AU, "profileId": "p"})
    assert text.get_data() == b"hi"
    assert text.mimetype == "text/plain"
    assert _alternate(docs, STATE, "DELETE", params).status_code == 204
    assert docs.call("GET", STATE, {**_state(), "stateId": "alt"}).status_code == 404
    refused = _alternate(docs, STATE, "GET", params, version=V2)
    assert refused.status_code == 400
    assert refused.headers["X-Experience-API-Version"] == V2
