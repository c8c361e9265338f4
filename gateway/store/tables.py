"""The tables of Tessera's store, as SQLAlchemy Core.

Each concern's package owns the access to its tables; they are declared here together so that
migrations and tests see one metadata. Every change to this file comes with an Alembic
migration in ``gateway/store/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
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
