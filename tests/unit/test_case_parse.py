from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gateway.competencies.case import parse_package
from gateway.errors import InvalidPayload
from tests.case_packages import (
    ACT,
    SMARTER_BALANCED,
    item_id,
    make_association,
    make_item,
    make_package,
    real_package,
    uid,
)


def test_smarter_balanced_package_parses_with_its_counts() -> None:
    parsed = parse_package(real_package(SMARTER_BALANCED))
    assert parsed.case_version == "1.0"
    assert parsed.document.identifier == "1796d9a2-d5ee-11e7-b39f-71a145b86a18"
    assert parsed.document.title == "Grade 3 Mathematics Item Specification C1 TH"
    assert parsed.document.package_uri is not None
    assert parsed.document.package_uri.endswith(
        "/CFPackages/1796d9a2-d5ee-11e7-b39f-71a145b86a18"
    )
    assert len(parsed.items) == 48
    kinds = Counter(a.association_type for a in parsed.associations)
    assert kinds == {"isChildOf": 48, "isRelatedTo": 16, "exactMatchOf": 3}
    # CFDocumentURI inside every packaged object is what real providers send: no warnings.
    assert parsed.warnings == ()
    target = [i for i in parsed.items if i.item_type == "Target"]
    assert len(target) == 1 and target[0].education_level == ("03",)
    # The raw JSON is kept, extra properties included.
    assert "CFDocumentURI" in parsed.items[0].raw


def test_act_package_parses_into_a_tree_under_the_document() -> None:
    parsed = parse_package(real_package(ACT))
    assert len(parsed.items) == 28 and len(parsed.associations) == 28
    parents = parsed.parents()
    roots = [i for i, (parent, _) in parents.items() if parent is None]
    assert len(parents) == 28 and len(roots) >= 1
    by_id = {i.identifier: i for i in parsed.items}
    assert by_id[roots[0]].human_coding_scheme == "H.A.MATH.GM"


def test_identifiers_are_lower_cased_and_odd_uuids_only_warn() -> None:
    package = make_package("p", {"": ["A"]})
    package["CFItems"][0]["identifier"] = "NOT-A-UUID"
    package["CFAssociations"][0]["originNodeURI"]["identifier"] = "NOT-A-UUID"
    parsed = parse_package(package)
    assert parsed.items[0].identifier == "not-a-uuid"
    assert parsed.associations[0].origin_id == "not-a-uuid"
    assert [w.path for w in parsed.warnings] == ["$.CFItems[0].identifier"]


def test_missing_last_change_and_extra_properties_are_tolerated_with_paths() -> None:
    package = make_package("p", {"": ["A", "B"]})
    del package["CFItems"][1]["lastChangeDateTime"]
    package["CFItems"][0]["x-local"] = {"dok": 3}
    parsed = parse_package(package)
    paths = {w.path: w.message for w in parsed.warnings}
    assert "$.CFItems[1].lastChangeDateTime" in paths
    assert "$.CFItems[0].x-local" in paths
    assert parsed.items[1].last_change is None
    assert parsed.items[0].raw["x-local"] == {"dok": 3}


def test_case_1_1_features_are_accepted() -> None:
    package = make_package("p", {"": ["A", "B"]}, caseVersion="1.1")
    package["CFDocument"]["extensions"] = {"district": "42"}
    package["CFItems"][0]["fullStatement"] = "Line one\n\n* a Markdown bullet"
    package["CFItems"][0]["extensions"] = {"dok": 2}
    a, b = item_id("p", "A"), item_id("p", "B")
    package["CFAssociations"] += [
        make_association("isTranslationOf", a, b, notes="es -> en"),
        make_association("ext:alignsWith", a, b),
    ]
    package["extensions"] = {"any": True}
    parsed = parse_package(package)
    assert parsed.case_version == "1.1"
    assert parsed.items[0].full_statement == "Line one\n\n* a Markdown bullet"
    types = {x.association_type for x in parsed.associations}
    assert {"isTranslationOf", "ext:alignsWith"} <= types
    assert parsed.warnings == ()


def test_a_1_1_type_in_a_1_0_package_and_an_unknown_type_only_warn() -> None:
    package = make_package("p", {"": ["A", "B"]})
    a, b = item_id("p", "A"), item_id("p", "B")
    package["CFAssociations"] += [
        make_association("isTranslationOf", a, b),
        make_association("looksLike", a, b),
    ]
    parsed = parse_package(package)
    assert len(parsed.associations) == 4
    assert [w.path for w in parsed.warnings] == [
        "$.CFAssociations[2].associationType",
        "$.CFAssociations[3].associationType",
    ]


def test_an_association_without_identifier_gets_a_stable_derived_one() -> None:
    package = make_package("p", {"": ["A"]})
    del package["CFAssociations"][0]["identifier"]
    first = parse_package(package).associations[0].identifier
    assert first == parse_package(package).associations[0].identifier
    assert any(
        w.path == "$.CFAssociations[0].identifier"
        for w in parse_package(package).warnings
    )


def test_sequence_and_first_parent_drive_the_hierarchy() -> None:
    package = make_package("p", {"": ["A", "B"], "A": ["A.1"]})
    # A second parent for A.1: kept as an association, the tree uses the first.
    package["CFAssociations"].append(
        make_association("isChildOf", item_id("p", "A.1"), item_id("p", "B"))
    )
    parsed = parse_package(package)
    parents = parsed.parents()
    assert parents[item_id("p", "A")] == (None, 1)
    assert parents[item_id("p", "B")] == (None, 2)
    assert parents[item_id("p", "A.1")] == (item_id("p", "A"), 1)
    assert any("more than one parent" in w.message for w in parsed.warnings)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda p: p["CFDocument"].pop("identifier"), "$.CFDocument"),
        (lambda p: p["CFDocument"].pop("uri"), "$.CFDocument"),
        (lambda p: p["CFDocument"].update(title=""), "$.CFDocument"),
        (lambda p: p["CFItems"][1].pop("fullStatement"), "$.CFItems[1]"),
        (lambda p: p["CFItems"][0].pop("uri"), "$.CFItems[0]"),
        (lambda p: p["CFItems"][2].pop("identifier"), "$.CFItems[2]"),
        (
            lambda p: p["CFAssociations"][1].pop("associationType"),
            "$.CFAssociations[1]",
        ),
        (
            lambda p: p["CFAssociations"][0].pop("originNodeURI"),
            "$.CFAssociations[0].originNodeURI",
        ),
        (
            lambda p: p["CFAssociations"][2]["destinationNodeURI"].pop("uri"),
            "$.CFAssociations[2].destinationNodeURI",
        ),
        (
            lambda p: p["CFItems"][2].update(identifier=p["CFItems"][0]["identifier"]),
            "$.CFItems[2].identifier",
        ),
        (
            lambda p: p["CFItems"][1].update(identifier=p["CFDocument"]["identifier"]),
            "$.CFItems[1].identifier",
        ),
        (
            lambda p: p["CFAssociations"][2].update(
                identifier=p["CFAssociations"][0]["identifier"].upper()
            ),
            "$.CFAssociations[2].identifier",
        ),
        (lambda p: p["CFItems"].__setitem__(1, "item"), "$.CFItems[1]"),
    ],
)
def test_each_hard_rule_rejects_naming_the_json_path(mutate: Any, path: str) -> None:
    package = make_package("p")
    mutate(package)
    with pytest.raises(InvalidPayload) as info:
        parse_package(package)
    assert path in info.value.detail
    assert "Nothing was imported" in info.value.detail


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([1, 2], "JSON object"),
        ("text", "JSON object"),
        ({"CFItems": []}, "$.CFDocument"),
        ({"document": {}, "items": []}, "internal shape"),
        ({"CFDocument": {}, "CFItems": {}}, "$.CFDocument"),
    ],
)
def test_what_is_not_a_package_is_rejected(data: Any, words: str) -> None:
    with pytest.raises(InvalidPayload) as info:
        parse_package(data)
    assert words in info.value.detail


def test_cfitems_must_be_an_array() -> None:
    package = make_package("p")
    package["CFItems"] = {"not": "a list"}
    with pytest.raises(InvalidPayload, match=r"\$\.CFItems must be an array"):
        parse_package(package)


def test_an_is_child_of_cycle_is_rejected_naming_an_item() -> None:
    package = make_package("p", {"": ["A"], "A": ["B"], "B": ["C"]})
    package["CFAssociations"].append(
        make_association("isChildOf", item_id("p", "A"), item_id("p", "C"))
    )
    with pytest.raises(
        InvalidPayload, match=r"cycle through the CFItem .* at \$\.CFItems\["
    ):
        parse_package(package)


def test_a_self_parent_is_a_cycle() -> None:
    package = make_package("p", {"": ["A"]})
    package["CFAssociations"].append(
        make_association("isChildOf", item_id("p", "A"), item_id("p", "A"))
    )
    with pytest.raises(InvalidPayload, match="cycle"):
        parse_package(package)


def test_cross_framework_links_are_kept_unresolved() -> None:
    package = make_package("p", {"": ["A"]})
    other = uid("elsewhere")
    package["CFAssociations"].append(
        make_association(
            "exactMatchOf", item_id("p", "A"), other, dest_uri=f"local:{other}"
        )
    )
    parsed = parse_package(package)
    match = [a for a in parsed.associations if a.association_type == "exactMatchOf"]
    assert match[0].destination_id == other and match[0].destination_uri.startswith(
        "local:"
    )


@st.composite
def random_forests(draw: st.DrawFn) -> dict[str, list[str]]:
    """A random forest: each item's parent is an earlier item or the document."""
    size = draw(st.integers(min_value=1, max_value=40))
    tree: dict[str, list[str]] = {}
    for n in range(size):
        parent = draw(st.integers(min_value=-1, max_value=n - 1))
        tree.setdefault("" if parent < 0 else f"N{parent}", []).append(f"N{n}")
    return tree


@settings(max_examples=60, deadline=None)
@given(random_forests())
def test_any_forest_parses_and_keeps_every_parent(tree: dict[str, list[str]]) -> None:
    parsed = parse_package(make_package("h", tree))
    parents = parsed.parents()
    for parent, codes in tree.items():
        for seq, code in enumerate(codes, start=1):
            expected = None if parent == "" else item_id("h", parent)
            assert parents[item_id("h", code)] == (expected, seq)


@settings(max_examples=40, deadline=None)
@given(random_forests(), st.data())
def test_any_back_edge_in_a_forest_is_a_cycle(
    tree: dict[str, list[str]], data: st.DataObject
) -> None:
    parent_of = {c: p for p, codes in tree.items() for c in codes if p}
    assume(parent_of)
    child = data.draw(st.sampled_from(sorted(parent_of)))
    ancestors = []
    node = child
    while node in parent_of:
        node = parent_of[node]
        ancestors.append(node)
    top = data.draw(st.sampled_from(ancestors))
    package = make_package("h", tree)
    # Make an ancestor a child of its own descendant.
    package["CFAssociations"].append(
        make_association("isChildOf", item_id("h", top), item_id("h", child))
    )
    with pytest.raises(InvalidPayload, match="cycle"):
        parse_package(package)


def test_item_builder_defaults_are_a_valid_item() -> None:
    package = make_package("p", {"": []})
    package["CFItems"] = [make_item(uid("lonely"))]
    parsed = parse_package(package)
    assert parsed.items[0].human_coding_scheme is not None and parsed.parents() == {}


def test_what_is_not_stored_is_listed_as_skipped() -> None:
    package = real_package(SMARTER_BALANCED)
    package["CFRubrics"] = [{"identifier": uid("rubric")}, {"title": "no id"}]
    parsed = parse_package(package)
    skipped = {s.path: s.message for s in parsed.skipped}
    assert "$.CFRubrics" not in skipped  # rubrics are kept, for teachers to score on
    assert [r["identifier"] for r in parsed.rubrics] == [uid("rubric")]
    assert any(w.path == "$.CFRubrics[1]" for w in parsed.warnings)
    assert "13 CFItemTypes" in skipped["$.CFDefinitions.CFItemTypes"]


def test_over_long_values_are_cut_or_refused() -> None:
    package = make_package("p", {"": ["A"]})
    package["CFItems"][0]["humanCodingScheme"] = "H" * 250
    parsed = parse_package(package)
    assert parsed.items[0].human_coding_scheme == "H" * 200
    assert parsed.items[0].raw["humanCodingScheme"] == "H" * 250
    assert any(w.path == "$.CFItems[0].humanCodingScheme" for w in parsed.warnings)
    package["CFItems"][0]["identifier"] = "x" * 65
    with pytest.raises(
        InvalidPayload, match=r"\$\.CFItems\[0\] has an identifier of 65"
    ):
        parse_package(package)
