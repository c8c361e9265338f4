"""Agreement statistics and the equity cells, checked against worked examples by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateway.mastery.equity import ALL, MIN_GROUP, cells
from gateway.mastery.moderation import agreement, sampled


def test_kappa_of_the_textbook_two_by_two_table() -> None:
    # 50 pieces: both "yes" 20, A yes/B no 5, A no/B yes 10, both "no" 15.
    pairs = [(1, 1)] * 20 + [(1, 0)] * 5 + [(0, 1)] * 10 + [(0, 0)] * 15
    stats = agreement(pairs, levels=2)
    # p_o = 35/50 = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7-0.5)/(1-0.5) = 0.4
    assert stats.pairs == 50 and stats.exact == pytest.approx(0.7)
    assert stats.kappa == pytest.approx(0.4)
    assert stats.adjacent == 1.0  # two levels: every pair is within one
    assert stats.weighted_kappa == pytest.approx(0.4)  # two levels: the same as plain


def test_kappa_and_its_linear_weighting_on_a_five_level_scale() -> None:
    # Five levels (0..4). Raters agree twice, miss by one twice and by three once.
    pairs = [(3, 3), (2, 2), (3, 2), (1, 2), (4, 1)]
    stats = agreement(pairs, levels=5)
    assert stats.exact == pytest.approx(0.4) and stats.adjacent == pytest.approx(0.8)
    # By hand: p_o = 2/5; first = {3:2, 2:1, 1:1, 4:1}, second = {3:1, 2:3, 1:1}
    # p_e = (2*1 + 1*3 + 1*1) / 25 = 6/25; kappa = (0.4 - 0.24) / 0.76
    assert stats.kappa == pytest.approx(0.16 / 0.76)
    # Linear weights 1 - |i-j|/4: p_o(w) = (1 + 1 + .75 + .75 + .25) / 5 = 0.75; summing
    # first[i] * second[j] * w(i, j) over the margins gives 18.25 / 25 = 0.73 by chance.
    assert stats.weighted_kappa == pytest.approx(0.02 / 0.27)


def test_perfect_and_degenerate_agreement() -> None:
    assert agreement([(0, 0), (1, 1), (2, 2)], levels=3).kappa == pytest.approx(1.0)
    # Both raters always say the same one level: chance agreement is total, kappa undefined.
    same = agreement([(2, 2)] * 4, levels=5)
    assert same.exact == 1.0 and same.kappa is None
    assert agreement([], levels=5).pairs == 0


def test_sampling_is_by_id_and_about_the_share() -> None:
    ids = [f"e{i}" for i in range(2000)]
    chosen = [i for i in ids if sampled(i, 0.2)]
    assert 300 < len(chosen) < 500  # about 20%
    assert chosen == [i for i in ids if sampled(i, 0.2)]  # the same every time
    assert set(chosen) <= {
        i for i in ids if sampled(i, 0.5)
    }  # a bigger share keeps them


def test_equity_cells_suppress_small_groups_and_measure_days() -> None:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    members = {f"l{i}": ({"EL"} if i < 9 else {"grade:7"}) for i in range(20)}
    decisions = {
        f"l{i}": ("proficient", start + timedelta(days=i)) for i in range(0, 20, 2)
    } | {f"l{i}": ("not_yet", start) for i in range(1, 20, 2)}
    first = {f"l{i}": start for i in range(20)}
    out = {c.group: c.to_json() for c in cells(members, decisions, first)}
    assert out[ALL]["learners"] == 20 and out[ALL]["not_yet_proficient"] == 0.5
    # Proficient learners took 0, 2, ..., 18 days: the median is 9.
    assert out[ALL]["median_days_to_mastery"] == 9.0
    assert out["EL"] == {
        "group": "EL",
        "suppressed": True,
        "learners": f"fewer than {MIN_GROUP}",
    }
    assert out["grade:7"]["learners"] == 11 and out["grade:7"]["suppressed"] is False
    # A learner with no decision counts as not yet proficient.
    out = {c.group: c.to_json() for c in cells(members, {}, {})}
    assert (
        out[ALL]["not_yet_proficient"] == 1.0
        and out[ALL]["median_days_to_mastery"] is None
    )
