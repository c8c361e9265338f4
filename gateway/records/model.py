"""Open Badges 3.0 and CLR 2.0 documents built from plain data. Pure: no Flask, SQL or clock.

What is claimed is a frozen dataclass (:class:`Award` for one mastered competency,
:class:`Transcript` for a CLR); the functions below turn it into the unsigned JSON-LD document
(VCDM 2.0 with the versioned OB 3.0.3 and CLR 2.0.1 contexts; credentials.md sections 1-3).
Signing is :mod:`gateway.records.proofs`; reading and storing is :mod:`gateway.records.service`.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from gateway.ids import uuid5
from gateway.records.jsonld import (
    CLR_V2P0,
    CREDENTIALS_V2,
    DID_V1,
    JWK_V1,
    MULTIKEY_V1,
    OB_V3P0,
)
from gateway.records.timefmt import xsd_datetime

RECORDS_NS = uuid.UUID("0b8f3f55-6f43-5d9e-9a51-7f2c4f0d2f3e")
# Bitstring Status List 1.0 section 6.1: at least 16 KB, so an index says little about when
# (or to whom) a credential was issued.
STATUS_LIST_BITS = 131_072
ACHIEVEMENT_CONTEXT = (CREDENTIALS_V2, OB_V3P0)
# CLR 2.0.1 section 5: the CLR context comes before the OB context.
CLR_CONTEXT = (CREDENTIALS_V2, CLR_V2P0, OB_V3P0)


# --- Where things live ---------------------------------------------------------------------


def did_web(base_url: str) -> str:
    """The did:web of a Tessera at ``base_url`` (DID Web Method, "Create (Register)").

    ``https://host:8443/path`` becomes ``did:web:host%3A8443:path``; it resolves to
    ``/.well-known/did.json`` at the host, or ``/path/did.json`` under a path.
    """
    parts = urlsplit(base_url)
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", quote(parts.netloc, safe=""), *segments])


@dataclass(frozen=True, slots=True)
class RecordUrls:
    """The stable public URLs of issued records, under ``TESSERA_BASE_URL``."""

    base_url: str

    @property
    def did(self) -> str:
        """The issuer's DID (did:web of the base URL)."""
        return did_web(self.base_url)

    @property
    def did_document(self) -> str:
        """Where the DID document is served (did:web resolution of :attr:`did`)."""
        if urlsplit(self.base_url).path.strip("/"):
            return f"{self.base_url}/did.json"
        return f"{self.base_url}/.well-known/did.json"

    @property
    def issuer_profile(self) -> str:
        """The issuer Profile document."""
        return f"{self.base_url}/issuer"

    def credential(self, credential_id: str) -> str:
        """An issued credential (its ``id``), which returns it."""
        return f"{self.base_url}/credentials/{credential_id}"

    def achievement(self, item_id: str) -> str:
        """An Achievement: one per CASE item, stable across issuances."""
        return f"{self.base_url}/achievements/{item_id}"

    def status_list(self, list_id: int) -> str:
        """A Bitstring Status List credential."""
        return f"{self.base_url}/status/{list_id}"

    def method(self, kid: str) -> str:
        """A verification method of the issuer's DID document."""
        return f"{self.did}#{kid}"


# --- Issuer --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Issuer:
    """The issuer Profile (OB 3.0 Profile): who signs, with its contact details."""

    id: str
    name: str
    url: str
    email: str | None = None
    image: str | None = None

    def profile(self) -> dict[str, Any]:
        """The Profile as embedded in every credential."""
        out: dict[str, Any] = {
            "id": self.id,
            "type": ["Profile"],
            "name": self.name,
            "url": self.url,
        }
        if self.email:
            out["email"] = self.email
        if self.image:
            out["image"] = {"id": self.image, "type": "Image"}
        return out


# --- Proficiency scale ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a proficiency scale."""

    code: str
    label: str
    points: float


@dataclass(frozen=True, slots=True)
class Scale:
    """Levels lowest first and the code of the mastery level."""

    levels: tuple[Level, ...]
    mastery: str

    def label(self, code: str) -> str:
        """The label of level ``code``; :class:`KeyError` when the scale lacks it."""
        for level in self.levels:
            if level.code == code:
                return level.label
        raise KeyError(code)

    @property
    def key(self) -> str:
        """A short digest naming this scale, for ids that must change when it does."""
        text = "|".join(f"{lv.code}:{lv.label}:{lv.points:g}" for lv in self.levels)
        return hashlib.sha256(f"{text}|{self.mastery}".encode()).hexdigest()[:16]


DEFAULT_SCALE = Scale(
    (
        Level("none", "No Evidence", 0),
        Level("below", "Below Mastery", 1),
        Level("near", "Near Mastery", 2),
        Level("mastery", "Mastery", 3),
        Level("exceeds", "Exceeds Mastery", 4),
    ),
    "mastery",
)


# --- What is claimed -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseItem:
    """A CASE CFItem as an achievement: what it says and where it sits in its framework."""

    id: str
    uri: str
    statement: str
    framework_id: str
    framework_title: str
    human_code: str | None = None
    abbreviated: str | None = None
    parent_id: str | None = None
    is_competency: bool = True

    @property
    def name(self) -> str:
        """A short name: the human code with the abbreviated statement, or the statement."""
        short = self.abbreviated or _shorten(self.statement, 120)
        return f"{self.human_code} {short}" if self.human_code else short


@dataclass(frozen=True, slots=True)
class EvidenceSummary:
    """What a mastery decision rests on, without the learner's raw scores."""

    count: int
    policy: str
    kinds: tuple[tuple[str, int], ...] = ()
    sources: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None

    def narrative(self) -> str:
        """One paragraph a registrar can read."""
        if self.count == 0:
            return f"Decided without scored evidence (policy {self.policy})."
        kinds = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in self.kinds)
        when = ""
        if self.first_at and self.last_at:
            when = (
                f" observed from {self.first_at.date().isoformat()} "
                f"to {self.last_at.date().isoformat()}"
            )
        sources = (
            f" from {self.sources} source{'s' * (self.sources != 1)}"
            if self.sources
            else ""
        )
        pieces = f"{self.count} piece{'s' * (self.count != 1)} of evidence"
        return (
            f"{pieces} ({kinds}){sources}{when}, decided by the {self.policy} policy."
        )


@dataclass(frozen=True, slots=True)
class Recipient:
    """The learner a credential is about: Tessera's id plus identifiers, hashed when used."""

    learner_id: str
    # (OB 3.0 identityType, value): emailAddress, sisSourcedId, ...
    identifiers: tuple[tuple[str, str], ...] = ()

    @property
    def subject_id(self) -> str:
        """``credentialSubject.id``: the learner's Tessera id as a URN (no personal data)."""
        return f"urn:uuid:{self.learner_id}"

    def identity_objects(self, salt: str) -> list[dict[str, Any]]:
        """IdentityObjects with salted SHA-256 hashes (OB 3.0 IdentityObject; no raw PII)."""
        return [
            {
                "type": "IdentityObject",
                "identityHash": "sha256$"
                + hashlib.sha256(f"{value}{salt}".encode()).hexdigest(),
                "identityType": kind,
                "hashed": True,
                "salt": salt,
            }
            for kind, value in self.identifiers
        ]


@dataclass(frozen=True, slots=True)
class StatusRef:
    """A credential's place in a Bitstring Status List (revocation)."""

    list_url: str
    index: int

    def to_json(self) -> dict[str, Any]:
        """The BitstringStatusListEntry (Bitstring Status List 1.0 section 2.1)."""
        return {
            "id": f"{self.list_url}#{self.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(self.index),
            "statusListCredential": self.list_url,
        }


@dataclass(frozen=True, slots=True)
class Award:
    """One AchievementCredential: a learner reached ``level`` in a (shared) competency."""

    credential_id: str
    recipient: Recipient
    item: CaseItem
    scale: Scale
    level: str
    evidence: EvidenceSummary
    valid_from: datetime
    status: StatusRef
    peers: tuple[CaseItem, ...] = ()  # crosswalk members of the item (exactMatchOf)
    achieved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Association:
    """A CLR Association between two achievements, by CASE item id."""

    kind: str  # isChildOf | exactMatchOf | ...
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """One ClrCredential: signed achievement credentials plus the hierarchy they sit in."""

    credential_id: str
    recipient: Recipient
    name: str
    description: str
    members: tuple[Mapping[str, Any], ...]  # signed credentials, embedded unchanged
    items: tuple[CaseItem, ...]  # achievement definitions (the hierarchy)
    associations: tuple[Association, ...]
    valid_from: datetime
    status: StatusRef
    partial: bool = False


# --- Documents -----------------------------------------------------------------------------


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def alignment(item: CaseItem) -> dict[str, Any]:
    """An OB 3.0 Alignment to a CASE item (targetType CFItem; credentials.md checklist 4)."""
    out: dict[str, Any] = {
        "type": ["Alignment"],
        "targetType": "CFItem",
        "targetUrl": item.uri,
        "targetName": _shorten(item.abbreviated or item.statement, 200),
        "targetDescription": item.statement,
        "targetFramework": item.framework_title,
    }
    if item.human_code:
        out["targetCode"] = item.human_code
    return out


def result_description_id(item_id: str, scale: Scale) -> str:
    """The id of the proficiency ResultDescription of an item under a scale (stable)."""
    return f"urn:uuid:{uuid5(RECORDS_NS, f'result-description|{item_id}|{scale.key}')}"


def achievement(
    urls: RecordUrls,
    item: CaseItem,
    *,
    scale: Scale | None = None,
    peers: Iterable[CaseItem] = (),
) -> dict[str, Any]:
    """The Achievement for a CASE item; with a scale, its proficiency ResultDescription."""
    out: dict[str, Any] = {
        "id": urls.achievement(item.id),
        "type": ["Achievement"],
    }
    if item.is_competency:
        out["achievementType"] = "Competency"
    out["name"] = item.name
    out["description"] = item.statement
    if scale is not None:
        narrative = (
            f"Reach {scale.label(scale.mastery)} or above on the proficiency scale "
            f"({', '.join(lv.label for lv in scale.levels)}), decided from evidence "
            "aligned to this competency."
        )
    elif item.is_competency:
        narrative = "Mastery of this competency, decided from evidence aligned to it."
    else:
        narrative = f"A part of {item.framework_title}; see the competencies under it."
    out["criteria"] = {"narrative": narrative}
    if item.human_code:
        out["humanCode"] = item.human_code
    out["alignment"] = [alignment(i) for i in (item, *peers)]
    if scale is not None:
        # OB 3.0: PerformanceLevel with allowedValue ordered low to high, result.value.
        out["resultDescription"] = [
            {
                "id": result_description_id(item.id, scale),
                "type": ["ResultDescription"],
                "name": "Proficiency",
                "resultType": "PerformanceLevel",
                "allowedValue": [lv.label for lv in scale.levels],
                "requiredValue": scale.label(scale.mastery),
            }
        ]
    return out


def _salt(credential_id: str) -> str:
    # Not a secret: it only keeps equal identifiers from hashing alike across credentials.
    return hashlib.sha256(f"salt|{credential_id}".encode()).hexdigest()[:16]


def achievement_credential(
    urls: RecordUrls, issuer: Issuer, award: Award
) -> dict[str, Any]:
    """The unsigned OB 3.0 AchievementCredential for ``award``."""
    label = award.scale.label(award.level)
    subject: dict[str, Any] = {
        "id": award.recipient.subject_id,
        "type": ["AchievementSubject"],
    }
    identifiers = award.recipient.identity_objects(_salt(award.credential_id))
    if identifiers:
        subject["identifier"] = identifiers
    subject["achievement"] = achievement(
        urls, award.item, scale=award.scale, peers=award.peers
    )
    subject["result"] = [
        {
            "type": ["Result"],
            "resultDescription": result_description_id(award.item.id, award.scale),
            "value": label,
        }
    ]
    if award.achieved_at is not None:
        subject["activityEndDate"] = xsd_datetime(award.achieved_at)
    return {
        "@context": list(ACHIEVEMENT_CONTEXT),
        "id": urls.credential(award.credential_id),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "issuer": issuer.profile(),
        "validFrom": xsd_datetime(award.valid_from),
        "awardedDate": xsd_datetime(award.valid_from),
        "name": f"{award.item.name}: {label}",
        "description": f"{label} in {award.item.framework_title}: {award.item.statement}",
        "credentialSubject": subject,
        "evidence": [
            {
                "type": ["Evidence"],
                "name": "Evidence summary",
                "genre": "Mastery decision",
                "narrative": award.evidence.narrative(),
            }
        ],
        "credentialStatus": award.status.to_json(),
    }


def clr_credential(
    urls: RecordUrls, issuer: Issuer, transcript: Transcript
) -> dict[str, Any]:
    """The unsigned CLR 2.0 ClrCredential for ``transcript`` (members embedded unchanged)."""
    subject: dict[str, Any] = {
        "id": transcript.recipient.subject_id,
        "type": ["ClrSubject"],
    }
    identifiers = transcript.recipient.identity_objects(_salt(transcript.credential_id))
    if identifiers:
        subject["identifier"] = identifiers
    subject["verifiableCredential"] = [dict(m) for m in transcript.members]
    if transcript.items:
        subject["achievement"] = [achievement(urls, i) for i in transcript.items]
    if transcript.associations:
        subject["association"] = [
            {
                "type": "Association",
                "associationType": a.kind,
                "sourceId": urls.achievement(a.source),
                "targetId": urls.achievement(a.target),
            }
            for a in transcript.associations
        ]
    out: dict[str, Any] = {
        "@context": list(CLR_CONTEXT),
        "id": urls.credential(transcript.credential_id),
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer.profile(),
        "validFrom": xsd_datetime(transcript.valid_from),
        "awardedDate": xsd_datetime(transcript.valid_from),
        "name": transcript.name,
        "description": transcript.description,
    }
    if transcript.partial:
        out["partial"] = True
    out["credentialSubject"] = subject
    out["credentialStatus"] = transcript.status.to_json()
    return out


def transcript_structure(
    chosen: Sequence[tuple[CaseItem, str]], known: Mapping[str, CaseItem]
) -> tuple[tuple[CaseItem, ...], tuple[Association, ...]]:
    """Achievement definitions and associations for a CLR.

    ``chosen`` pairs each framework item the transcript shows with the item id its credential's
    achievement names (its crosswalk's shared item); ``known`` holds the items and their
    ancestors. The result: every chosen item and its ancestors, ``isChildOf`` each parent
    (CASE hierarchy), and ``exactMatchOf`` from a chosen item to its credential's achievement
    when the two differ.
    """
    included: dict[str, CaseItem] = {}
    associations: list[Association] = []
    for item, achieved in chosen:
        if item.id != achieved:
            associations.append(Association("exactMatchOf", item.id, achieved))
        current: CaseItem | None = item
        while current is not None and current.id not in included:
            included[current.id] = current
            parent = known.get(current.parent_id) if current.parent_id else None
            if parent is not None:
                associations.append(Association("isChildOf", current.id, parent.id))
            current = parent
    items = tuple(sorted(included.values(), key=lambda i: (i.framework_id, i.id)))
    ordered = tuple(
        sorted(set(associations), key=lambda a: (a.kind, a.source, a.target))
    )
    return items, ordered


# --- Bitstring Status List -----------------------------------------------------------------


def encode_bitstring(bits: bytes) -> str:
    """``encodedList``: GZIP, then multibase base64url without padding (BSL 1.0 section 3.2)."""
    packed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_bitstring(encoded: str) -> bytes:
    """The bits of an ``encodedList``; :class:`ValueError` when it is not one."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is multibase base64url and starts with 'u'")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    """Whether bit ``index`` is 1; index 0 is the most significant bit of the first byte."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def with_bit(bits: bytes, index: int) -> bytes:
    """``bits`` with bit ``index`` set to 1."""
    out = bytearray(bits)
    out[index // 8] |= 0x80 >> (index % 8)
    return bytes(out)


def status_list_credential(
    urls: RecordUrls, issuer_id: str, list_id: int, bits: bytes, valid_from: datetime
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential of list ``list_id``."""
    url = urls.status_list(list_id)
    return {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(bits),
        },
    }


def did_document(
    urls: RecordUrls,
    ed25519_keys: Sequence[tuple[str, str]],
    rsa_keys: Sequence[tuple[str, Mapping[str, Any]]],
) -> dict[str, Any]:
    """The issuer's DID document: Ed25519 keys as Multikey, RSA keys as JsonWebKey.

    ``ed25519_keys`` are (kid, publicKeyMultibase), ``rsa_keys`` (kid, public JWK); retired
    keys are listed too, so everything they signed keeps verifying. All are assertion methods.
    """
    did = urls.did
    methods: list[dict[str, Any]] = [
        {
            "id": urls.method(kid),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": value,
        }
        for kid, value in ed25519_keys
    ]
    methods += [
        {
            "id": urls.method(kid),
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": {k: v for k, v in jwk.items() if k in ("kty", "n", "e")},
        }
        for kid, jwk in rsa_keys
    ]
    ids = [m["id"] for m in methods]
    return {
        "@context": [DID_V1, MULTIKEY_V1, JWK_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    }
