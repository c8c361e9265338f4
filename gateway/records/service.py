"""Issuing, storing, revoking and reading learner records: the I/O around the pure core.

The delivery worker calls :func:`handle_mastery_change` (or :func:`issue_for_mastery` and
:func:`revoke_for`) with its own connection, in the transaction that consumes the outbox event;
the admin API and the pages call the store-level functions. Everything is idempotent: a
credential's id is derived from what it claims, so issuing the same claim again returns the
stored credential.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import Connection, func, insert, select, update

from gateway.errors import Conflict, InvalidPayload, NotFound, StoreError
from gateway.ids import uuid5
from gateway.keys import SigningKey, current_key, published_keys
from gateway.mastery.config import ConfigResolver
from gateway.outbox.events import credential_issued
from gateway.records import model, proofs, verify
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import (
    competencies,
    context_members,
    contexts,
    evidence,
    frameworks,
    issued_credentials,
    learner_identifiers,
    learners,
    mastery,
    status_lists,
    utcnow,
)

DI_PURPOSE = "credentials"
JWT_PURPOSE = "credentials-jwt"
PROFICIENT = "proficient"
# learner_identifiers.kind -> OB 3.0 IdentityObject identityType (hashed in the credential).
_IDENTITY_TYPES = {"email": "emailAddress", "sis": "sisSourcedId"}
_ISSUE_NS = uuid.UUID("5d0b7a34-2f6e-5b8c-a3c1-6e4d8f1b2a90")


@dataclass(frozen=True, slots=True)
class RecordsConfig:
    """Where records live and who issues them, from settings."""

    urls: model.RecordUrls
    issuer: model.Issuer

    @classmethod
    def from_settings(cls, settings: Settings) -> RecordsConfig:
        """The issuer Profile and URLs this Tessera's settings describe."""
        urls = model.RecordUrls(settings.base_url)
        issuer = model.Issuer(
            id=urls.did,
            name=settings.issuer_name,
            url=settings.issuer_url or settings.base_url,
            email=settings.issuer_email or None,
            image=settings.issuer_image or None,
        )
        return cls(urls, issuer)


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """A stored credential: its signed forms and where it stands."""

    id: str
    kind: str
    learner_id: str
    shared_id: str | None
    level: str | None
    scope: str | None
    members: tuple[str, ...]
    document: dict[str, Any]
    jwt: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None

    @property
    def url(self) -> str:
        """The credential's id: the URL that returns it."""
        url: str = self.document["id"]
        return url

    def to_json(self) -> dict[str, Any]:
        """A summary for the admin API (the documents are fetched by their URL)."""
        return {
            "id": self.id,
            "url": self.url,
            "kind": self.kind,
            "learner_id": self.learner_id,
            "competency_id": self.shared_id,
            "level": self.level,
            "scope": self.scope,
            "name": self.document.get("name"),
            "issued_at": self.issued_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "revoked_reason": self.revoked_reason,
        }


# --- Keys and the DID document -------------------------------------------------------------


def _private(key: SigningKey) -> Any:
    return serialization.load_pem_private_key(key.private_pem.encode("ascii"), None)


def _require_key(conn: Connection, purpose: str) -> SigningKey:
    key = current_key(conn, purpose)
    if key is None:
        raise StoreError(
            f"There is no signing key for {purpose}; run `tessera init` to make one."
        )
    return key


def _ed25519_multikey(key: SigningKey) -> str:
    raw = proofs.from_base64url(key.public_jwk["x"])
    return proofs.multikey(ed25519.Ed25519PublicKey.from_public_bytes(raw))


def did_document(conn: Connection, config: RecordsConfig) -> dict[str, Any]:
    """The issuer's DID document with every credential key, retired ones included."""
    return model.did_document(
        config.urls,
        [(k.kid, _ed25519_multikey(k)) for k in published_keys(conn, DI_PURPOSE)],
        [(k.kid, k.public_jwk) for k in published_keys(conn, JWT_PURPOSE)],
    )


def issuer_keys(conn: Connection, config: RecordsConfig) -> dict[str, Any]:
    """Verification method id -> public key, for every key the DID document publishes."""
    out: dict[str, Any] = {}
    for key in published_keys(conn, DI_PURPOSE):
        raw = proofs.from_base64url(key.public_jwk["x"])
        out[config.urls.method(key.kid)] = ed25519.Ed25519PublicKey.from_public_bytes(
            raw
        )
    for key in published_keys(conn, JWT_PURPOSE):
        out[config.urls.method(key.kid)] = RSAAlgorithm.from_jwk(key.public_jwk)
    return out


def _sign(
    conn: Connection, config: RecordsConfig, document: dict[str, Any], now: datetime
) -> tuple[dict[str, Any], str]:
    """Both proof forms: the embedded Data Integrity proof, then that document as a VC-JWT."""
    di_key = _require_key(conn, DI_PURPOSE)
    jwt_key = _require_key(conn, JWT_PURPOSE)
    private_ed: ed25519.Ed25519PrivateKey = _private(di_key)
    private_rsa: rsa.RSAPrivateKey = _private(jwt_key)
    signed = proofs.add_data_integrity_proof(
        document, private_ed, config.urls.method(di_key.kid), now
    )
    token = proofs.encode_vc_jwt(signed, private_rsa, config.urls.method(jwt_key.kid))
    return signed, token


# --- Status lists --------------------------------------------------------------------------


def _signed_status_list(
    conn: Connection, config: RecordsConfig, list_id: int, bits: bytes, now: datetime
) -> str:
    document = model.status_list_credential(
        config.urls, config.issuer.id, list_id, bits, now
    )
    key = _require_key(conn, DI_PURPOSE)
    signed = proofs.add_data_integrity_proof(
        document, _private(key), config.urls.method(key.kid), now
    )
    return json.dumps(signed, ensure_ascii=False)


def _allocate_status(
    conn: Connection, config: RecordsConfig, now: datetime
) -> model.StatusRef:
    """The next free index of the newest status list; a new list when it is full.

    The UPDATE takes the row's lock (PostgreSQL) or the write lock (SQLite, BEGIN
    IMMEDIATE), so concurrent issuers never share an index.
    """
    newest = conn.execute(select(func.max(status_lists.c.id))).scalar()
    if newest is not None:
        taken = conn.execute(
            update(status_lists)
            .where(status_lists.c.id == newest)
            .where(status_lists.c.next_index < status_lists.c.size)
            .values(next_index=status_lists.c.next_index + 1)
        )
        if taken.rowcount == 1:
            index = conn.execute(
                select(status_lists.c.next_index).where(status_lists.c.id == newest)
            ).scalar_one()
            return model.StatusRef(config.urls.status_list(newest), int(index) - 1)
    list_id = (newest or 0) + 1
    bits = bytes(model.STATUS_LIST_BITS // 8)
    conn.execute(
        insert(status_lists).values(
            id=list_id,
            purpose="revocation",
            size=model.STATUS_LIST_BITS,
            next_index=1,
            bits=bits,
            document=_signed_status_list(conn, config, list_id, bits, now),
            updated_at=now,
        )
    )
    return model.StatusRef(config.urls.status_list(list_id), 0)


def _flip_status(
    conn: Connection, config: RecordsConfig, list_id: int, index: int, now: datetime
) -> None:
    row = conn.execute(
        select(status_lists.c.bits).where(status_lists.c.id == list_id)
    ).one()
    bits = model.with_bit(bytes(row.bits), index)
    conn.execute(
        update(status_lists)
        .where(status_lists.c.id == list_id)
        .values(
            bits=bits,
            document=_signed_status_list(conn, config, list_id, bits, now),
            updated_at=now,
        )
    )


def status_list_document(store: Store, list_id: int) -> dict[str, Any]:
    """The signed BitstringStatusListCredential of list ``list_id``."""
    with store.read() as conn:
        text = conn.execute(
            select(status_lists.c.document).where(status_lists.c.id == list_id)
        ).scalar()
    if text is None:
        raise NotFound(f"There is no status list {list_id}.")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def status_bits(conn: Connection, config: RecordsConfig, list_url: str) -> bytes | None:
    """The bits of one of our status lists by its URL; None for any other URL."""
    prefix = config.urls.status_list(0)[:-1]
    if not list_url.startswith(prefix) or not list_url[len(prefix) :].isdigit():
        return None
    bits = conn.execute(
        select(status_lists.c.bits).where(
            status_lists.c.id == int(list_url[len(prefix) :])
        )
    ).scalar()
    return bytes(bits) if bits is not None else None


# --- Reading what a credential claims ------------------------------------------------------


def _items(conn: Connection, where: Any) -> list[model.CaseItem]:
    rows = conn.execute(
        select(
            competencies.c.id,
            competencies.c.uri,
            competencies.c.full_statement,
            competencies.c.framework_id,
            frameworks.c.title,
            competencies.c.human_coding_scheme,
            competencies.c.abbreviated_statement,
            competencies.c.parent_id,
            competencies.c.is_competency,
        )
        .join(frameworks, frameworks.c.id == competencies.c.framework_id)
        .where(where)
        .order_by(competencies.c.framework_id, competencies.c.id)
    ).all()
    return [model.CaseItem(*r) for r in rows]


def _with_ancestors(
    conn: Connection, items: Iterable[model.CaseItem]
) -> dict[str, model.CaseItem]:
    known = {i.id: i for i in items}
    wanted = {i.parent_id for i in known.values() if i.parent_id} - set(known)
    while wanted:
        found = _items(conn, competencies.c.id.in_(sorted(wanted)))
        known.update((i.id, i) for i in found)
        wanted = {i.parent_id for i in found if i.parent_id} - set(known)
    return known


def _scale(conn: Connection, item: model.CaseItem) -> model.Scale:
    """The proficiency scale the mastery configuration applies to ``item``."""
    scale = ConfigResolver(conn).for_shared(item.id).scale
    return model.Scale(
        tuple(model.Level(lv.code, lv.label, lv.points) for lv in scale.levels),
        scale.mastery.code,
    )


def _recipient(conn: Connection, learner_id: str) -> model.Recipient:
    rows = conn.execute(
        select(learner_identifiers.c.kind, learner_identifiers.c.value)
        .where(learner_identifiers.c.learner_id == learner_id)
        .where(learner_identifiers.c.kind.in_(sorted(_IDENTITY_TYPES)))
        .order_by(learner_identifiers.c.kind, learner_identifiers.c.value)
    ).all()
    return model.Recipient(
        learner_id, tuple((_IDENTITY_TYPES[r.kind], r.value) for r in rows)
    )


def _evidence_summary(
    conn: Connection, learner_id: str, shared_id: str, policy: str
) -> model.EvidenceSummary:
    rows = conn.execute(
        select(
            evidence.c.kind,
            func.count(),
            func.min(evidence.c.observed_at),
            func.max(evidence.c.observed_at),
        )
        .where(evidence.c.learner_id == learner_id)
        .where(evidence.c.shared_id == shared_id)
        .group_by(evidence.c.kind)
        .order_by(func.count().desc(), evidence.c.kind)
    ).all()
    sources = conn.execute(
        select(func.count(func.distinct(evidence.c.vendor_id)))
        .where(evidence.c.learner_id == learner_id)
        .where(evidence.c.shared_id == shared_id)
    ).scalar_one()
    if not rows:
        return model.EvidenceSummary(0, policy)
    return model.EvidenceSummary(
        count=sum(r[1] for r in rows),
        policy=policy,
        kinds=tuple((r[0], int(r[1])) for r in rows),
        sources=int(sources),
        first_at=min(r[2] for r in rows),
        last_at=max(r[3] for r in rows),
    )


def _row_to_issued(row: Any) -> IssuedCredential:
    return IssuedCredential(
        id=row.id,
        kind=row.kind,
        learner_id=row.learner_id,
        shared_id=row.shared_id,
        level=row.level,
        scope=row.scope,
        members=tuple(row.members or ()),
        document=json.loads(row.document),
        jwt=row.jwt,
        issued_at=row.issued_at,
        revoked_at=row.revoked_at,
        revoked_reason=row.revoked_reason,
    )


def load_credential(conn: Connection, credential_id: str) -> IssuedCredential | None:
    """A stored credential by id (the last segment of its URL), or None."""
    row = conn.execute(
        select(issued_credentials).where(issued_credentials.c.id == credential_id)
    ).first()
    return _row_to_issued(row) if row is not None else None


def get_credential(store: Store, credential_id: str) -> IssuedCredential:
    """A stored credential, or :class:`NotFound`."""
    with store.read() as conn:
        found = load_credential(conn, credential_id)
    if found is None:
        raise NotFound(f"Tessera has issued no credential {credential_id}.")
    return found


def list_credentials(store: Store, learner_id: str) -> list[IssuedCredential]:
    """Every credential issued to a learner, newest first."""
    with store.read() as conn:
        rows = conn.execute(
            select(issued_credentials)
            .where(issued_credentials.c.learner_id == learner_id)
            .order_by(issued_credentials.c.issued_at.desc(), issued_credentials.c.id)
        ).all()
    return [_row_to_issued(r) for r in rows]


def _store_issued(
    conn: Connection,
    credential_id: str,
    kind: str,
    learner_id: str,
    signed: dict[str, Any],
    token: str,
    status: model.StatusRef,
    now: datetime,
    **columns: Any,
) -> IssuedCredential:
    conn.execute(
        insert(issued_credentials).values(
            id=credential_id,
            kind=kind,
            learner_id=learner_id,
            document=json.dumps(signed, ensure_ascii=False),
            jwt=token,
            status_list=int(status.list_url.rsplit("/", 1)[1]),
            status_index=status.index,
            issued_at=now,
            **columns,
        )
    )
    found = load_credential(conn, credential_id)
    assert found is not None  # noqa: S101 - inserted just above
    credential_issued(
        conn,
        credential_id=found.id,
        kind=found.kind,
        learner_id=found.learner_id,
        url=found.url,
        issued_at=found.issued_at,
        shared_id=found.shared_id,
        level=found.level,
        scope=found.scope,
    )
    return found


# --- Issuing -------------------------------------------------------------------------------


def issue_for_mastery(
    conn: Connection,
    config: RecordsConfig,
    learner_id: str,
    shared_id: str,
    *,
    now: datetime | None = None,
) -> IssuedCredential | None:
    """The AchievementCredential for the learner's current mastery of ``shared_id``.

    None when the learner is not proficient. Issued once per (level, time proficiency was
    reached): calling again returns the stored credential; a credential for an earlier level of
    the same competency is revoked as superseded.
    """
    now = now or utcnow()
    row = conn.execute(
        select(mastery)
        .where(mastery.c.learner_id == learner_id)
        .where(mastery.c.shared_id == shared_id)
    ).first()
    if row is None or row.status != PROFICIENT or row.level is None:
        return None
    since = row.status_since.isoformat() if row.status_since else ""
    credential_id = uuid5(
        _ISSUE_NS, f"achievement|{learner_id}|{shared_id}|{row.level}|{since}"
    )
    existing = load_credential(conn, credential_id)
    if existing is not None:
        return existing
    found = _items(conn, competencies.c.shared_id == shared_id)
    item = next((i for i in found if i.id == shared_id), None)
    if item is None:
        raise NotFound(
            f"Mastery names competency {shared_id}, which is not among the imported "
            "frameworks; import its framework again."
        )
    scale = _scale(conn, item)
    try:
        scale.label(row.level)
    except KeyError:
        raise Conflict(
            f"The mastery level {row.level!r} is not on the proficiency scale of "
            f"{item.name}; fix the scale in the mastery configuration."
        ) from None
    for older in _active_achievements(conn, learner_id, shared_id):
        _revoke(conn, config, older, f"superseded by {credential_id}", now)
    award = model.Award(
        credential_id=credential_id,
        recipient=_recipient(conn, learner_id),
        item=item,
        scale=scale,
        level=row.level,
        evidence=_evidence_summary(conn, learner_id, shared_id, row.policy),
        valid_from=now,
        status=_allocate_status(conn, config, now),
        peers=tuple(i for i in found if i.id != shared_id),
        achieved_at=row.status_since,
    )
    signed, token = _sign(
        conn,
        config,
        model.achievement_credential(config.urls, config.issuer, award),
        now,
    )
    return _store_issued(
        conn,
        credential_id,
        "achievement",
        learner_id,
        signed,
        token,
        award.status,
        now,
        shared_id=shared_id,
        level=row.level,
    )


def handle_mastery_change(
    conn: Connection,
    config: RecordsConfig,
    learner_id: str,
    shared_id: str,
    *,
    now: datetime | None = None,
) -> IssuedCredential | None:
    """What the delivery worker calls for a ``mastery.changed`` event.

    Proficient: the credential for the current level (issued now or already). Otherwise: every
    active credential for the competency is revoked (e.g. an override lowered the level).
    """
    issued = issue_for_mastery(conn, config, learner_id, shared_id, now=now)
    if issued is None:
        revoke_for(
            conn,
            config,
            learner_id,
            shared_id,
            "the learner is no longer proficient",
            now=now,
        )
    return issued


def _active_achievements(
    conn: Connection, learner_id: str, shared_id: str
) -> list[IssuedCredential]:
    rows = conn.execute(
        select(issued_credentials)
        .where(issued_credentials.c.learner_id == learner_id)
        .where(issued_credentials.c.shared_id == shared_id)
        .where(issued_credentials.c.kind == "achievement")
        .where(issued_credentials.c.revoked_at.is_(None))
    ).all()
    return [_row_to_issued(r) for r in rows]


# --- Revoking ------------------------------------------------------------------------------


def _revoke(
    conn: Connection,
    config: RecordsConfig,
    credential: IssuedCredential,
    reason: str,
    now: datetime,
) -> None:
    """Mark revoked, flip its status bit, and revoke every active CLR that embeds it."""
    conn.execute(
        update(issued_credentials)
        .where(issued_credentials.c.id == credential.id)
        .values(revoked_at=now, revoked_reason=reason)
    )
    status = credential.document["credentialStatus"]
    _flip_status(
        conn,
        config,
        int(status["statusListCredential"].rsplit("/", 1)[1]),
        int(status["statusListIndex"]),
        now,
    )
    if credential.kind != "achievement":
        return
    clrs = conn.execute(
        select(issued_credentials)
        .where(issued_credentials.c.learner_id == credential.learner_id)
        .where(issued_credentials.c.kind == "clr")
        .where(issued_credentials.c.revoked_at.is_(None))
    ).all()
    for row in clrs:
        clr = _row_to_issued(row)
        if credential.id in clr.members:
            _revoke(
                conn, config, clr, f"embeds revoked credential {credential.id}", now
            )


def revoke_for(
    conn: Connection,
    config: RecordsConfig,
    learner_id: str,
    shared_id: str,
    reason: str,
    *,
    now: datetime | None = None,
) -> list[str]:
    """Revoke every active AchievementCredential of a learner for a competency; their ids."""
    now = now or utcnow()
    revoked = []
    for credential in _active_achievements(conn, learner_id, shared_id):
        _revoke(conn, config, credential, reason, now)
        revoked.append(credential.id)
    return revoked


def revoke_credential(
    store: Store, config: RecordsConfig, credential_id: str, reason: str
) -> IssuedCredential:
    """Revoke one credential by id (an admin's decision); :class:`Conflict` if it already is."""
    reason = reason.strip()
    if not reason:
        raise InvalidPayload("Say why the credential is revoked: 'reason' is empty.")
    with store.write() as conn:
        credential = load_credential(conn, credential_id)
        if credential is None:
            raise NotFound(f"Tessera has issued no credential {credential_id}.")
        if credential.revoked_at is not None:
            raise Conflict(
                f"Credential {credential_id} was revoked already, on "
                f"{credential.revoked_at.isoformat()} ({credential.revoked_reason})."
            )
        _revoke(conn, config, credential, reason, utcnow())
        found = load_credential(conn, credential_id)
    assert found is not None  # noqa: S101
    return found


# --- Transcripts (CLR) ---------------------------------------------------------------------


def _proficient_shared_ids(conn: Connection, learner_id: str) -> list[str]:
    return list(
        conn.execute(
            select(mastery.c.shared_id)
            .where(mastery.c.learner_id == learner_id)
            .where(mastery.c.status == PROFICIENT)
            .order_by(mastery.c.shared_id)
        ).scalars()
    )


def issue_transcript(
    store: Store,
    config: RecordsConfig,
    learner_id: str,
    *,
    framework_id: str | None = None,
    context_id: str | None = None,
    now: datetime | None = None,
) -> IssuedCredential:
    """The learner's ClrCredential, for one framework, one class (context) or everything.

    The learner's current AchievementCredentials are issued first where missing (so a
    transcript never waits for the delivery worker), then bundled unchanged with the CASE
    hierarchy they sit in. The same content gives the same CLR: it is issued once.
    """
    now = now or utcnow()
    with store.write() as conn:
        learner = conn.execute(
            select(learners.c.id, learners.c.status, learners.c.merged_into).where(
                learners.c.id == learner_id
            )
        ).first()
        if learner is None:
            raise NotFound(f"There is no learner {learner_id}.")
        if learner.status == "merged":
            raise NotFound(
                f"Learner {learner_id} was merged into {learner.merged_into}; ask for "
                "that learner's record."
            )
        shared_ids = _proficient_shared_ids(conn, learner_id)
        scope, title, in_scope = _transcript_scope(
            conn, learner_id, framework_id, context_id
        )
        if in_scope is not None:
            shared_ids = [s for s in shared_ids if s in in_scope]
        members: list[IssuedCredential] = []
        for shared_id in shared_ids:
            issued = issue_for_mastery(conn, config, learner_id, shared_id, now=now)
            # A credential revoked by hand stays out until the mastery changes again.
            if issued is not None and issued.revoked_at is None:
                members.append(issued)
        if not members:
            raise NotFound(
                f"Learner {learner_id} has not mastered any competency "
                f"{'in ' + title if in_scope is not None else 'yet'}, so there is no "
                "transcript to issue."
            )
        member_ids = sorted(m.id for m in members)
        credential_id = uuid5(
            _ISSUE_NS, f"clr|{learner_id}|{scope}|{','.join(member_ids)}"
        )
        existing = load_credential(conn, credential_id)
        if existing is not None:
            return existing
        chosen = _chosen_items(conn, members, framework_id)
        known = _with_ancestors(conn, [item for item, _ in chosen])
        items, associations = model.transcript_structure(chosen, known)
        transcript = model.Transcript(
            credential_id=credential_id,
            recipient=_recipient(conn, learner_id),
            name=f"Competency record: {title}",
            description=(
                f"Competencies mastered in {title}, with the CASE hierarchy they belong to; "
                "each achievement is a separately signed Open Badges 3.0 credential."
            ),
            members=tuple(m.document for m in sorted(members, key=lambda m: m.id)),
            items=items,
            associations=associations,
            valid_from=now,
            status=_allocate_status(conn, config, now),
            partial=framework_id is not None,
        )
        signed, token = _sign(
            conn,
            config,
            model.clr_credential(config.urls, config.issuer, transcript),
            now,
        )
        return _store_issued(
            conn,
            credential_id,
            "clr",
            learner_id,
            signed,
            token,
            transcript.status,
            now,
            scope=scope,
            members=member_ids,
        )


def _transcript_scope(
    conn: Connection,
    learner_id: str,
    framework_id: str | None,
    context_id: str | None,
) -> tuple[str, str, set[str] | None]:
    """(scope key, title, shared ids in scope or None for all) for a transcript request."""
    if framework_id is not None and context_id is not None:
        raise InvalidPayload(
            "Ask for a transcript of one framework or of one context, not both."
        )
    if framework_id is not None:
        framework_id = framework_id.lower()
        title = conn.execute(
            select(frameworks.c.title).where(frameworks.c.id == framework_id)
        ).scalar()
        if title is None:
            raise InvalidPayload(
                f"framework: there is no framework {framework_id}; "
                "GET /api/v1/frameworks lists them."
            )
        shared = set(
            conn.execute(
                select(competencies.c.shared_id).where(
                    competencies.c.framework_id == framework_id
                )
            ).scalars()
        )
        return f"framework:{framework_id}", str(title), shared
    if context_id is not None:
        row = conn.execute(
            select(contexts.c.title, contexts.c.label).where(
                contexts.c.id == context_id
            )
        ).first()
        if row is None:
            raise InvalidPayload(f"context: there is no context {context_id}.")
        member = conn.execute(
            select(context_members.c.learner_id)
            .where(context_members.c.context_id == context_id)
            .where(context_members.c.learner_id == learner_id)
        ).first()
        if member is None:
            raise InvalidPayload(
                f"context: learner {learner_id} is not on the roster of {context_id}."
            )
        # Classes are not tied to frameworks yet: a class's transcript is the learner's
        # whole record, titled for the class.
        return f"context:{context_id}", str(row.title or row.label or context_id), None
    return "all", "all competencies", None


def _chosen_items(
    conn: Connection, members: Sequence[IssuedCredential], framework_id: str | None
) -> list[tuple[model.CaseItem, str]]:
    """The item each credential shows in the transcript: the framework's own, if asked."""
    chosen: list[tuple[model.CaseItem, str]] = []
    for member in members:
        assert member.shared_id is not None  # noqa: S101 - achievements name one
        where = competencies.c.shared_id == member.shared_id
        if framework_id is not None:
            where = where & (competencies.c.framework_id == framework_id.lower())
        else:
            where = competencies.c.id == member.shared_id
        found = _items(conn, where)
        if found:
            chosen.append((found[0], member.shared_id))
    return chosen


# --- Reading for the public pages ----------------------------------------------------------


def issuer_profile(config: RecordsConfig) -> dict[str, Any]:
    """The issuer Profile as a standalone JSON-LD document (served at /issuer)."""
    return {"@context": list(model.ACHIEVEMENT_CONTEXT), **config.issuer.profile()}


def achievement_document(
    store: Store, config: RecordsConfig, item_id: str
) -> dict[str, Any]:
    """The Achievement of a CASE item, as credentials for it define it."""
    with store.read() as conn:
        found = _items(conn, competencies.c.id == item_id.lower())
        if not found:
            raise NotFound(f"There is no competency {item_id}.")
        item = found[0]
        peers = [
            i
            for i in _items(conn, competencies.c.shared_id == item.id)
            if i.id != item.id
        ]
        scale = _scale(conn, item) if item.is_competency else None
    return {
        "@context": list(model.ACHIEVEMENT_CONTEXT),
        **model.achievement(config.urls, item, scale=scale, peers=peers),
    }


def check_credential(
    store: Store,
    config: RecordsConfig,
    credential: dict[str, Any] | str,
    *,
    pasted: bool = False,
) -> verify.Report:
    """Verify a credential against this Tessera's published keys and status lists.

    A ``pasted`` credential (from anyone, on the public page) is first compared with what was
    stored under its id: only an identical one has its proofs computed, so hostile JSON-LD
    never reaches the canonicalizer (whose cost can grow factorially with blank nodes).
    """
    with store.read() as conn:
        now = utcnow()

        def status(url: str) -> bytes | None:
            return status_bits(conn, config, url)

        reason = _differs_from_issued(conn, config, credential) if pasted else None
        if reason is not None:
            return verify.unchecked_report(
                credential, reason, issuer_id=config.issuer.id, status=status, now=now
            )
        return verify.verify_credential(
            credential,
            issuer_id=config.issuer.id,
            keys=issuer_keys(conn, config),
            status=status,
            now=now,
        )


def _differs_from_issued(
    conn: Connection, config: RecordsConfig, credential: dict[str, Any] | str
) -> str | None:
    """Why a pasted credential is not the one stored under its id; None when it is."""
    if isinstance(credential, str):
        claimed, _ = proofs.decode_vc_jwt(credential.strip(), lambda _kid: None)
    else:
        claimed = credential
    reference = claimed.get("id")
    prefix = config.urls.credential("")
    if not isinstance(reference, str) or not reference.startswith(prefix):
        return "Its id is not the URL of a credential this Tessera issued."
    stored = load_credential(conn, reference[len(prefix) :])
    if stored is None:
        return f"Tessera has issued no credential {reference}."
    same = (
        stored.jwt == credential.strip()
        if isinstance(credential, str)
        else stored.document == credential
    )
    if same:
        return None
    return (
        f"This is not the credential Tessera issued as {reference}: its content was "
        "changed after it was signed."
    )


def credential_id_from(config: RecordsConfig, reference: str) -> str:
    """The id in a credential URL of this Tessera (or a bare id); :class:`InvalidPayload` else."""
    reference = reference.strip()
    prefix = config.urls.credential("")
    if reference.startswith(prefix):
        reference = reference[len(prefix) :]
    try:
        return str(uuid.UUID(reference))
    except ValueError:
        raise InvalidPayload(
            f"{reference!r} is not a credential of this Tessera: give its URL "
            f"({prefix}...) or paste the credential. Other addresses are never fetched."
        ) from None
