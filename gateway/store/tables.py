"""The tables of Tessera's store, as SQLAlchemy Core.

Each concern's package owns the access to its tables; they are declared here together so that
migrations and tests see one metadata. Every change to this file comes with an Alembic
migration in ``gateway/store/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both SQLite (which has no time zones) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        """Refuse naive datetimes; store aware ones in UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        """Read back an aware UTC datetime (SQLite returns naive ones)."""
        if value is None:
            return None
        return (
            value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        )


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


vendors = Table(
    "vendors",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("adapter", String(64), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("removed_at", UTCDateTime, nullable=True),
)
# A removed vendor keeps its row (raw records point at it) and frees its name.
Index(
    "uq_vendors_name_active",
    vendors.c.name,
    unique=True,
    sqlite_where=vendors.c.removed_at.is_(None),
    postgresql_where=vendors.c.removed_at.is_(None),
)

vendor_credentials = Table(
    "vendor_credentials",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "vendor_id",
        String(36),
        ForeignKey("vendors.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(32), nullable=False),
    # Public half: the Basic user name, or the part of a bearer token before the dot.
    Column("key", String(64), nullable=False, unique=True),
    # SHA-256 of the secret half, hex. Secrets are 256-bit random, so a fast hash is enough.
    Column("secret_sha256", String(64), nullable=False),
    Column("scopes", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("purpose", String(32), nullable=False),
    Column("alg", String(16), nullable=False),
    Column("private_pem", Text, nullable=False),
    Column("public_jwk", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # The newest key of a purpose without retired_at signs; retired keys stay published so
    # that everything they signed still verifies.
    Column("retired_at", UTCDateTime, nullable=True),
)
Index("ix_signing_keys_purpose", signing_keys.c.purpose, signing_keys.c.created_at)


# --- Competencies (CASE). Owned by gateway.competencies. --------------------------------

frameworks = Table(
    "frameworks",
    metadata,
    # CFDocument.identifier, lower-cased: stable across versions of the framework.
    Column("id", String(64), primary_key=True),
    Column("uri", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("creator", Text, nullable=True),
    Column("publisher", Text, nullable=True),
    Column("version", String(200), nullable=True),
    Column("case_version", String(8), nullable=False),  # "1.0" or "1.1"
    Column("language", String(32), nullable=True),
    Column("adoption_status", String(64), nullable=True),
    Column("last_change", UTCDateTime, nullable=True),
    Column("source_url", Text, nullable=True),  # where it was fetched from, if a URL
    # CFItemType values that are assessable competencies; null means every item.
    Column("competency_item_types", JSON, nullable=True),
    Column("document", JSON, nullable=False),  # the CFDocument as received
    Column("imported_at", UTCDateTime, nullable=False),
)

competencies = Table(
    "competencies",
    metadata,
    Column("id", String(64), primary_key=True),  # CFItem.identifier, lower-cased
    Column(
        "framework_id",
        String(64),
        ForeignKey("frameworks.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("uri", Text, nullable=False),
    Column("human_coding_scheme", String(200), nullable=True, index=True),
    Column("full_statement", Text, nullable=False),
    Column("abbreviated_statement", Text, nullable=True),
    Column("item_type", String(200), nullable=True),
    Column("education_level", JSON, nullable=True),
    Column("list_enumeration", String(64), nullable=True),
    Column("language", String(32), nullable=True),
    Column("last_change", UTCDateTime, nullable=True),
    # Hierarchy from isChildOf: null parent means a root under the CFDocument.
    Column("parent_id", String(64), nullable=True, index=True),
    Column("sequence", Integer, nullable=True),
    # Competencies joined by exactMatchOf / isTranslationOf share one id: the smallest
    # member id of the crosswalk component. Evidence and mastery are kept per shared id.
    Column("shared_id", String(64), nullable=False, index=True),
    Column("is_competency", Boolean, nullable=False),  # item type counted as assessable
    Column("status", String(16), nullable=False),  # active | archived
    Column("replaced_by", String(64), nullable=True),
    Column("item", JSON, nullable=False),  # the CFItem as received
)
Index("ix_competencies_uri", competencies.c.uri)

competency_associations = Table(
    "competency_associations",
    metadata,
    Column("id", String(64), primary_key=True),  # CFAssociation.identifier
    Column(
        "framework_id",
        String(64),
        ForeignKey("frameworks.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("association_type", String(100), nullable=False),
    Column("origin_id", String(200), nullable=False, index=True),
    Column("origin_uri", Text, nullable=True),
    Column("destination_id", String(200), nullable=False, index=True),
    Column("destination_uri", Text, nullable=True),
    Column("sequence", Integer, nullable=True),
    Column("last_change", UTCDateTime, nullable=True),
    Column("association", JSON, nullable=False),  # the CFAssociation as received
)
Index(
    "ix_competency_associations_type",
    competency_associations.c.association_type,
    competency_associations.c.origin_id,
)

# --- Admin API tokens. Owned by gateway.api. ------------------------------------------

admin_tokens = Table(
    "admin_tokens",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column(
        "key", String(64), nullable=False, unique=True
    ),  # public half, before the dot
    Column("secret_sha256", String(64), nullable=False),
    Column(
        "scopes", Text, nullable=False
    ),  # space-separated, e.g. "admin" or "records"
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)

# --- Intake: raw records, learners, alignments, observations, evidence. ----------------
# Owned by gateway.intake.

raw_records = Table(
    "raw_records",
    metadata,
    # uuid5 of (protocol, vendor, external id): a retried payload lands on the same row.
    Column("id", String(36), primary_key=True),
    Column("protocol", String(16), nullable=False),  # xapi | caliper | csv | api
    Column(
        "vendor_id", String(36), ForeignKey("vendors.id"), nullable=True, index=False
    ),
    Column("external_id", String(255), nullable=False),
    Column("body", Text, nullable=False),  # the payload exactly as received (JSON text)
    Column("received_at", UTCDateTime, nullable=False),
    # received | processed | unaligned | rejected | voided
    Column("status", String(16), nullable=False),
    Column("status_detail", Text, nullable=True),  # why rejected, in a sentence
    # External ids of the payload that voided this one, and of the one this one voids.
    Column("voided_by", String(255), nullable=True),
    Column("voids", String(255), nullable=True),
)
# The id is derived from (protocol, vendor, external id), so the primary key is the
# idempotency key. Indexes here are paid for by every inbound payload: keep them few, and
# partial where only a minority of rows needs finding.
_needs_attention = raw_records.c.status != "processed"
Index(
    "ix_raw_records_status",
    raw_records.c.status,
    raw_records.c.received_at,
    sqlite_where=_needs_attention,
    postgresql_where=_needs_attention,
)
Index("ix_raw_records_received", raw_records.c.received_at)
_is_void = raw_records.c.voids.is_not(None)
Index(
    "ix_raw_records_voids",
    raw_records.c.voids,
    sqlite_where=_is_void,
    postgresql_where=_is_void,
)

learners = Table(
    "learners",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("display_name", Text, nullable=True),
    Column("status", String(16), nullable=False),  # active | provisional | merged
    Column("merged_into", String(36), ForeignKey("learners.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

learner_identifiers = Table(
    "learner_identifiers",
    metadata,
    # kind: lti (iss|sub), email, xapi_account (homePage|name), mbox_sha1sum, openid,
    # caliper (actor IRI), sis, vendor (vendor id|local id)
    Column("kind", String(32), primary_key=True),
    Column("value", String(512), primary_key=True),
    Column(
        "learner_id",
        String(36),
        ForeignKey("learners.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UTCDateTime, nullable=False),
)

alignments = Table(
    "alignments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "vendor_id", String(36), ForeignKey("vendors.id"), nullable=True
    ),  # null: any
    Column("activity", Text, nullable=False),  # an activity id, or a pattern
    Column("match", String(8), nullable=False),  # exact | prefix | glob
    Column(
        "competency_id",
        String(64),
        ForeignKey("competencies.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("weight", Float, nullable=True),
    Column("kind", String(32), nullable=True),  # overrides the vendor's default kind
    Column("dok", Integer, nullable=True),
    Column("source", String(16), nullable=False),  # explicit | file | api | hint
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_alignments_activity", alignments.c.match, alignments.c.activity)
Index(
    "uq_alignments_rule",
    alignments.c.vendor_id,
    alignments.c.activity,
    alignments.c.match,
    alignments.c.competency_id,
    unique=True,
)

observations = Table(
    "observations",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid5(raw record id, index)
    Column(
        "raw_record_id",
        String(36),
        ForeignKey("raw_records.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("vendor_id", String(36), nullable=True),
    Column(
        "learner_id", String(36), ForeignKey("learners.id"), nullable=False, index=True
    ),
    Column("activity_id", Text, nullable=False),
    Column("observed_at", UTCDateTime, nullable=False),
    Column("score", Float, nullable=True),  # normalized 0..1
    Column("raw_score", Float, nullable=True),
    Column("min_score", Float, nullable=True),
    Column("max_score", Float, nullable=True),
    Column("success", Boolean, nullable=True),
    Column("completion", Boolean, nullable=True),
    Column("level_label", String(200), nullable=True),
    Column("kind", String(32), nullable=True),
    Column("dok", Integer, nullable=True),
    Column("weight", Float, nullable=True),
    Column("hints", JSON, nullable=False),  # competency URIs/ids found in the payload
    Column("aligned", Boolean, nullable=False),
)
_unaligned = observations.c.aligned.is_(False)
Index(
    "ix_observations_inbox",
    observations.c.vendor_id,
    observations.c.activity_id,
    sqlite_where=_unaligned,
    postgresql_where=_unaligned,
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid5(observation id, shared id)
    Column(
        "observation_id",
        String(36),
        ForeignKey("observations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("raw_record_id", String(36), nullable=False),
    Column("learner_id", String(36), ForeignKey("learners.id"), nullable=False),
    Column("shared_id", String(64), nullable=False),
    Column("competency_id", String(64), nullable=False),  # the item the rule aligned to
    Column("vendor_id", String(36), nullable=True),
    Column("score", Float, nullable=False),  # normalized 0..1
    Column("kind", String(32), nullable=False),
    Column("dok", Integer, nullable=True),
    Column("weight", Float, nullable=False),
    Column("observed_at", UTCDateTime, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)
Index(
    "ix_evidence_learner_competency",
    evidence.c.learner_id,
    evidence.c.shared_id,
    evidence.c.observed_at,
)

# --- Cache validity. Owned by gateway.store.tokens. -------------------------------------
# Processes cache alignment rules and learner identifiers; whoever changes what a cache
# holds (a merge, an alignment, a framework import) gives its row a new random token, and
# every process drops its copy when it sees the token change.
pipeline_state = Table(
    "pipeline_state",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("token", String(36), nullable=False),
)


def _storage_order() -> Column[int]:
    """``seq``: an increasing integer primary key (the rowid on SQLite, BIGINT elsewhere)."""
    return Column(
        "seq",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    )


# --- xAPI Learning Record Store. Owned by gateway.xapi.statements. ----------------------
# The LRS's own copy of every statement, for its queries (xAPI Communication 2.1.3); the
# evidence pipeline keeps the same statement as a raw record. ``seq`` is the storage order:
# it pages results stably (the ``more`` cursor is a seq) and is the SQLite rowid.
xapi_statements = Table(
    "xapi_statements",
    metadata,
    _storage_order(),
    # The statement id, lower-cased; global in the LRS, whichever vendor sent it.
    Column("id", String(36), nullable=False, unique=True),
    Column("vendor_id", String(36), nullable=False),
    Column("stored", UTCDateTime, nullable=False),
    Column("verb_id", Text, nullable=False),
    Column("activity_id", Text, nullable=True),  # the object, when it is an Activity
    Column("actor_key", Text, nullable=True),  # IFI key of the actor, e.g. "mbox:..."
    Column("registration", String(36), nullable=True),
    Column("voided", Boolean, nullable=False),
    Column("voids", String(36), nullable=True),  # target id, for a voiding statement
    Column("ref_target", String(36), nullable=True),  # a StatementRef object's id
    Column("statement", Text, nullable=False),  # the completed statement, JSON text
)
# Statement pages are in ``stored`` order (``seq`` breaks ties): each filter's index ends with
# both, so a page reads its rows in order and stops (migration 0012).
_in_order = (xapi_statements.c.stored, xapi_statements.c.seq)
Index("ix_xapi_statements_stored", *_in_order)
Index("ix_xapi_statements_vendor", xapi_statements.c.vendor_id, *_in_order)
Index("ix_xapi_statements_activity", xapi_statements.c.activity_id, *_in_order)
Index("ix_xapi_statements_verb", xapi_statements.c.verb_id, *_in_order)
Index("ix_xapi_statements_actor", xapi_statements.c.actor_key)
_has_registration = xapi_statements.c.registration.is_not(None)
Index(
    "ix_xapi_statements_registration",
    xapi_statements.c.registration,
    *_in_order,
    sqlite_where=_has_registration,
    postgresql_where=_has_registration,
)
_is_voiding = xapi_statements.c.voids.is_not(None)
Index(
    "ix_xapi_statements_voids",
    xapi_statements.c.voids,
    sqlite_where=_is_voiding,
    postgresql_where=_is_voiding,
)

_is_ref = xapi_statements.c.ref_target.is_not(None)
Index(
    "ix_xapi_statements_ref_target",
    xapi_statements.c.ref_target,
    sqlite_where=_is_ref,
    postgresql_where=_is_ref,
)

# Agents and activities a statement mentions, for the ``agent`` and ``related_*`` filters.
# kind: "agent" (actor or object, and their group members), "related_agent" (context,
# authority, sub-statement), "related_activity" (context activities, sub-statement).
xapi_statement_refs = Table(
    "xapi_statement_refs",
    metadata,
    Column("key", Text, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("statement_id", String(36), primary_key=True),
)


# --- xAPI documents: State, Activity Profile, Agent Profile. Owned by gateway.xapi.documents. --
# One row per document (Communication 2.3, 2.5, 2.6). Absent parts of the key (the activity of
# an agent profile, the agent of an activity profile, a state's registration) are "" rather
# than NULL, so that the unique index holds on SQLite and PostgreSQL alike (NULLs never clash).
xapi_documents = Table(
    "xapi_documents",
    metadata,
    _storage_order(),
    Column(
        "kind", String(16), nullable=False
    ),  # state | activity_profile | agent_profile
    Column("vendor_id", String(36), nullable=False),
    Column("activity_id", Text, nullable=False),  # "" for an agent profile
    Column("agent_key", Text, nullable=False),  # IFI key, e.g. "mbox:mailto:x@y"; or ""
    Column("registration", String(36), nullable=False),  # lower-cased UUID, or ""
    Column("document_id", Text, nullable=False),  # stateId or profileId
    Column("content_type", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("etag", String(64), nullable=False),  # SHA-1 of the content, lower-case hex
    Column("updated_at", UTCDateTime, nullable=False),
)
Index(
    "ix_xapi_documents_key",
    xapi_documents.c.kind,
    xapi_documents.c.vendor_id,
    xapi_documents.c.activity_id,
    xapi_documents.c.agent_key,
    xapi_documents.c.registration,
    xapi_documents.c.document_id,
    unique=True,
)


# --- Classes (course contexts) and their rosters. Written by LTI launches, NRPS and the API;
# read by mastery's class views. A context is known by its source and that source's key (for
# LTI: "<issuer>|<client id>|<deployment id>|<context id>").
contexts = Table(
    "contexts",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid5(source | key)
    Column("source", String(16), nullable=False),  # lti | oneroster | api
    Column("key", Text, nullable=False),
    Column("title", Text, nullable=True),
    Column("label", String(200), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("ix_contexts_source_key", contexts.c.source, contexts.c.key, unique=True)

context_members = Table(
    "context_members",
    metadata,
    Column(
        "context_id",
        String(36),
        ForeignKey("contexts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("learner_id", String(36), ForeignKey("learners.id"), primary_key=True),
    Column("roles", JSON, nullable=False),  # role URIs as the source gave them
    Column("is_learner", Boolean, nullable=False),  # has a Learner role in this context
    Column("status", String(16), nullable=False),  # active | inactive
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("ix_context_members_learner", context_members.c.learner_id)

# CASE rubrics (CFRubric with its criteria and their levels, as received): teachers score
# performance tasks on them. Owned by gateway.competencies.
competency_rubrics = Table(
    "competency_rubrics",
    metadata,
    Column("id", String(64), primary_key=True),  # CFRubric.identifier, lower-cased
    Column(
        "framework_id",
        String(64),
        ForeignKey("frameworks.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("uri", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("rubric", JSON, nullable=False),
)

# --- Mastery. Owned by gateway.mastery. -------------------------------------------------------
# Configuration layers (policy, scale, rules, roll-up), each a partial JSON object: the
# competency's own layer wins over its framework's, which wins over the default (scope
# "default", target ""). ``version`` increases on every change.
mastery_configs = Table(
    "mastery_configs",
    metadata,
    Column("scope", String(16), primary_key=True),  # default | framework | competency
    Column("target", String(64), primary_key=True),  # framework or competency id, or ""
    Column("config", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(200), nullable=True),
)

# The decision per (learner, shared competency), kept up to date in the transaction that
# changes its evidence. ``state`` holds the policy's running values (so one new score is O(1))
# and ``last_*`` the newest evidence folded in (a score older than it means a recompute).
mastery = Table(
    "mastery",
    metadata,
    Column("learner_id", String(36), primary_key=True),
    Column("shared_id", String(64), primary_key=True),
    Column("level", String(32), nullable=True),  # the effective level's code
    Column("points", Float, nullable=True),  # the effective level's points
    Column("computed_level", String(32), nullable=True),  # before any override
    Column("score", Float, nullable=True),  # the policy's value, in scale points
    Column("estimate", Float, nullable=True),  # P(learned), for knowledge tracing
    Column("status", String(24), nullable=False),  # no_evidence | not_yet | proficient
    Column("status_since", UTCDateTime, nullable=True),
    Column("evidence_count", Integer, nullable=False),
    Column("last_observed_at", UTCDateTime, nullable=True),
    Column("last_evidence_id", String(36), nullable=True),
    Column("state", JSON, nullable=False),
    Column("policy", String(120), nullable=False),
    Column("rules", JSON, nullable=False),  # outcome of each evidence rule
    Column("override_id", String(36), nullable=True),
    Column("override_stale", Boolean, nullable=False),
    Column("config_version", String(32), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("ix_mastery_shared_status", mastery.c.shared_id, mastery.c.status)

mastery_overrides = Table(
    "mastery_overrides",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("learner_id", String(36), nullable=False),
    Column("shared_id", String(64), nullable=False),
    Column("level", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("lifted_at", UTCDateTime, nullable=True),
    Column("lifted_by", String(200), nullable=True),
    Column("lift_reason", Text, nullable=True),
)
Index(
    "ix_mastery_overrides_key",
    mastery_overrides.c.learner_id,
    mastery_overrides.c.shared_id,
)

# Who changed what, when, from what to what: overrides, teacher evidence, configuration.
audit_log = Table(
    "audit_log",
    metadata,
    _storage_order(),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
)
Index("ix_audit_log_subject", audit_log.c.subject)

# Events for delivery, written in the transaction that makes them true (mastery.changed, ...).
# ``subject`` groups events that supersede one another (e.g. "<learner>|<shared competency>").
outbox = Table(
    "outbox",
    metadata,
    _storage_order(),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("topic", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_outbox_subject", outbox.c.subject, outbox.c.seq)

# --- Learner records: Open Badges 3.0 and CLR 2.0 credentials. Owned by gateway.records. -----
# One row per issued credential, with the signed documents exactly as issued (re-serialising
# would break their proofs). The id is derived from what the credential claims, so issuing the
# same thing twice is a no-op; it is the last segment of the credential's URL.
issued_credentials = Table(
    "issued_credentials",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False),  # achievement | clr
    Column("learner_id", String(36), nullable=False),
    Column("shared_id", String(64), nullable=True),  # achievement: the competency
    Column("level", String(32), nullable=True),  # achievement: the level code claimed
    Column(
        "scope", String(120), nullable=True
    ),  # clr: all | framework:<id> | context:<id>
    Column("members", JSON, nullable=True),  # clr: ids of the embedded credentials
    Column(
        "document", Text, nullable=False
    ),  # signed JSON-LD (eddsa-rdfc-2022), JSON text
    Column("jwt", Text, nullable=False),  # the same credential as a VC-JWT (RS256)
    Column("status_list", Integer, nullable=False),
    Column("status_index", Integer, nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("revoked_reason", Text, nullable=True),
)
Index(
    "ix_issued_credentials_learner",
    issued_credentials.c.learner_id,
    issued_credentials.c.shared_id,
)
Index(
    "uq_issued_credentials_status",
    issued_credentials.c.status_list,
    issued_credentials.c.status_index,
    unique=True,
)

# Bitstring Status Lists (revocation): the bits, the next free index, and the signed
# BitstringStatusListCredential served at /status/<id>, re-signed whenever a bit flips.
status_lists = Table(
    "status_lists",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("purpose", String(16), nullable=False),  # revocation
    Column("size", Integer, nullable=False),  # bits
    Column("next_index", Integer, nullable=False),
    Column("bits", LargeBinary, nullable=False),
    Column("document", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)


# --- xAPI attachment data. Owned by gateway.xapi.statements. ----------------------------------
# The content of attachments sent as multipart/mixed parts (Communication 1.5.2), stored once
# per SHA-2 hash whichever statements name it (Data 2.4.11: the hash identifies the content).
# ``sha2`` is the lower-case hex digest as the statement gives it.
xapi_attachments = Table(
    "xapi_attachments",
    metadata,
    Column("sha2", String(128), primary_key=True),
    Column("length", BigInteger, nullable=False),  # octets of ``content``
    Column("content", LargeBinary, nullable=False),
    Column("stored", UTCDateTime, nullable=False),
)


# --- LTI 1.3. Owned by gateway.lti. -----------------------------------------------------------
# A platform registration: one (issuer, client_id); several per issuer (Canvas cloud uses one
# issuer for every customer). ``token_audience`` is the client-assertion ``aud`` when the
# platform declares one other than its token URL (Brightspace, Blackboard, Canvas).
lti_registrations = Table(
    "lti_registrations",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid5(issuer | client_id)
    Column("issuer", String(255), nullable=False),
    Column("client_id", String(255), nullable=False),
    Column("name", String(200), nullable=True),
    Column("auth_login_url", Text, nullable=False),
    Column("auth_token_url", Text, nullable=False),
    Column("token_audience", Text, nullable=True),
    Column("jwks_url", Text, nullable=False),
    Column("deployment_policy", String(16), nullable=False),  # accept | approve
    Column(
        "scopes", Text, nullable=True
    ),  # granted by Dynamic Registration; None: manual
    Column("source", String(16), nullable=False),  # manual | dynamic
    Column("created_at", UTCDateTime, nullable=False),
)
Index(
    "ix_lti_registrations_issuer_client",
    lti_registrations.c.issuer,
    lti_registrations.c.client_id,
    unique=True,
)

# Deployments of a registration: added by the admin, by Dynamic Registration, or on the first
# launch (active under the accept policy, pending under approve).
lti_deployments = Table(
    "lti_deployments",
    metadata,
    Column(
        "registration_id",
        String(36),
        ForeignKey("lti_registrations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("deployment_id", String(255), primary_key=True),
    Column("status", String(16), nullable=False),  # active | pending
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_launch_at", UTCDateTime, nullable=True),
)

# One OIDC login: its state (single use: ``used_at``), the nonce the id_token must carry, the
# target_link_uri it asked for, and, when the platform offered postMessage storage, the digest
# of the secret put there (binding the state to the browser without a cookie).
lti_logins = Table(
    "lti_logins",
    metadata,
    Column("state", String(64), primary_key=True),
    Column("nonce", String(64), nullable=False),
    Column(
        "registration_id",
        String(36),
        ForeignKey("lti_registrations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("target_link_uri", Text, nullable=False),
    Column("binding_sha256", String(64), nullable=True),
    Column("login_params", JSON, nullable=False),  # to reopen the login in a new window
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
)
Index("ix_lti_logins_expires", lti_logins.c.expires_at)

# A verified launch. Its random id in the page URLs is the session (no cookie needed in an
# iframe); ``claims`` keeps the service endpoints and deep-linking settings the pages use.
lti_launches = Table(
    "lti_launches",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("registration_id", String(36), nullable=False),
    Column("deployment_id", String(255), nullable=False),
    Column("message_type", String(64), nullable=False),
    Column("sub", String(255), nullable=True),
    Column("learner_id", String(36), nullable=True),
    Column("context_id", String(36), nullable=True),
    Column("roles", JSON, nullable=False),
    Column("claims", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)
Index("ix_lti_launches_expires", lti_launches.c.expires_at)

# Per LTI context: the service endpoints last seen in a launch, and when the roster was synced.
lti_context_services = Table(
    "lti_context_services",
    metadata,
    Column(
        "context_id",
        String(36),
        ForeignKey("contexts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("registration_id", String(36), nullable=False),
    Column("memberships_url", Text, nullable=True),
    Column("lineitems_url", Text, nullable=True),
    Column("ags_scopes", JSON, nullable=False),
    Column("roster_synced_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

# AGS line items Tessera found or created, per context and (resourceId, tag).
lti_line_items = Table(
    "lti_line_items",
    metadata,
    Column(
        "context_id",
        String(36),
        ForeignKey("contexts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("resource_id", String(255), primary_key=True),
    Column("tag", String(255), primary_key=True),
    Column("url", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


# --- Delivery. Owned by gateway.outbox. ------------------------------------------------------
# Where events go: a webhook, a OneRoster 1.2 gradebook, an Ed-Fi ODS, an LTI AGS platform.
# ``secret`` is the HMAC key of a webhook or the OAuth 2 client secret of a SIS: Tessera must
# present it, so it is kept as given (like the signing keys' private halves: protect the
# database); it is shown once when generated and never read back out; ``secret_hint`` is the
# start of its SHA-256 digest, so an admin can tell which secret is in force.
destinations = Table(
    "destinations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # webhook | oneroster | edfi | lti_ags
    Column("settings", JSON, nullable=False),
    Column(
        "topics", JSON, nullable=False
    ),  # topics delivered, e.g. ["mastery.changed"]
    Column("secret", Text, nullable=True),
    Column("secret_hint", String(16), nullable=True),
    Column("status", String(16), nullable=False),  # active | removed
    Column("created_at", UTCDateTime, nullable=False),
    Column("removed_at", UTCDateTime, nullable=True),
)

# One row per (outbox event, destination). ``id`` = uuid5(event id, destination id) is also the
# idempotency key sent to the target. status: pending | in_flight | delivered | superseded |
# dead. A claim sets ``claimed_by`` and the lease ``claimed_until``; an in_flight row whose
# lease has run out is due again. ``give_up_at`` is when retrying stops (it becomes dead).
deliveries = Table(
    "deliveries",
    metadata,
    _storage_order(),
    Column("id", String(36), nullable=False, unique=True),
    Column("event_seq", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),
    Column("destination_id", String(36), nullable=False),
    Column("subject", Text, nullable=False),
    Column("learner_id", String(36), nullable=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("give_up_at", UTCDateTime, nullable=False),
    Column("claimed_by", String(120), nullable=True),
    Column("claimed_until", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime, nullable=True),
)
Index("ix_deliveries_due", deliveries.c.status, deliveries.c.next_attempt_at)
Index(
    "ix_deliveries_subject",
    deliveries.c.subject,
    deliveries.c.destination_id,
    deliveries.c.event_seq,
)
Index("ix_deliveries_learner", deliveries.c.learner_id)

# How far the fan-out of outbox events into deliveries has got (one row, name "fanout").
outbox_cursors = Table(
    "outbox_cursors",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# --- Moderation and groups. Owned by gateway.mastery.moderation and .equity. -------------
# A teacher's scored piece of work sampled for a second, blind rating; the pair measures
# agreement between raters and never changes a learner's level.
moderation = Table(
    "moderation",
    metadata,
    Column("evidence_id", String(36), primary_key=True),
    Column("learner_id", String(36), nullable=False),
    Column("shared_id", String(64), nullable=False, index=True),
    Column("first_rater", String(200), nullable=False),
    Column("first_level", String(32), nullable=False),
    Column("sampled_at", UTCDateTime, nullable=False),
    Column("sampled_by", String(200), nullable=False),
    Column("second_rater", String(200), nullable=True),
    Column("second_level", String(32), nullable=True),
    Column("second_note", Text, nullable=True),
    Column("rated_at", UTCDateTime, nullable=True),
)

# Groups a school supplies for its learners (grade, English learners, IEP, ...), reported
# only in aggregate (the equity view suppresses groups of fewer than 10).
learner_groups = Table(
    "learner_groups",
    metadata,
    Column("learner_id", String(36), primary_key=True),
    Column("name", String(100), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_learner_groups_name", learner_groups.c.name)
