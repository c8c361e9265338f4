"""The xAPI document resources: State, Activity Profile and Agent Profile documents.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "xapi_documents",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("vendor_id", sa.String(length=36), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column("agent_key", sa.Text(), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_xapi_documents")),
    )
    op.create_index(
        "ix_xapi_documents_key",
        "xapi_documents",
        [
            "kind",
            "vendor_id",
            "activity_id",
            "agent_key",
            "registration",
            "document_id",
        ],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("xapi_documents")
