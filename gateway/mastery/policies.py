"""Calculation policies: how a learner's scores on one competency become one value. Pure.

Every policy is a fold over the scores, oldest first, in scale points: ``start()`` gives the
empty state, ``step(state, points, weight)`` takes one score in, ``score(state)`` reads the
value out. The state is plain JSON, so the engine keeps it with the decision and folds one new
score in O(1); a full recompute runs the same steps over the same scores and so gives the
same floats, bit for bit. ``apply`` runs the whole fold, for tests and explanations.

The formulas are those of the products teachers know (standards/mastery.md):

- ``decaying_average``  d1 = s1; dk = (1-w)·d(k-1) + w·sk (Canvas standard_decaying_average,
  MasteryConnect, Otus); w in 0.5..0.99, default 0.65
- ``weighted_average``  s1 when alone, else w·sn + (1-w)·mean(s1..s(n-1)) (Canvas's older
  "decaying average"); w in 0.01..0.99, default 0.65
- ``n_times``           mean of the scores at or above mastery once there are n of them, else
  no score (Canvas n_mastery); n in 1..10
- ``highest``, ``most_recent`` (mean of the last ``count``), ``average`` (weighted by the
  evidence weight; weight 0 is formative and not counted), ``mode`` (the most common level,
  ties to the most recent)
- ``bkt``               Bayesian knowledge tracing with prior, learn, guess and slip: each score
  at or above mastery is a correct answer; the estimate P(learned) is reported and the level
  is the mastery level once it reaches ``threshold``
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from gateway.errors import InvalidPayload
from gateway.mastery.scales import Scale

State = Any  # JSON: a number, a list or None


class Policy(Protocol):
    """A calculation policy (see the module's docstring)."""

    name: ClassVar[str]

    def start(self) -> State:
        """The state before any score."""

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        """The state after one more score (``points`` on the scale, evidence ``weight``)."""

    def score(self, state: State, scale: Scale) -> float | None:
        """The policy's value in scale points, or None when it gives none."""

    def level_index(self, state: State, scale: Scale) -> int | None:
        """The level the value reaches (None: no level yet)."""

    def estimate(self, state: State) -> float | None:
        """A probability reported next to the level (knowledge tracing), or None."""

    def label(self) -> str:
        """Name and parameters, e.g. ``decaying_average(weight=0.65)``."""

    def params(self) -> dict[str, Any]:
        """The parameters as configuration JSON."""


class _Base:
    name: ClassVar[str] = ""

    def score(self, state: State, scale: Scale) -> float | None:
        raise NotImplementedError

    def level_index(self, state: State, scale: Scale) -> int | None:
        value = self.score(state, scale)
        return None if value is None else scale.level_index_for(value)

    def estimate(self, state: State) -> float | None:
        return None

    def params(self) -> dict[str, Any]:
        return {}

    def label(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.params().items())
        return f"{self.name}({args})"


@dataclass(frozen=True)
class DecayingAverage(_Base):
    """Recursive decaying average (Canvas standard_decaying_average)."""

    name: ClassVar[str] = "decaying_average"
    weight: float = 0.65

    def start(self) -> State:
        return None

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        if state is None:
            return points
        return (1 - self.weight) * state + self.weight * points

    def score(self, state: State, scale: Scale) -> float | None:
        return None if state is None else float(state)

    def params(self) -> dict[str, Any]:
        return {"weight": self.weight}


@dataclass(frozen=True)
class WeightedAverage(_Base):
    """The newest score against the mean of the earlier ones (Canvas's older method)."""

    name: ClassVar[str] = "weighted_average"
    weight: float = 0.65

    def start(self) -> State:
        return [0.0, 0, None]  # sum of the earlier scores, how many, the latest

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        total, count, latest = state
        if latest is not None:
            total, count = total + latest, count + 1
        return [total, count, points]

    def score(self, state: State, scale: Scale) -> float | None:
        total, count, latest = state
        if latest is None:
            return None
        if count == 0:
            return float(latest)
        return float(self.weight * latest + (1 - self.weight) * (total / count))

    def params(self) -> dict[str, Any]:
        return {"weight": self.weight}


@dataclass(frozen=True)
class NTimes(_Base):
    """Mean of the scores at or above mastery, once there are n of them (Canvas n_mastery)."""

    name: ClassVar[str] = "n_times"
    n: int = 2

    def start(self) -> State:
        return [0, 0.0]  # scores at or above mastery, their sum

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        count, total = state
        if round(points, 2) >= scale.mastery_points:
            return [count + 1, total + points]
        return state

    def score(self, state: State, scale: Scale) -> float | None:
        count, total = state
        return total / count if count >= self.n else None

    def params(self) -> dict[str, Any]:
        return {"n": self.n}


@dataclass(frozen=True)
class Highest(_Base):
    """The highest score."""

    name: ClassVar[str] = "highest"

    def start(self) -> State:
        return None

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        return points if state is None or points > state else state

    def score(self, state: State, scale: Scale) -> float | None:
        return None if state is None else float(state)


@dataclass(frozen=True)
class MostRecent(_Base):
    """The mean of the most recent ``count`` scores."""

    name: ClassVar[str] = "most_recent"
    count: int = 1

    def start(self) -> State:
        return []

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        return [*state, points][-self.count :]

    def score(self, state: State, scale: Scale) -> float | None:
        if not state:
            return None
        total = 0.0
        for value in state:
            total += value
        return total / len(state)

    def params(self) -> dict[str, Any]:
        return {"count": self.count}


@dataclass(frozen=True)
class Average(_Base):
    """The mean, weighted by each piece's weight (weight 0: formative, not counted)."""

    name: ClassVar[str] = "average"

    def start(self) -> State:
        return [0.0, 0.0]  # sum of weight·score, sum of weights

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        if weight <= 0:  # formative: shown, not counted
            return state
        return [state[0] + weight * points, state[1] + weight]

    def score(self, state: State, scale: Scale) -> float | None:
        return state[0] / state[1] if state[1] > 0 else None


@dataclass(frozen=True)
class Mode(_Base):
    """The most common level; a tie goes to the level seen most recently."""

    name: ClassVar[str] = "mode"

    def start(self) -> State:
        return [
            [],
            [],
            0,
        ]  # count per level index, when each was last seen, scores seen

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        counts, seen, n = state
        size = len(scale.levels)
        counts = counts + [0] * (size - len(counts))
        seen = seen + [-1] * (size - len(seen))
        i = scale.level_index_for(points)
        counts[i] += 1
        seen[i] = n
        return [counts, seen, n + 1]

    def level_index(self, state: State, scale: Scale) -> int | None:
        counts, seen, _ = state
        if not counts or max(counts) == 0:
            return None
        best = max(range(len(counts)), key=lambda i: (counts[i], seen[i]))
        return min(best, len(scale.levels) - 1)

    def score(self, state: State, scale: Scale) -> float | None:
        i = self.level_index(state, scale)
        return None if i is None else scale.levels[i].points


@dataclass(frozen=True)
class KnowledgeTracing(_Base):
    """Bayesian knowledge tracing (Corbett & Anderson), one skill, no forgetting."""

    name: ClassVar[str] = "bkt"
    prior: float = 0.3
    learn: float = 0.1
    guess: float = 0.2
    slip: float = 0.1
    threshold: float = 0.95

    def start(self) -> State:
        return None  # P(learned) before the first answer is the prior

    def step(self, state: State, points: float, weight: float, scale: Scale) -> State:
        p = self.prior if state is None else state
        if round(points, 2) >= scale.mastery_points:
            known = p * (1 - self.slip)
            posterior = known / (known + (1 - p) * self.guess)
        else:
            known = p * self.slip
            posterior = known / (known + (1 - p) * (1 - self.guess))
        return posterior + (1 - posterior) * self.learn

    def estimate(self, state: State) -> float | None:
        return None if state is None else float(state)

    def level_index(self, state: State, scale: Scale) -> int | None:
        if state is None:
            return None
        if state >= self.threshold:
            return scale.mastery_index
        # Below the threshold: the highest level under mastery whose cut point P reaches.
        return min(scale.by_fraction(state), scale.mastery_index - 1)

    def score(self, state: State, scale: Scale) -> float | None:
        i = self.level_index(state, scale)
        return None if i is None else scale.levels[i].points

    def params(self) -> dict[str, Any]:
        return {
            "prior": self.prior,
            "learn": self.learn,
            "guess": self.guess,
            "slip": self.slip,
            "threshold": self.threshold,
        }


@dataclass(frozen=True)
class _Param:
    kind: type
    low: float
    high: float
    default: float | int
    meaning: str = ""


@dataclass(frozen=True)
class _Spec:
    make: Callable[..., Policy]
    params: Mapping[str, _Param] = field(default_factory=dict)


_PROBABILITY = (0.0, 1.0)
POLICIES: dict[str, _Spec] = {
    "decaying_average": _Spec(
        DecayingAverage,
        {"weight": _Param(float, 0.5, 0.99, 0.65, "the newest score's share")},
    ),
    "weighted_average": _Spec(
        WeightedAverage,
        {"weight": _Param(float, 0.01, 0.99, 0.65, "the newest score's share")},
    ),
    "n_times": _Spec(NTimes, {"n": _Param(int, 1, 10, 2, "scores at mastery needed")}),
    "highest": _Spec(Highest),
    "most_recent": _Spec(
        MostRecent, {"count": _Param(int, 1, 10, 1, "recent scores averaged")}
    ),
    "average": _Spec(Average),
    "mode": _Spec(Mode),
    "bkt": _Spec(
        KnowledgeTracing,
        {
            "prior": _Param(float, *_PROBABILITY, 0.3),
            "learn": _Param(float, *_PROBABILITY, 0.1),
            "guess": _Param(float, 0.0, 0.5, 0.2),
            "slip": _Param(float, 0.0, 0.5, 0.1),
            "threshold": _Param(float, 0.5, 1.0, 0.95),
        },
    ),
}


def parse_policy(value: Any, field_name: str = "policy") -> Policy:
    """A policy from configuration: ``{"name": ..., <params>}``, or a sentence naming the field."""
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, Mapping):
        raise InvalidPayload(
            f"{field_name} must be an object such as "
            '{"name": "decaying_average", "weight": 0.65}.'
        )
    name = value.get("name")
    spec = POLICIES.get(name) if isinstance(name, str) else None
    if spec is None:
        raise InvalidPayload(
            f"{field_name}.name must be one of {', '.join(sorted(POLICIES))} (got {name!r})."
        )
    args: dict[str, Any] = {}
    for key, raw in value.items():
        if key == "name":
            continue
        param = spec.params.get(key)
        if param is None:
            known = ", ".join(sorted(spec.params)) or "no parameters"
            raise InvalidPayload(
                f"{field_name}.{key} is not a parameter of {name} (it takes {known})."
            )
        ok = isinstance(raw, int | float) and not isinstance(raw, bool)
        if ok and param.kind is int:
            ok = float(raw).is_integer()
        if not ok or not param.low <= raw <= param.high:
            kind = "a whole number" if param.kind is int else "a number"
            raise InvalidPayload(
                f"{field_name}.{key} must be {kind} from {param.low:g} to {param.high:g} "
                f"(got {raw!r})."
            )
        args[key] = param.kind(raw)
    if spec.make is KnowledgeTracing:
        guess, slip = args.get("guess", 0.2), args.get("slip", 0.1)
        if guess + slip >= 1:
            raise InvalidPayload(
                f"{field_name}: guess + slip must stay below 1, or a right answer would say "
                "nothing about learning."
            )
    return spec.make(**args)


DEFAULT_POLICY: Policy = DecayingAverage()


def apply(policy: Policy, points: Iterable[float], scale: Scale) -> float | None:
    """The policy's value over ``points`` (oldest first, weight 1): the worked-example form."""
    state = policy.start()
    for p in points:
        state = policy.step(state, p, 1.0, scale)
    return policy.score(state, scale)
