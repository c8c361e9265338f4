"""Statement queries read their filter's index in storage order: (verb, seq), (activity, seq).

A GET with a verb, activity or registration filter returns the newest (or oldest) matches
first; with ``seq`` in the index the database reads them in that order and stops at the
page's end, instead of fetching every match and sorting it.

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


def upgrade() -> None:
    for name, column in (("activity", "activity_id"), ("verb", "verb_id")):
        op.drop_index(f"ix_xapi_statements_{name}", table_name="xapi_statements")
        op.create_index(
            f"ix_xapi_statements_{name}", "xapi_statements", [column, "seq"]
        )
    op.drop_index("ix_xapi_statements_registration", table_name="xapi_statements")
    op.create_index(
        "ix_xapi_statements_registration",
        "xapi_statements",
        ["registration", "seq"],
        sqlite_where=_HAS_REGISTRATION,
        postgresql_where=_HAS_REGISTRATION,
    )


def downgrade() -> None:
    for name, column in (("activity", "activity_id"), ("verb", "verb_id")):
        op.drop_index(f"ix_xapi_statements_{name}", table_name="xapi_statements")
        op.create_index(f"ix_xapi_statements_{name}", "xapi_statements", [column])
    op.drop_index("ix_xapi_statements_registration", table_name="xapi_statements")
    op.create_index(
        "ix_xapi_statements_registration",
        "xapi_statements",
        ["registration"],
        sqlite_where=_HAS_REGISTRATION,
        postgresql_where=_HAS_REGISTRATION,
    )
