"""What a credential says and whether it verifies: signature, status, validity. Pure.

The trust anchor is this Tessera's own DID document: a credential verifies here only when its
issuer is this Tessera and its proof was made with one of the keys that document publishes.
Nothing is fetched; status lists are read through the ``status`` callback (None: not known).
A CLR's embedded credentials are checked one by one as well (credentials.md section 3).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gateway.errors import InvalidPayload
from gateway.records.model import bit_is_set
from gateway.records.proofs import (
    ProofCheck,
    decode_vc_jwt,
    verify_data_integrity_proof,
)
from gateway.records.timefmt import parse_xsd_datetime

StatusLookup = Callable[[str], bytes | None]


@dataclass(frozen=True, slots=True)
class Check:
    """One check: passed, failed, or None when it could not be made."""

    name: str
    ok: bool | None
    detail: str


@dataclass(frozen=True, slots=True)
class Report:
    """The verdict on one credential, with what it claims, for people and scripts."""

    credential: Mapping[str, Any]
    proof_format: str  # "Data Integrity (eddsa-rdfc-2022)" | "VC-JWT (RS256)"
    checks: tuple[Check, ...]
    embedded: tuple[Report, ...] = field(default_factory=tuple)

    @property
    def verified(self) -> bool:
        """Every check passed, for this credential and every one it embeds."""
        return all(c.ok for c in self.checks) and all(e.verified for e in self.embedded)

    @property
    def revoked(self) -> bool:
        """Its status list says it was revoked."""
        return any(c.name == "status" and c.ok is False for c in self.checks)

    def claims(self) -> dict[str, Any]:
        """What the credential says, in plain fields."""
        doc = self.credential
        issuer = doc.get("issuer")
        subject = doc.get("credentialSubject")
        subject = subject if isinstance(subject, dict) else {}
        achievement = subject.get("achievement")
        achievement = achievement if isinstance(achievement, dict) else {}
        results = subject.get("result")
        first = results[0] if isinstance(results, list) and results else {}
        types = doc.get("type")
        return {
            "id": doc.get("id"),
            "type": [t for t in types if t != "VerifiableCredential"]
            if isinstance(types, list)
            else types,
            "name": doc.get("name"),
            "issuer": issuer.get("name") if isinstance(issuer, dict) else issuer,
            "issuer_id": issuer.get("id") if isinstance(issuer, dict) else issuer,
            "subject": subject.get("id"),
            "achievement": achievement.get("name"),
            "competency_code": achievement.get("humanCode"),
            "level": first.get("value") if isinstance(first, dict) else None,
            "valid_from": doc.get("validFrom"),
            "valid_until": doc.get("validUntil"),
            "credentials": len(subject.get("verifiableCredential") or []),
        }

    def to_json(self) -> dict[str, Any]:
        """The report as JSON (the verification page's machine-readable form)."""
        return {
            "verified": self.verified,
            "revoked": self.revoked,
            "proof_format": self.proof_format,
            "claims": self.claims(),
            "checks": [
                {"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks
            ],
            "embedded": [e.to_json() for e in self.embedded],
        }


def _issuer_check(doc: Mapping[str, Any], issuer_id: str) -> Check:
    issuer = doc.get("issuer")
    found = issuer.get("id") if isinstance(issuer, dict) else issuer
    if found == issuer_id:
        return Check("issuer", True, f"Issued by this Tessera ({issuer_id}).")
    return Check(
        "issuer",
        False,
        f"Issued by {found!r}, not by this Tessera ({issuer_id}); only credentials "
        "Tessera issued are verified here.",
    )


def _signature_check(proof: ProofCheck) -> Check:
    return Check("signature", proof.ok, proof.detail)


def _status_check(doc: Mapping[str, Any], status: StatusLookup) -> Check:
    entry = doc.get("credentialStatus")
    if entry is None:
        return Check(
            "status", True, "The credential carries no status: it cannot be revoked."
        )
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return Check(
            "status", None, "The credential's status entry is not a Bitstring one."
        )
    url = entry.get("statusListCredential")
    try:
        index = int(entry.get("statusListIndex", ""))
    except ValueError:
        return Check("status", False, "The status entry has no valid statusListIndex.")
    bits = status(url) if isinstance(url, str) else None
    if bits is None or index < 0 or index >= len(bits) * 8:
        return Check(
            "status", None, f"The status list {url} is not one of this Tessera's."
        )
    if bit_is_set(bits, index):
        return Check("status", False, "Revoked: its bit in the status list is set.")
    return Check("status", True, "Not revoked.")


def _validity_check(doc: Mapping[str, Any], now: datetime) -> Check:
    try:
        valid_from = parse_xsd_datetime(str(doc["validFrom"]))
        until = doc.get("validUntil")
        valid_until = parse_xsd_datetime(str(until)) if until is not None else None
    except (KeyError, ValueError):
        return Check("validity", False, "The credential has no valid validFrom date.")
    if valid_from > now:
        return Check("validity", False, f"Not valid before {doc['validFrom']}.")
    if valid_until is not None and valid_until <= now:
        return Check("validity", False, f"Expired on {doc['validUntil']}.")
    if valid_until is None:
        return Check(
            "validity", True, f"Valid since {doc['validFrom']}; does not expire."
        )
    return Check(
        "validity", True, f"Valid from {doc['validFrom']} to {doc['validUntil']}."
    )


def verify_credential(
    credential: Mapping[str, Any] | str,
    *,
    issuer_id: str,
    keys: Mapping[str, Any],
    status: StatusLookup,
    now: datetime,
) -> Report:
    """Check a credential (a JSON-LD document with an embedded proof, or a VC-JWT).

    ``keys`` maps each verification method id of the issuer's DID document to its public key.
    Raises :class:`InvalidPayload` for input that is no credential at all.
    """
    if isinstance(credential, str):
        doc, proof = decode_vc_jwt(credential.strip(), keys.get)
        proof_format = "VC-JWT (RS256)"
    elif isinstance(credential, Mapping):
        doc = dict(credential)
        proof = verify_data_integrity_proof(doc, keys.get)
        proof_format = "Data Integrity (eddsa-rdfc-2022)"
    else:
        raise InvalidPayload("A credential is a JSON object or a compact JWS string.")
    embedded: tuple[Report, ...] = ()
    subject = doc.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(
        subject.get("verifiableCredential"), list
    ):
        embedded = tuple(
            verify_credential(
                member, issuer_id=issuer_id, keys=keys, status=status, now=now
            )
            for member in subject["verifiableCredential"]
            if isinstance(member, Mapping | str)
        )
    return _report(doc, proof, proof_format, issuer_id, status, now, embedded)


def unchecked_report(
    credential: Mapping[str, Any] | str,
    reason: str,
    *,
    issuer_id: str,
    status: StatusLookup,
    now: datetime,
) -> Report:
    """The report on a credential whose proof is not even computed, for ``reason``.

    Used for pasted credentials that differ from what this issuer stored under their id:
    they cannot verify, and canonicalizing untrusted JSON-LD costs more than it tells.
    """
    if isinstance(credential, str):
        doc, _ = decode_vc_jwt(credential.strip(), lambda _kid: None)
        proof_format = "VC-JWT (RS256)"
    else:
        doc = dict(credential)
        proof_format = "Data Integrity (eddsa-rdfc-2022)"
    return _report(
        doc, ProofCheck(False, reason), proof_format, issuer_id, status, now, ()
    )


def _report(
    doc: dict[str, Any],
    proof: ProofCheck,
    proof_format: str,
    issuer_id: str,
    status: StatusLookup,
    now: datetime,
    embedded: tuple[Report, ...],
) -> Report:
    types = doc.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise InvalidPayload("This is not a Verifiable Credential: its type lacks it.")
    checks = (
        _issuer_check(doc, issuer_id),
        _signature_check(proof),
        _status_check(doc, status),
        _validity_check(doc, now),
    )
    return Report(doc, proof_format, checks, embedded)
