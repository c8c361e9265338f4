"""Shared by the standard adapters: score normalization, timestamps, learner refs, hints.

Score normalization, in order (the payload's own scale wins over the vendor's settings):

1. ``scaled`` (xAPI ``result.score.scaled``) is used as is. xAPI allows −1..1 (xAPI 1.0.3 Data
   2.4.5.1); a negative value is not evidence of anything, so it is clamped to 0 (xapi.md §12)
   or rejected when the vendor sets ``score.negative = "reject"``.
2. ``raw`` with both bounds: ``(raw − min) / (max − min)``; with only ``max``, ``min`` is the
   vendor's ``score.points_min`` (0 by default). ``raw`` must lie within the bounds.
3. ``raw`` alone is scaled by ``score.scale``: ``percent`` (0..100), ``points`` (within
   ``points_min..points_max``), ``scaled`` (already 0..1); with ``auto`` a bare raw score has
   no scale, so the observation keeps ``raw_score`` and ``score`` is ``None`` until one is set.
4. No number: a level label maps through ``score.levels``; with ``score.scale = "pass_fail"``
   success maps to ``pass_value`` / ``fail_value``.

Anything that cannot be a 0..1 score raises :class:`AdapterRejected` with a sentence.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from adapters.inbound.settings import ScoreSettings, VendorSettings, apply_rewrites
from gateway.intake.model import AdapterRejected, LearnerRef


@dataclass(frozen=True, slots=True)
class NormalizedScore:
    """A score on 0..1 (or ``None``) with the raw figures it came from."""

    score: float | None
    raw: float | None = None
    min: float | None = None
    max: float | None = None
    level_label: str | None = None


def as_number(value: Any, name: str) -> float | None:
    """``value`` as a finite float; ``None`` stays ``None``; anything else is rejected."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AdapterRejected(f"The {name} {value!r} is not a number.")
    if not math.isfinite(value):
        raise AdapterRejected(f"The {name} {value!r} is not a finite number.")
    return float(value)


def _fmt(value: float) -> str:
    return f"{value:g}"


def normalize_score(
    settings: ScoreSettings,
    *,
    scaled: float | None = None,
    raw: float | None = None,
    min_score: float | None = None,
    max_score: float | None = None,
    level_label: str | None = None,
    success: bool | None = None,
) -> NormalizedScore:
    """The 0..1 score of a payload's figures under the vendor's scale (see module doc)."""
    if min_score is not None and max_score is not None and min_score >= max_score:
        raise AdapterRejected(
            f"The score's min ({_fmt(min_score)}) must be less than its max "
            f"({_fmt(max_score)})."
        )
    if raw is not None:
        if min_score is not None and raw < min_score:
            raise AdapterRejected(
                f"The raw score {_fmt(raw)} is below its min {_fmt(min_score)}."
            )
        if max_score is not None and raw > max_score:
            raise AdapterRejected(
                f"The raw score {_fmt(raw)} is above its max {_fmt(max_score)}."
            )

    value: float | None = None
    if scaled is not None:
        # xAPI 1.0.3 Data 2.4.5.1: scaled is a decimal from -1 to 1.
        if not -1.0 <= scaled <= 1.0:
            raise AdapterRejected(
                f"The scaled score {_fmt(scaled)} is outside -1..1 (xAPI Data 2.4.5.1)."
            )
        if scaled < 0:
            if settings.negative == "reject":
                raise AdapterRejected(
                    f"The scaled score {_fmt(scaled)} is negative, which cannot be evidence."
                )
            scaled = 0.0
        value = scaled
    elif raw is not None and max_score is not None:
        low = min_score if min_score is not None else settings.points_min
        if raw < low or low >= max_score:
            raise AdapterRejected(
                f"The raw score {_fmt(raw)} does not fit the range {_fmt(low)}.."
                f"{_fmt(max_score)}."
            )
        value = (raw - low) / (max_score - low)
    elif raw is not None:
        value = _scale_bare_raw(settings, raw)

    if value is None and level_label is not None and settings.levels:
        value = settings.level_value(level_label)
        if value is None:
            raise AdapterRejected(
                f"The level {level_label!r} is not one of the vendor's levels: "
                + ", ".join(repr(name) for name, _ in settings.levels)
                + "."
            )
    if value is None and settings.scale == "pass_fail" and success is not None:
        value = settings.pass_value if success else settings.fail_value
    if value is not None:
        value = min(1.0, max(0.0, value))  # guards float rounding only
    return NormalizedScore(value, raw, min_score, max_score, level_label)


def _scale_bare_raw(settings: ScoreSettings, raw: float) -> float | None:
    scale = settings.scale
    if scale == "percent":
        if not 0.0 <= raw <= 100.0:
            raise AdapterRejected(
                f"The score {_fmt(raw)} is outside 0..100, the vendor's percent scale."
            )
        return raw / 100.0
    if scale == "points":
        if settings.points_max is None:
            return None
        low, high = settings.points_min, settings.points_max
        if not low <= raw <= high:
            raise AdapterRejected(
                f"The score {_fmt(raw)} is outside {_fmt(low)}..{_fmt(high)}, "
                "the vendor's points scale."
            )
        return (raw - low) / (high - low)
    if scale == "scaled":
        if not 0.0 <= raw <= 1.0:
            raise AdapterRejected(
                f"The score {_fmt(raw)} is outside 0..1, the vendor's scaled scale."
            )
        return raw
    # auto, levels, pass_fail: a bare number has no scale we know of.
    return None


def parse_timestamp(value: Any, name: str = "timestamp") -> datetime | None:
    """An ISO 8601 / RFC 3339 instant as an aware UTC datetime (``Z`` and offsets accepted).

    A timestamp without an offset is read as UTC (xAPI 2.0 stores UTC); ``None`` stays ``None``.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise AdapterRejected(f"The {name} {value!r} is not an ISO 8601 date and time.")
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise AdapterRejected(
            f"The {name} {value!r} is not an ISO 8601 date and time."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def email_refs(mbox: str) -> list[LearnerRef]:
    """``email`` and ``mbox_sha1sum`` refs of a ``mailto:`` IRI (xAPI Data 2.4.2.3).

    The SHA-1 is of the IRI exactly as sent, as the spec defines ``mbox_sha1sum``; the email is
    lower-cased so that the same address matches however it was typed.
    """
    address = mbox[len("mailto:") :] if mbox.lower().startswith("mailto:") else mbox
    digest = hashlib.sha1(mbox.encode("utf-8"), usedforsecurity=False).hexdigest()
    return [
        LearnerRef("email", address.strip().lower()),
        LearnerRef("mbox_sha1sum", digest),
    ]


def identity_ref(settings: VendorSettings, value: str | None) -> LearnerRef | None:
    """The extra ref the vendor's identity rule makes of ``value`` (sis or vendor kind)."""
    rule = settings.learner.identity
    if rule is None or not value:
        return None
    found = rule.extract(value)
    if not found:
        return None
    if rule.kind == "vendor":
        return LearnerRef("vendor", f"{settings.vendor_name}|{found}")
    return LearnerRef(rule.kind, found)


def finish_refs(
    settings: VendorSettings, refs: Iterable[LearnerRef]
) -> tuple[LearnerRef, ...]:
    """``refs`` rewritten by the vendor's learner rules, without duplicates or blanks."""
    out: list[LearnerRef] = []
    for ref in refs:
        value = apply_rewrites(settings.learner.rewrite, ref.value, ref.kind)
        done = LearnerRef(ref.kind, value)
        if value and done not in out:
            out.append(done)
    return tuple(out)


def _hint_values(value: Any) -> list[str]:
    """Strings in an extension value: a string, an object's id/uri/identifier, or a list."""
    found: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping):
            item = item.get("id") or item.get("uri") or item.get("identifier")
        if isinstance(item, str) and item.strip():
            found.append(item.strip())
    return found


def extension_hints(settings: VendorSettings, *extensions: Any) -> list[str]:
    """Competency hints in extension maps.

    Every value under one of the vendor's ``hints.extension_keys`` counts; under any other key,
    only values that look like CASE item URIs (``HintSettings.is_case_uri``).
    """
    found: list[str] = []
    keys = settings.hints.extension_keys
    for ext in extensions:
        if not isinstance(ext, Mapping):
            continue
        for key in keys:
            found.extend(_hint_values(ext.get(key)))
        for key, value in ext.items():
            if key not in keys:
                found.extend(
                    v for v in _hint_values(value) if settings.hints.is_case_uri(v)
                )
    return found


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """``values`` without duplicates, in first-seen order."""
    return tuple(dict.fromkeys(values))
