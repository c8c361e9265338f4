"""The evidence pipeline: CASE frameworks, admin tokens, raw records, learners, alignments,
observations and evidence.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:11:21.038733
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_tokens")),
        sa.UniqueConstraint("key", name=op.f("uq_admin_tokens_key")),
    )
    op.create_table(
        "frameworks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("creator", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("version", sa.String(length=200), nullable=True),
        sa.Column("case_version", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=32), nullable=True),
        sa.Column("adoption_status", sa.String(length=64), nullable=True),
        sa.Column(
            "last_change",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("competency_item_types", sa.JSON(), nullable=True),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column(
            "imported_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frameworks")),
    )
    op.create_table(
        "learners",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("merged_into", sa.String(length=36), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["merged_into"],
            ["learners.id"],
            name=op.f("fk_learners_merged_into_learners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learners")),
    )
    op.create_table(
        "competencies",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("framework_id", sa.String(length=64), nullable=False),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("human_coding_scheme", sa.String(length=200), nullable=True),
        sa.Column("full_statement", sa.Text(), nullable=False),
        sa.Column("abbreviated_statement", sa.Text(), nullable=True),
        sa.Column("item_type", sa.String(length=200), nullable=True),
        sa.Column("education_level", sa.JSON(), nullable=True),
        sa.Column("list_enumeration", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=32), nullable=True),
        sa.Column(
            "last_change",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("shared_id", sa.String(length=64), nullable=False),
        sa.Column("is_competency", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("replaced_by", sa.String(length=64), nullable=True),
        sa.Column("item", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_competencies_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competencies")),
    )
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competencies_framework_id"), ["framework_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_competencies_human_coding_scheme"),
            ["human_coding_scheme"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_competencies_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_competencies_shared_id"), ["shared_id"], unique=False
        )
        batch_op.create_index("ix_competencies_uri", ["uri"], unique=False)

    op.create_table(
        "competency_associations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("framework_id", sa.String(length=64), nullable=False),
        sa.Column("association_type", sa.String(length=100), nullable=False),
        sa.Column("origin_id", sa.String(length=200), nullable=False),
        sa.Column("origin_uri", sa.Text(), nullable=True),
        sa.Column("destination_id", sa.String(length=200), nullable=False),
        sa.Column("destination_uri", sa.Text(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column(
            "last_change",
            sa.DateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("association", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_competency_associations_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_associations")),
    )
    with op.batch_alter_table("competency_associations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competency_associations_destination_id"),
            ["destination_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_competency_associations_framework_id"),
            ["framework_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_competency_associations_origin_id"),
            ["origin_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_competency_associations_type",
            ["association_type", "origin_id"],
            unique=False,
        )

    op.create_table(
        "learner_identifiers",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=False),
        sa.Column("learner_id", sa.String(length=36), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_learner_identifiers_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("kind", "value", name=op.f("pk_learner_identifiers")),
    )
    with op.batch_alter_table("learner_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learner_identifiers_learner_id"),
            ["learner_id"],
            unique=False,
        )

    op.create_table(
        "raw_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("protocol", sa.String(length=16), nullable=False),
        sa.Column("vendor_id", sa.String(length=36), nullable=True),
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_detail", sa.Text(), nullable=True),
        sa.Column("voided_by", sa.String(length=255), nullable=True),
        sa.Column("voids", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_raw_records_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raw_records")),
    )
    with op.batch_alter_table("raw_records", schema=None) as batch_op:
        batch_op.create_index("ix_raw_records_received", ["received_at"], unique=False)
        batch_op.create_index(
            "ix_raw_records_status",
            ["status", "received_at"],
            unique=False,
            sqlite_where=sa.text("status != 'processed'"),
            postgresql_where=sa.text("status != 'processed'"),
        )
        batch_op.create_index(
            "ix_raw_records_voids",
            ["voids"],
            unique=False,
            sqlite_where=sa.text("voids IS NOT NULL"),
            postgresql_where=sa.text("voids IS NOT NULL"),
        )

    op.create_table(
        "alignments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vendor_id", sa.String(length=36), nullable=True),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("match", sa.String(length=8), nullable=False),
        sa.Column("competency_id", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("dok", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_alignments_competency_id_competencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.id"], name=op.f("fk_alignments_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignments")),
    )
    with op.batch_alter_table("alignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alignments_activity", ["match", "activity"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_alignments_competency_id"), ["competency_id"], unique=False
        )
        batch_op.create_index(
            "uq_alignments_rule",
            ["vendor_id", "activity", "match", "competency_id"],
            unique=True,
        )

    op.create_table(
        "observations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("raw_record_id", sa.String(length=36), nullable=False),
        sa.Column("vendor_id", sa.String(length=36), nullable=True),
        sa.Column("learner_id", sa.String(length=36), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column(
            "observed_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("raw_score", sa.Float(), nullable=True),
        sa.Column("min_score", sa.Float(), nullable=True),
        sa.Column("max_score", sa.Float(), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=True),
        sa.Column("completion", sa.Boolean(), nullable=True),
        sa.Column("level_label", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("dok", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("hints", sa.JSON(), nullable=False),
        sa.Column("aligned", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_observations_learner_id_learners"),
        ),
        sa.ForeignKeyConstraint(
            ["raw_record_id"],
            ["raw_records.id"],
            name=op.f("fk_observations_raw_record_id_raw_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_observations_inbox",
            ["vendor_id", "activity_id"],
            unique=False,
            sqlite_where=sa.text("aligned = false"),
            postgresql_where=sa.text("aligned = false"),
        )
        batch_op.create_index(
            batch_op.f("ix_observations_learner_id"), ["learner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_observations_raw_record_id"), ["raw_record_id"], unique=False
        )

    op.create_table(
        "evidence",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.Column("raw_record_id", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.String(length=36), nullable=False),
        sa.Column("shared_id", sa.String(length=64), nullable=False),
        sa.Column("competency_id", sa.String(length=64), nullable=False),
        sa.Column("vendor_id", sa.String(length=36), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dok", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column(
            "observed_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_evidence_learner_id_learners"),
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observations.id"],
            name=op.f("fk_evidence_observation_id_observations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(
            "ix_evidence_learner_competency",
            ["learner_id", "shared_id", "observed_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_evidence_observation_id"), ["observation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_observation_id"))
        batch_op.drop_index("ix_evidence_learner_competency")

    op.drop_table("evidence")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_raw_record_id"))
        batch_op.drop_index(batch_op.f("ix_observations_learner_id"))
        batch_op.drop_index("ix_observations_inbox")

    op.drop_table("observations")
    with op.batch_alter_table("alignments", schema=None) as batch_op:
        batch_op.drop_index("uq_alignments_rule")
        batch_op.drop_index(batch_op.f("ix_alignments_competency_id"))
        batch_op.drop_index("ix_alignments_activity")

    op.drop_table("alignments")
    with op.batch_alter_table("raw_records", schema=None) as batch_op:
        batch_op.drop_index("ix_raw_records_voids")
        batch_op.drop_index("ix_raw_records_status")
        batch_op.drop_index("ix_raw_records_received")

    op.drop_table("raw_records")
    with op.batch_alter_table("learner_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_identifiers_learner_id"))

    op.drop_table("learner_identifiers")
    with op.batch_alter_table("competency_associations", schema=None) as batch_op:
        batch_op.drop_index("ix_competency_associations_type")
        batch_op.drop_index(batch_op.f("ix_competency_associations_origin_id"))
        batch_op.drop_index(batch_op.f("ix_competency_associations_framework_id"))
        batch_op.drop_index(batch_op.f("ix_competency_associations_destination_id"))

    op.drop_table("competency_associations")
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.drop_index("ix_competencies_uri")
        batch_op.drop_index(batch_op.f("ix_competencies_shared_id"))
        batch_op.drop_index(batch_op.f("ix_competencies_parent_id"))
        batch_op.drop_index(batch_op.f("ix_competencies_human_coding_scheme"))
        batch_op.drop_index(batch_op.f("ix_competencies_framework_id"))

    op.drop_table("competencies")
    op.drop_table("learners")
    op.drop_table("frameworks")
    op.drop_table("admin_tokens")
