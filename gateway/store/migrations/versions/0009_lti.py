"""LTI 1.3: registrations, deployments, logins, launches, context services, line items.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "lti_registrations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("auth_login_url", sa.Text(), nullable=False),
        sa.Column("auth_token_url", sa.Text(), nullable=False),
        sa.Column("token_audience", sa.Text(), nullable=True),
        sa.Column("jwks_url", sa.Text(), nullable=False),
        sa.Column("deployment_policy", sa.String(16), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_registrations")),
    )
    op.create_index(
        "ix_lti_registrations_issuer_client",
        "lti_registrations",
        ["issuer", "client_id"],
        unique=True,
    )
    op.create_table(
        "lti_deployments",
        sa.Column("registration_id", sa.String(36), nullable=False),
        sa.Column("deployment_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("last_launch_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["lti_registrations.id"],
            name=op.f("fk_lti_deployments_registration_id_lti_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "registration_id", "deployment_id", name=op.f("pk_lti_deployments")
        ),
    )
    op.create_table(
        "lti_logins",
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("registration_id", sa.String(36), nullable=False),
        sa.Column("target_link_uri", sa.Text(), nullable=False),
        sa.Column("binding_sha256", sa.String(64), nullable=True),
        sa.Column("login_params", sa.JSON(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("used_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["lti_registrations.id"],
            name=op.f("fk_lti_logins_registration_id_lti_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_lti_logins")),
    )
    op.create_index("ix_lti_logins_expires", "lti_logins", ["expires_at"])
    op.create_table(
        "lti_launches",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("registration_id", sa.String(36), nullable=False),
        sa.Column("deployment_id", sa.String(255), nullable=False),
        sa.Column("message_type", sa.String(64), nullable=False),
        sa.Column("sub", sa.String(255), nullable=True),
        sa.Column("learner_id", sa.String(36), nullable=True),
        sa.Column("context_id", sa.String(36), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_launches")),
    )
    op.create_index("ix_lti_launches_expires", "lti_launches", ["expires_at"])
    op.create_table(
        "lti_context_services",
        sa.Column("context_id", sa.String(36), nullable=False),
        sa.Column("registration_id", sa.String(36), nullable=False),
        sa.Column("memberships_url", sa.Text(), nullable=True),
        sa.Column("lineitems_url", sa.Text(), nullable=True),
        sa.Column("ags_scopes", sa.JSON(), nullable=False),
        sa.Column("roster_synced_at", _AT, nullable=True),
        sa.Column("updated_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["context_id"],
            ["contexts.id"],
            name=op.f("fk_lti_context_services_context_id_contexts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("context_id", name=op.f("pk_lti_context_services")),
    )
    op.create_table(
        "lti_line_items",
        sa.Column("context_id", sa.String(36), nullable=False),
        sa.Column("resource_id", sa.String(255), nullable=False),
        sa.Column("tag", sa.String(255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["context_id"],
            ["contexts.id"],
            name=op.f("fk_lti_line_items_context_id_contexts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "context_id", "resource_id", "tag", name=op.f("pk_lti_line_items")
        ),
    )


def downgrade() -> None:
    op.drop_table("lti_line_items")
    op.drop_table("lti_context_services")
    op.drop_index("ix_lti_launches_expires", table_name="lti_launches")
    op.drop_table("lti_launches")
    op.drop_index("ix_lti_logins_expires", table_name="lti_logins")
    op.drop_table("lti_logins")
    op.drop_table("lti_deployments")
    op.drop_index("ix_lti_registrations_issuer_client", table_name="lti_registrations")
    op.drop_table("lti_registrations")
