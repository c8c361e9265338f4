"""The xAPI Statement Resource and ``/xapi/about`` over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import copy
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from gateway import create_app
from gateway.competencies import import_package
from gateway.intake.alignment import NewAlignment
from gateway.intake.service import align
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import (
    evidence,
    raw_records,
    xapi_statements,
)
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from gateway.xapi import statements as xapi_store
from tests.api_helpers import (
    ADL,
    V1,
    V2,
    Lrs,
    basic_auth_headers,
    make_statement,
    problem,
)
from tests.case_packages import item_id, make_package
from tests.unit.shared_fixtures import XAPI_SPEC, load_json
from tests.unit.test_xapi_validation import FULL_STATEMENTS

QUIZ = "https://vendor.example/quiz/7"


def _vendor(
    client: FlaskClient, store: Store, name: str, scopes: str | None = None
) -> Lrs:
    return Lrs(client, basic_auth_headers(store, name, scopes))


def _id() -> str:
    return str(uuid.uuid4())


def _statement(**overrides: Any) -> dict[str, Any]:
    statement = make_statement(_id())
    statement.update(overrides)
    return statement


def _void(target: str) -> dict[str, Any]:
    return {
        "id": _id(),
        "actor": {"mbox": "mailto:teacher@school.example"},
        "verb": {"id": ADL + "voided", "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
    }


def _count(store: Store, table: Any = xapi_statements) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# --- about and headers ---------------------------------------------------------------------


def test_about_needs_no_auth_and_no_version(client: FlaskClient) -> None:
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.json == {"version": ["1.0.3", "2.0.0"]}
    assert response.headers["X-Experience-API-Version"] == "2.0.0"
    assert client.head("/xapi/about").status_code == 200


def test_the_version_header_is_required_and_echoed(lrs: Lrs) -> None:
    response = lrs.get(version=None)
    assert "X-Experience-API-Version" in problem(response, 400)["detail"]
    assert response.headers["X-Experience-API-Version"] == V2
    assert "X-Experience-API-Consistent-Through" in response.headers
    for sent, served in (("1.0", V1), ("1.0.3", V1), ("1.0.9", V1), ("2.0.0", V2)):
        response = lrs.get(version=sent)
        assert response.status_code == 200, sent
        assert response.headers["X-Experience-API-Version"] == served
        assert response.headers["X-Experience-API-Consistent-Through"].endswith("Z")
    for bad in ("1.1.0", "0.95", "3.0.0", "2", "x"):
        problem(lrs.get(version=bad), 400)
        problem(lrs.post(_statement(), version=bad), 400)


def test_a_request_without_a_version_is_answered_in_the_configured_one(
    settings: Settings, store: Store
) -> None:
    """TESSERA_XAPI_DEFAULT_VERSION: the 1.0.3 suite expects 1.0.3 there (XAPI-00331)."""
    app = create_app(replace(settings, xapi_default_version=V1), store)
    vendor = Lrs(app.test_client(), basic_auth_headers(store, "v103"))
    response = vendor.get(version=None)
    assert problem(response, 400)
    assert response.headers["X-Experience-API-Version"] == V1
    assert vendor.get(version=V2).headers["X-Experience-API-Version"] == V2


# --- writing ---------------------------------------------------------------------------------


def test_put_stores_one_statement_and_get_returns_it(lrs: Lrs, store: Store) -> None:
    statement = _statement()
    sid = statement.pop("id")
    response = lrs.put(statement, sid)
    assert response.status_code == 204, response.get_data(as_text=True)
    got = lrs.get(statementId=sid)
    assert got.status_code == 200
    body = got.json
    assert body is not None
    assert body["id"] == sid
    assert body["actor"] == statement["actor"]
    assert body["version"] == "2.0.0"
    assert body["stored"].endswith("Z")
    assert body["authority"]["objectType"] == "Agent"
    assert got.headers["Last-Modified"]
    # A 1.0.3 statement gets version 1.0.0.
    other = _statement()
    assert lrs.put(other, other["id"], version=V1).status_code == 204
    assert lrs.query(statementId=other["id"])["version"] == "1.0.0"
    assert _count(store) == 2
    assert _count(store, raw_records) == 2


def test_put_checks_the_statement_id(lrs: Lrs) -> None:
    statement = _statement()
    assert "UUID" in problem(lrs.put(statement, "not-a-uuid"), 400)["detail"]
    assert "differs" in problem(lrs.put(statement, _id()), 400)["detail"]
    response = lrs.client.put(
        "/xapi/statements",
        data=json.dumps(statement),
        headers=lrs.headers(),
        content_type="application/json",
    )
    assert "statementId" in problem(response, 400)["detail"]
    problem(lrs.put([statement], statement["id"]), 400)


def test_post_single_and_batch_returns_ids_in_order(lrs: Lrs, store: Store) -> None:
    one = _statement()
    assert lrs.post(one).json == [one["id"]]
    batch = [_statement() for _ in range(3)]
    del batch[1]["id"]
    response = lrs.post(batch)
    assert response.status_code == 200
    ids = response.json
    assert isinstance(ids, list) and len(ids) == 3
    assert ids[0] == batch[0]["id"] and ids[2] == batch[2]["id"]
    uuid.UUID(ids[1])  # assigned by the LRS
    assert lrs.query(statementId=ids[1])["id"] == ids[1]
    assert _count(store) == 4
    assert lrs.post([]).json == []


def test_a_retry_is_idempotent_and_conflicting_content_is_409(
    lrs: Lrs, store: Store
) -> None:
    statement = _statement()
    assert lrs.post(statement).status_code == 200
    stored = lrs.query(statementId=statement["id"])
    # The same statement again, even re-serialized: 204 for PUT, the id for POST.
    same = copy.deepcopy(statement)
    same["timestamp"] = "2026-11-01T11:00:00.000+01:00"  # the same instant
    same["verb"]["display"] = {"fr": "a obtenu"}  # display is not compared
    same["actor"]["mbox"] = "mailto:ADA@school.example"
    assert lrs.put(same, statement["id"]).status_code == 204
    assert lrs.post([same, _statement()]).status_code == 200
    assert lrs.query(statementId=statement["id"]) == stored  # never changed
    # Different content under the same id.
    changed = copy.deepcopy(statement)
    changed["result"]["score"]["scaled"] = 0.1
    assert "already stored" in problem(lrs.put(changed, statement["id"]), 409)["detail"]
    fresh = _statement()
    problem(lrs.post([fresh, changed]), 409)
    problem(lrs.get(statementId=fresh["id"]), 404)  # the whole batch was refused
    assert lrs.query(statementId=statement["id"]) == stored
    assert _count(store) == 2


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", "not valid JSON"),
        ('"a string"', "statement object or an array"),
        ({"actor": {"mbox": "mailto:a@b.c"}}, "verb"),
        (
            {
                "actor": {"mbox": "a@b.c"},
                "verb": {"id": ADL + "passed"},
                "object": {"id": QUIZ},
            },
            "mailto",
        ),
        (
            {
                "actor": {"mbox": "mailto:a@b.c"},
                "verb": {"id": ADL + "passed"},
                "object": {"id": QUIZ},
                "result": {"score": {"scaled": 1.01}},
            },
            "scaled",
        ),
        (
            {
                "actor": {"mbox": "mailto:a@b.c"},
                "verb": {"id": ADL + "passed"},
                "object": {"id": QUIZ},
                "Result": {},
            },
            "Result",
        ),
        (
            {
                "actor": {"mbox": "mailto:a@b.c"},
                "verb": {"id": ADL + "passed"},
                "object": {"id": QUIZ},
                "attachments": [
                    {
                        "usageType": "http://example.com/usage",
                        "display": {"en-US": "a file"},
                        "contentType": "text/plain",
                        "length": 3,
                        "sha2": "a" * 64,
                    }
                ],
            },
            "fileUrl",
        ),
    ],
)
def test_an_invalid_statement_is_400_with_a_sentence(
    lrs: Lrs, store: Store, body: Any, words: str
) -> None:
    assert words in problem(lrs.post(body), 400)["detail"]
    assert _count(store) == 0


def test_invalid_requests_are_400(lrs: Lrs, store: Store) -> None:
    statement = _statement()
    batch = [statement, _statement(id=statement["id"].upper())]
    assert "repeats the id" in problem(lrs.post(batch), 400)["detail"]
    response = lrs.client.post(
        "/xapi/statements",
        data=json.dumps(statement),
        headers=lrs.headers(),
        content_type="text/plain",
    )
    assert "application/json" in problem(response, 400)["detail"]
    response = lrs.client.post(
        "/xapi/statements",
        data="--x\r\n",
        headers=lrs.headers(),
        content_type="multipart/mixed; boundary=x",
    )
    assert "closing delimiter" in problem(response, 400)["detail"]
    assert "Alternate" in problem(lrs.post(statement, method="PUT"), 400)["detail"]
    assert "parameter" in problem(lrs.post(statement, foo="1"), 400)["detail"]
    for query in (
        {"statementId": "nope"},
        {"statementId": _id(), "voidedStatementId": _id()},
        {"statementId": _id(), "verb": ADL + "passed"},
        {"Verb": ADL + "passed"},
        {"verb": "not an iri"},
        {"agent": "{not json"},
        {"agent": json.dumps({"mbox": "ada@school.example"})},
        {"agent": json.dumps({"name": "no ifi"})},
        {"registration": "nope"},
        {"since": "yesterday"},
        {"limit": "-1"},
        {"ascending": "yes"},
        {"format": "everything"},
        {"attachments": "yes"},
        {"cursor": "garbage!"},
    ):
        assert problem(lrs.get(**query), 400)["detail"], query
    assert _count(store) == 0


def test_an_oversized_body_is_413(lrs: Lrs, settings: Any) -> None:
    big = "x" * (settings.max_body_bytes + 1)
    response = lrs.post(big)
    assert response.status_code == 413
    assert response.headers["X-Experience-API-Version"] == V2


# --- auth ------------------------------------------------------------------------------------


def test_credentials_are_required(client: FlaskClient, store: Store) -> None:
    _, creds = add_vendor(store, "bearer-vendor")
    bearer = next(c for c in creds if c.kind is CredentialKind.CALIPER_BEARER)
    for auth in (
        {},
        {"Authorization": "Basic " + base64.b64encode(b"tx_nobody:nothing").decode()},
        {"Authorization": f"Bearer {bearer.bearer_token}"},
    ):
        response = client.get(
            "/xapi/statements", headers=auth | {"X-Experience-API-Version": V2}
        )
        problem(response, 401)
        assert "Basic" in response.headers["WWW-Authenticate"]
        assert response.headers["X-Experience-API-Version"] == V2


def test_scopes_decide_what_a_vendor_may_write_and_read(
    client: FlaskClient, store: Store, lrs: Lrs
) -> None:
    mine = _vendor(client, store, "mine")  # default scopes: write, read/mine
    other = _vendor(client, store, "other")
    reader = _vendor(client, store, "reader", "all/read")
    writer = _vendor(client, store, "writer", "statements/write")
    a, b = _statement(), _statement()
    assert mine.post(a).status_code == 200
    assert other.post(b).status_code == 200
    assert mine.ids() == [a["id"]]
    assert other.ids() == [b["id"]]
    problem(mine.get(statementId=b["id"]), 404)
    assert set(reader.ids()) == set(lrs.ids()) == {a["id"], b["id"]}
    problem(reader.post(_statement()), 403)
    assert "statements/read" in problem(writer.get(), 403)["detail"]
    assert writer.post(_statement()).status_code == 200


# --- reading ---------------------------------------------------------------------------------


def test_voiding_hides_the_target_and_voided_statement_id_finds_it(
    lrs: Lrs, store: Store
) -> None:
    target = _statement()
    keep = _statement()
    assert lrs.post([target, keep]).status_code == 200
    void = _void(target["id"])
    assert lrs.post(void).status_code == 200
    problem(lrs.get(statementId=target["id"]), 404)
    assert lrs.query(voidedStatementId=target["id"])["id"] == target["id"]
    problem(lrs.get(voidedStatementId=keep["id"]), 404)
    assert set(lrs.ids()) == {keep["id"], void["id"]}
    # A voiding statement cannot be voided.
    detail = problem(lrs.post(_void(void["id"])), 400)["detail"]
    assert "cannot be voided" in detail
    # The void may arrive first: the target is then stored voided.
    late = _statement()
    assert lrs.post(_void(late["id"])).status_code == 200
    assert lrs.post(late).status_code == 200
    problem(lrs.get(statementId=late["id"]), 404)
    assert lrs.query(voidedStatementId=late["id"])["id"] == late["id"]


def test_voiding_another_vendors_statement_is_403(
    client: FlaskClient, store: Store, lrs: Lrs
) -> None:
    statement = _statement()
    assert lrs.post(statement).status_code == 200
    other = _vendor(client, store, "other")
    problem(other.post(_void(statement["id"])), 403)
    assert lrs.query(statementId=statement["id"])["id"] == statement["id"]


def test_a_credential_with_all_may_void_another_vendors_statement(
    client: FlaskClient, store: Store, lrs: Lrs
) -> None:
    import_package(store, make_package("x", {"": ["A"]}))
    align(store, [NewAlignment(QUIZ, item_id("x", "A"))])
    statement = _statement()
    assert lrs.post(statement).status_code == 200
    assert _count(store, evidence) == 1
    admin = _vendor(client, store, "admin", "all")
    assert admin.post(_void(statement["id"])).status_code == 200
    problem(lrs.get(statementId=statement["id"]), 404)
    assert _count(store, evidence) == 0


def test_query_parameters_filter(lrs: Lrs) -> None:
    registration = _id()
    ada = _statement()
    ada["context"] = {
        "registration": registration,
        "instructor": {"mbox": "mailto:teacher@school.example"},
        "contextActivities": {"parent": [{"id": "https://vendor.example/course"}]},
    }
    bob = make_statement(_id(), email="bob@school.example", verb="passed")
    group = _statement(
        actor={
            "objectType": "Group",
            "member": [
                {"mbox": "mailto:cy@school.example"},
                {"account": {"homePage": "https://sis.example", "name": "dee"}},
            ],
        },
        object={"objectType": "Activity", "id": "https://vendor.example/project"},
    )
    assert lrs.post([ada, bob, group]).status_code == 200
    agent = json.dumps({"mbox": "mailto:ada@school.example"})
    assert lrs.ids(agent=agent) == [ada["id"]]
    dee = json.dumps({"account": {"homePage": "https://sis.example", "name": "dee"}})
    assert lrs.ids(agent=dee) == [group["id"]]
    teacher = json.dumps({"mbox": "mailto:teacher@school.example"})
    assert lrs.ids(agent=teacher) == []
    assert lrs.ids(agent=teacher, related_agents="true") == [ada["id"]]
    assert lrs.ids(verb=ADL + "passed") == [bob["id"]]
    assert set(lrs.ids(activity=QUIZ)) == {ada["id"], bob["id"]}
    course = "https://vendor.example/course"
    assert lrs.ids(activity=course) == []
    assert lrs.ids(activity=course, related_activities="true") == [ada["id"]]
    assert lrs.ids(registration=registration.upper()) == [ada["id"]]
    assert lrs.ids(verb=ADL + "passed", activity=course) == []


def test_common_reference_filters_are_tested_row_by_row_with_the_same_results(
    lrs: Lrs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agent or related activity named by many statements is matched row by row along the
    page's order (EXISTS) rather than collected first (IN): both give the same pages."""
    course = "https://vendor.example/course"
    teacher = {"mbox": "mailto:teacher@school.example"}
    statements = []
    for n in range(7):
        statement = make_statement(_id(), email=f"s{n % 2}@school.example")
        if n % 3 != 2:
            statement["context"] = {
                "instructor": teacher,
                "contextActivities": {"parent": [{"id": course}]},
            }
        statements.append(statement)
    assert lrs.post(statements).status_code == 200
    queries = [
        {"activity": course, "related_activities": "true"},
        {"agent": json.dumps({"mbox": "mailto:s0@school.example"})},
        {"agent": json.dumps(teacher), "related_agents": "true"},
        {
            "agent": json.dumps(teacher),
            "related_agents": "true",
            "verb": ADL + "scored",
        },
        {"activity": course, "related_activities": "true", "ascending": "true"},
    ]
    collected = [lrs.ids(**q) for q in queries]
    monkeypatch.setattr(xapi_store, "_COMMON_REF", 1)
    assert [lrs.ids(**q) for q in queries] == collected
    related = [s["id"] for n, s in enumerate(statements) if n % 3 != 2]
    assert collected[0] == list(reversed(related))
    assert collected[2] == list(reversed(related))
    assert len(collected[1]) == 4


def test_a_statement_referring_to_a_match_matches_too(lrs: Lrs) -> None:
    target = _statement()
    other = _statement(object={"id": "https://vendor.example/elsewhere"})
    assert lrs.post([target, other]).status_code == 200
    comment = _statement(
        verb={"id": "http://example.com/verbs/commented"},
        object={"objectType": "StatementRef", "id": target["id"]},
    )
    reply = _statement(
        verb={"id": "http://example.com/verbs/replied"},
        object={"objectType": "StatementRef", "id": comment["id"].upper()},
    )
    assert lrs.post([comment, reply]).status_code == 200
    expected = {target["id"], comment["id"], reply["id"]}
    assert set(lrs.ids(activity=QUIZ)) == expected  # recursively (Comm 2.1.3)
    # Voided targets still lend their match to the statements that refer to them.
    void = _void(target["id"])
    assert lrs.post(void).status_code == 200
    assert set(lrs.ids(activity=QUIZ)) == {comment["id"], reply["id"], void["id"]}
    assert set(lrs.ids(verb=ADL + "voided")) == {void["id"]}
    # Time filters apply to the referring statement itself.
    stored = lrs.query(statementId=reply["id"])["stored"]
    assert reply["id"] not in lrs.ids(activity=QUIZ, until="2000-01-01T00:00:00Z")
    assert reply["id"] in lrs.ids(activity=QUIZ, until=stored)


def test_paging_with_more_is_stable_and_ordered(lrs: Lrs) -> None:
    posted: list[str] = []
    for _ in range(3):
        response = lrs.post([_statement() for _ in range(4)])
        posted += response.json or []
    newest_first = list(reversed(posted))
    seen: list[str] = []
    page = lrs.query(limit="5")
    while True:
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        more = urlsplit(page["more"])
        assert more.path == "/xapi/statements"
        lrs.post(_statement())  # new statements do not shift later pages
        response = lrs.client.get(page["more"], headers=lrs.headers())
        assert response.status_code == 200
        page = response.json or {}
    assert seen == newest_first
    assert lrs.ids(ascending="true", limit="3") == posted[:3]
    assert len(lrs.ids(limit="0")) == len(posted) + 2


def test_pages_follow_stored_order_even_where_storage_order_differs(
    lrs: Lrs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``stored`` is stamped before the write lock, so a later commit can carry an earlier
    ``stored``; pages are in ``stored`` order (Communication 2.1.3), and ``more`` walks it."""
    noon = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    stamps = iter([noon + timedelta(seconds=2), noon + timedelta(seconds=1), noon])
    stamp = next(stamps)
    monkeypatch.setattr(xapi_store, "utcnow", lambda: stamp)
    posted = []
    for later in stamps:  # committed in this order, stored ever earlier
        statement = _statement()
        lrs.post(statement)
        posted.append(statement["id"])
        stamp = later
    statement = _statement()
    lrs.post(statement)
    posted.append(statement["id"])
    monkeypatch.undo()
    assert lrs.ids() == posted  # newest stored first: the first one committed
    assert lrs.ids(ascending="true") == list(reversed(posted))
    walked: list[str] = []
    page = lrs.query(limit="1")
    while True:
        walked += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        page = lrs.client.get(page["more"], headers=lrs.headers()).json or {}
    assert walked == posted
    until = (noon + timedelta(seconds=1)).isoformat()
    assert lrs.ids(until=until) == posted[1:]


def test_since_and_until_filter_on_stored(lrs: Lrs) -> None:
    first = _statement()
    lrs.post(first)
    stored = lrs.query(statementId=first["id"])["stored"]
    second = _statement()
    lrs.post(second)
    assert lrs.ids(since=stored) == [second["id"]]  # exclusive
    assert lrs.ids(until=stored) == [first["id"]]  # inclusive
    assert lrs.ids(since="2000-01-01T00:00:00Z", ascending="true") == [
        first["id"],
        second["id"],
    ]


def test_a_request_that_waited_long_for_the_write_lock_is_stamped_again(
    lrs: Lrs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``stored`` is taken before the write lock; a long wait for it takes it again, so a
    statement is never stored with a time older than Consistent-Through promised."""
    began = datetime(2026, 11, 2, 9, 0, 0, 123456, tzinfo=UTC)
    later = began + timedelta(seconds=1, milliseconds=7)
    clock = iter([began, later, later])
    monkeypatch.setattr(xapi_store, "utcnow", lambda: next(clock, later))
    statement = _statement()
    lrs.post(statement)
    back = lrs.query(statementId=statement["id"])
    assert back["stored"] == "2026-11-02T09:00:01.130Z"
    assert back["timestamp"] == statement["timestamp"]


def test_format_ids_and_canonical(lrs: Lrs) -> None:
    statement = _statement()
    statement["object"]["definition"] = {"name": {"en-US": "Quiz 7"}}
    lrs.post(statement)
    got = lrs.query(statementId=statement["id"], format="ids")
    assert got["actor"] == {"objectType": "Agent", "mbox": "mailto:ada@school.example"}
    assert got["verb"] == {"id": ADL + "scored"}
    assert got["object"] == {"id": QUIZ}
    [listed] = lrs.query(format="ids")["statements"]
    assert listed == got
    exact = lrs.query(statementId=statement["id"])
    assert exact["object"]["definition"] == {"name": {"en-US": "Quiz 7"}}


def test_format_canonical_keeps_one_language_by_accept_language(lrs: Lrs) -> None:
    statement = _statement()
    statement["verb"]["display"] = {"en-US": "scored", "fr-FR": "a obtenu"}
    statement["object"]["definition"] = {
        "name": {"en-US": "Quiz 7", "fr-FR": "Quiz sept", "und": "7"}
    }
    lrs.post(statement)
    for accept, verb, name in (
        ("fr", "a obtenu", "Quiz sept"),
        ("de, en-US;q=0.5", "scored", "Quiz 7"),
        ("ja", "scored", "7"),
    ):
        response = lrs.client.get(
            "/xapi/statements",
            query_string={"statementId": statement["id"], "format": "canonical"},
            headers=lrs.headers() | {"Accept-Language": accept},
        )
        got = response.json or {}
        assert list(got["verb"]["display"].values()) == [verb], accept
        assert list(got["object"]["definition"]["name"].values()) == [name], accept
        assert got["actor"] == statement["actor"]


def test_head_answers_like_get_without_a_body(lrs: Lrs) -> None:
    statement = _statement()
    lrs.post(statement)
    for query in ({"statementId": statement["id"]}, {}):
        response = lrs.client.head(
            "/xapi/statements", query_string=query, headers=lrs.headers()
        )
        assert response.status_code == 200
        assert response.get_data() == b""
        assert response.headers["X-Experience-API-Consistent-Through"]
        assert response.headers["Last-Modified"]
    response = lrs.client.head(
        "/xapi/statements", query_string={"statementId": _id()}, headers=lrs.headers()
    )
    assert response.status_code == 404


def test_no_match_is_an_empty_result(lrs: Lrs) -> None:
    assert lrs.query() == {"statements": [], "more": ""}


def test_the_spec_example_statements_are_stored_and_read_back(lrs: Lrs) -> None:
    for name in FULL_STATEMENTS:
        example = load_json(XAPI_SPEC / name)
        if any("fileUrl" not in a for a in example.get("attachments", ())):
            continue  # its data (a JWS) is not in the fixture: see test_xapi_attachments
        response = lrs.post(example, version=V1)
        assert response.status_code == 200, (name, response.get_data(as_text=True))
        [sid] = response.json or []
        got = lrs.query(statementId=sid)
        assert got["verb"]["id"] == example["verb"]["id"], name


# --- flows -----------------------------------------------------------------------------------


def test_a_cmi5_like_session_is_posted_then_read_back(lrs: Lrs) -> None:
    registration = _id()
    cmi5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
    au = "https://vendor.example/au/1"

    def cmi5_statement(verb: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": _id(),
            "actor": {"account": {"homePage": "https://lms.example", "name": "ada"}},
            "verb": {"id": ADL + verb},
            "object": {"id": au, "objectType": "Activity"},
            "context": {
                "registration": registration,
                "contextActivities": {"category": [{"id": cmi5}]},
            },
            **extra,
        }

    flow = [
        cmi5_statement("initialized"),
        cmi5_statement(
            "passed",
            result={"score": {"scaled": 0.9}, "success": True, "duration": "PT5M"},
        ),
        cmi5_statement("terminated"),
    ]
    for statement in flow:
        assert lrs.post(statement).status_code == 200
    ids = lrs.ids(registration=registration, ascending="true")
    assert ids == [s["id"] for s in flow]
    agent = json.dumps({"account": {"homePage": "https://lms.example", "name": "ada"}})
    passed = lrs.query(agent=agent, verb=ADL + "passed", activity=au)["statements"]
    assert [s["result"]["success"] for s in passed] == [True]


def test_an_aligned_statement_becomes_evidence_and_its_void_retracts_it(
    lrs: Lrs, store: Store
) -> None:
    import_package(store, make_package("x", {"": ["A"]}))
    align(store, [NewAlignment(QUIZ, item_id("x", "A"))])
    statement = _statement()
    assert lrs.post(statement).status_code == 200
    assert _count(store, evidence) == 1
    with store.read() as conn:
        body = conn.execute(select(raw_records.c.body)).scalar_one()
    assert (
        json.loads(body)["stored"] == lrs.query(statementId=statement["id"])["stored"]
    )
    assert lrs.post(_void(statement["id"])).status_code == 200
    assert _count(store, evidence) == 0
    with store.read() as conn:
        statuses = sorted(conn.execute(select(raw_records.c.status)).scalars())
    assert "voided" in statuses


def test_concurrent_retries_of_one_batch_store_it_once(lrs: Lrs, store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    batch = [_statement() for _ in range(10)]
    app = lrs.client.application

    def send(_: int) -> int:
        client = app.test_client()
        return Lrs(client, lrs.auth).post(batch).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(send, range(12)))
    assert statuses == [200] * 12
    assert _count(store) == 10
    assert _count(store, raw_records) == 10


def _alternate(
    lrs: Lrs, method: str, form: dict[str, str], **query: str
) -> TestResponse:
    return lrs.client.post(
        "/xapi/statements",
        query_string={"method": method, **query},
        data=form,
        content_type="application/x-www-form-urlencoded",
    )


def test_the_alternate_request_syntax_is_served_for_1_0_3_only(lrs: Lrs) -> None:
    statement = _statement()
    headers = {
        "Authorization": lrs.auth["Authorization"],
        "X-Experience-API-Version": "1.0.3",
    }
    put = dict(headers, statementId=statement["id"], content=json.dumps(statement))
    put["Content-Type"] = "application/json"
    response = _alternate(lrs, "PUT", put)
    assert response.status_code == 204, response.get_data(as_text=True)
    assert response.headers["X-Experience-API-Version"] == V1
    other = _statement()
    response = _alternate(lrs, "POST", dict(headers, content=json.dumps(other)))
    assert response.json == [other["id"]]
    response = _alternate(lrs, "GET", dict(headers, statementId=statement["id"]))
    assert (response.json or {})["id"] == statement["id"]
    response = _alternate(lrs, "GET", dict(headers, limit="1"))
    assert len((response.json or {})["statements"]) == 1
    # Refused: 2.0, parameters in the query string, another content type, other methods.
    v2 = dict(headers, **{"X-Experience-API-Version": "2.0.0"})
    response = _alternate(lrs, "GET", v2)
    assert "2.0" in problem(response, 400)["detail"]
    assert response.headers["X-Experience-API-Version"] == V2
    problem(_alternate(lrs, "GET", headers, limit="1"), 400)
    problem(_alternate(lrs, "DELETE", headers), 400)
    problem(_alternate(lrs, "GET", {"X-Experience-API-Version": "1.0.3"}), 401)
    response = lrs.client.post(
        "/xapi/statements",
        query_string={"method": "GET"},
        data=json.dumps(headers),
        headers=lrs.headers(V1),
        content_type="application/json",
    )
    problem(response, 400)


def test_other_resources_are_a_404_that_says_so(lrs: Lrs) -> None:
    response = lrs.client.get("/xapi/extensions", headers=lrs.headers())
    assert "not implemented yet" in problem(response, 404)["detail"]
    assert response.headers["X-Experience-API-Version"] == V2
    response = lrs.client.delete("/xapi/statements", headers=lrs.headers())
    assert response.status_code == 405
    assert "PUT" in response.headers["Allow"]


def test_a_batch_looked_up_in_several_chunks(
    lrs: Lrs, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large batches are looked up in chunks of ids (PostgreSQL's parameter limit)."""
    monkeypatch.setattr(xapi_store, "_LOOKUP_CHUNK", 2)
    first, target = _statement(), _statement()
    assert lrs.post(first).status_code == 200
    batch = [_statement(), _statement(), _void(target["id"]), _statement(), first]
    response = lrs.post(batch)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json == [s["id"] for s in batch]
    # The void stored in the third chunk hides its target when it arrives.
    assert lrs.post(target).status_code == 200
    assert problem(lrs.get(statementId=target["id"]), 404)
    assert lrs.query(voidedStatementId=target["id"])["id"] == target["id"]
    changed = dict(first, result={"success": False})
    assert problem(lrs.post([_statement(), _statement(), changed]), 409)
    assert _count(store) == 6
