from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select

from gateway.competencies import (
    competency_tree,
    get_competency,
    get_framework,
    import_package,
    list_frameworks,
    resolve_competency_refs,
    search_competencies,
)
from gateway.errors import Conflict, InvalidPayload, NotFound
from gateway.store import Store
from gateway.store.tables import competencies, competency_associations, frameworks
from tests.case_packages import (
    ACT,
    SMARTER_BALANCED,
    item_id,
    make_association,
    make_package,
    real_package,
    uid,
    with_changes,
)

SB_ID = "1796d9a2-d5ee-11e7-b39f-71a145b86a18"
ACT_ID = "a33fc64e-5c40-11e7-82c4-3d54268aa9ee"


def _rows(store: Store) -> dict[str, dict[str, Any]]:
    with store.read() as conn:
        return {r["id"]: dict(r) for r in conn.execute(select(competencies)).mappings()}


def _count(store: Store, table: Any) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_both_real_packages_import(store: Store) -> None:
    sb = import_package(
        store,
        real_package(SMARTER_BALANCED),
        competency_item_types=["Target", "Measured Skill"],
    )
    act = import_package(store, real_package(ACT))
    assert (sb.framework_id, sb.created, sb.associations) == (SB_ID, 48, 67)
    assert (act.framework_id, act.created, act.associations) == (ACT_ID, 28, 28)
    assert sb.framework_created and sb.warnings == ()
    listed = {f.id: f for f in list_frameworks(store)}
    assert listed[SB_ID].item_count == 48 and listed[SB_ID].competency_count == 3
    assert listed[ACT_ID].competency_count == 28  # no item types given: every item
    assert listed[SB_ID].competency_item_types == ("Target", "Measured Skill")
    assert _count(store, competency_associations) == 95
    # The unresolved exactMatchOf links to "local:" URIs are stored as they came.
    with store.read() as conn:
        local = conn.execute(
            select(competency_associations.c.destination_uri).where(
                competency_associations.c.association_type == "exactMatchOf"
            )
        ).scalars()
        assert all(uri.startswith("local:") for uri in local)


def test_reimport_of_the_same_package_changes_nothing(store: Store) -> None:
    import_package(store, real_package(SMARTER_BALANCED))
    before = _rows(store)
    with store.read() as conn:
        fw_before = conn.execute(select(frameworks)).mappings().one()
    again = import_package(store, real_package(SMARTER_BALANCED))
    assert (again.created, again.updated, again.unchanged, again.archived) == (
        0,
        0,
        48,
        0,
    )
    assert not again.changed and again.shared_id_changes == {}
    assert _rows(store) == before
    with store.read() as conn:
        assert conn.execute(select(frameworks)).mappings().one() == fw_before


def test_a_changed_item_is_updated_by_identifier(store: Store) -> None:
    package = make_package("u")
    import_package(store, package)
    changed = with_changes(package)
    changed["CFItems"][1]["lastChangeDateTime"] = "2025-02-02T00:00:00Z"
    changed["CFItems"][1]["fullStatement"] = "A better statement"
    changed["CFItems"][2]["abbreviatedStatement"] = "Short"  # content only
    report = import_package(store, changed)
    assert (report.updated, report.unchanged, report.created) == (2, 2, 0)
    row = _rows(store)[changed["CFItems"][1]["identifier"]]
    assert row["full_statement"] == "A better statement"
    assert row["last_change"].year == 2025


def test_a_vanished_item_is_archived_not_deleted_and_can_return(store: Store) -> None:
    package = make_package("v", {"": ["A", "B"]})
    import_package(store, package)
    smaller = with_changes(package)
    del smaller["CFItems"][1]
    del smaller["CFAssociations"][1]
    report = import_package(store, smaller)
    assert report.archived == 1 and report.associations_removed == 1
    b = item_id("v", "B")
    assert _rows(store)[b]["status"] == "archived"
    assert [n.competency.id for n in competency_tree(store, report.framework_id)] == [
        item_id("v", "A")
    ]
    assert search_competencies(store, "skill B") == []
    back = import_package(store, package)
    assert back.updated == 1 and _rows(store)[b]["status"] == "active"


def test_replaced_by_is_followed(store: Store) -> None:
    package = make_package("r", {"": ["Old", "New"]})
    old, new = item_id("r", "Old"), item_id("r", "New")
    package["CFAssociations"].append(make_association("replacedBy", old, new))
    import_package(store, package)
    assert _rows(store)[old]["replaced_by"] == new
    assert _rows(store)[new]["replaced_by"] is None


def test_hierarchy_and_sequence_come_from_is_child_of(store: Store) -> None:
    tree = {"": ["B", "A"], "A": ["A.2", "A.1", "A.3"], "A.1": ["A.1.a"]}
    report = import_package(store, make_package("h", tree))
    rows = _rows(store)
    assert rows[item_id("h", "B")]["parent_id"] is None
    assert rows[item_id("h", "A.1")]["parent_id"] == item_id("h", "A")
    assert rows[item_id("h", "A.1")]["sequence"] == 2
    nodes = competency_tree(store, report.framework_id)
    assert [n.competency.human_coding_scheme for n in nodes] == ["B", "A"]
    a = nodes[1]
    assert [c.competency.human_coding_scheme for c in a.children] == [
        "A.2",
        "A.1",
        "A.3",
    ]
    assert a.children[1].children[0].competency.human_coding_scheme == "A.1.a"
    assert a.to_json()["children"][1]["children"][0]["id"] == item_id("h", "A.1.a")


def test_real_act_tree_nests_under_its_root(store: Store) -> None:
    import_package(store, real_package(ACT))
    nodes = competency_tree(store, ACT_ID.upper())
    assert [n.competency.human_coding_scheme for n in nodes] == ["H.A.MATH.GM"]

    def count(node: Any) -> int:
        return 1 + sum(count(c) for c in node.children)

    assert count(nodes[0]) == 28


def _crosswalked() -> tuple[dict[str, Any], dict[str, Any]]:
    """Two frameworks: x.A exactMatchOf y.A; y.B isTranslationOf x.B (1.1)."""
    x = make_package("x", {"": ["A", "B"]})
    y = make_package("y", {"": ["A", "B"]}, caseVersion="1.1")
    x["CFAssociations"].append(
        make_association(
            "exactMatchOf",
            item_id("x", "A"),
            item_id("y", "A"),
            dest_uri=f"https://case.example.org/CFItems/{item_id('y', 'A')}",
        )
    )
    y["CFAssociations"].append(
        make_association("isTranslationOf", item_id("y", "B"), item_id("x", "B"))
    )
    return x, y


@pytest.mark.parametrize("order", ["xy", "yx"])
def test_crosswalks_give_the_same_shared_ids_in_either_order(
    store: Store, order: str
) -> None:
    x, y = _crosswalked()
    packages = {"x": x, "y": y}
    first = import_package(store, packages[order[0]])
    second = import_package(store, packages[order[1]])
    assert first.shared_id_changes == {}
    rows = _rows(store)
    for code in ("A", "B"):
        xs, ys = item_id("x", code), item_id("y", code)
        expected = min(xs, ys)
        assert rows[xs]["shared_id"] == rows[ys]["shared_id"] == expected
    # The first framework's members whose shared id moved are reported (evidence re-derive).
    first_ids = {i["identifier"] for i in packages[order[0]]["CFItems"]}
    moved = {k for k, (old, new) in second.shared_id_changes.items() if old != new}
    assert moved <= first_ids
    for ident, (old, new) in second.shared_id_changes.items():
        assert old == ident and new == rows[ident]["shared_id"]
    detail = get_competency(store, item_id("x", "A"))
    assert [c.id for c in detail.shared_members] == [item_id("y", "A")]


def test_removing_a_crosswalk_splits_the_component_and_reports_it(
    store: Store,
) -> None:
    x, y = _crosswalked()
    import_package(store, x)
    import_package(store, y)
    xa, ya = item_id("x", "A"), item_id("y", "A")
    bigger = max(xa, ya)
    no_link = with_changes(x)
    no_link["CFAssociations"] = [
        a for a in x["CFAssociations"] if a["associationType"] != "exactMatchOf"
    ]
    report = import_package(store, no_link)
    assert report.shared_id_changes == {bigger: (min(xa, ya), bigger)}
    assert _rows(store)[bigger]["shared_id"] == bigger


def test_a_malformed_package_leaves_the_store_untouched(store: Store) -> None:
    import_package(store, make_package("m"))
    before = _rows(store)
    broken = make_package("m", {"": ["A", "B", "C"]})
    broken["CFItems"][2]["fullStatement"] = "   "
    with pytest.raises(InvalidPayload, match=r"\$\.CFItems\[2\]"):
        import_package(store, broken)
    cyclic = make_package("m", {"": ["A"], "A": ["B"]})
    cyclic["CFAssociations"].append(
        make_association("isChildOf", item_id("m", "A"), item_id("m", "B"))
    )
    with pytest.raises(InvalidPayload, match="cycle"):
        import_package(store, cyclic)
    assert _rows(store) == before


def test_an_item_owned_by_another_framework_rolls_everything_back(
    store: Store,
) -> None:
    import_package(store, make_package("one", {"": ["A"]}))
    thief = make_package("two", {"": ["Z"]})
    thief["CFItems"].append(
        make_package("one", {"": ["A"]})["CFItems"][0] | {"fullStatement": "mine"}
    )
    with pytest.raises(Conflict, match="already belongs to the framework"):
        import_package(store, thief)
    assert [f.title for f in list_frameworks(store)] == ["Framework one"]
    assert _count(store, competencies) == 1


def test_search_by_coding_prefix_and_text(store: Store) -> None:
    import_package(store, real_package(ACT))
    sb = import_package(store, real_package(SMARTER_BALANCED))
    codes = [
        c.human_coding_scheme for c in search_competencies(store, "h.a.math.gm.pf")
    ]
    assert codes and all(c and c.startswith("H.A.MATH.GM.PF") for c in codes)
    assert codes == sorted(codes)
    text_hits = search_competencies(store, "BAR GRAPH")
    assert text_hits and all(
        "bar graph" in (c.full_statement + (c.abbreviated_statement or "")).lower()
        for c in text_hits
    )
    only_sb = search_competencies(store, "a", framework_id=sb.framework_id, limit=5)
    assert len(only_sb) == 5 and {c.framework_id for c in only_sb} == {SB_ID}
    assert search_competencies(store, "100%") == []  # LIKE wildcards are literal
    assert search_competencies(store, "  ") == []


def test_get_competency_shows_progressions(store: Store) -> None:
    package = make_package("g", {"": ["A", "B", "C"]})
    a, b, c = (item_id("g", k) for k in "ABC")
    package["CFAssociations"] += [
        make_association("precedes", a, b),
        make_association("precedes", b, c),
    ]
    import_package(store, package)
    detail = get_competency(store, b.upper())
    assert [x.id for x in detail.prerequisites] == [a]
    assert [x.id for x in detail.successors] == [c]
    assert detail.to_json()["successors"][0]["human_coding_scheme"] == "C"
    with pytest.raises(NotFound):
        get_competency(store, uid("nothing"))
    with pytest.raises(NotFound):
        get_framework(store, uid("nothing"))


def test_resolve_refs_by_identifier_any_case_or_uri(store: Store) -> None:
    import_package(store, real_package(ACT))
    ident = "3d8cdec5-83d6-49b4-9300-91a824c59758"
    uri = f"http://localhost:3000/ims/case/v1p0/CFItems/{ident}"
    with store.read() as conn:
        found = resolve_competency_refs(
            conn, [ident.upper(), uri, "https://nowhere.example/x", "", ident]
        )
    assert found == {ident.upper(): ident, uri: ident, ident: ident}


def test_item_types_are_kept_on_reimport_and_can_be_changed(store: Store) -> None:
    package = make_package("t", {"": ["A"]})
    package["CFItems"][0]["CFItemType"] = "Domain"
    import_package(store, package, competency_item_types=["Standard"])
    assert not _rows(store)[item_id("t", "A")]["is_competency"]
    again = import_package(store, package)
    assert not again.changed
    report = import_package(store, package, competency_item_types=["Domain"])
    assert report.updated == 1 and report.framework_updated
    assert _rows(store)[item_id("t", "A")]["is_competency"]


def test_progress_reaches_the_total(store: Store) -> None:
    seen: list[tuple[int, int]] = []
    import_package(store, make_package("p"), progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (8, 8)
    assert all(d <= t for d, t in seen)


def test_a_file_reimport_keeps_the_url_it_was_first_fetched_from(store: Store) -> None:
    package = make_package("s")
    import_package(store, package, source_url="https://case.example.org/p")
    again = import_package(store, package)
    assert not again.changed
    assert list_frameworks(store)[0].source_url == "https://case.example.org/p"


def test_a_crosswalk_link_resolves_by_uri_when_the_identifier_differs(
    store: Store,
) -> None:
    x = make_package("x", {"": ["A"]})
    y = make_package("y", {"": ["A"]})
    ya = item_id("y", "A")
    x["CFAssociations"].append(
        make_association(
            "exactMatchOf",
            item_id("x", "A"),
            "y-local-code-a",  # a LinkGenURI identifier need not be the CFItem's
            dest_uri=f"https://case.example.org/CFItems/{ya}",
        )
    )
    import_package(store, x)
    assert _rows(store)[item_id("x", "A")]["shared_id"] == item_id("x", "A")
    import_package(store, y)
    rows = _rows(store)
    assert rows[item_id("x", "A")]["shared_id"] == rows[ya]["shared_id"]
    assert rows[ya]["shared_id"] == min(item_id("x", "A"), ya)


def test_resolving_a_batch_of_refs_takes_at_most_two_queries(store: Store) -> None:
    package = make_package("q", {"": [f"C{n}" for n in range(300)]})
    import_package(store, package)
    refs = [i["identifier"].upper() for i in package["CFItems"][:150]]
    refs += [i["uri"] for i in package["CFItems"][150:]]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.read() as conn:
            found = resolve_competency_refs(conn, refs)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert len(found) == 300
    assert len([s for s in statements if "competencies" in s]) <= 2


def test_a_deep_chain_builds_a_tree_without_recursion_limits(store: Store) -> None:
    depth = 1200
    tree = {"": ["L0"]} | {f"L{n}": [f"L{n + 1}"] for n in range(depth - 1)}
    report = import_package(store, make_package("deep", tree))
    node = competency_tree(store, report.framework_id)[0]
    seen = 1
    while node.children:
        node = node.children[0]
        seen += 1
    assert seen == depth and node.competency.human_coding_scheme == f"L{depth - 1}"


def test_an_unknown_competency_item_type_is_warned_about(store: Store) -> None:
    report = import_package(
        store, real_package(SMARTER_BALANCED), competency_item_types=["Targt"]
    )
    assert [w.path for w in report.warnings] == ["$.CFItems[*].CFItemType"]
    assert "'Targt'" in report.warnings[0].message
    assert "Target" in report.warnings[0].message
    assert get_framework(store, SB_ID).competency_count == 0
