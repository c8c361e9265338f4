"""xAPI statement validation and normalization (gateway.xapi.validation).

The invalid cases are written from the rules of the xAPI 1.0.3 Data document (section in each
case's comment or id) and the 1.0.3 vs 2.0 differences; each one breaks exactly one rule of an
otherwise valid statement, and the refusal must name the offending field.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.errors import InvalidPayload
from gateway.xapi import (
    ValidationLimits,
    check_attachment_parts,
    check_put_id,
    complete_statement,
    format_timestamp,
    validate_statement,
    validate_statements,
)
from tests.unit.shared_fixtures import XAPI_SPEC, XAPI_VIDEO, load_json

V1 = "1.0.3"
V2 = "2.0.0"
BOTH = (V1, V2)

DELETE = object()
"""A patch value meaning: remove the property."""

ACTIVITY_ID = "http://example.com/activities/algebra-quiz"
UUID_A = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
UUID_B = "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"
SHA2 = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"


def make_statement(**overrides: Any) -> dict[str, Any]:
    """A valid statement using most properties; ``overrides`` replace top-level ones."""
    statement: dict[str, Any] = {
        "id": UUID_A,
        "actor": {
            "objectType": "Agent",
            "name": "Ada",
            "mbox": "mailto:ada@example.com",
        },
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/answered",
            "display": {"en-US": "answered"},
        },
        "object": {
            "objectType": "Activity",
            "id": ACTIVITY_ID,
            "definition": {
                "name": {"en-US": "Algebra quiz"},
                "description": {"en-US": "Five questions"},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "moreInfo": "https://example.com/quiz",
                "interactionType": "choice",
                "correctResponsesPattern": ["a[,]b"],
                "choices": [
                    {"id": "a", "description": {"en-US": "A"}},
                    {"id": "b", "description": {"en-US": "B"}},
                ],
                "extensions": {"http://example.com/ext/level": 3},
            },
        },
        "result": {
            "score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10},
            "success": True,
            "completion": True,
            "response": "a[,]b",
            "duration": "PT1M30.5S",
            "extensions": {"http://example.com/ext/attempt": 1},
        },
        "context": {
            "registration": UUID_B,
            "instructor": {"objectType": "Agent", "mbox": "mailto:teacher@example.com"},
            "team": {
                "objectType": "Group",
                "name": "Team",
                "member": [{"objectType": "Agent", "mbox": "mailto:bob@example.com"}],
            },
            "contextActivities": {
                "parent": [
                    {"objectType": "Activity", "id": "http://example.com/course"}
                ],
                "grouping": [{"id": "http://example.com/program"}],
                "category": [
                    {"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}
                ],
                "other": [{"id": "http://example.com/other"}],
            },
            "revision": "r1",
            "platform": "Tessera tests",
            "language": "en-US",
            "statement": {"objectType": "StatementRef", "id": UUID_B},
            "extensions": {"http://example.com/ext/session": "s1"},
        },
        "timestamp": "2024-03-01T12:00:00.123Z",
        "stored": "2024-03-01T12:00:01.000Z",
        "authority": {
            "objectType": "Agent",
            "account": {"homePage": "https://lrs.example.com", "name": "vendor-a"},
        },
        "attachments": [
            {
                "usageType": "http://example.com/attachment-usage/test",
                "display": {"en-US": "A test attachment"},
                "description": {"en-US": "A test attachment (description)"},
                "contentType": "text/plain; charset=ascii",
                "length": 27,
                "sha2": SHA2,
                "fileUrl": "http://over.there.com/file.txt",
            }
        ],
    }
    statement.update(overrides)
    return statement


def substatement(**overrides: Any) -> dict[str, Any]:
    """A statement whose object is a valid SubStatement; ``overrides`` patch the SubStatement."""
    inner = make_statement()
    for key in ("id", "stored", "authority"):
        del inner[key]
    inner["objectType"] = "SubStatement"
    inner.update(overrides)
    outer = make_statement(object=inner)
    del (
        outer["context"]["revision"],
        outer["context"]["platform"],
    )  # object is no Activity
    return outer


def patched(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with dotted paths set (``a.b.0.c``), or removed with DELETE."""
    statement = copy.deepcopy(base)
    for path, value in patch.items():
        *parents, last = path.split(".")
        node: Any = statement
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(last) if isinstance(node, list) else last
        if value is DELETE:
            del node[key]
        else:
            node[key] = copy.deepcopy(value)
    return statement


def rejects(statement: object, version: str, *fragments: str) -> str:
    """Assert the statement is refused and the sentence contains every fragment."""
    with pytest.raises(InvalidPayload) as caught:
        validate_statement(statement, version=version)
    detail = caught.value.detail
    assert caught.value.status == 400
    for fragment in fragments:
        assert fragment in detail, detail
    assert f"(xAPI {version} " in detail, detail
    assert detail.endswith(".")
    return detail


# --- the spec's own examples --------------------------------------------------------------------

# Full statements among the spec examples (data-frag-03 is a full statement despite its name).
FULL_STATEMENTS = [
    "about-01-appendix-b-cmi5-example.json",
    "comm-05-example.json",
    "data-01-example.json",
    "data-02-example.json",
    "data-05-example.json",
    "data-06-example.json",
    "data-08-appendix-a-example-statements.json",
    "data-09-appendix-a-example-statements.json",
    "data-14-appendix-d-example-signed-statement.json",
    "data-16-appendix-d-example-signed-statement.json",
    "data-frag-03-appendix-a-example-statements.json",
]

# Fragments, and where in a statement each one goes (so they are validated too):
#   data-03 an Agent (actor), data-04 a Verb, data-07 contextActivities, data-10..13 objects,
#   data-frag-01 a definition fragment (correctResponsesPattern), data-frag-02 an authority,
#   data-interaction-* activity definitions.
# Not statements at all: data-15 (a JWS header), comm-01..03 (documents for the merge example),
# comm-04 (the spec's counter-example of a 0.95 statement: inProgress, verb as a string, Person).
FRAGMENTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "data-03-example.json": lambda f: make_statement(actor=f),
    "data-04-example.json": lambda f: make_statement(verb=f),
    "data-07-example.json": lambda f: patched(
        make_statement(), {"context.contextActivities": f}
    ),
    "data-10-object-is-activity.json": lambda f: make_statement(object=f),
    "data-11-object-is-agent.json": lambda f: make_statement(object=f, context={}),
    "data-12-object-is-group.json": lambda f: make_statement(object=f, context={}),
    "data-13-object-is-statement.json": lambda f: make_statement(object=f, context={}),
    "data-frag-01-correct-responses-pattern.json": lambda f: patched(
        make_statement(),
        {"object.definition.correctResponsesPattern": f["correctResponsesPattern"]},
    ),
    "data-frag-02-example.json": lambda f: make_statement(**f),
}
INTERACTIONS = sorted(p.name for p in XAPI_SPEC.glob("data-interaction-*.json"))


def test_every_spec_example_file_is_classified() -> None:
    names = {p.name for p in XAPI_SPEC.glob("*.json")}
    known = set(FULL_STATEMENTS) | set(FRAGMENTS) | set(INTERACTIONS)
    not_statements = {
        "data-15-appendix-d-example-signed-statement.json",
        "comm-01-json-procedure-with-requirements.json",
        "comm-02-json-procedure-with-requirements.json",
        "comm-03-json-procedure-with-requirements.json",
        "comm-04-example.json",
    }
    assert names == known | not_statements


@pytest.mark.parametrize("version", BOTH)
@pytest.mark.parametrize("name", FULL_STATEMENTS)
def test_spec_example_statements_validate(name: str, version: str) -> None:
    statement = load_json(XAPI_SPEC / name)
    normalized = validate_statement(statement, version=version)
    assert normalized["verb"]["id"] == statement["verb"]["id"]


@pytest.mark.parametrize("version", BOTH)
@pytest.mark.parametrize("name", sorted(FRAGMENTS))
def test_spec_example_fragments_validate_in_place(name: str, version: str) -> None:
    validate_statement(FRAGMENTS[name](load_json(XAPI_SPEC / name)), version=version)


@pytest.mark.parametrize("version", BOTH)
@pytest.mark.parametrize("name", INTERACTIONS)
def test_spec_interaction_definitions_validate(name: str, version: str) -> None:
    activity = {"id": ACTIVITY_ID, **load_json(XAPI_SPEC / name)}
    normalized = validate_statement(make_statement(object=activity), version=version)
    assert normalized["object"]["definition"]["interactionType"]


@pytest.mark.parametrize("version", BOTH)
def test_spec_counter_example_is_refused(version: str) -> None:
    rejects(load_json(XAPI_SPEC / "comm-04-example.json"), version, "inProgress")


@pytest.mark.parametrize("version", BOTH)
@pytest.mark.parametrize(
    "path", sorted(XAPI_VIDEO.glob("*.json")), ids=lambda p: p.name
)
def test_video_profile_statements_validate(path: Path, version: str) -> None:
    validate_statement(load_json(path), version=version)


@pytest.mark.parametrize("version", BOTH)
def test_the_builder_statement_is_valid(version: str) -> None:
    validate_statement(make_statement(), version=version)
    validate_statement(substatement(), version=version)


# --- invalid statements: one broken rule each ---------------------------------------------------

_S = make_statement()
_SUB = substatement()

# (case id, base statement, patch, fragments the sentence must contain, versions)
INVALID: list[
    tuple[str, dict[str, Any], dict[str, Any], tuple[str, ...], tuple[str, ...]]
] = [
    # Data 2.2 formatting: unknown or miscased keys, nulls, wrong JSON types.
    ("unknown top-level key", _S, {"foo": 1}, ("foo", "2.2"), BOTH),
    ("miscased actor key", _S, {"Actor": _S["actor"]}, ("Actor",), BOTH),
    ("miscased id key", _S, {"iD": UUID_B}, ("iD",), BOTH),
    (
        "miscased timestamp key",
        _S,
        {"timeStamp": "2024-01-01T00:00:00Z"},
        ("timeStamp",),
        BOTH,
    ),
    ("miscased version key", _S, {"Version": "1.0.3"}, ("Version",), BOTH),
    ("miscased attachments key", _S, {"attachmentS": []}, ("attachmentS",), BOTH),
    ("null actor", _S, {"actor": None}, ("actor", "null"), BOTH),
    ("null context", _S, {"context": None}, ("context", "null"), BOTH),
    ("null verb", _S, {"verb": None}, ("verb",), BOTH),
    ("null object", _S, {"object": None}, ("object",), BOTH),
    ("null result", _S, {"result": None}, ("result",), BOTH),
    ("null extensions", _S, {"result.extensions": None}, ("result.extensions",), BOTH),
    (
        "null display value",
        _S,
        {"verb.display": {"en-US": None}},
        ("verb.display",),
        BOTH,
    ),
    (
        "unknown nested key",
        _S,
        {"result.score.percent": 50},
        ("result.score.percent",),
        BOTH,
    ),
    ("statement is an array", [], {}, ("JSON object",), BOTH),
    # Data 2.4: required properties.
    ("missing actor", _S, {"actor": DELETE}, ("actor", "required"), BOTH),
    ("missing verb", _S, {"verb": DELETE}, ("verb", "required"), BOTH),
    ("missing object", _S, {"object": DELETE}, ("object", "required"), BOTH),
    # Data 2.4.1 / 4.4 id.
    (
        "id too many digits",
        _S,
        {"id": "AA97B177-9383-4934-8543-0F91A7A028368"},
        ("id", "UUID"),
        BOTH,
    ),
    (
        "id non-hex letter",
        _S,
        {"id": "MA97B177-9383-4934-8543-0F91A7A02836"},
        ("id", "UUID"),
        BOTH,
    ),
    ("id numeric", _S, {"id": 12345}, ("id",), BOTH),
    ("id object", _S, {"id": {"key": "x"}}, ("id",), BOTH),
    ("id empty", _S, {"id": ""}, ("id", "empty string"), BOTH),
    (
        "id without hyphens",
        _S,
        {"id": "fd41c918e88b4b20a0a5a4c32391aaa0"},
        ("id",),
        BOTH,
    ),
    # Data 2.4.2 actor.
    (
        "actor objectType wrong",
        _S,
        {"actor.objectType": "agent"},
        ("actor.objectType",),
        BOTH,
    ),
    (
        "actor objectType numeric",
        _S,
        {"actor.objectType": 1},
        ("actor.objectType",),
        BOTH,
    ),
    ("actor name numeric", _S, {"actor.name": 5}, ("actor.name", "string"), BOTH),
    ("actor name object", _S, {"actor.name": {}}, ("actor.name",), BOTH),
    ("actor without IFI", _S, {"actor.mbox": DELETE}, ("actor", "exactly one"), BOTH),
    (
        "actor two IFIs",
        _S,
        {"actor.openid": "http://openid.example.com/ada"},
        ("actor", "exactly one", "not 2"),
        BOTH,
    ),
    ("actor is a string", _S, {"actor": "ada"}, ("actor", "JSON object"), BOTH),
    ("agent with member", _S, {"actor.member": []}, ("actor.member",), BOTH),
    # Data 2.4.2.3 IFIs.
    (
        "mbox without mailto",
        _S,
        {"actor.mbox": "ada@example.com"},
        ("actor.mbox", "mailto"),
        BOTH,
    ),
    ("mbox not an address", _S, {"actor.mbox": "mailto:ada"}, ("actor.mbox",), BOTH),
    ("mbox empty", _S, {"actor.mbox": ""}, ("actor.mbox",), BOTH),
    (
        "sha1sum too short",
        _S,
        {"actor.mbox": DELETE, "actor.mbox_sha1sum": "ebd31e95054c018b"},
        ("actor.mbox_sha1sum", "SHA-1"),
        BOTH,
    ),
    (
        "sha1sum numeric",
        _S,
        {"actor.mbox": DELETE, "actor.mbox_sha1sum": 123},
        ("actor.mbox_sha1sum",),
        BOTH,
    ),
    (
        "openid not a URI",
        _S,
        {"actor.mbox": DELETE, "actor.openid": "not a uri"},
        ("actor.openid", "URI"),
        BOTH,
    ),
    # Data 2.4.2.4 account.
    (
        "account without homePage",
        _S,
        {"authority.account.homePage": DELETE},
        ("authority.account", "homePage"),
        BOTH,
    ),
    (
        "account without name",
        _S,
        {"authority.account.name": DELETE},
        ("authority.account", "name"),
        BOTH,
    ),
    (
        "account homePage not IRL",
        _S,
        {"authority.account.homePage": "lrs.example.com"},
        ("authority.account.homePage", "IRL"),
        BOTH,
    ),
    (
        "account name object",
        _S,
        {"authority.account.name": {"key": "x"}},
        ("authority.account.name",),
        BOTH,
    ),
    (
        "account extra key",
        _S,
        {"authority.account.id": "x"},
        ("authority.account.id",),
        BOTH,
    ),
    # Data 2.4.2.2 groups.
    (
        "anonymous group without member",
        _S,
        {"actor": {"objectType": "Group", "name": "G"}},
        ("actor", "anonymous Group", "member"),
        BOTH,
    ),
    (
        "anonymous group empty member",
        _S,
        {"actor": {"objectType": "Group", "member": []}},
        ("actor.member", "at least one"),
        BOTH,
    ),
    (
        "group member not an array",
        _S,
        {"actor": {"objectType": "Group", "member": {"mbox": "mailto:a@example.com"}}},
        ("actor.member", "array"),
        BOTH,
    ),
    (
        "group member is a group",
        _S,
        {
            "actor": {
                "objectType": "Group",
                "member": [{"objectType": "Group", "mbox": "mailto:g@example.com"}],
            }
        },
        ("actor.member[0].objectType", "Agents"),
        BOTH,
    ),
    (
        "group member without IFI",
        _S,
        {"actor": {"objectType": "Group", "member": [{"name": "nobody"}]}},
        ("actor.member[0]", "exactly one"),
        BOTH,
    ),
    (
        "identified group with two IFIs",
        _S,
        {
            "actor": {
                "objectType": "Group",
                "mbox": "mailto:g@example.com",
                "openid": "http://openid.example.com/g",
            }
        },
        ("actor", "identified Group"),
        BOTH,
    ),
    (
        "identified group bad mbox",
        _S,
        {"actor": {"objectType": "Group", "mbox": "g@example.com"}},
        ("actor.mbox",),
        BOTH,
    ),
    # Data 2.4.3 verb.
    ("verb without id", _S, {"verb.id": DELETE}, ("verb", "id"), BOTH),
    ("verb id not IRI", _S, {"verb.id": "answered"}, ("verb.id", "IRI"), BOTH),
    ("verb id empty", _S, {"verb.id": ""}, ("verb.id",), BOTH),
    (
        "verb id with space",
        _S,
        {"verb.id": "http://example.com/a verb"},
        ("verb.id",),
        BOTH,
    ),
    (
        "verb id scheme invalid",
        _S,
        {"verb.id": "ab=c://should.fail.com"},
        ("verb.id",),
        BOTH,
    ),
    ("verb display string", _S, {"verb.display": "answered"}, ("verb.display",), BOTH),
    ("verb display numeric", _S, {"verb.display": 1}, ("verb.display",), BOTH),
    (
        "verb display bad tag",
        _S,
        {"verb.display": {"a12345678": "x"}},
        ("verb.display", "RFC 5646"),
        BOTH,
    ),
    ("verb extra key", _S, {"verb.name": "x"}, ("verb.name",), BOTH),
    # Data 2.2 (XAPI-00011): IRIs and IRLs without a scheme.
    (
        "verb id without scheme",
        _S,
        {"verb.id": "adlnet.gov/expapi/verbs/attended"},
        ("verb.id", "scheme"),
        BOTH,
    ),
    (
        "openid without scheme",
        _S,
        {"actor.mbox": DELETE, "actor.openid": "open.id.com/testUser"},
        ("actor.openid",),
        BOTH,
    ),
    (
        "activity type without scheme",
        _S,
        {"object.definition.type": "adlnet.gov/expapi/activities/cmi.interaction"},
        ("object.definition.type", "scheme"),
        BOTH,
    ),
    (
        "extension key without scheme",
        _S,
        {"context.extensions": {"example.com/ext": 1}},
        ("context.extensions", "IRI"),
        BOTH,
    ),
    # Data 2.4.4 / 2.4.4.1 objects and activities.
    (
        "object objectType lowercase",
        _S,
        {"object.objectType": "activity"},
        ("object.objectType",),
        BOTH,
    ),
    ("activity without id", _S, {"object.id": DELETE}, ("object", "id"), BOTH),
    ("activity id not IRI", _S, {"object.id": "quiz"}, ("object.id", "IRI"), BOTH),
    (
        "agent object without objectType",
        _S,
        {"object": {"mbox": "mailto:x@example.com"}, "context": {}},
        ("object.mbox",),
        BOTH,
    ),
    (
        "definition not object",
        _S,
        {"object.definition": "x"},
        ("object.definition",),
        BOTH,
    ),
    (
        "definition extra key",
        _S,
        {"object.definition.title": "x"},
        ("object.definition.title",),
        BOTH,
    ),
    (
        "definition name string",
        _S,
        {"object.definition.name": "Quiz"},
        ("object.definition.name",),
        BOTH,
    ),
    (
        "definition description numeric",
        _S,
        {"object.definition.description": 1},
        ("object.definition.description",),
        BOTH,
    ),
    (
        "definition name bad tag",
        _S,
        {"object.definition.name": {"something": "x"}},
        ("object.definition.name", "RFC 5646"),
        BOTH,
    ),
    (
        "definition type not IRI",
        _S,
        {"object.definition.type": "quiz"},
        ("object.definition.type",),
        BOTH,
    ),
    (
        "definition moreInfo not IRL",
        _S,
        {"object.definition.moreInfo": "example.com/quiz"},
        ("object.definition.moreInfo", "IRL"),
        BOTH,
    ),
    (
        "interactionType wrong case",
        _S,
        {"object.definition.interactionType": "choiCe"},
        ("object.definition.interactionType",),
        BOTH,
    ),
    (
        "interactionType numeric",
        _S,
        {"object.definition.interactionType": 12345},
        ("object.definition.interactionType",),
        BOTH,
    ),
    (
        "interactionType an IRI",
        _S,
        {"object.definition.interactionType": "http://example.com/choice"},
        ("object.definition.interactionType",),
        BOTH,
    ),
    (
        "choices without interactionType",
        _S,
        {
            "object.definition.interactionType": DELETE,
            "object.definition.correctResponsesPattern": DELETE,
        },
        ("object.definition.choices", "interactionType"),
        BOTH,
    ),
    (
        "pattern without interactionType",
        _S,
        {
            "object.definition.interactionType": DELETE,
            "object.definition.choices": DELETE,
        },
        ("object.definition.correctResponsesPattern", "interactionType"),
        BOTH,
    ),
    (
        "pattern not an array",
        _S,
        {"object.definition.correctResponsesPattern": "a"},
        ("object.definition.correctResponsesPattern", "array"),
        BOTH,
    ),
    (
        "pattern item numeric",
        _S,
        {"object.definition.correctResponsesPattern": [1]},
        ("object.definition.correctResponsesPattern[0]",),
        BOTH,
    ),
    (
        "component list of another type",
        _S,
        {"object.definition.scale": [{"id": "x"}]},
        ("object.definition.scale", "choice"),
        BOTH,
    ),
    (
        "component without id",
        _S,
        {"object.definition.choices.0.id": DELETE},
        ("object.definition.choices[0]", "id"),
        BOTH,
    ),
    (
        "component ids repeat",
        _S,
        {"object.definition.choices.1.id": "a"},
        ("object.definition.choices[1].id", "distinct"),
        BOTH,
    ),
    (
        "component extra key",
        _S,
        {"object.definition.choices.0.name": "x"},
        ("object.definition.choices[0].name",),
        BOTH,
    ),
    (
        "component description bad tag",
        _S,
        {"object.definition.choices.0.description": {"not a tag": "x"}},
        ("object.definition.choices[0].description",),
        BOTH,
    ),
    (
        "definition extension key not IRI",
        _S,
        {"object.definition.extensions": {"level": 3}},
        ("object.definition.extensions", "IRI"),
        BOTH,
    ),
    # Data 2.4.4.3 StatementRef and SubStatement.
    (
        "statementref without id",
        _S,
        {"object": {"objectType": "StatementRef"}},
        ("object", "id"),
        BOTH,
    ),
    (
        "statementref id not UUID",
        _S,
        {"object": {"objectType": "StatementRef", "id": "12345"}, "context": {}},
        ("object.id", "UUID"),
        BOTH,
    ),
    (
        "statementref wrong case",
        _S,
        {"object": {"objectType": "statementref", "id": UUID_B}},
        ("object.objectType",),
        BOTH,
    ),
    (
        "substatement with id",
        _SUB,
        {"object.id": UUID_B},
        ("object.id", "SubStatement"),
        BOTH,
    ),
    (
        "substatement with stored",
        _SUB,
        {"object.stored": "2024-01-01T00:00:00Z"},
        ("object.stored", "SubStatement"),
        BOTH,
    ),
    (
        "substatement with version",
        _SUB,
        {"object.version": "1.0.0"},
        ("object.version",),
        BOTH,
    ),
    (
        "substatement with authority",
        _SUB,
        {"object.authority": _S["authority"]},
        ("object.authority",),
        BOTH,
    ),
    (
        "nested substatement",
        _SUB,
        {
            "object.object": {
                "objectType": "SubStatement",
                **{k: _S[k] for k in ("actor", "verb", "object")},
            }
        },
        ("object.object", "SubStatement"),
        BOTH,
    ),
    (
        "substatement without actor",
        _SUB,
        {"object.actor": DELETE},
        ("object.actor", "required"),
        BOTH,
    ),
    (
        "substatement without verb",
        _SUB,
        {"object.verb": DELETE},
        ("object.verb", "required"),
        BOTH,
    ),
    (
        "substatement without object",
        _SUB,
        {"object.object": DELETE},
        ("object.object",),
        BOTH,
    ),
    (
        "substatement wrong case",
        _SUB,
        {"object.objectType": "substatement"},
        ("object.objectType",),
        BOTH,
    ),
    (
        "substatement bad actor mbox",
        _SUB,
        {"object.actor.mbox": "ada"},
        ("object.actor.mbox", "mailto"),
        BOTH,
    ),
    (
        "substatement bad timestamp",
        _SUB,
        {"object.timestamp": "01/011/2015"},
        ("object.timestamp",),
        BOTH,
    ),
    (
        "substatement bad context language",
        _SUB,
        {"object.context.language": "something"},
        ("object.context.language",),
        BOTH,
    ),
    # Data 2.3.2 voiding.
    (
        "voiding an activity",
        _S,
        {"verb.id": "http://adlnet.gov/expapi/verbs/voided", "result": DELETE},
        ("object", "StatementRef", "2.3.2"),
        BOTH,
    ),
    # Data 2.4.5 result and 2.4.5.1 score.
    (
        "success string",
        _S,
        {"result.success": "true"},
        ("result.success", "boolean"),
        BOTH,
    ),
    (
        "completion string",
        _S,
        {"result.completion": "false"},
        ("result.completion",),
        BOTH,
    ),
    ("completion object", _S, {"result.completion": {}}, ("result.completion",), BOTH),
    ("response numeric", _S, {"result.response": 5}, ("result.response",), BOTH),
    (
        "result extensions string",
        _S,
        {"result.extensions": "x"},
        ("result.extensions",),
        BOTH,
    ),
    (
        "result extensions numeric",
        _S,
        {"result.extensions": 5},
        ("result.extensions",),
        BOTH,
    ),
    ("score string", _S, {"result.score": "5"}, ("result.score",), BOTH),
    (
        "score max string",
        _S,
        {"result.score.max": "100"},
        ("result.score.max", "number"),
        BOTH,
    ),
    (
        "score raw string",
        _S,
        {"result.score.raw": "5"},
        ("result.score.raw", "number"),
        BOTH,
    ),
    (
        "scaled above 1",
        _S,
        {"result.score.scaled": 1.01},
        ("result.score.scaled", "-1 and 1"),
        BOTH,
    ),
    (
        "scaled below -1",
        _S,
        {"result.score.scaled": -1.5},
        ("result.score.scaled",),
        BOTH,
    ),
    ("raw above max", _S, {"result.score.raw": 11}, ("result.score.raw", "max"), BOTH),
    ("raw below min", _S, {"result.score.raw": -1}, ("result.score.raw", "min"), BOTH),
    (
        "min above max",
        _S,
        {"result.score.min": 20, "result.score.raw": DELETE},
        ("result.score.min",),
        BOTH,
    ),
    (
        "min equals max",
        _S,
        {"result.score.min": 10, "result.score.raw": DELETE},
        ("result.score.min",),
        BOTH,
    ),
    (
        "scaled boolean",
        _S,
        {"result.score.scaled": True},
        ("result.score.scaled",),
        BOTH,
    ),
    (
        "duration letters",
        _S,
        {"result.duration": "PA1H0M0S"},
        ("result.duration", "duration"),
        BOTH,
    ),
    (
        "duration weeks mixed",
        _S,
        {"result.duration": "P4W1D"},
        ("result.duration",),
        BOTH,
    ),
    ("duration empty", _S, {"result.duration": "P"}, ("result.duration",), BOTH),
    ("duration bare T", _S, {"result.duration": "P1DT"}, ("result.duration",), BOTH),
    ("duration numeric", _S, {"result.duration": 12345}, ("result.duration",), BOTH),
    (
        "duration words",
        _S,
        {"result.duration": "should fail"},
        ("result.duration",),
        BOTH,
    ),
    # Data 2.4.6 context.
    (
        "registration not UUID",
        _S,
        {"context.registration": "abc"},
        ("context.registration",),
        BOTH,
    ),
    (
        "registration object",
        _S,
        {"context.registration": {}},
        ("context.registration",),
        BOTH,
    ),
    (
        "instructor string",
        _S,
        {"context.instructor": "teacher"},
        ("context.instructor",),
        BOTH,
    ),
    (
        "instructor without IFI",
        _S,
        {"context.instructor": {"name": "T"}},
        ("context.instructor", "exactly one"),
        BOTH,
    ),
    (
        "team is an agent",
        _S,
        {"context.team": {"objectType": "Agent", "mbox": "mailto:t@example.com"}},
        ("context.team", "Group"),
        BOTH,
    ),
    ("team string", _S, {"context.team": "team"}, ("context.team",), BOTH),
    (
        "contextActivities string",
        _S,
        {"context.contextActivities": "x"},
        ("context.contextActivities",),
        BOTH,
    ),
    (
        "contextActivities unknown key",
        _S,
        {"context.contextActivities.sibling": []},
        ("context.contextActivities.sibling",),
        BOTH,
    ),
    (
        "context activity without id",
        _S,
        {"context.contextActivities.parent": [{"objectType": "Activity"}]},
        ("context.contextActivities.parent[0]", "id"),
        BOTH,
    ),
    (
        "context activity is an agent",
        _S,
        {
            "context.contextActivities.other": [
                {"objectType": "Agent", "mbox": "mailto:a@b.c"}
            ]
        },
        ("context.contextActivities.other[0].objectType",),
        BOTH,
    ),
    (
        "context activity id not IRI",
        _S,
        {"context.contextActivities.category": {"id": "cmi5"}},
        ("context.contextActivities.category.id",),
        BOTH,
    ),
    (
        "revision with agent object",
        _S,
        {
            "object": {"objectType": "Agent", "mbox": "mailto:x@example.com"},
            "context.platform": DELETE,
        },
        ("context.revision", "Activity"),
        BOTH,
    ),
    (
        "platform with statementref object",
        _S,
        {
            "object": {"objectType": "StatementRef", "id": UUID_B},
            "context.revision": DELETE,
        },
        ("context.platform", "Activity"),
        BOTH,
    ),
    (
        "platform with group object",
        _S,
        {
            "object": {"objectType": "Group", "member": [_S["actor"]]},
            "context.revision": DELETE,
        },
        ("context.platform",),
        BOTH,
    ),
    ("revision numeric", _S, {"context.revision": 2}, ("context.revision",), BOTH),
    ("platform object", _S, {"context.platform": {}}, ("context.platform",), BOTH),
    (
        "language invalid",
        _S,
        {"context.language": "something"},
        ("context.language", "RFC 5646"),
        BOTH,
    ),
    ("language numeric", _S, {"context.language": 5}, ("context.language",), BOTH),
    (
        "context statement not UUID",
        _S,
        {"context.statement.id": "x"},
        ("context.statement.id", "UUID"),
        BOTH,
    ),
    (
        "context statement wrong objectType",
        _S,
        {"context.statement.objectType": "statementref"},
        ("context.statement.objectType",),
        BOTH,
    ),
    (
        "context extensions key not IRI",
        _S,
        {"context.extensions": {"should fail": True}},
        ("context.extensions", "IRI"),
        BOTH,
    ),
    ("context unknown key", _S, {"context.location": "x"}, ("context.location",), BOTH),
    # 2.0 only: contextAgents / contextGroups (refused as extra properties in 1.0.3).
    (
        "contextAgents in 1.0.3",
        _S,
        {"context.contextAgents": []},
        ("context.contextAgents", "2.0"),
        (V1,),
    ),
    (
        "contextGroups in 1.0.3",
        _S,
        {"context.contextGroups": []},
        ("context.contextGroups", "2.0"),
        (V1,),
    ),
    (
        "contextAgent wrong objectType",
        _S,
        {
            "context.contextAgents": [
                {"objectType": "Should fail", "agent": _S["actor"]}
            ]
        },
        ("context.contextAgents[0].objectType", "contextAgent"),
        (V2,),
    ),
    (
        "contextAgent invalid agent",
        _S,
        {
            "context.contextAgents": [
                {"objectType": "contextAgent", "agent": {"key": "x"}}
            ]
        },
        ("context.contextAgents[0].agent",),
        (V2,),
    ),
    (
        "contextAgent without agent",
        _S,
        {"context.contextAgents": [{"objectType": "contextAgent"}]},
        ("context.contextAgents[0]", "agent"),
        (V2,),
    ),
    (
        "contextAgent empty relevantTypes",
        _S,
        {
            "context.contextAgents": [
                {
                    "objectType": "contextAgent",
                    "agent": _S["actor"],
                    "relevantTypes": [],
                }
            ]
        },
        ("context.contextAgents[0].relevantTypes", "empty"),
        (V2,),
    ),
    (
        "contextAgent relevantTypes not IRI",
        _S,
        {
            "context.contextAgents": [
                {
                    "objectType": "contextAgent",
                    "agent": _S["actor"],
                    "relevantTypes": ["x"],
                }
            ]
        },
        ("context.contextAgents[0].relevantTypes[0]", "IRI"),
        (V2,),
    ),
    (
        "contextAgents not an array",
        _S,
        {"context.contextAgents": {"objectType": "contextAgent", "agent": _S["actor"]}},
        ("context.contextAgents", "array"),
        (V2,),
    ),
    (
        "contextGroup wrong objectType",
        _S,
        {
            "context.contextGroups": [
                {"objectType": "contextAgent", "group": _S["context"]["team"]}
            ]
        },
        ("context.contextGroups[0].objectType", "contextGroup"),
        (V2,),
    ),
    (
        "contextGroup group is an agent",
        _S,
        {
            "context.contextGroups": [
                {"objectType": "contextGroup", "group": _S["actor"]}
            ]
        },
        ("context.contextGroups[0].group",),
        (V2,),
    ),
    (
        "contextGroup empty relevantTypes",
        _S,
        {
            "context.contextGroups": [
                {
                    "objectType": "contextGroup",
                    "group": _S["context"]["team"],
                    "relevantTypes": [],
                }
            ]
        },
        ("context.contextGroups[0].relevantTypes",),
        (V2,),
    ),
    # Data 2.4.7 / 2.4.8 / 4.5 timestamps.
    (
        "timestamp words",
        _S,
        {"timestamp": "should fail"},
        ("timestamp", "ISO 8601"),
        BOTH,
    ),
    ("timestamp US date", _S, {"timestamp": "01/011/2015"}, ("timestamp",), BOTH),
    (
        "timestamp -00",
        _S,
        {"timestamp": "2008-09-15T15:53:00.601-00"},
        ("timestamp", "-00:00"),
        BOTH,
    ),
    (
        "timestamp -0000",
        _S,
        {"timestamp": "2008-09-15T15:53:00.601-0000"},
        ("timestamp",),
        BOTH,
    ),
    (
        "timestamp -00:00",
        _S,
        {"timestamp": "2008-09-15T15:53:00.601-00:00"},
        ("timestamp",),
        BOTH,
    ),
    (
        "timestamp month 13",
        _S,
        {"timestamp": "2024-13-01T00:00:00Z"},
        ("timestamp", "real date"),
        BOTH,
    ),
    (
        "timestamp Feb 30",
        _S,
        {"timestamp": "2024-02-30T00:00:00Z"},
        ("timestamp",),
        BOTH,
    ),
    ("timestamp date only", _S, {"timestamp": "2024-02-01"}, ("timestamp",), BOTH),
    ("timestamp numeric", _S, {"timestamp": 1700000000}, ("timestamp",), BOTH),
    (
        "timestamp offset 24h",
        _S,
        {"timestamp": "2024-02-01T00:00:00+24:00"},
        ("timestamp",),
        BOTH,
    ),
    (
        "timestamp without zone",
        _S,
        {"timestamp": "2024-02-01T00:00:00"},
        ("timestamp", "zone"),
        (V2,),
    ),
    (
        "timestamp hour offset",
        _S,
        {"timestamp": "2024-02-01T00:00:00+01"},
        ("timestamp", "hh:mm"),
        (V2,),
    ),
    ("stored words", _S, {"stored": "yesterday"}, ("stored",), BOTH),
    # Data 2.4.9 authority.
    ("authority string", _S, {"authority": "me"}, ("authority",), BOTH),
    (
        "authority group of one",
        _S,
        {"authority": {"objectType": "Group", "member": [_S["actor"]]}},
        ("authority", "exactly two"),
        BOTH,
    ),
    (
        "authority group of three",
        _S,
        {"authority": {"objectType": "Group", "member": [_S["actor"]] * 3}},
        ("authority", "exactly two"),
        BOTH,
    ),
    (
        "authority identified group",
        _S,
        {
            "authority": {
                "objectType": "Group",
                "mbox": "mailto:g@example.com",
                "member": [_S["actor"], _S["context"]["instructor"]],
            }
        },
        ("authority", "anonymous"),
        BOTH,
    ),
    (
        "authority without IFI",
        _S,
        {"authority": {"objectType": "Agent"}},
        ("authority",),
        BOTH,
    ),
    # Data 2.4.10 version.
    ("version words", _S, {"version": "should fail"}, ("version",), BOTH),
    ("version 0.9.9", _S, {"version": "0.9.9"}, ("version",), BOTH),
    ("version 1.1.0", _S, {"version": "1.1.0"}, ("version",), BOTH),
    ("version 2.0.0 on 1.0.3", _S, {"version": "2.0.0"}, ("version", "1.0"), (V1,)),
    ("version numeric", _S, {"version": 1.0}, ("version",), BOTH),
    # Data 2.4.11 attachments.
    ("attachments not array", _S, {"attachments": {}}, ("attachments", "array"), BOTH),
    ("attachment string", _S, {"attachments": ["x"]}, ("attachments[0]",), BOTH),
    ("attachment numeric", _S, {"attachments": [12345]}, ("attachments[0]",), BOTH),
    (
        "attachment no usageType",
        _S,
        {"attachments.0.usageType": DELETE},
        ("attachments[0]", "usageType"),
        BOTH,
    ),
    (
        "attachment usageType not IRI",
        _S,
        {"attachments.0.usageType": "x"},
        ("attachments[0].usageType",),
        BOTH,
    ),
    (
        "attachment no display",
        _S,
        {"attachments.0.display": DELETE},
        ("attachments[0]", "display"),
        BOTH,
    ),
    (
        "attachment display bad tag",
        _S,
        {"attachments.0.display": {"en-US": "a", "something": "b"}},
        ("attachments[0].display",),
        BOTH,
    ),
    (
        "attachment description bad tag",
        _S,
        {"attachments.0.description": {"something": "b"}},
        ("attachments[0].description",),
        BOTH,
    ),
    (
        "attachment display string",
        _S,
        {"attachments.0.display": "x"},
        ("attachments[0].display",),
        BOTH,
    ),
    (
        "attachment contentType numeric",
        _S,
        {"attachments.0.contentType": 999},
        ("attachments[0].contentType",),
        BOTH,
    ),
    (
        "attachment contentType words",
        _S,
        {"attachments.0.contentType": "text"},
        ("attachments[0].contentType",),
        BOTH,
    ),
    (
        "attachment length string",
        _S,
        {"attachments.0.length": "27"},
        ("attachments[0].length",),
        BOTH,
    ),
    (
        "attachment length negative",
        _S,
        {"attachments.0.length": -1},
        ("attachments[0].length",),
        BOTH,
    ),
    (
        "attachment length float",
        _S,
        {"attachments.0.length": 2.5},
        ("attachments[0].length",),
        BOTH,
    ),
    (
        "attachment sha2 numeric",
        _S,
        {"attachments.0.sha2": 12345},
        ("attachments[0].sha2",),
        BOTH,
    ),
    (
        "attachment sha2 not hex",
        _S,
        {"attachments.0.sha2": "should fail"},
        ("attachments[0].sha2",),
        BOTH,
    ),
    (
        "attachment fileUrl not IRL",
        _S,
        {"attachments.0.fileUrl": "should fail"},
        ("attachments[0].fileUrl",),
        BOTH,
    ),
    (
        "attachment extra key",
        _S,
        {"attachments.0.data": "x"},
        ("attachments[0].data",),
        BOTH,
    ),
    # Data 2.6 signed statements.
    (
        "signature not octet-stream",
        _S,
        {
            "attachments.0.usageType": "http://adlnet.gov/expapi/attachments/signature",
            "attachments.0.contentType": "application/json",
        },
        ("attachments[0].contentType", "octet-stream", "2.6"),
        BOTH,
    ),
    # Data 4.2 language tags (RFC 5646).
    (
        "duplicate extension singleton",
        _S,
        {"object.definition.name": {"zh-z-aaa-z-bbb-c-ccc": "x"}},
        ("object.definition.name",),
        BOTH,
    ),
    (
        "duplicate variant",
        _S,
        {"verb.display": {"de-1901-1901": "x"}},
        ("verb.display",),
        BOTH,
    ),
    ("empty language tag", _S, {"verb.display": {"": "x"}}, ("verb.display",), BOTH),
    (
        "underscore language tag",
        _S,
        {"verb.display": {"en_US": "x"}},
        ("verb.display",),
        BOTH,
    ),
]


def _invalid_params() -> list[Any]:
    params = []
    for case_id, base, patch, fragments, versions in INVALID:
        for version in versions:
            params.append(
                pytest.param(base, patch, fragments, version, id=f"{case_id}-{version}")
            )
    return params


@pytest.mark.parametrize(("base", "patch", "fragments", "version"), _invalid_params())
def test_invalid_statement_is_refused_naming_the_field(
    base: Any, patch: dict[str, Any], fragments: tuple[str, ...], version: str
) -> None:
    statement = patched(base, patch) if isinstance(base, dict) else base
    rejects(statement, version, *fragments)


def test_the_invalid_table_is_large() -> None:
    assert len(_invalid_params()) >= 300


# --- valid variations that must be accepted ----------------------------------------------------

VALID: list[tuple[str, dict[str, Any], dict[str, Any], tuple[str, ...]]] = [
    (
        "minimal",
        {},
        {k: DELETE for k in _S if k not in ("actor", "verb", "object")},
        BOTH,
    ),
    ("actor without objectType", _S, {"actor.objectType": DELETE}, BOTH),
    (
        "actor mbox_sha1sum",
        _S,
        {
            "actor.mbox": DELETE,
            "actor.mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9",
        },
        BOTH,
    ),
    (
        "actor openid",
        _S,
        {"actor.mbox": DELETE, "actor.openid": "http://openid.example.com/ada"},
        BOTH,
    ),
    (
        "actor account",
        _S,
        {"actor.mbox": DELETE, "actor.account": _S["authority"]["account"]},
        BOTH,
    ),
    (
        "identified group without member",
        _S,
        {"actor": {"objectType": "Group", "mbox": "mailto:g@example.com"}},
        BOTH,
    ),
    (
        "anonymous group",
        _S,
        {"actor": {"objectType": "Group", "member": [_S["actor"]]}},
        BOTH,
    ),
    (
        "authority OAuth pair",
        _S,
        {
            "authority": {
                "objectType": "Group",
                "member": [_S["actor"], _S["authority"]],
            }
        },
        BOTH,
    ),
    ("verb without display", _S, {"verb.display": DELETE}, BOTH),
    ("empty definition", _S, {"object.definition": {}}, BOTH),
    ("activity without objectType", _S, {"object.objectType": DELETE}, BOTH),
    (
        "agent object",
        _S,
        {
            "object": {"objectType": "Agent", "mbox": "mailto:x@example.com"},
            "context": {},
        },
        BOTH,
    ),
    (
        "statementref object",
        _S,
        {"object": {"objectType": "StatementRef", "id": UUID_B}, "context": {}},
        BOTH,
    ),
    (
        "voiding statement",
        _S,
        {
            "verb.id": "http://adlnet.gov/expapi/verbs/voided",
            "object": {"objectType": "StatementRef", "id": UUID_B},
            "context": {},
        },
        BOTH,
    ),
    ("platform without objectType", _S, {"object.objectType": DELETE}, BOTH),
    ("uppercase UUID", _S, {"id": "AA97B177-9383-4934-8543-0F91A7A02836"}, BOTH),
    ("non-RFC variant UUID", _S, {"id": "2a41c918-b88b-4220-20a5-a4c32391a240"}, BOTH),
    ("version 1.0", _S, {"version": "1.0"}, BOTH),
    ("version 1.0.9", _S, {"version": "1.0.9"}, BOTH),
    ("version 2.0.0", _S, {"version": "2.0.0"}, (V2,)),
    ("duration weeks", _S, {"result.duration": "P4W"}, BOTH),
    ("duration long", _S, {"result.duration": "P3Y1M29DT4H35M59.14S"}, BOTH),
    ("duration fine precision", _S, {"result.duration": "PT1H0M0.123456S"}, BOTH),
    ("scaled 1.0", _S, {"result.score.scaled": 1.0}, BOTH),
    ("scaled -1", _S, {"result.score.scaled": -1}, BOTH),
    (
        "decimal scores",
        _S,
        {"result.score": {"raw": 1.5, "min": 0.5, "max": 2.5}},
        BOTH,
    ),
    ("raw only", _S, {"result.score": {"raw": -1000}}, BOTH),
    (
        "extension values anything",
        _S,
        {
            "result.extensions": {
                "http://e.com/a": None,
                "http://e.com/b": "",
                "http://e.com/c": {},
                "http://e.com/d": [1, True, {"k": None}],
            }
        },
        BOTH,
    ),
    (
        "empty extensions",
        _S,
        {
            "context.extensions": {},
            "result.extensions": {},
            "object.definition.extensions": {},
        },
        BOTH,
    ),
    (
        "context activity single object",
        _S,
        {"context.contextActivities.parent": {"id": "http://example.com/course"}},
        BOTH,
    ),
    ("empty context activity array", _S, {"context.contextActivities.other": []}, BOTH),
    ("instructor group", _S, {"context.instructor": _S["context"]["team"]}, BOTH),
    ("future timestamp", _S, {"timestamp": "2999-01-01T00:00:00.000Z"}, BOTH),
    ("RFC 3339 +00:00", _S, {"timestamp": "2008-09-15T15:53:00.601+00:00"}, BOTH),
    ("offset timestamp", _S, {"timestamp": "2023-05-04T12:00:00.000-05:00"}, BOTH),
    ("lowercase t and z", _S, {"timestamp": "2023-05-04t12:00:00z"}, BOTH),
    ("nanosecond timestamp", _S, {"timestamp": "2023-05-04T12:00:00.123456789Z"}, BOTH),
    ("timestamp without zone 1.0.3", _S, {"timestamp": "2023-05-04T12:00:00"}, (V1,)),
    (
        "timestamp compact offset 1.0.3",
        _S,
        {"timestamp": "2023-05-04T12:00:00+0130"},
        (V1,),
    ),
    ("tag de", _S, {"verb.display": {"de": "x"}}, BOTH),
    ("tag zh-Hant", _S, {"object.definition.description": {"zh-Hant": "x"}}, BOTH),
    (
        "tag sr-Latn-RS",
        _S,
        {"object.definition.choices.0.description": {"sr-Latn-RS": "x"}},
        BOTH,
    ),
    ("tag ase", _S, {"object.definition.name": {"ase": "x"}}, BOTH),
    ("tag zh-Hans-CN", _S, {"object.definition.name": {"zh-Hans-CN": "x"}}, BOTH),
    ("tag es-419", _S, {"attachments.0.description": {"es-419": "x"}}, BOTH),
    ("tag cmn", _S, {"context.language": "cmn"}, BOTH),
    ("tag fr-CA", _S, {"context.language": "fr-CA"}, BOTH),
    (
        "tag private use",
        _S,
        {"verb.display": {"x-klingon": "x", "en-US-x-twain": "y"}},
        BOTH,
    ),
    (
        "tag grandfathered",
        _S,
        {"verb.display": {"i-klingon": "x", "zh-min-nan": "y"}},
        BOTH,
    ),
    ("tag extension", _S, {"verb.display": {"de-DE-u-co-phonebk": "x"}}, BOTH),
    ("attachment without fileUrl", _S, {"attachments.0.fileUrl": DELETE}, BOTH),
    ("sha-512 attachment", _S, {"attachments.0.sha2": "ab" * 64}, BOTH),
    (
        "likert scale",
        _S,
        {
            "object.definition.interactionType": "likert",
            "object.definition.choices": DELETE,
            "object.definition.scale": [{"id": "1"}],
        },
        BOTH,
    ),
    (
        "matching lists",
        _S,
        {
            "object.definition.interactionType": "matching",
            "object.definition.choices": DELETE,
            "object.definition.source": [{"id": "s"}],
            "object.definition.target": [{"id": "t"}],
        },
        BOTH,
    ),
    (
        "performance steps",
        _S,
        {
            "object.definition.interactionType": "performance",
            "object.definition.choices": DELETE,
            "object.definition.steps": [{"id": "1"}],
        },
        BOTH,
    ),
    (
        "sequencing choices",
        _S,
        {"object.definition.interactionType": "sequencing"},
        BOTH,
    ),
    (
        "contextAgents",
        _S,
        {
            "context.contextAgents": [
                {
                    "objectType": "contextAgent",
                    "agent": _S["actor"],
                    "relevantTypes": ["https://example.com/types/player"],
                }
            ]
        },
        (V2,),
    ),
    (
        "contextGroups",
        _S,
        {
            "context.contextGroups": [
                {"objectType": "contextGroup", "group": _S["context"]["team"]}
            ]
        },
        (V2,),
    ),
    ("substatement with context and result", _SUB, {}, BOTH),
]


def _valid_params() -> list[Any]:
    return [
        pytest.param(base or _S, patch, version, id=f"{case_id}-{version}")
        for case_id, base, patch, versions in VALID
        for version in versions
    ]


@pytest.mark.parametrize(("base", "patch", "version"), _valid_params())
def test_valid_variation_is_accepted(
    base: dict[str, Any], patch: dict[str, Any], version: str
) -> None:
    statement = patched(base, patch)
    normalized = validate_statement(statement, version=version)
    assert validate_statement(normalized, version=version) == normalized


# --- normalization ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", BOTH)
def test_normalization_fills_object_types_and_arrays(version: str) -> None:
    statement = {
        "actor": {"mbox": "mailto:ada@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
        "object": {"id": ACTIVITY_ID},
        "context": {
            "instructor": {"mbox": "mailto:t@example.com"},
            "contextActivities": {"parent": {"id": "http://example.com/course"}},
        },
    }
    original = copy.deepcopy(statement)
    normalized = validate_statement(statement, version=version)
    assert statement == original  # the input is not mutated
    assert normalized["actor"]["objectType"] == "Agent"
    assert normalized["object"]["objectType"] == "Activity"
    assert normalized["context"]["instructor"]["objectType"] == "Agent"
    assert normalized["context"]["contextActivities"]["parent"] == [
        {"objectType": "Activity", "id": "http://example.com/course"}
    ]
    assert "id" not in normalized and "stored" not in normalized  # the LRS assigns them


@pytest.mark.parametrize(
    ("given", "version", "expected"),
    [
        ("2023-05-04T12:00:00.000-05:00", V2, "2023-05-04T17:00:00.000Z"),
        ("2023-05-04T23:30:00+01:30", V1, "2023-05-04T22:00:00Z"),
        ("2023-12-31T23:00:00.5-02:00", V2, "2024-01-01T01:00:00.5Z"),
        ("2023-05-04T12:00:00", V1, "2023-05-04T12:00:00Z"),
        ("2023-05-04t12:00:00,25z", V2, "2023-05-04T12:00:00.25Z"),
        ("2023-05-04T12:00:00.123456789Z", V2, "2023-05-04T12:00:00.123456789Z"),
    ],
)
def test_timestamps_are_stored_in_utc(given: str, version: str, expected: str) -> None:
    normalized = validate_statement(
        make_statement(timestamp=given, stored=given), version=version
    )
    assert normalized["timestamp"] == expected
    assert normalized["stored"] == expected


def test_values_that_compare_as_strings_are_kept() -> None:
    statement = make_statement(id="AA97B177-9383-4934-8543-0F91A7A02836")
    statement["result"]["duration"] = "PT1H0M0.123456S"
    normalized = validate_statement(statement, version=V2)
    assert normalized["id"] == "AA97B177-9383-4934-8543-0F91A7A02836"
    assert normalized["result"]["duration"] == "PT1H0M0.123456S"
    assert normalized["object"]["definition"] == statement["object"]["definition"]


def test_message_cites_the_spec_and_version() -> None:
    detail = rejects(patched(_S, {"actor.mbox": "bob@example.com"}), V1)
    assert detail == (
        "actor.mbox must be a mailto: IRI, not 'bob@example.com' (xAPI 1.0.3 Data 2.4.2.3)."
    )


def test_unknown_version_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="xAPI version"):
        validate_statement(make_statement(), version="1.0.0")


# --- limits: deep nesting and huge strings -------------------------------------------------------


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"k": [value]}
    return value


@pytest.mark.parametrize("version", BOTH)
def test_deeply_nested_extension_is_refused(version: str) -> None:
    statement = patched(_S, {"result.extensions": {"http://e.com/deep": _nested(20)}})
    rejects(statement, version, "result.extensions", "nested deeper than 32")


def test_nesting_within_the_limit_is_accepted() -> None:
    statement = patched(_S, {"result.extensions": {"http://e.com/deep": _nested(10)}})
    validate_statement(statement, version=V2)


def test_nesting_far_beyond_the_recursion_limit_is_refused_cleanly() -> None:
    statement = make_statement()
    statement["context"]["extensions"] = {"http://e.com/deep": _nested(5000)}
    rejects(statement, V1, "context.extensions", "nested deeper")


@pytest.mark.parametrize(
    "patch",
    [
        {"actor.name": "x" * 101},
        {"result.response": "x" * 101},
        {"verb.id": "http://e.com/" + "x" * 100},
        {"result.extensions": {"http://e.com/a": ["x" * 101]}},
        {"result.extensions": {"http://e.com/" + "x" * 100: 1}},
        {"verb.display": {"en": "x" * 101}},
    ],
)
def test_strings_beyond_the_configured_limit_are_refused(patch: dict[str, Any]) -> None:
    limits = ValidationLimits(max_string_length=100)
    with pytest.raises(InvalidPayload, match="longer than 100|IRI|short string"):
        validate_statement(patched(_S, patch), version=V1, limits=limits)
    validate_statement(patched(_S, patch), version=V1)  # the default limit is larger


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_json_numbers_are_refused(bad: float) -> None:
    rejects(patched(_S, {"result.score.raw": bad}), V2, "result.score.raw")
    rejects(
        patched(_S, {"result.extensions": {"http://e.com/n": bad}}),
        V2,
        "result.extensions",
    )


def test_non_json_values_in_extensions_are_refused() -> None:
    rejects(
        patched(_S, {"result.extensions": {"http://e.com/n": {1, 2}}}), V2, "not JSON"
    )


# --- batches ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", BOTH)
def test_batch_of_valid_statements(version: str) -> None:
    batch = [make_statement(), make_statement(id=UUID_B), patched(_S, {"id": DELETE})]
    assert len(validate_statements(batch, version=version)) == 3
    assert len(validate_statements(make_statement(), version=version)) == 1
    assert validate_statements([], version=version) == []


def test_batch_refused_naming_the_index() -> None:
    batch = [make_statement(), patched(_S, {"id": UUID_B, "result.score.scaled": 2})]
    with pytest.raises(InvalidPayload) as caught:
        validate_statements(batch, version=V1)
    assert caught.value.detail.startswith(
        "Statement [1] of the batch: result.score.scaled"
    )


def test_batch_with_repeated_ids_is_refused() -> None:
    batch = [
        make_statement(),
        make_statement(id=UUID_B),
        make_statement(id=UUID_A.upper()),
    ]
    with pytest.raises(
        InvalidPayload, match=r"\[2\].*repeats the id of statement \[0\]"
    ):
        validate_statements(batch, version=V2)


@pytest.mark.parametrize("payload", ["statement", 5, None, [["nested"]]])
def test_batch_payload_of_wrong_shape(payload: object) -> None:
    with pytest.raises(InvalidPayload):
        validate_statements(payload, version=V1)


# --- properties ----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@given(value=json_values, version=st.sampled_from(BOTH))
def test_arbitrary_json_only_ever_raises_invalid_payload(
    value: Any, version: str
) -> None:
    try:
        validate_statements(value, version=version)
    except InvalidPayload:
        pass


def _leaf_paths(value: Any, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        return [
            p for k, v in value.items() for p in _leaf_paths(v, f"{prefix}{k}.")
        ] + ([prefix[:-1]] if prefix else [])
    if isinstance(value, list):
        return [
            p for i, v in enumerate(value) for p in _leaf_paths(v, f"{prefix}{i}.")
        ] + [prefix[:-1]]
    return [prefix[:-1]]


ALL_PATHS = sorted(set(_leaf_paths(_S)) | set(_leaf_paths(_SUB)))


@settings(max_examples=300)
@given(
    path=st.sampled_from(ALL_PATHS),
    value=json_values,
    base=st.sampled_from([_S, _SUB]),
    version=st.sampled_from(BOTH),
)
def test_mutated_statement_is_valid_and_idempotent_or_refused(
    path: str, value: Any, base: dict[str, Any], version: str
) -> None:
    try:
        statement = patched(base, {path: value})
    except (KeyError, IndexError, TypeError):
        return  # the path does not exist in this base
    before = copy.deepcopy(statement)
    try:
        normalized = validate_statement(statement, version=version)
    except InvalidPayload as error:
        assert error.detail.endswith(".")
        return
    finally:
        assert statement == before  # never mutates its input
    assert validate_statement(normalized, version=version) == normalized
    json.dumps(normalized, allow_nan=False)


@given(
    patch=st.dictionaries(st.sampled_from(ALL_PATHS), st.just(DELETE), max_size=4),
    version=st.sampled_from(BOTH),
)
def test_removing_properties_is_valid_and_idempotent_or_refused(
    patch: dict[str, Any], version: str
) -> None:
    try:
        statement = patched(_S, dict(sorted(patch.items(), key=lambda kv: -len(kv[0]))))
    except (KeyError, IndexError, TypeError):
        return
    try:
        normalized = validate_statement(statement, version=version)
    except InvalidPayload:
        return
    assert validate_statement(normalized, version=version) == normalized


# --- what the LRS adds at storage time -------------------------------------------------------


def test_complete_statement_adds_lrs_fields() -> None:
    moment = datetime(2024, 3, 1, 13, 0, 1, 234567, tzinfo=timezone(timedelta(hours=1)))
    authority = {
        "objectType": "Agent",
        "account": {"homePage": "https://lrs", "name": "k"},
    }
    bare = validate_statement(
        {k: _S[k] for k in ("actor", "verb", "object")}, version=V2
    )
    done = complete_statement(
        bare, version=V2, stored=moment, authority=authority, statement_id=UUID_B
    )
    assert done["id"] == UUID_B
    assert done["stored"] == done["timestamp"] == "2024-03-01T12:00:01.234Z"
    assert done["authority"] == authority
    assert done["version"] == "2.0.0"
    assert "id" not in bare
    validate_statement(done, version=V2)


def test_complete_statement_keeps_what_the_client_may_set() -> None:
    given = validate_statement(make_statement(version="1.0.1"), version=V1)
    authority = {"objectType": "Agent", "mbox": "mailto:lrs@example.com"}
    done = complete_statement(
        given,
        version=V1,
        stored=datetime(2025, 1, 1, tzinfo=UTC),
        authority=authority,
        statement_id=UUID_B,
    )
    assert done["id"] == UUID_A
    assert done["timestamp"] == given["timestamp"]
    assert done["version"] == "1.0.1"
    assert done["stored"] == "2025-01-01T00:00:00.000Z"
    assert done["authority"] == authority  # overwritten from the credentials
    without_version = dict(given)
    del without_version["version"]
    assert (
        complete_statement(
            without_version,
            version=V1,
            stored=datetime(2025, 1, 1, tzinfo=UTC),
            authority=authority,
            statement_id=UUID_B,
        )["version"]
        == "1.0.0"
    )


def test_naive_stored_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        format_timestamp(datetime(2025, 1, 1))


def test_huge_integers_do_not_break_the_sentence() -> None:
    rejects(patched(_S, {"result.score.scaled": 10**5000}), V1, "result.score.scaled")
    rejects(patched(_S, {"actor.name": 10**5000}), V1, "actor.name")


# --- request-level rules ----------------------------------------------------------------------


def test_put_id_must_match_the_body() -> None:
    check_put_id(UUID_A, make_statement(), version=V1)
    check_put_id(UUID_A.upper(), make_statement(), version=V1)
    check_put_id(UUID_B, patched(_S, {"id": DELETE}), version=V2)
    with pytest.raises(InvalidPayload, match="differs from the statementId"):
        check_put_id(UUID_B, make_statement(), version=V1)
    with pytest.raises(InvalidPayload, match="statementId parameter must be a UUID"):
        check_put_id("12345", make_statement(), version=V2)


def _with_attachment(**changes: Any) -> dict[str, Any]:
    return validate_statement(
        patched(_S, {f"attachments.0.{k}": v for k, v in changes.items()}), version=V2
    )


def test_attachment_parts_are_matched_by_sha2() -> None:
    with_url = _with_attachment()
    without_url = _with_attachment(fileUrl=DELETE)
    check_attachment_parts([with_url], [], version=V2)
    check_attachment_parts([without_url], [SHA2.upper()], version=V2)
    check_attachment_parts(
        [with_url], [SHA2], version=V2
    )  # a part may back a fileUrl too
    with pytest.raises(InvalidPayload, match=r"attachments\[0\] has no fileUrl"):
        check_attachment_parts([without_url], [], version=V2)
    with pytest.raises(InvalidPayload, match=r"Statement \[1\] of the batch"):
        check_attachment_parts([with_url, without_url], [], version=V1)
    with pytest.raises(InvalidPayload, match="belongs to no attachment"):
        check_attachment_parts([with_url], ["ab" * 32], version=V2)


def test_substatement_attachments_need_parts_too() -> None:
    statement = validate_statement(
        patched(_SUB, {"object.attachments.0.fileUrl": DELETE, "attachments": DELETE}),
        version=V1,
    )
    with pytest.raises(InvalidPayload, match=r"object\.attachments\[0\]"):
        check_attachment_parts([statement], [], version=V1)
    check_attachment_parts([statement], [SHA2], version=V1)


# --- generated valid statements ---------------------------------------------------------------

iris = st.builds(
    "{}://example.com/{}".format,
    st.sampled_from(["http", "https", "urn"]),
    st.text("abcxyz019-_/", max_size=12),
)
tags = st.sampled_from(
    ["en", "en-US", "fr-CA", "zh-Hant", "sr-Latn-RS", "es-419", "cmn"]
)
language_maps = st.dictionaries(tags, st.text(max_size=10), max_size=3)
agents = st.one_of(
    st.builds(lambda n: {"mbox": f"mailto:user{n}@example.com"}, st.integers(0, 99)),
    st.builds(
        lambda h: {"mbox_sha1sum": h},
        st.text("0123456789abcdef", min_size=40, max_size=40),
    ),
    st.builds(lambda i: {"openid": i}, iris),
    st.builds(
        lambda i, n: {"account": {"homePage": i, "name": n}}, iris, st.text(max_size=8)
    ),
).flatmap(
    lambda a: st.sampled_from([a, {"objectType": "Agent", **a}, {"name": "N", **a}])
)
groups = st.one_of(
    st.builds(
        lambda m: {"objectType": "Group", "member": m},
        st.lists(agents, min_size=1, max_size=3),
    ),
    st.builds(
        lambda a: {"objectType": "Group", **a},
        agents.map(
            lambda a: {k: v for k, v in a.items() if k not in ("objectType", "name")}
        ),
    ),
)
activities = st.builds(
    lambda i, d: {"id": i, **({"definition": d} if d is not None else {})},
    iris,
    st.none()
    | st.fixed_dictionaries({}, optional={"name": language_maps, "type": iris}),
)
offsets = st.sampled_from(["Z", "+00:00", "-05:00", "+13:45", "z"])
timestamps = st.builds(
    lambda d, frac, off: f"{d.isoformat()}{frac}{off}",
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2999, 12, 30)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.sampled_from(["", ".5", ".123", ".123456789"]),
    offsets,
)


@st.composite
def valid_statements(draw: st.DrawFn) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "actor": draw(st.one_of(agents, groups)),
        "verb": {"id": draw(iris), "display": draw(language_maps)},
    }
    kind = draw(
        st.sampled_from(["Activity", "Agent", "Group", "StatementRef", "SubStatement"])
    )
    if kind == "Activity":
        statement["object"] = draw(activities)
    elif kind == "Agent":
        statement["object"] = {"objectType": "Agent", **draw(agents)}
    elif kind == "Group":
        statement["object"] = draw(groups)
    elif kind == "StatementRef":
        statement["object"] = {
            "objectType": "StatementRef",
            "id": str(draw(st.uuids())),
        }
    else:
        statement["object"] = {
            "objectType": "SubStatement",
            "actor": draw(agents),
            "verb": {"id": draw(iris)},
            "object": draw(activities),
        }
    if draw(st.booleans()):
        context: dict[str, Any] = {"registration": str(draw(st.uuids()))}
        one_or_many = st.one_of(activities, st.lists(activities, max_size=2))
        context["contextActivities"] = draw(
            st.fixed_dictionaries(
                {}, optional={k: one_or_many for k in ("parent", "other")}
            )
        )
        if kind == "Activity":
            context["platform"] = "p"
        statement["context"] = context
    if draw(st.booleans()):
        statement["timestamp"] = draw(timestamps)
    if draw(st.booleans()):
        statement["id"] = str(draw(st.uuids()))
    return statement


@settings(max_examples=200)
@given(statement=valid_statements(), version=st.sampled_from(BOTH))
def test_generated_statements_validate_and_normalize_idempotently(
    statement: dict[str, Any], version: str
) -> None:
    normalized = validate_statement(statement, version=version)
    assert validate_statement(normalized, version=version) == normalized
    for values in normalized.get("context", {}).get("contextActivities", {}).values():
        assert isinstance(values, list)
    if "timestamp" in normalized:
        assert normalized["timestamp"].endswith("Z")
    assert normalized["object"]["objectType"] in {
        "Activity",
        "Agent",
        "Group",
        "StatementRef",
        "SubStatement",
    }
