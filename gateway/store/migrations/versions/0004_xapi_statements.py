"""The xAPI Learning Record Store: statements and the agents and activities they mention.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xapi_statements",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vendor_id", sa.String(length=36), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verb_id", sa.Text(), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=True),
        sa.Column("actor_key", sa.Text(), nullable=True),
        sa.Column("registration", sa.String(length=36), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("voids", sa.String(length=36), nullable=True),
        sa.Column("ref_target", sa.String(length=36), nullable=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_xapi_statements")),
        sa.UniqueConstraint("id", name=op.f("uq_xapi_statements_id")),
    )
    op.create_index(
        op.f("ix_xapi_statements_stored"), "xapi_statements", ["stored"], unique=False
    )
    op.create_index(
        "ix_xapi_statements_vendor", "xapi_statements", ["vendor_id", "seq"]
    )
    op.create_index("ix_xapi_statements_activity", "xapi_statements", ["activity_id"])
    op.create_index("ix_xapi_statements_verb", "xapi_statements", ["verb_id"])
    op.create_index("ix_xapi_statements_actor", "xapi_statements", ["actor_key"])
    op.create_index(
        "ix_xapi_statements_registration",
        "xapi_statements",
        ["registration"],
        sqlite_where=sa.text("registration IS NOT NULL"),
        postgresql_where=sa.text("registration IS NOT NULL"),
    )
    op.create_index(
        "ix_xapi_statements_voids",
        "xapi_statements",
        ["voids"],
        sqlite_where=sa.text("voids IS NOT NULL"),
        postgresql_where=sa.text("voids IS NOT NULL"),
    )
    op.create_index(
        "ix_xapi_statements_ref_target",
        "xapi_statements",
        ["ref_target"],
        sqlite_where=sa.text("ref_target IS NOT NULL"),
        postgresql_where=sa.text("ref_target IS NOT NULL"),
    )
    op.create_table(
        "xapi_statement_refs",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint(
            "key", "kind", "statement_id", name=op.f("pk_xapi_statement_refs")
        ),
    )


def downgrade() -> None:
    op.drop_table("xapi_statement_refs")
    op.drop_table("xapi_statements")
