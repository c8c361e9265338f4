"""The pure core of mastery: policies against their products' worked examples, scales, rules,
configuration checks, and the fold (incremental equals whole)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.errors import InvalidPayload
from gateway.mastery import engine
from gateway.mastery.config import check_layer, merge
from gateway.mastery.policies import (
    Average,
    DecayingAverage,
    Highest,
    KnowledgeTracing,
    Mode,
    MostRecent,
    NTimes,
    WeightedAverage,
    apply,
    parse_policy,
)
from gateway.mastery.rules import Rules, cap_index, evaluate, tally_start, tally_step
from gateway.mastery.scales import DEFAULT_SCALE, parse_scale

S = DEFAULT_SCALE


# --- Policies: the worked example of standards/mastery.md (scores 1, 2, 3, 4; M = 3). ------


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (WeightedAverage(0.65), 3.30),
        (DecayingAverage(0.65), 3.48),
        (Average(), 2.50),
        (Highest(), 4),
        (MostRecent(), 4),
        (NTimes(2), 3.50),
        (NTimes(3), None),
    ],
)
def test_worked_example_1_2_3_4(policy: object, expected: float | None) -> None:
    value = apply(policy, [1, 2, 3, 4], S)  # type: ignore[arg-type]
    assert (None if value is None else round(value, 2)) == expected


def test_canvas_legacy_weighted_average_of_1_to_5_is_4_13() -> None:
    # canvas-lms spec for rollup_score: 5*0.65 + mean(1..4)*0.35 = 4.125 -> 4.13
    scale = parse_scale(
        [
            {"code": "l1", "label": "1", "points": 1},
            {"code": "l3", "label": "3", "points": 3, "mastery": True},
            {"code": "l5", "label": "5", "points": 5},
        ]
    )
    value = apply(WeightedAverage(0.65), [1, 2, 3, 4, 5], scale)
    assert value == pytest.approx(4.125)
    assert round(value + 1e-9, 2) == 4.13


def test_decaying_average_recursion_by_hand() -> None:
    # d1 = 1; d2 = .35*1 + .65*2 = 1.65; d3 = .35*1.65 + .65*3 = 2.5275; d4 = 3.484625
    assert apply(DecayingAverage(0.65), [1, 2], S) == pytest.approx(1.65)
    assert apply(DecayingAverage(0.65), [1, 2, 3], S) == pytest.approx(2.5275)
    assert apply(DecayingAverage(0.65), [1, 2, 3, 4], S) == pytest.approx(3.484625)
    assert apply(DecayingAverage(0.75), [4, 2], S) == pytest.approx(2.5)


def test_single_score_is_itself_for_every_average() -> None:
    for policy in (WeightedAverage(), DecayingAverage(), Average(), MostRecent(3)):
        assert apply(policy, [2.5], S) == 2.5


def test_most_recent_n_is_the_mean_of_the_last_n() -> None:
    assert apply(MostRecent(2), [1, 4, 2], S) == 3.0


def test_average_weights_and_skips_formative_weight_zero() -> None:
    state = Average().start()
    for points, weight in ((4, 1.0), (1, 0.0), (2, 3.0)):
        state = Average().step(state, points, weight, S)
    assert Average().score(state, S) == pytest.approx((4 + 6) / 4)


def test_mode_is_the_most_common_level_and_a_tie_goes_to_the_most_recent() -> None:
    assert apply(Mode(), [3, 3, 2, 4], S) == 3
    assert apply(Mode(), [2, 3, 3, 2], S) == 2  # 2 and 3 twice each; 2 seen last
    assert apply(Mode(), [3.2, 3.1, 1], S) == 3  # scores count by the level they reach


def test_n_times_needs_n_scores_at_mastery_even_with_many_others() -> None:
    assert apply(NTimes(2), [2.9, 2.9, 2.9, 3], S) is None
    assert apply(NTimes(2), [2.9, 3, 4], S) == 3.5


def test_bkt_updates_as_corbett_and_anderson() -> None:
    bkt = KnowledgeTracing(prior=0.3, learn=0.1, guess=0.2, slip=0.1)
    # correct: P(L|c) = .3*.9 / (.3*.9 + .7*.2) = .27/.41; then + (1-that)*.1
    post = 0.27 / 0.41
    expected = post + (1 - post) * 0.1
    state = bkt.step(bkt.start(), 3, 1.0, S)
    assert state == pytest.approx(expected)
    # wrong: P(L|w) = p*.1 / (p*.1 + (1-p)*.8)
    post2 = expected * 0.1 / (expected * 0.1 + (1 - expected) * 0.8)
    state2 = bkt.step(state, 1, 1.0, S)
    assert state2 == pytest.approx(post2 + (1 - post2) * 0.1)
    assert bkt.estimate(state2) == pytest.approx(state2)


def test_bkt_reaches_mastery_only_past_its_threshold() -> None:
    bkt = KnowledgeTracing()
    state = bkt.start()
    levels = []
    for _ in range(6):
        state = bkt.step(state, 4, 1.0, S)
        levels.append(bkt.level_index(state, S))
    assert levels[0] is not None and levels[0] < S.mastery_index
    assert levels[-1] == S.mastery_index
    assert state >= 0.95


# --- Scales. -------------------------------------------------------------------------------


def test_default_scale_is_canvas_4_plus_1() -> None:
    assert [(lv.code, lv.points) for lv in S.levels] == [
        ("none", 0),
        ("below", 1),
        ("near", 2),
        ("mastery", 3),
        ("exceeds", 4),
    ]
    assert S.mastery.label == "Mastery" and S.mastery_points == 3 and S.top_points == 4


@pytest.mark.parametrize(
    ("points", "code"),
    [
        (4, "exceeds"),
        (3.48, "mastery"),
        (3, "mastery"),
        (2.995, "mastery"),
        (2.5, "near"),
    ],
)
def test_a_score_reaches_the_highest_level_whose_cut_point_it_meets(
    points: float, code: str
) -> None:
    assert S.levels[S.level_index_for(points)].code == code


@pytest.mark.parametrize(
    ("levels", "field"),
    [
        (
            [
                {"code": "a", "label": "A", "points": 2},
                {"code": "b", "label": "B", "points": 1, "mastery": True},
            ],
            "scale[1].points must be greater",
        ),
        (
            [
                {"code": "a", "label": "A", "points": 1, "min_fraction": 0.6},
                {"code": "b", "label": "B", "points": 2, "min_fraction": 0.5},
                {"code": "c", "label": "C", "points": 3, "mastery": True},
            ],
            "scale[1].min_fraction must be greater",
        ),
        (
            [
                {"code": "a", "label": "A", "points": 1},
                {"code": "b", "label": "B", "points": 2},
            ],
            'exactly one level must be marked "mastery"',
        ),
        ([{"code": "a", "label": "A", "points": 1}], "at least two levels"),
    ],
)
def test_bad_scales_are_refused_naming_the_field(
    levels: list[dict[str, object]], field: str
) -> None:
    with pytest.raises(
        InvalidPayload, match=field.replace("[", r"\[").replace("]", r"\]")
    ):
        parse_scale(levels)


# --- Policy and configuration checks. -----------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        (
            {"name": "decaying_average", "weight": 0.4},
            "policy.weight must be a number from 0.5",
        ),
        ({"name": "decaying_average", "weight": 1.2}, "policy.weight"),
        ({"name": "n_times", "n": 11}, "policy.n must be a whole number from 1 to 10"),
        ({"name": "n_times", "n": 2.5}, "policy.n must be a whole number"),
        ({"name": "median_of_medians"}, "policy.name must be one of"),
        (
            {"name": "highest", "weight": 0.5},
            "policy.weight is not a parameter of highest",
        ),
        ({"name": "bkt", "guess": 0.5, "slip": 0.5}, "guess \\+ slip"),
    ],
)
def test_invalid_policies_name_the_field(
    policy: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidPayload, match=message):
        parse_policy(policy)


def test_unknown_evidence_kind_in_rules_is_refused() -> None:
    with pytest.raises(
        InvalidPayload,
        match="rules.required_kinds names an unknown evidence kind 'essay'",
    ):
        merge([("rules", {"rules": {"required_kinds": ["essay"]}})])


def test_rules_naming_a_level_the_scale_lacks_are_refused() -> None:
    with pytest.raises(InvalidPayload, match="auto_cap must be a level code"):
        merge([("framework", {"rules": {"auto_cap": "proficient"}})])


def test_layers_merge_rules_key_by_key_and_replace_the_rest() -> None:
    config = merge(
        [
            ("default", {"rules": {"min_evidence": 5}, "policy": {"name": "highest"}}),
            ("framework", {"rules": {"min_sources": 1}}),
            ("competency", {"policy": {"name": "n_times", "n": 3}}),
        ]
    )
    assert config.rules.min_evidence == 5 and config.rules.min_sources == 1
    assert config.policy.label() == "n_times(n=3)"
    assert merge([]).version != config.version


def test_a_layer_with_an_unknown_part_is_refused() -> None:
    with pytest.raises(InvalidPayload, match="unknown part"):
        check_layer({"policies": {}})


# --- Rules. -------------------------------------------------------------------------------


def _tally(*pieces: tuple[str, str, int | None]) -> list[object]:
    t = tally_start()
    for source, kind, dok in pieces:
        t = tally_step(t, source, kind, dok)
    return t


def _held(rules: Rules, tally: list[object], level: int) -> list[str]:
    outcomes = evaluate(rules, S, tally)
    return [
        o.message
        for o in outcomes
        if not o.met and o.caps_at is not None and level > o.caps_at
    ]


def test_practice_alone_never_reaches_mastery() -> None:
    tally = _tally(("v1", "practice", 1), ("v2", "practice", 1), ("v1", "practice", 2))
    assert S.levels[cap_index(Rules(), S, tally)].code == "near"
    held = _held(Rules(), tally, 4)
    assert "needs a performance task or assessment for Mastery" in held
    assert any("auto-scored practice alone" in m for m in held)


def test_count_and_sources_hold_back_until_met() -> None:
    one_source = _tally(("v1", "assessment", 2), ("v1", "quiz", 2), ("v1", "quiz", 2))
    assert _held(Rules(), one_source, 3) == [
        "needs evidence from 2 different sources for Mastery (has 1)"
    ]
    enough = _tally(
        ("v1", "assessment", 2), ("teacher", "performance_task", 3), ("v1", "quiz", 1)
    )
    assert _held(Rules(), enough, 4) == []
    assert cap_index(Rules(), S, enough) == 4


def test_dok_floor_for_the_top_level() -> None:
    rules = Rules(min_dok=3)
    shallow = _tally(
        ("a", "performance_task", 2), ("b", "assessment", 2), ("a", "quiz", 1)
    )
    assert _held(rules, shallow, 4) == [
        "needs evidence at depth of knowledge 3 or deeper for Exceeds Mastery"
    ]
    assert _held(rules, shallow, 3) == []  # Mastery itself is not held back by it


# --- The fold: one step at a time equals the whole sequence, for every policy. ------------

_POLICIES = [
    {"name": "decaying_average", "weight": 0.65},
    {"name": "weighted_average", "weight": 0.7},
    {"name": "n_times", "n": 2},
    {"name": "highest"},
    {"name": "most_recent", "count": 3},
    {"name": "average"},
    {"name": "mode"},
    {"name": "bkt"},
]


@given(
    scores=st.lists(st.floats(0, 1), min_size=1, max_size=30),
    policy=st.sampled_from(_POLICIES),
    split=st.integers(0, 30),
)
def test_resuming_a_stored_fold_equals_folding_everything(
    scores: list[float], policy: dict[str, object], split: int
) -> None:
    config = merge([("default", {"policy": policy})])
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rng = random.Random(len(scores))  # noqa: S311 - test data, not secrets
    pieces = [
        engine.Piece(
            f"e{i:03d}",
            base + timedelta(hours=i),
            base + timedelta(hours=i),
            s,
            1.0,
            rng.choice(["practice", "quiz", "assessment", "performance_task"]),
            rng.choice([None, 1, 2, 3]),
            rng.choice(["v1", "v2", "teacher"]),
        )
        for i, s in enumerate(scores)
    ]
    whole = engine.fold_all(config, pieces)
    k = min(split, len(pieces))
    first = engine.fold_all(config, pieces[:k])
    # What the engine stores and restores between transactions is JSON.
    import json

    state = json.loads(json.dumps(first.to_json(S.top_points)))
    last = first.last
    resumed = engine.Fold.from_json(
        state,
        first.count,
        None if last is None else last[0],
        None if last is None else last[2],
    )
    for piece in pieces[k:]:
        engine.step(config, resumed, piece)
    assert resumed.to_json(4) == whole.to_json(4)
    assert engine.decide(config, resumed) == engine.decide(config, whole)


def test_the_default_practice_cap_is_the_level_below_mastery_on_any_scale() -> None:
    scale = [
        {"code": "none", "label": "Not started", "points": 0},
        {"code": "secure", "label": "Secure", "points": 1, "mastery": True},
        {"code": "beyond", "label": "Beyond", "points": 2},
    ]
    config = merge([("framework", {"scale": scale})])
    assert config.rules.auto_cap == "none"
    assert merge([]).rules.auto_cap == "near"
