"""xAPI attachment data, stored once per SHA-2 hash.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xapi_attachments",
        sa.Column("sha2", sa.String(length=128), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha2", name=op.f("pk_xapi_attachments")),
    )


def downgrade() -> None:
    op.drop_table("xapi_attachments")
