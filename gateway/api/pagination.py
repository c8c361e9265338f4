"""Keyset pagination for list endpoints: ``limit`` and an opaque ``cursor``.

A list operation declared with ``paginated=True`` receives a :class:`PageRequest` and returns a
:class:`Page`; clients see ``{"items": [...], "next_cursor": "..."}`` and pass ``next_cursor``
back as ``?cursor=`` until it is ``null``. The cursor wraps the sort key of the last item shown,
so pages stay stable while rows are added or removed (unlike offsets).

The service does the work in SQL: it reads ``limit + 1`` rows after ``page.after`` in key order,
and :func:`page_of` cuts the extra row off and turns it into the next cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from gateway.errors import InvalidPayload

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_CURSOR_VERSION = 1

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which page a client asked for: at most ``limit`` items whose key sorts after ``after``."""

    limit: int = DEFAULT_LIMIT
    after: str | None = None

    @property
    def fetch(self) -> int:
        """How many rows a service should read: one more than shown, to know if more follow."""
        return self.limit + 1


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list, ready to render."""

    items: list[Any]
    next_cursor: str | None

    def to_json(self) -> dict[str, Any]:
        """The response body of a list endpoint."""
        return {"items": self.items, "next_cursor": self.next_cursor}


def encode_cursor(after: str) -> str:
    """The opaque cursor for "items after this key"."""
    raw = json.dumps({"v": _CURSOR_VERSION, "after": after}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The key a cursor from :func:`encode_cursor` wraps, or :class:`InvalidPayload`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if data.get("v") != _CURSOR_VERSION or not isinstance(data.get("after"), str):
            raise ValueError(cursor)
        after: str = data["after"]
    except (ValueError, binascii.Error, AttributeError):
        raise InvalidPayload(
            "The cursor is not one this API gave out; pass next_cursor from the previous "
            "page unchanged, or leave cursor out to start from the beginning."
        ) from None
    return after


def page_of(
    rows: Sequence[T],
    request: PageRequest,
    key: Callable[[T], str],
    render: Callable[[T], Any],
) -> Page:
    """A page from up to ``request.fetch`` rows read in key order after ``request.after``."""
    shown = list(rows[: request.limit])
    more = len(rows) > request.limit
    return Page(
        items=[render(r) for r in shown],
        next_cursor=encode_cursor(key(shown[-1])) if more and shown else None,
    )
