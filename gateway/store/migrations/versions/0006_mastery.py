"""Mastery: classes and rosters, CASE rubrics, configuration, decisions, overrides, audit
log, outbox.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "contexts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contexts")),
    )
    op.create_index(
        "ix_contexts_source_key", "contexts", ["source", "key"], unique=True
    )
    op.create_table(
        "context_members",
        sa.Column("context_id", sa.String(36), nullable=False),
        sa.Column("learner_id", sa.String(36), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("is_learner", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["context_id"],
            ["contexts.id"],
            name=op.f("fk_context_members_context_id_contexts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_context_members_learner_id_learners"),
        ),
        sa.PrimaryKeyConstraint(
            "context_id", "learner_id", name=op.f("pk_context_members")
        ),
    )
    op.create_index("ix_context_members_learner", "context_members", ["learner_id"])
    op.create_table(
        "competency_rubrics",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("framework_id", sa.String(64), nullable=False),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("rubric", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_competency_rubrics_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_rubrics")),
    )
    op.create_index(
        "ix_competency_rubrics_framework_id", "competency_rubrics", ["framework_id"]
    )
    op.create_table(
        "mastery_configs",
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("scope", "target", name=op.f("pk_mastery_configs")),
    )
    op.create_table(
        "mastery",
        sa.Column("learner_id", sa.String(36), nullable=False),
        sa.Column("shared_id", sa.String(64), nullable=False),
        sa.Column("level", sa.String(32), nullable=True),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("computed_level", sa.String(32), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("estimate", sa.Float(), nullable=True),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("status_since", _AT, nullable=True),
        sa.Column("evidence_count", sa.Integer(), nullable=False),
        sa.Column("last_observed_at", _AT, nullable=True),
        sa.Column("last_evidence_id", sa.String(36), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("policy", sa.String(120), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("override_id", sa.String(36), nullable=True),
        sa.Column("override_stale", sa.Boolean(), nullable=False),
        sa.Column("config_version", sa.String(32), nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("learner_id", "shared_id", name=op.f("pk_mastery")),
    )
    op.create_index("ix_mastery_shared_status", "mastery", ["shared_id", "status"])
    op.create_table(
        "mastery_overrides",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("learner_id", sa.String(36), nullable=False),
        sa.Column("shared_id", sa.String(64), nullable=False),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=True),
        sa.Column("lifted_at", _AT, nullable=True),
        sa.Column("lifted_by", sa.String(200), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mastery_overrides")),
    )
    op.create_index(
        "ix_mastery_overrides_key", "mastery_overrides", ["learner_id", "shared_id"]
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", _SEQ, autoincrement=True, nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])
    op.create_table(
        "outbox",
        sa.Column("seq", _SEQ, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    op.create_index("ix_outbox_subject", "outbox", ["subject", "seq"])


def downgrade() -> None:
    for name in (
        "outbox",
        "audit_log",
        "mastery_overrides",
        "mastery",
        "mastery_configs",
        "competency_rubrics",
        "context_members",
        "contexts",
    ):
        op.drop_table(name)
