"""The rate limit's rule (GCRA) and the in-process limiter, on a fake clock."""

from __future__ import annotations

import pytest

from gateway.errors import TooManyRequests
from gateway.ratelimit import MemoryLimiter, check, gcra, make_limiter
from gateway.settings import load_settings


def test_gcra_allows_a_burst_then_one_per_interval() -> None:
    tat = None
    for _ in range(3):  # burst 3 at t=0
        tat, wait = gcra(tat, 0.0, rate=2.0, burst=3)
        assert tat is not None and wait == 0
    refused, wait = gcra(tat, 0.0, rate=2.0, burst=3)
    assert refused is None and wait == pytest.approx(0.5)
    later, wait = gcra(tat, 0.5, rate=2.0, burst=3)  # one interval on: one more
    assert later is not None and wait == 0
    # A long pause refills the burst, but never beyond it.
    tat = later
    for _ in range(3):
        tat, wait = gcra(tat, 100.0, rate=2.0, burst=3)
        assert wait == 0
    assert gcra(tat, 100.0, rate=2.0, burst=3)[0] is None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_limiter_counts_each_key_on_its_own() -> None:
    clock = Clock()
    limiter = MemoryLimiter(rate=1.0, burst=2, clock=clock)
    assert [limiter.hit("a") for _ in range(2)] == [0, 0]
    assert limiter.hit("a") == pytest.approx(1.0)
    assert limiter.hit("b") == 0  # another credential has its own budget
    assert limiter.hit("a") == pytest.approx(1.0)  # refused requests cost nothing
    clock.now += 1.0
    assert limiter.hit("a") == 0


def test_check_raises_429_with_a_whole_retry_after() -> None:
    limiter = MemoryLimiter(rate=10.0, burst=1, clock=Clock())
    check(limiter, "k", "Vendor 'acme'")
    with pytest.raises(TooManyRequests) as refused:
        check(limiter, "k", "Vendor 'acme'")
    assert refused.value.status == 429
    assert refused.value.headers == {"Retry-After": "1"}  # 0.1 s rounds up to 1
    assert "Vendor 'acme'" in refused.value.detail
    check(None, "k", "anyone")  # no limiter: no limit


def test_settings_choose_the_limiter() -> None:
    assert make_limiter(load_settings({}, {"rate_limit_per_second": 0})) is None
    limiter = make_limiter(load_settings({}))
    assert isinstance(limiter, MemoryLimiter)
    assert (limiter.rate, limiter.burst) == (100, 200)  # the documented defaults
