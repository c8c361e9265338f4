"""Learner records: issued credentials (Open Badges 3.0, CLR 2.0) and status lists.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "issued_credentials",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("learner_id", sa.String(36), nullable=False),
        sa.Column("shared_id", sa.String(64), nullable=True),
        sa.Column("level", sa.String(32), nullable=True),
        sa.Column("scope", sa.String(120), nullable=True),
        sa.Column("members", sa.JSON(), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("jwt", sa.Text(), nullable=False),
        sa.Column("status_list", sa.Integer(), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("issued_at", _AT, nullable=False),
        sa.Column("revoked_at", _AT, nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_credentials")),
    )
    op.create_index(
        "ix_issued_credentials_learner",
        "issued_credentials",
        ["learner_id", "shared_id"],
    )
    op.create_index(
        "uq_issued_credentials_status",
        "issued_credentials",
        ["status_list", "status_index"],
        unique=True,
    )
    op.create_table(
        "status_lists",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("next_index", sa.Integer(), nullable=False),
        sa.Column("bits", sa.LargeBinary(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_lists")),
    )


def downgrade() -> None:
    op.drop_table("status_lists")
    op.drop_index("uq_issued_credentials_status", table_name="issued_credentials")
    op.drop_index("ix_issued_credentials_learner", table_name="issued_credentials")
    op.drop_table("issued_credentials")
