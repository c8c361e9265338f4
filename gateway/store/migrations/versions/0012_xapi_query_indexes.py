"""Statement pages in ``stored`` order, read from indexes that end with (stored, seq).

A GET returns the newest (or, ``ascending``, the oldest) matches first, ordered by ``stored``
with ``seq`` breaking ties. With both at the end of each filter's index (and of the vendor's,
and alone for time ranges) the database reads a page's rows in order and stops at its end,
instead of fetching every match, or skipping half the store, before sorting.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_HAS_REGISTRATION = sa.text("registration IS NOT NULL")
_IN_ORDER = ["stored", "seq"]
# name -> (columns before, columns after): the registration index is partial.
_CHANGED = {
    "stored": (["stored"], _IN_ORDER),
    "vendor": (["vendor_id", "seq"], ["vendor_id", *_IN_ORDER]),
    "activity": (["activity_id"], ["activity_id", *_IN_ORDER]),
    "verb": (["verb_id"], ["verb_id", *_IN_ORDER]),
    "registration": (["registration"], ["registration", *_IN_ORDER]),
}


def _recreate(name: str, columns: list[str]) -> None:
    index = f"ix_xapi_statements_{name}"
    op.drop_index(index, table_name="xapi_statements")
    where = _HAS_REGISTRATION if name == "registration" else None
    op.create_index(
        index, "xapi_statements", columns, sqlite_where=where, postgresql_where=where
    )


def upgrade() -> None:
    for name, (_, after) in _CHANGED.items():
        _recreate(name, after)


def downgrade() -> None:
    for name, (before, _) in _CHANGED.items():
        _recreate(name, before)
