"""Date-times as credentials write them: XML Schema ``dateTimeStamp`` in UTC, whole seconds."""

from __future__ import annotations

from datetime import UTC, datetime


def xsd_datetime(moment: datetime) -> str:
    """``2026-11-22T08:30:00Z`` (VCDM 2.0 section 4.9 wants a time zone; UTC is written Z)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to a credential")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_xsd_datetime(text: str) -> datetime:
    """An aware datetime from a credential's date-time; :class:`ValueError` if malformed."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment.astimezone(UTC)
