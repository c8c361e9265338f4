"""Moderation (a second, blind rating of sampled teacher scores) and learner groups.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "moderation",
        sa.Column("evidence_id", sa.String(36), nullable=False),
        sa.Column("learner_id", sa.String(36), nullable=False),
        sa.Column("shared_id", sa.String(64), nullable=False),
        sa.Column("first_rater", sa.String(200), nullable=False),
        sa.Column("first_level", sa.String(32), nullable=False),
        sa.Column("sampled_at", _AT, nullable=False),
        sa.Column("sampled_by", sa.String(200), nullable=False),
        sa.Column("second_rater", sa.String(200), nullable=True),
        sa.Column("second_level", sa.String(32), nullable=True),
        sa.Column("second_note", sa.Text(), nullable=True),
        sa.Column("rated_at", _AT, nullable=True),
        sa.PrimaryKeyConstraint("evidence_id", name=op.f("pk_moderation")),
    )
    op.create_index(op.f("ix_moderation_shared_id"), "moderation", ["shared_id"])
    op.create_table(
        "learner_groups",
        sa.Column("learner_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("learner_id", "name", name=op.f("pk_learner_groups")),
    )
    op.create_index("ix_learner_groups_name", "learner_groups", ["name"])


def downgrade() -> None:
    op.drop_index("ix_learner_groups_name", table_name="learner_groups")
    op.drop_table("learner_groups")
    op.drop_index(op.f("ix_moderation_shared_id"), table_name="moderation")
    op.drop_table("moderation")
