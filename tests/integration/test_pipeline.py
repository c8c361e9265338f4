"""The evidence pipeline end to end on both databases, with a vendor whose adapter is trivial.

The built-in xAPI, Caliper and CSV adapters are tested on the standards' fixtures elsewhere;
here the subject is what happens around the adapter: raw first, identity, alignment, evidence,
voiding, merging and replay.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from gateway.errors import Conflict, NotFound
from gateway.intake.alignment import NewAlignment
from gateway.intake.identity import merge_learners
from gateway.intake.pipeline import (
    Incoming,
    RecordOutcome,
    VendorContext,
    ingest,
    replay,
)
from gateway.intake.service import align, apply_crosswalk_changes, unaligned_inbox
from gateway.store import Store
from gateway.store.tables import evidence, learners, observations, raw_records
from gateway.vendors import add_vendor
from tests.builders import (
    clear_intake,
    dict_adapter,
    evidence_snapshot,
    make_payload,
    seed_competencies,
)

C1, C2, C3 = (
    "c1000000-0000-4000-8000-000000000001",
    "c2000000-0000-4000-8000-000000000002",
    "c3000000-0000-4000-8000-000000000003",
)
QUIZ = "https://vendor.test/quiz/1"


@pytest.fixture
def vendor(store: Store) -> VendorContext:
    v, _ = add_vendor(store, "acme")
    return VendorContext(v.id, v.name, "test", None)


def _ingest(
    store: Store,
    vendor: VendorContext,
    *payloads: dict[str, Any],
    ids: list[str] | None = None,
) -> list[RecordOutcome]:
    items = [
        Incoming(ext, json.dumps(p), p)
        for ext, p in zip(
            ids or [f"s{i}" for i in range(len(payloads))], payloads, strict=True
        )
    ]
    with store.write() as conn:
        return ingest(conn, vendor, "test", items, adapter_lookup=dict_adapter)


def _align(store: Store, activity: str, competency: str, **kw: Any) -> int:
    return align(store, [NewAlignment(activity, competency, **kw)]).evidence


def _count(store: Store, table: Any) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_aligned_payload_becomes_evidence_and_is_kept_verbatim(
    store: Store, vendor: VendorContext
) -> None:
    seed_competencies(store, [(C1, None)])
    _align(store, QUIZ, C1, kind="quiz")
    [out] = _ingest(store, vendor, make_payload(score=0.75, name="Ada"))
    assert out.stored and out.status == "processed" and out.evidence == 1
    with store.read() as conn:
        ev = conn.execute(select(evidence)).one()
        raw = conn.execute(select(raw_records)).one()
        learner = conn.execute(select(learners)).one()
    assert (ev.shared_id, ev.competency_id, ev.score, ev.kind, ev.weight) == (
        C1,
        C1,
        0.75,
        "quiz",
        1.0,
    )
    assert ev.learner_id == learner.id and learner.status == "provisional"
    assert learner.display_name == "Ada"
    assert json.loads(raw.body) == make_payload(score=0.75, name="Ada")
    assert ev.observed_at.isoformat() == "2026-11-01T10:00:00+00:00"


def test_a_retried_payload_changes_nothing(store: Store, vendor: VendorContext) -> None:
    seed_competencies(store, [(C1, None)])
    _align(store, QUIZ, C1)
    _ingest(store, vendor, make_payload())
    before = evidence_snapshot(store)
    [again] = _ingest(store, vendor, make_payload())
    assert not again.stored and again.same_body
    [changed] = _ingest(store, vendor, make_payload(score=0.1))
    assert not changed.stored and not changed.same_body  # the LRS answers 409 for this
    assert evidence_snapshot(store) == before
    assert _count(store, raw_records) == 1


def test_unaligned_activity_waits_in_the_inbox_until_aligned(
    store: Store, vendor: VendorContext
) -> None:
    seed_competencies(store, [(C1, None)])
    outs = _ingest(
        store,
        vendor,
        make_payload(),
        make_payload(learner=[["email", "bo@school.test"]]),
    )
    assert [o.status for o in outs] == ["unaligned", "unaligned"]
    [entry] = unaligned_inbox(store)
    assert (entry.vendor, entry.activity_id, entry.observations) == ("acme", QUIZ, 2)
    assert _align(store, QUIZ, C1) == 2
    assert unaligned_inbox(store) == []
    with store.read() as conn:
        assert {r.status for r in conn.execute(select(raw_records.c.status))} == {
            "processed"
        }


def test_unscored_activity_data_is_kept_but_never_waits_for_alignment(
    store: Store, vendor: VendorContext
) -> None:
    [out] = _ingest(store, vendor, make_payload(score=None))
    assert out.status == "processed" and out.evidence == 0
    assert _count(store, observations) == 1
    assert unaligned_inbox(store) == []


def test_pattern_alignments(store: Store, vendor: VendorContext) -> None:
    seed_competencies(store, [(C1, None), (C2, None)])
    _align(store, "https://vendor.test/quiz/", C1, match="prefix")
    _align(store, "https://vendor.test/*/7", C2, match="glob", vendor_id=vendor.id)
    outs = _ingest(
        store,
        vendor,
        make_payload(activity="https://vendor.test/quiz/3"),
        make_payload(activity="https://vendor.test/lab/7"),
        make_payload(activity="https://other.test/quiz/3"),
    )
    assert [o.evidence for o in outs] == [1, 1, 0]


def test_trusted_hints_align_without_a_rule(
    store: Store, vendor: VendorContext
) -> None:
    seed_competencies(store, [(C1, None)])
    [by_uri, by_id, unknown] = _ingest(
        store,
        vendor,
        make_payload(hints=[f"https://case.test/{C1}"]),
        make_payload(hints=[C1.upper()], activity="https://vendor.test/q2"),
        make_payload(
            hints=["https://case.test/nothing"], activity="https://vendor.test/q3"
        ),
    )
    assert (by_uri.evidence, by_id.evidence, unknown.status) == (1, 1, "unaligned")
    untrusting = VendorContext(vendor.id, vendor.name, "test", None, trust_hints=False)
    [ignored] = _ingest(store, untrusting, make_payload(hints=[C1]), ids=["other"])
    assert ignored.status == "unaligned"


def test_crosswalked_competencies_share_one_evidence_row(
    store: Store, vendor: VendorContext
) -> None:
    seed_competencies(store, [(C1, None), (C2, C1)])  # C2 exactMatchOf C1
    _align(store, QUIZ, C1)
    _align(store, QUIZ, C2)
    [out] = _ingest(store, vendor, make_payload())
    assert out.evidence == 1
    with store.read() as conn:
        assert conn.execute(select(evidence.c.shared_id)).scalars().all() == [C1]


def test_a_crosswalk_found_later_moves_evidence_to_the_shared_id(
    store: Store, vendor: VendorContext
) -> None:
    from sqlalchemy import update

    from gateway.store.tables import competencies

    seed_competencies(store, [(C1, None), (C2, None)])
    _align(store, QUIZ, C2)
    _ingest(store, vendor, make_payload())
    with store.write() as conn:
        conn.execute(
            update(competencies).where(competencies.c.id == C2).values(shared_id=C1)
        )
    assert apply_crosswalk_changes(store, [C2]) == 1
    with store.read() as conn:
        assert conn.execute(
            select(evidence.c.shared_id, evidence.c.competency_id)
        ).all() == [(C1, C2)]


def test_unusable_scores_are_kept_as_rejected_with_the_reason(
    store: Store, vendor: VendorContext
) -> None:
    [out] = _ingest(
        store, vendor, make_payload(reject="score.raw 140 is above score.max 100")
    )
    assert (
        out.status == "rejected"
        and out.detail == "score.raw 140 is above score.max 100"
    )
    with store.read() as conn:
        raw = conn.execute(select(raw_records)).one()
    assert raw.status == "rejected" and "140" in raw.status_detail
    assert _count(store, observations) == 0


def test_an_adapter_bug_keeps_the_payload_marked(
    store: Store, vendor: VendorContext
) -> None:
    payload = make_payload()
    del payload["learner"]  # DictAdapter raises KeyError
    [out] = _ingest(store, vendor, payload)
    assert out.stored and out.status == "rejected"
    assert (
        out.detail is not None and "KeyError" in out.detail and "replay" in out.detail
    )
    assert _count(store, raw_records) == 1


def test_voiding_retracts_evidence_whichever_arrives_first(
    store: Store, vendor: VendorContext
) -> None:
    seed_competencies(store, [(C1, None)])
    _align(store, QUIZ, C1)
    _ingest(store, vendor, make_payload(), ids=["target"])
    assert _count(store, evidence) == 1
    [void] = _ingest(store, vendor, {"voids": "target"}, ids=["void"])
    assert void.status == "processed"
    assert _count(store, evidence) == 0
    with store.read() as conn:
        statuses = dict(
            conn.execute(select(raw_records.c.external_id, raw_records.c.status)).all()
        )
    assert statuses == {"target": "voided", "void": "processed"}

    _ingest(store, vendor, {"voids": "late"}, ids=["void2"])
    [late] = _ingest(store, vendor, make_payload(), ids=["late"])
    assert late.status == "voided" and late.evidence == 0
    assert _count(store, evidence) == 0


def test_identifiers_given_together_join_one_learner(
    store: Store, vendor: VendorContext
) -> None:
    seed_competencies(store, [(C1, None)])
    _align(store, QUIZ, C1)
    _ingest(
        store,
        vendor,
        make_payload(learner=[["email", "ada@school.test"]]),
        make_payload(learner=[["sis", "S-1"], ["email", "ada@school.test"]]),
        make_payload(learner=[["sis", "S-1"]]),
        ids=["a", "b", "c"],
    )
    with store.read() as conn:
        assert (
            conn.execute(
                select(func.count(func.distinct(evidence.c.learner_id)))
            ).scalar()
            == 1
        )
        assert _count(store, learners) == 1


def test_merge_moves_evidence_and_equals_a_fresh_replay(
    store: Store, vendor: VendorContext
) -> None:
    seed_competencies(store, [(C1, None)])
    _align(store, QUIZ, C1)
    _ingest(
        store,
        vendor,
        make_payload(learner=[["email", "ada@school.test"]]),
        make_payload(learner=[["sis", "S-1"]], score=0.4),
        ids=["a", "b"],
    )
    with store.read() as conn:
        ids = sorted(conn.execute(select(learners.c.id)).scalars())
    assert len(ids) == 2
    result = merge_learners(store, ids[1], ids[0])
    assert result.evidence == 1 and result.identifiers == 1
    merged = evidence_snapshot(store)
    assert len({row[1] for row in merged}) == 1
    replay(store, adapter_lookup=dict_adapter)
    assert evidence_snapshot(store) == merged
    with pytest.raises(Conflict):
        merge_learners(store, ids[1], ids[0])
    with pytest.raises(NotFound):
        merge_learners(store, "nobody", ids[0])


def test_replay_is_idempotent_and_reports_progress(
    store: Store, vendor: VendorContext
) -> None:
    seed_competencies(store, [(C1, None)])
    _align(store, QUIZ, C1)
    _ingest(store, vendor, *[make_payload(score=i / 10) for i in range(7)])
    before = evidence_snapshot(store)
    seen: list[tuple[int, int]] = []
    result = replay(
        store,
        batch_size=3,
        progress=lambda d, t: seen.append((d, t)),
        adapter_lookup=dict_adapter,
    )
    assert result.records == 7 and result.evidence == 7
    assert seen == [(3, 7), (6, 7), (7, 7)]
    assert evidence_snapshot(store) == before


# --- replay == incremental, whatever happens in between -----------------------------------

_step = st.one_of(
    st.tuples(
        st.just("ingest"),
        st.sampled_from(["a@x.test", "b@x.test", "c@x.test"]),
        st.sampled_from(["q1", "q2", "q3"]),
        st.floats(0, 1, allow_nan=False),
    ),
    st.tuples(
        st.just("align"),
        st.sampled_from(["q1", "q2", "q3"]),
        st.sampled_from([C1, C2, C3]),
    ),
    st.tuples(st.just("void"), st.integers(0, 20)),
    st.tuples(
        st.just("merge"),
    ),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(_step, min_size=1, max_size=15))
def test_replay_equals_incremental(store: Store, steps: list[tuple[Any, ...]]) -> None:
    clear_intake(store)
    from gateway.store.tables import competencies

    with store.read() as conn:
        have = conn.execute(select(competencies.c.id)).first()
    if have is None:
        seed_competencies(store, [(C1, None), (C2, C1), (C3, None)])
        add_vendor(store, "prop")
    from gateway.vendors import get_vendor

    v = get_vendor(store, "prop")
    ctx = VendorContext(v.id, v.name, "test", None)
    n = 0
    for step in steps:
        if step[0] == "ingest":
            _, who, act, score = step
            _ingest(
                store,
                ctx,
                make_payload(
                    learner=[["email", who]],
                    activity=f"https://v.test/{act}",
                    score=score,
                ),
                ids=[f"s{n}"],
            )
            n += 1
        elif step[0] == "align":
            _align(store, f"https://v.test/{step[1]}", step[2])
        elif step[0] == "void":
            _ingest(store, ctx, {"voids": f"s{step[1]}"}, ids=[f"v{n}"])
            n += 1
        else:
            with store.read() as conn:
                ids = sorted(
                    conn.execute(
                        select(learners.c.id).where(learners.c.status != "merged")
                    ).scalars()
                )
            if len(ids) >= 2:
                merge_learners(store, ids[1], ids[0])
    incremental = evidence_snapshot(store)
    replay(store, batch_size=4, adapter_lookup=dict_adapter)
    assert evidence_snapshot(store) == incremental


def test_a_trusted_link_merges_learners_a_vendor_kept_apart(
    store: Store, vendor: VendorContext
) -> None:
    from gateway.intake.identity import link_identifiers
    from gateway.intake.model import LearnerRef

    seed_competencies(store, [(C1, None)])
    _align(store, QUIZ, C1)
    _ingest(
        store,
        vendor,
        make_payload(learner=[["email", "ada@school.test"]]),
        make_payload(learner=[["xapi_account", "https://lms.test|ada"]], score=0.3),
        ids=["a", "b"],
    )
    assert _count(store, learners) == 2
    refs = [
        LearnerRef("lti", "https://lms.test|sub-1"),
        LearnerRef("email", "ada@school.test"),
        LearnerRef("xapi_account", "https://lms.test|ada"),
    ]
    kept = link_identifiers(store, refs, display_name="Ada Lovelace")
    with store.read() as conn:
        assert set(conn.execute(select(evidence.c.learner_id)).scalars()) == {kept}
        row = conn.execute(select(learners).where(learners.c.id == kept)).one()
    assert (row.status, row.display_name) == ("active", "Ada Lovelace")
    linked = evidence_snapshot(store)
    assert link_identifiers(store, refs) == kept  # linking again changes nothing
    replay(store, adapter_lookup=dict_adapter)
    assert evidence_snapshot(store) == linked


def test_cached_identities_follow_a_merge(store: Store, vendor: VendorContext) -> None:
    seed_competencies(store, [(C1, None)])
    _align(store, QUIZ, C1)
    ada, bo = [["email", "ada@school.test"]], [["email", "bo@school.test"]]
    _ingest(
        store,
        vendor,
        make_payload(learner=ada),
        make_payload(learner=bo),
        ids=["a", "b"],
    )
    _ingest(
        store, vendor, make_payload(learner=ada), ids=["a2"]
    )  # now cached: ada -> A
    with store.read() as conn:
        ids = dict(
            conn.execute(
                select(raw_records.c.external_id, evidence.c.learner_id).join(
                    evidence, evidence.c.raw_record_id == raw_records.c.id
                )
            ).all()
        )
    merge_learners(store, ids["a"], ids["b"])
    _ingest(store, vendor, make_payload(learner=ada), ids=["a3"])
    with store.read() as conn:
        learner = conn.execute(
            select(evidence.c.learner_id)
            .join(raw_records, evidence.c.raw_record_id == raw_records.c.id)
            .where(raw_records.c.external_id == "a3")
        ).scalar_one()
    assert learner == ids["b"]


def test_cached_rules_follow_a_removed_alignment(
    store: Store, vendor: VendorContext
) -> None:
    from gateway.intake.service import remove_alignment

    seed_competencies(store, [(C1, None)])
    rule = align(store, [NewAlignment(QUIZ, C1)]).rules[0]
    [first] = _ingest(store, vendor, make_payload(), ids=["1"])
    assert first.evidence == 1
    remove_alignment(store, rule.id)
    [second] = _ingest(store, vendor, make_payload(), ids=["2"])
    assert (second.status, second.evidence) == ("unaligned", 0)
