"""The two proof formats of Open Badges 3.0 / CLR 2.0, as pure functions.

* **Data Integrity** ``DataIntegrityProof`` with cryptosuite ``eddsa-rdfc-2022`` (W3C VC Data
  Integrity EdDSA Cryptosuites 1.0, section 3.3): RDFC-1.0 canonical forms of the proof options
  and of the document, each hashed with SHA-256, concatenated (options first) and signed with
  Ed25519; ``proofValue`` is the signature in multibase base58-btc.
* **VC-JWT** (OB 3.0 section 8.2, "JSON Web Token Proof Format"): a compact JWS, RS256, whose
  payload is the credential plus the registered claims ``iss``, ``jti``, ``sub``, ``nbf`` and
  ``exp`` mirroring its issuer, id, subject and validity; a verifier checks the signature and
  then that those claims agree with the credential.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from gateway.errors import InvalidPayload
from gateway.records.jsonld import canonicalize
from gateway.records.timefmt import parse_xsd_datetime, xsd_datetime

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
JWT_ALG = "RS256"
_JWT_CLAIMS = ("iss", "jti", "sub", "nbf", "exp", "iat")

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
# Multicodec varint prefix of an Ed25519 public key (0xed), as Multikey uses it.
_ED25519_PUB = b"\xed\x01"


def base58btc(data: bytes) -> str:
    """Base58 (Bitcoin alphabet) of ``data``, keeping leading zero bytes as ``1``."""
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def from_base58btc(text: str) -> bytes:
    """The bytes of a base58-btc string; :class:`ValueError` for a character outside it."""
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise ValueError(f"{char!r} is not a base58-btc character")
        number = number * 58 + _B58_INDEX[char]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def from_base64url(text: str) -> bytes:
    """The bytes of unpadded base64url (JWK members, RFC 7515 section 2)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def multikey(public_key: ed25519.Ed25519PublicKey) -> str:
    """``publicKeyMultibase`` of an Ed25519 key (Controlled Identifiers 1.0, Multikey)."""
    return "z" + base58btc(_ED25519_PUB + public_key.public_bytes_raw())


def public_key_from_multikey(value: str) -> ed25519.Ed25519PublicKey:
    """The Ed25519 key of a ``z6Mk...`` Multikey; :class:`ValueError` for anything else."""
    if not value.startswith("z"):
        raise ValueError("a Multikey is multibase base58-btc and starts with 'z'")
    raw = from_base58btc(value[1:])
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])


def _hash_data(document: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    """The hashData of vc-di-eddsa 3.3.4: SHA-256(canonical options) || SHA-256(doc)."""
    options_hash = hashlib.sha256(canonicalize(options).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(document).encode("utf-8")).digest()
    return options_hash + document_hash


def add_data_integrity_proof(
    document: Mapping[str, Any],
    private_key: ed25519.Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """``document`` with an ``eddsa-rdfc-2022`` proof for ``assertionMethod`` added."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    # vc-di-eddsa 3.3.1: the proof options are canonicalized with the document's @context.
    signature = private_key.sign(
        _hash_data(unsecured, {"@context": unsecured["@context"], **options})
    )
    return {**unsecured, "proof": {**options, "proofValue": "z" + base58btc(signature)}}


@dataclass(frozen=True, slots=True)
class ProofCheck:
    """The outcome of checking one proof: whether it holds, with which key, and why not."""

    ok: bool
    detail: str
    verification_method: str | None = None


KeyLookup = Callable[[str], Any]


def verify_data_integrity_proof(
    document: Mapping[str, Any], lookup: KeyLookup
) -> ProofCheck:
    """Check the ``eddsa-rdfc-2022`` proof of ``document``; ``lookup`` maps a method id to a key.

    ``lookup`` returns an Ed25519 public key authorized for ``assertionMethod``, or None.
    """
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        return ProofCheck(False, "The credential has no single embedded proof.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return ProofCheck(
            False,
            f"The proof is not a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}.",
        )
    method = proof.get("verificationMethod")
    if proof.get("proofPurpose") != "assertionMethod" or not isinstance(method, str):
        return ProofCheck(False, "The proof is not made for assertionMethod.")
    key = lookup(method)
    if not isinstance(key, ed25519.Ed25519PublicKey):
        return ProofCheck(
            False,
            f"The verification method {method} is not an Ed25519 key of the issuer.",
            method,
        )
    value = proof.get("proofValue")
    try:
        if not isinstance(value, str) or not value.startswith("z"):
            raise ValueError("proofValue is not multibase base58-btc")
        signature = from_base58btc(value[1:])
        options = {k: v for k, v in proof.items() if k != "proofValue"}
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        data = _hash_data(unsecured, {**options, "@context": document.get("@context")})
        key.verify(signature, data)
    except InvalidSignature:
        return ProofCheck(False, "The signature does not match the credential.", method)
    except (ValueError, InvalidPayload) as exc:
        detail = exc.detail if isinstance(exc, InvalidPayload) else str(exc)
        return ProofCheck(False, f"The proof cannot be checked: {detail}", method)
    return ProofCheck(True, "The signature matches the credential.", method)


def _subject_id(credential: Mapping[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    value = subject.get("id") if isinstance(subject, dict) else None
    return value if isinstance(value, str) else None


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def _jwt_claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The registered claims that must mirror the credential (OB 3.0 section 8.2.4.1)."""
    claims: dict[str, Any] = {"iss": _issuer_id(credential), "jti": credential["id"]}
    subject = _subject_id(credential)
    if subject is not None:
        claims["sub"] = subject
    claims["nbf"] = int(parse_xsd_datetime(credential["validFrom"]).timestamp())
    if "validUntil" in credential:
        claims["exp"] = int(parse_xsd_datetime(credential["validUntil"]).timestamp())
    return claims


def encode_vc_jwt(
    credential: Mapping[str, Any], private_key: rsa.RSAPrivateKey, kid: str
) -> str:
    """The credential as a VC-JWT: RS256, ``kid`` a dereferenceable key id, no other headers."""
    payload = {**copy.deepcopy(dict(credential)), **_jwt_claims(credential)}
    return jwt.encode(
        payload, private_key, algorithm=JWT_ALG, headers={"kid": kid, "typ": "JWT"}
    )


def decode_vc_jwt(token: str, lookup: KeyLookup) -> tuple[dict[str, Any], ProofCheck]:
    """The credential inside a VC-JWT and whether its signature and claims hold.

    Raises :class:`InvalidPayload` when ``token`` is not a JWT at all; a JWT that does not
    verify comes back with its (unverified) credential and a failed check.
    """
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise InvalidPayload(f"This is not a compact JWS: {exc}.") from None
    credential = {k: v for k, v in unverified.items() if k not in _JWT_CLAIMS}
    kid = header.get("kid")
    if header.get("alg") != JWT_ALG or not isinstance(kid, str):
        return credential, ProofCheck(
            False, f"The JWT must be signed {JWT_ALG} and name its key in 'kid'."
        )
    key = lookup(kid)
    if not isinstance(key, rsa.RSAPublicKey):
        return credential, ProofCheck(
            False, f"The key {kid} is not an RSA key of the issuer.", kid
        )
    try:
        # Times are the report's business (it shows them); here only the signature.
        payload = jwt.decode(
            token,
            key,
            algorithms=[JWT_ALG],
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.InvalidSignatureError:
        return credential, ProofCheck(
            False, "The signature does not match the credential.", kid
        )
    except jwt.PyJWTError as exc:
        return credential, ProofCheck(False, f"The JWT does not verify: {exc}.", kid)
    try:
        expected = _jwt_claims(credential)
    except (KeyError, ValueError, TypeError):
        return credential, ProofCheck(
            False, "The JWT's credential lacks an id or a valid validFrom.", kid
        )
    for claim, value in expected.items():
        if payload.get(claim) != value:
            return credential, ProofCheck(
                False,
                f"The JWT claim {claim!r} does not match the credential it carries.",
                kid,
            )
    return credential, ProofCheck(True, "The signature matches the credential.", kid)
