from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from hypothesis import given
from hypothesis import strategies as st
from openbadgeslib.ob3.did import multikey_from_pem
from openbadgeslib.ob3.status import decode_encoded_list, set_indices

from gateway.errors import ConfigError, InvalidPayload, UndefinedTerm, UnknownContext
from gateway.records import model, proofs
from gateway.records.jsonld import canonicalize
from gateway.records.verify import verify_credential
from gateway.settings import load_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "credentials"
URLS = model.RecordUrls("https://records.example.edu")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ITEM = model.CaseItem(
    id="c1",
    uri="https://case.example.org/CFItems/c1",
    statement="Solve two-step word problems using the four operations.",
    framework_id="f1",
    framework_title="Grade 3 Mathematics",
    human_code="3.OA.D.8",
    parent_id="d1",
)
DOMAIN = model.CaseItem(
    "d1", "https://case.example.org/CFItems/d1", "Operations", "f1", "Grade 3 Mathematics",
    human_code="3.OA", is_competency=False,
)  # fmt: skip


def _award(**overrides: Any) -> model.Award:
    values: dict[str, Any] = {
        "credential_id": "5f0e4d8c-7a1b-5c2d-9e3f-4a5b6c7d8e9f",
        "recipient": model.Recipient("a1b2c3d4-0000-5000-8000-000000000001"),
        "item": ITEM,
        "scale": model.DEFAULT_SCALE,
        "level": "mastery",
        "evidence": model.EvidenceSummary(2, "decaying_average", (("quiz", 2),), 1),
        "valid_from": NOW,
        "status": model.StatusRef(URLS.status_list(1), 7),
    }
    values.update(overrides)
    return model.Award(**values)


def _signed(key: ed25519.Ed25519PrivateKey) -> dict[str, Any]:
    issuer = model.Issuer(URLS.did, "Example District", "https://www.example.edu")
    document = model.achievement_credential(URLS, issuer, _award())
    return proofs.add_data_integrity_proof(document, key, URLS.method("k1"), NOW)


# --- Addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "did", "document"),
    [
        (
            "https://records.example.edu",
            "did:web:records.example.edu",
            "https://records.example.edu/.well-known/did.json",
        ),
        (
            "http://127.0.0.1:8000",
            "did:web:127.0.0.1%3A8000",
            "http://127.0.0.1:8000/.well-known/did.json",
        ),
        (
            "https://example.edu/tessera",
            "did:web:example.edu:tessera",
            "https://example.edu/tessera/did.json",
        ),
    ],
)
def test_the_issuer_did_is_the_did_web_of_the_base_url(
    base_url: str, did: str, document: str
) -> None:
    urls = model.RecordUrls(base_url)
    assert urls.did == did and urls.did_document == document


# --- Encodings ------------------------------------------------------------------------------


@given(st.binary(max_size=64))
def test_base58btc_round_trips(data: bytes) -> None:
    assert proofs.from_base58btc(proofs.base58btc(data)) == data


def test_multikey_matches_an_independent_encoder() -> None:
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    value = proofs.multikey(public)
    assert value.startswith("z6Mk") and value == multikey_from_pem(pem)
    assert proofs.public_key_from_multikey(value) == public
    with pytest.raises(ValueError, match="Ed25519"):
        proofs.public_key_from_multikey("z" + proofs.base58btc(b"\x12\x00" + bytes(32)))


def test_status_bits_read_as_an_independent_decoder_reads_them() -> None:
    bits = bytes(model.STATUS_LIST_BITS // 8)
    for index in (0, 7, 8, 1000, model.STATUS_LIST_BITS - 1):
        bits = model.with_bit(bits, index)
    encoded = model.encode_bitstring(bits)
    assert encoded.startswith("u") and encoded == model.encode_bitstring(bits)
    assert model.decode_bitstring(encoded) == bits
    assert set_indices(decode_encoded_list(encoded)) == {
        0, 7, 8, 1000, model.STATUS_LIST_BITS - 1
    }  # fmt: skip
    assert model.bit_is_set(bits, 7) and not model.bit_is_set(bits, 6)
    assert bits[0] == 0b1000_0001  # index 0 is the first byte's most significant bit


# --- Documents ------------------------------------------------------------------------------


def test_the_result_uses_the_scale_as_performance_levels_low_to_high() -> None:
    doc = model.achievement_credential(
        URLS, model.Issuer(URLS.did, "X", "https://x.example"), _award(level="exceeds")
    )
    achievement = doc["credentialSubject"]["achievement"]
    (description,) = achievement["resultDescription"]
    assert description["allowedValue"] == [
        lv.label for lv in model.DEFAULT_SCALE.levels
    ]
    assert description["requiredValue"] == "Mastery"
    assert doc["credentialSubject"]["result"][0] == {
        "type": ["Result"],
        "resultDescription": description["id"],
        "value": "Exceeds Mastery",
    }
    assert achievement["alignment"][0]["targetType"] == "CFItem"
    assert achievement["alignment"][0]["targetUrl"] == ITEM.uri
    assert achievement["alignment"][0]["targetCode"] == "3.OA.D.8"
    assert "credentialSubject" in doc and "identifier" not in doc["credentialSubject"]


def test_identifiers_are_salted_hashes() -> None:
    recipient = model.Recipient("l1", (("emailAddress", "ada@example.edu"),))
    (identity,) = recipient.identity_objects("abc")
    assert identity["hashed"] is True and identity["salt"] == "abc"
    assert identity["identityHash"].startswith("sha256$")
    assert "ada" not in json.dumps(identity)


def test_the_evidence_summary_reads_as_a_sentence() -> None:
    summary = model.EvidenceSummary(
        3,
        "decaying_average",
        (("quiz", 2), ("assessment", 1)),
        2,
        datetime(2026, 9, 1, tzinfo=UTC),
        datetime(2026, 11, 1, tzinfo=UTC),
    )
    assert summary.narrative() == (
        "3 pieces of evidence (2 quiz, 1 assessment) from 2 sources observed from "
        "2026-09-01 to 2026-11-01, decided by the decaying_average policy."
    )
    assert "without scored evidence" in model.EvidenceSummary(0, "override").narrative()


def test_a_transcript_holds_each_item_its_ancestors_and_the_crosswalk() -> None:
    peer = model.CaseItem("s1", "https://state.example/s1", "Same skill", "f2", "State")
    sibling = model.CaseItem("c2", "https://case.example.org/CFItems/c2", "Other", "f1",
                             "Grade 3 Mathematics", parent_id="d1")  # fmt: skip
    known = {i.id: i for i in (ITEM, DOMAIN, peer, sibling)}
    items, associations = model.transcript_structure(
        [(ITEM, "c1"), (sibling, "c2"), (peer, "c1")], known
    )
    assert [i.id for i in items] == ["c1", "c2", "d1", "s1"]
    assert associations == (
        model.Association("exactMatchOf", "s1", "c1"),
        model.Association("isChildOf", "c1", "d1"),
        model.Association("isChildOf", "c2", "d1"),
    )


# --- JSON-LD --------------------------------------------------------------------------------


def test_unknown_contexts_are_refused_not_fetched() -> None:
    doc = {"@context": ["https://evil.example/context.jsonld"], "id": "urn:x"}
    with pytest.raises(UnknownContext, match="never fetched"):
        canonicalize(doc)


def test_terms_the_contexts_do_not_define_are_refused() -> None:
    doc = model.achievement_credential(
        URLS, model.Issuer(URLS.did, "X", "https://x.example"), _award()
    )
    doc["credentialSubject"]["favouriteColour"] = "blue"
    with pytest.raises(UndefinedTerm, match="favouriteColour"):
        canonicalize(doc)


# --- Proofs ---------------------------------------------------------------------------------


def _multikey_lookup(method: str) -> Any:
    """The key named by a verification method whose fragment is its Multikey (1EdTech)."""
    return proofs.public_key_from_multikey(method.split("#")[1])


@pytest.mark.parametrize(
    "path",
    [
        "samples-1edtech/ob30/simple.json",
        "samples-1edtech/clr20/simple.json",
        "generated-test-vectors/signed-eddsa-rdfc-2022.json",
    ],
)
def test_proofs_made_elsewhere_verify_here(path: str) -> None:
    document = json.loads((FIXTURES / path).read_text())
    assert proofs.verify_data_integrity_proof(document, _multikey_lookup).ok
    for member in document["credentialSubject"].get("verifiableCredential", []):
        assert proofs.verify_data_integrity_proof(member, _multikey_lookup).ok
    tampered = copy.deepcopy(document)
    tampered["name"] = "Something else"
    check = proofs.verify_data_integrity_proof(tampered, _multikey_lookup)
    assert not check.ok and "does not match" in check.detail


def test_a_data_integrity_proof_verifies_with_its_key_only() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    signed = _signed(key)
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["created"] == "2026-11-20T12:00:00Z"
    ok = proofs.verify_data_integrity_proof(
        signed, {URLS.method("k1"): key.public_key()}.get
    )
    assert ok.ok and ok.verification_method == URLS.method("k1")
    other = ed25519.Ed25519PrivateKey.generate().public_key()
    assert not proofs.verify_data_integrity_proof(signed, lambda _m: other).ok
    assert not proofs.verify_data_integrity_proof(signed, lambda _m: None).ok
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    assert not proofs.verify_data_integrity_proof(unsigned, lambda _m: other).ok


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_a_vc_jwt_mirrors_the_credential_in_its_claims() -> None:
    key = _rsa()
    credential = _signed(ed25519.Ed25519PrivateKey.generate())
    token = proofs.encode_vc_jwt(credential, key, URLS.method("r1"))
    assert jwt.get_unverified_header(token) == {
        "alg": "RS256",
        "kid": URLS.method("r1"),
        "typ": "JWT",
    }
    claims = jwt.decode(token, key.public_key(), algorithms=["RS256"])
    assert claims["iss"] == URLS.did and claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == int(NOW.timestamp())
    decoded, check = proofs.decode_vc_jwt(
        token, {URLS.method("r1"): key.public_key()}.get
    )
    assert check.ok and decoded == credential


def test_a_vc_jwt_whose_claims_disagree_with_its_credential_fails() -> None:
    key = _rsa()
    credential = _signed(ed25519.Ed25519PrivateKey.generate())
    token = proofs.encode_vc_jwt(credential, key, URLS.method("r1"))
    claims = jwt.decode(token, key.public_key(), algorithms=["RS256"])
    claims["sub"] = "urn:uuid:someone-else"
    resigned = jwt.encode(
        claims, key, algorithm="RS256", headers={"kid": URLS.method("r1")}
    )
    _, check = proofs.decode_vc_jwt(resigned, lambda _k: key.public_key())
    assert not check.ok and "'sub'" in check.detail
    hs256 = jwt.encode(claims, "secret-secret-secret-secret-secret", algorithm="HS256")
    _, check = proofs.decode_vc_jwt(hs256, lambda _k: key.public_key())
    assert not check.ok and "RS256" in check.detail
    with pytest.raises(InvalidPayload):
        proofs.decode_vc_jwt("not a jwt", lambda _k: None)


# --- The report ------------------------------------------------------------------------------


def test_the_report_checks_issuer_signature_status_and_validity() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    signed = _signed(key)
    keys = {URLS.method("k1"): key.public_key()}
    clean = bytes(16)

    def report(**kw: Any) -> Any:
        values: dict[str, Any] = {
            "issuer_id": URLS.did,
            "keys": keys,
            "status": lambda _url: clean,
            "now": NOW,
        }
        values.update(kw)
        return verify_credential(signed, **values)

    ok = report()
    assert ok.verified and ok.claims()["level"] == "Mastery"
    assert report(status=lambda _url: model.with_bit(clean, 7)).revoked
    unknown = report(status=lambda _url: None)
    assert not unknown.verified and not unknown.revoked
    early = report(now=NOW - timedelta(days=1))
    assert [c.ok for c in early.checks if c.name == "validity"] == [False]
    stranger = report(issuer_id="did:web:elsewhere.example")
    assert [c.ok for c in stranger.checks if c.name == "issuer"] == [False]
    with pytest.raises(InvalidPayload):
        verify_credential(
            {"type": ["Thing"]}, issuer_id=URLS.did, keys=keys, status=lambda _u: None,
            now=NOW,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "value", "variable"),
    [
        ("issuer_url", "ftp://school.example", "TESSERA_ISSUER_URL"),
        ("issuer_image", "logo.png", "TESSERA_ISSUER_IMAGE"),
        ("issuer_email", "registrar", "TESSERA_ISSUER_EMAIL"),
    ],
)
def test_issuer_settings_are_checked(name: str, value: str, variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_settings({}, {name: value})
    assert getattr(load_settings({}, {name: ""}), name) == ""


def test_a_credential_naming_an_unknown_context_does_not_verify() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    signed = _signed(key)
    signed["@context"] = [*signed["@context"], "https://evil.example/context.jsonld"]
    report = verify_credential(
        signed,
        issuer_id=URLS.did,
        keys={URLS.method("k1"): key.public_key()},
        status=lambda _url: bytes(16),
        now=NOW,
    )
    (signature,) = [c for c in report.checks if c.name == "signature"]
    assert signature.ok is False and "never fetched" in signature.detail
