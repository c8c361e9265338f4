from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from gateway.api import api_groups
from gateway.api.openapi import ApiGroup, Param, build_blueprint, build_document
from gateway.api.pagination import (
    Page,
    PageRequest,
    decode_cursor,
    encode_cursor,
    page_of,
)
from gateway.api.validation import check_schema, validate
from gateway.errors import InvalidPayload

METHODS = {"get", "post", "put", "patch", "delete"}


def _document() -> dict[str, Any]:
    return build_document(api_groups(), "https://tessera.example.edu")


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_the_document_is_valid_openapi_3_1() -> None:
    doc = _document()
    validate_spec(doc)  # raises on any departure from the OpenAPI 3.1 schema
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "https://tessera.example.edu/api/v1"}]


def test_every_operation_has_id_summary_tags_responses_and_security() -> None:
    doc = _document()
    ops = _operations(doc)
    assert len(ops) >= 7
    ids = [op["operationId"] for _, _, op in ops]
    assert len(ids) == len(set(ids))
    declared_tags = {t["name"] for t in doc["tags"]}
    for path, method, op in ops:
        where = f"{method.upper()} {path}"
        assert op["summary"], where
        assert set(op["tags"]) <= declared_tags, where
        assert "security" in op, where
        assert op["responses"], where
        assert "default" in op["responses"], where
        if path == "/openapi.json":
            assert op["security"] == [], where
            continue
        [requirement] = op["security"]
        assert list(requirement) == ["bearerAuth"], where
        assert requirement["bearerAuth"] in (["admin"], ["records"]), where
        assert {"401", "403"} <= set(op["responses"]), where
        if "{" in path:
            assert "404" in op["responses"], where
        if "requestBody" in op:
            assert {"400", "415"} <= set(op["responses"]), where


def test_error_responses_are_problem_documents() -> None:
    doc = _document()
    problem = doc["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    for path, method, op in _operations(doc):
        for status, response in op["responses"].items():
            if status == "default" or int(status) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], (path, method)
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }


def test_every_reference_resolves() -> None:
    doc = _document()
    schemas = doc["components"]["schemas"]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref is not None:
                assert ref.removeprefix("#/components/schemas/") in schemas, ref
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)


def test_the_vendor_operations_are_described() -> None:
    doc = _document()
    paths = doc["paths"]
    assert set(paths["/vendors"]) == {"get", "post"}
    assert set(paths["/vendors/{name}"]) == {"get", "patch", "delete"}
    assert set(paths["/vendors/{name}/rotate"]) == {"post"}
    create = paths["/vendors"]["post"]
    assert {"201", "409"} <= set(create["responses"])
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["name"]
    listing = paths["/vendors"]["get"]
    assert [p["name"] for p in listing["parameters"]] == ["limit", "cursor"]
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert page["required"] == ["items", "next_cursor"]
    assert "content" not in paths["/vendors/{name}"]["delete"]["responses"]["204"]


NEW_OPERATIONS = [
    ("get", "/frameworks", "list_frameworks"),
    ("post", "/frameworks", "import_framework"),
    ("get", "/frameworks/{framework_id}", "get_framework"),
    ("get", "/frameworks/{framework_id}/tree", "get_framework_tree"),
    ("get", "/competencies", "search_competencies"),
    ("get", "/competencies/{competency_id}", "get_competency"),
    ("get", "/alignments", "list_alignments"),
    ("post", "/alignments", "create_alignments"),
    ("delete", "/alignments/{alignment_id}", "delete_alignment"),
    ("get", "/alignments/inbox", "list_unaligned_activities"),
    ("get", "/learners", "list_learners"),
    ("get", "/learners/{learner_id}", "get_learner"),
    ("post", "/learners/{learner_id}/merge", "merge_learner"),
    ("post", "/learners/link", "link_learner_identifiers"),
    ("get", "/raw-records", "list_raw_records"),
    ("get", "/raw-records/counts", "count_raw_records"),
    ("get", "/raw-records/{record_id}", "get_raw_record"),
    ("post", "/replay", "replay_records"),
]


def test_the_intake_and_framework_operations_are_described() -> None:
    paths = _document()["paths"]
    for method, path, operation_id in NEW_OPERATIONS:
        op = paths[path][method]
        assert op["operationId"] == operation_id, (method, path)
        assert op["security"] == [{"bearerAuth": ["admin"]}], (method, path)
    for path in ("/frameworks", "/alignments", "/learners", "/raw-records"):
        params = [p["name"] for p in paths[path]["get"]["parameters"]]
        assert params[-2:] == ["limit", "cursor"], path
    assert "201" in paths["/frameworks"]["post"]["responses"]
    assert "204" in paths["/alignments/{alignment_id}"]["delete"]["responses"]


def _request_schemas() -> list[dict[str, Any]]:
    return [
        op["requestBody"]["content"]["application/json"]["schema"]
        for _, _, op in _operations(_document())
        if "requestBody" in op
    ]


SAMPLES: list[Any] = [
    None,
    [],
    "text",
    3,
    {},
    {"name": "acme"},
    {"name": "Acme!"},
    {"name": "acme", "colour": "red"},
    {"name": "acme", "settings": []},
    {"name": "acme", "settings": {"scale": 100}, "adapter": "standard"},
    {"name": "a" * 65},
    {"name": 7},
    {"display_name": ""},
    {"display_name": "x" * 201},
    {"display_name": "ACME Learning"},
    {"adapter": "Bad Adapter"},
    {"grace_seconds": 60},
    {"grace_seconds": -1},
    {"grace_seconds": 1.5},
    {"grace_seconds": 60.0},
    {"grace_seconds": True},
    {"grace_seconds": 30 * 86400 + 1},
]


@pytest.mark.parametrize("sample", SAMPLES, ids=repr)
def test_the_body_validator_agrees_with_jsonschema(sample: Any) -> None:
    for schema in _request_schemas():
        reference = Draft202012Validator(schema).is_valid(sample)
        assert (validate(sample, schema) == []) is reference, (schema, sample)


def test_validation_messages_name_the_field() -> None:
    schema = {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "settings": {
                "type": "object",
                "properties": {"scale": {"type": "number", "maximum": 100}},
            },
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    }
    assert [e.message for e in validate({"settings": {"scale": "x"}}, schema)] == [
        "Field 'name' is required.",
        "Field 'settings.scale' must be a number.",
    ]
    assert [e.field for e in validate({"name": "", "tags": ["a", 2]}, schema)] == [
        "name",
        "tags[1]",
    ]
    assert validate([], schema)[0].message == "The request body must be an object."
    assert validate({"name": "a", "x": 1}, schema)[0].message == (
        "Field 'x' is not accepted here; the accepted fields are name, settings, tags."
    )


def test_a_schema_keyword_the_validator_does_not_enforce_is_refused() -> None:
    with pytest.raises(ValueError, match="oneOf"):
        check_schema({"type": "object", "properties": {"a": {"oneOf": []}}})
    group = ApiGroup("things", "Things.")
    with pytest.raises(ValueError, match="exclusiveMinimum"):
        group.operation(
            "POST",
            "/things",
            summary="Make a thing",
            request_schema={"type": "object", "exclusiveMinimum": 1},
        )
    with pytest.raises(ValueError, match="unknown scope"):
        group.operation("GET", "/things", summary="List things", scope="root")


def test_operation_ids_must_be_unique() -> None:
    first, second = ApiGroup("a", "A."), ApiGroup("b", "B.")

    def get_thing() -> None:
        """Get it."""

    first.operation("GET", "/a/{id}", summary="A thing")(get_thing)
    second.operation("GET", "/b/{id}", summary="B thing")(get_thing)
    with pytest.raises(ValueError, match="declared twice"):
        build_blueprint([first, second])


def test_query_and_path_parameters_are_described() -> None:
    group = ApiGroup("things", "Things.")

    @group.operation(
        "GET",
        "/things/{thing_id}/parts",
        summary="Parts of a thing",
        params=[Param("kind", {"type": "string", "enum": ["a", "b"]}, "Which kind.")],
        paginated=True,
    )
    def list_parts(thing_id: str, kind: str | None, page: PageRequest) -> Page:
        """The parts."""
        return Page([], None)

    doc = build_document([group], "http://127.0.0.1:8000")
    validate_spec(doc)
    op = doc["paths"]["/things/{thing_id}/parts"]["get"]
    assert [(p["name"], p["in"], p["required"]) for p in op["parameters"]] == [
        ("thing_id", "path", True),
        ("kind", "query", False),
        ("limit", "query", False),
        ("cursor", "query", False),
    ]
    assert op["description"] == "The parts."


def test_cursors_round_trip_and_foreign_ones_are_refused() -> None:
    assert decode_cursor(encode_cursor("acme-math")) == "acme-math"
    for bad in ["", "not a cursor", encode_cursor("x")[:-2] + "!!", "e30"]:
        with pytest.raises(InvalidPayload, match="not one this API gave out"):
            decode_cursor(bad)


def test_page_of_cuts_the_extra_row_into_a_cursor() -> None:
    request = PageRequest(limit=2)
    full = page_of(["a", "b", "c"], request, key=str, render=str.upper)
    assert full.items == ["A", "B"]
    assert full.next_cursor is not None and decode_cursor(full.next_cursor) == "b"
    last = page_of(["d"], request, key=str, render=str.upper)
    assert last.to_json() == {"items": ["D"], "next_cursor": None}


def test_a_route_or_schema_declared_twice_is_refused() -> None:
    first, second = ApiGroup("a", "A."), ApiGroup("b", "B.")

    def get_one() -> None:
        """One."""

    def get_two() -> None:
        """Two."""

    first.operation("GET", "/same", summary="One")(get_one)
    second.operation("GET", "/same", summary="Two")(get_two)
    with pytest.raises(ValueError, match="GET /same is declared twice"):
        build_blueprint([first, second])
    first.schema("Thing", {"type": "object"})
    second.schema("Thing", {"type": "string"})
    with pytest.raises(ValueError, match="two schemas are published as 'Thing'"):
        build_document([first, second], "http://127.0.0.1:8000")
    with pytest.raises(ValueError, match="starts with /"):
        first.operation("GET", "things/", summary="Bad")
