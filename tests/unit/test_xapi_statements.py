"""The pure parts of the Statement Resource: comparison, references, formats, query parsing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gateway.errors import InvalidPayload
from gateway.xapi.statements import (
    MAX_LIMIT,
    SingleQuery,
    StatementQuery,
    canonical_format,
    ids_format,
    ifi_key,
    parse_query,
    pick_language,
    same_statement,
    statement_refs,
    voiding_target,
)
from gateway.xapi.validation import validate_statement

ADL = "http://adlnet.gov/expapi/verbs/"
SID = "8f9b6e2c-1d4a-4b7e-9c3f-2a5d6e7f8a9b"


def _statement() -> dict[str, Any]:
    return validate_statement(
        {
            "id": SID,
            "actor": {"name": "Ada", "mbox": "mailto:ada@school.example"},
            "verb": {"id": ADL + "passed", "display": {"en-US": "passed"}},
            "object": {
                "id": "https://vendor.example/quiz/7",
                "definition": {"name": {"en-US": "Quiz 7"}},
            },
            "result": {"score": {"scaled": 0.8}, "duration": "PT1M"},
            "context": {
                "instructor": {
                    "objectType": "Group",
                    "member": [
                        {"mbox": "mailto:t1@school.example"},
                        {"mbox": "mailto:t2@school.example"},
                    ],
                },
                "contextActivities": {"parent": {"id": "https://vendor.example/c"}},
            },
            "timestamp": "2026-11-01T10:00:00Z",
        },
        version="2.0.0",
    )


def test_a_resent_statement_matches_despite_what_the_lrs_ignores() -> None:
    stored = dict(
        _statement(),
        stored="2026-11-01T10:00:01.000Z",
        authority={"mbox": "mailto:lrs@example.com"},
        version="2.0.0",
    )
    again = copy.deepcopy(_statement())
    again["timestamp"] = "2026-11-01T11:00:00.000000+01:00"
    again["verb"]["display"] = {"de": "bestanden"}
    again["object"].pop("definition")
    again["actor"]["mbox"] = "mailto:Ada@School.example"
    again["context"]["instructor"]["member"].reverse()
    assert same_statement(stored, again)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["result"].update(duration="PT60S"),  # compared as a string
        lambda s: s["result"]["score"].update(scaled=0.7),
        lambda s: s.update(timestamp="2026-11-01T10:00:00.001Z"),
        lambda s: s["verb"].update(id=ADL + "failed"),
        lambda s: s["actor"].update(mbox="mailto:bob@school.example"),
    ],
)
def test_a_different_statement_does_not_match(change: Any) -> None:
    other = _statement()
    change(other)
    assert not same_statement(_statement(), other)


def test_references_feed_the_agent_and_related_filters() -> None:
    refs = statement_refs(_statement())
    assert refs == {
        ("agent", "mbox:mailto:ada@school.example"),
        ("related_agent", "mbox:mailto:t1@school.example"),
        ("related_agent", "mbox:mailto:t2@school.example"),
        ("related_activity", "https://vendor.example/c"),
    }


def test_ifi_keys() -> None:
    assert ifi_key({"mbox": "mailto:A@B.example"}) == "mbox:mailto:a@b.example"
    assert ifi_key({"mbox_sha1sum": "AB" * 20}) == "sha1:" + "ab" * 20
    assert ifi_key({"openid": "https://id.example/ada"}) == (
        "openid:https://id.example/ada"
    )
    assert ifi_key({"account": {"homePage": "https://x.example", "name": "7"}}) == (
        "account:https://x.example|7"
    )
    assert ifi_key({"objectType": "Group", "member": []}) is None


def test_voiding_target() -> None:
    void = {
        "verb": {"id": ADL + "voided"},
        "object": {"objectType": "StatementRef", "id": SID.upper()},
    }
    assert voiding_target(void) == SID
    assert voiding_target(_statement()) is None


def test_ids_format_keeps_only_identifiers() -> None:
    out = ids_format(_statement())
    assert out["actor"] == {"objectType": "Agent", "mbox": "mailto:ada@school.example"}
    assert out["verb"] == {"id": ADL + "passed"}
    # An Activity by its id alone (XAPI-00171: one key).
    assert out["object"] == {"id": "https://vendor.example/quiz/7"}
    assert out["context"]["instructor"] == {
        "objectType": "Group",
        "member": [
            {"objectType": "Agent", "mbox": "mailto:t1@school.example"},
            {"objectType": "Agent", "mbox": "mailto:t2@school.example"},
        ],
    }
    assert out["result"] == _statement()["result"]


def test_parse_query_single_and_filters() -> None:
    assert parse_query([("statementId", SID.upper())], version="2.0.0") == (
        SingleQuery(SID, False)
    )
    assert parse_query(
        [("voidedStatementId", SID), ("format", "ids")], version="1.0.3"
    ) == SingleQuery(SID, True, "ids")
    query = parse_query(
        [
            ("agent", '{"mbox": "mailto:ada@school.example"}'),
            ("limit", "0"),
            ("ascending", "true"),
            ("since", "2026-11-01T10:00:00+01:00"),
        ],
        version="2.0.0",
    )
    assert isinstance(query, StatementQuery)
    assert query.agent == "mbox:mailto:ada@school.example"
    assert query.limit == MAX_LIMIT and query.ascending
    assert query.since is not None and query.since.hour == 9


@pytest.mark.parametrize(
    "params",
    [
        [("statementId", SID), ("statementId", SID)],
        [("STATEMENTID", SID)],
        [("statementId", SID), ("limit", "1")],
        [("limit", "1.5")],
        [("until", "2026-11-01")],
        [("related_agents", "True")],
        [("agent", '{"objectType": "Group", "member": []}')],
    ],
)
def test_parse_query_refuses(params: list[tuple[str, str]]) -> None:
    with pytest.raises(InvalidPayload):
        parse_query(params, version="2.0.0")


@pytest.mark.parametrize(
    ("languages", "picked"),
    [
        (["fr-fr"], "fr-FR"),
        (["fr"], "fr-FR"),
        (["en-US-x-foo", "fr"], "en-US"),
        (["*"], "en-US"),
        (["ja"], "und"),
        ([], "und"),
    ],
)
def test_pick_language(languages: list[str], picked: str) -> None:
    assert pick_language(["en-US", "fr-FR", "und"], languages) == picked
    assert pick_language(["en-US", "fr-FR"], ["ja"]) == "en-US"


def test_canonical_format_filters_verb_and_activity_maps_only() -> None:
    statement = _statement()
    statement["verb"]["display"]["de"] = "bestanden"
    statement["object"]["definition"]["description"] = {"de": "Test", "en": "Test"}
    out = canonical_format(statement, ["de"])
    assert out["verb"]["display"] == {"de": "bestanden"}
    assert out["object"]["definition"] == {
        "name": {"en-US": "Quiz 7"},
        "description": {"de": "Test"},
    }
    assert out["actor"] == statement["actor"]
