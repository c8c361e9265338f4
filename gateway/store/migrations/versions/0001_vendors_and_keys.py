"""Vendors with hashed credentials, and signing keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vendors",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("adapter", sa.String(64), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_vendors"),
    )
    removed_is_null = sa.text("removed_at IS NULL")
    op.create_index(
        "uq_vendors_name_active",
        "vendors",
        ["name"],
        unique=True,
        sqlite_where=removed_is_null,
        postgresql_where=removed_is_null,
    )
    op.create_table(
        "vendor_credentials",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("vendor_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["vendors.id"],
            name="fk_vendor_credentials_vendor_id_vendors",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_vendor_credentials"),
        sa.UniqueConstraint("key", name="uq_vendor_credentials_key"),
    )
    op.create_index(
        "ix_vendor_credentials_vendor_id", "vendor_credentials", ["vendor_id"]
    )
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("alg", sa.String(16), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid", name="pk_signing_keys"),
    )
    op.create_index(
        "ix_signing_keys_purpose", "signing_keys", ["purpose", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_signing_keys_purpose", table_name="signing_keys")
    op.drop_table("signing_keys")
    op.drop_index("ix_vendor_credentials_vendor_id", table_name="vendor_credentials")
    op.drop_table("vendor_credentials")
    op.drop_index("uq_vendors_name_active", table_name="vendors")
    op.drop_table("vendors")
