"""Tessera's credentials checked by verifiers it does not control (testing-peers.md section 6).

* Node: @digitalcredentials/vc with security-document-loader, eddsa-rdfc-2022 and
  vc-bitstring-status-list (``tests/verifiers/node``, installed from its lock file);
* Python: openbadgeslib[ldp], which resolves our did:web and status lists itself;
* PyJWT for the VC-JWT form, with the key found in our DID document or JWKS.

Both Data Integrity verifiers get the documents they would fetch over HTTPS from this
Tessera's own responses; nothing leaves the machine.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from flask.testing import FlaskClient
from openbadgeslib.ob3.did import resolve_verification_method
from openbadgeslib.ob3.ldp import OB3LdpVerifier, verify_data_integrity_proof
from openbadgeslib.ob3.verifier import OB3VerificationError

from gateway.keys import rotate_key
from gateway.records import service
from gateway.records.jsonld import CLR_V2P0, bundled_context
from gateway.store import Store
from tests.integration.test_records import (  # noqa: F401 - fixtures
    config,
    seeded,
    settings,
)
from tests.records_helpers import (
    BASE_URL,
    Seeded,
    ensure_node_verifier,
    node_documents,
    node_verify,
    served,
)

DID = "did:web:records.example.edu"


@pytest.fixture(scope="module", autouse=True)
def node_verifier() -> None:
    ensure_node_verifier()


def _download(client: FlaskClient) -> Callable[[str], bytes]:
    return lambda url: served(client, url)


def _openbadges(
    client: FlaskClient, credential: dict[str, Any], *, status: bool = True
) -> None:
    """openbadgeslib: an OB 3.0 credential, or a CLR and then each credential it embeds."""
    download = _download(client)
    if "ClrCredential" in credential["type"]:
        pem = resolve_verification_method(
            credential["proof"]["verificationMethod"], download=download
        )
        verify_data_integrity_proof(
            credential, pem, extra_contexts={CLR_V2P0: bundled_context(CLR_V2P0)}
        )
        for member in credential["credentialSubject"]["verifiableCredential"]:
            _openbadges(client, member, status=status)
        return
    OB3LdpVerifier.for_issuer_did(DID).verify(
        credential, download=download, check_status=status, verify_status_list=False
    )


def _pyjwt(client: FlaskClient, token: str, *, via: str = "did") -> dict[str, Any]:
    """PyJWT with the key from our DID document (or JWKS), then the OB 3.0 claim checks."""
    kid = jwt.get_unverified_header(token)["kid"]
    assert kid.startswith(DID + "#")
    if via == "did":
        did = json.loads(served(client, f"{BASE_URL}/.well-known/did.json"))
        (method,) = [m for m in did["verificationMethod"] if m["id"] == kid]
        key = jwt.PyJWK(method["publicKeyJwk"], algorithm="RS256").key
    else:
        jwks = json.loads(served(client, f"{BASE_URL}/.well-known/jwks.json"))
        (jwk,) = [k for k in jwks["keys"] if k["kid"] == kid.split("#")[1]]
        key = jwt.PyJWK(jwk).key
    claims: dict[str, Any] = jwt.decode(token, key, algorithms=["RS256"])
    assert claims["iss"] == claims["issuer"]["id"] == DID
    assert claims["jti"] == claims["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"]
    return claims


def _tampered(
    document: dict[str, Any], change: Callable[[dict[str, Any]], None]
) -> Any:
    copied = copy.deepcopy(document)
    change(copied)
    return copied


def _set_level(doc: dict[str, Any]) -> None:
    result = doc["credentialSubject"]["result"][0]
    result["value"] = (
        "Mastery" if result["value"] == "Exceeds Mastery" else "Exceeds Mastery"
    )


def _set_learner(doc: dict[str, Any]) -> None:
    doc["credentialSubject"]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"


def test_a_transcript_of_three_mastered_competencies_verifies_everywhere(
    client: FlaskClient,
    store: Store,
    config: service.RecordsConfig,  # noqa: F811
    seeded: Seeded,  # noqa: F811
) -> None:
    clr = service.issue_transcript(
        store, config, seeded.learner_id, framework_id=seeded.framework_id
    )
    assert len(clr.document["credentialSubject"]["verifiableCredential"]) == 3
    (result,) = node_verify([clr.document], node_documents(client))
    assert result["verified"], result["errors"]
    assert result["status"] == "active"
    assert [e["verified"] for e in result["embedded"]] == [True, True, True]
    assert {e["status"] for e in result["embedded"]} == {"active"}
    _openbadges(client, clr.document)
    claims = _pyjwt(client, clr.jwt)
    assert claims["credentialSubject"] == clr.document["credentialSubject"]
    assert _pyjwt(client, clr.jwt, via="jwks")["id"] == clr.document["id"]


def test_a_changed_level_or_learner_fails_every_verifier(
    client: FlaskClient,
    store: Store,
    config: service.RecordsConfig,  # noqa: F811
    seeded: Seeded,  # noqa: F811
) -> None:
    with store.write() as conn:
        issued = service.issue_for_mastery(
            conn, config, seeded.learner_id, seeded.shared("OA.1")
        )
    assert issued is not None
    clr = service.issue_transcript(store, config, seeded.learner_id)
    tampered = [
        _tampered(issued.document, _set_level),
        _tampered(issued.document, _set_learner),
        # A CLR whose embedded badge was changed: the CLR proof covers it too.
        _tampered(
            clr.document,
            lambda d: _set_level(d["credentialSubject"]["verifiableCredential"][0]),
        ),
        _tampered(clr.document, _set_learner),
    ]
    results = node_verify([issued.document, *tampered], node_documents(client))
    assert results[0]["verified"], results[0]["errors"]
    for result in results[1:]:
        assert not result["verified"] and not result["signature"], result
        assert any("Invalid signature" in e for e in result["errors"]), result
    _openbadges(client, issued.document)
    for doc in tampered:
        with pytest.raises(OB3VerificationError, match="signature mismatch"):
            _openbadges(client, doc)
    header, _, signature = issued.jwt.split(".")
    for change in (_set_level, _set_learner):
        claims = jwt.decode(issued.jwt, options={"verify_signature": False})
        change(claims)
        body = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
        with pytest.raises(jwt.InvalidSignatureError):
            _pyjwt(client, f"{header}.{body}.{signature}")


def test_a_credential_issued_before_a_key_rotation_verifies_after_it(
    client: FlaskClient,
    store: Store,
    config: service.RecordsConfig,  # noqa: F811
    seeded: Seeded,  # noqa: F811
) -> None:
    with store.write() as conn:
        before = service.issue_for_mastery(
            conn, config, seeded.learner_id, seeded.shared("OA.1")
        )
    rotate_key(store, "credentials")
    rotate_key(store, "credentials-jwt")
    with store.write() as conn:
        after = service.issue_for_mastery(
            conn, config, seeded.learner_id, seeded.shared("OA.2")
        )
    assert before is not None and after is not None
    old_key = before.document["proof"]["verificationMethod"]
    assert old_key != after.document["proof"]["verificationMethod"]
    results = node_verify([before.document, after.document], node_documents(client))
    assert [r["verified"] for r in results] == [True, True], results
    _openbadges(client, before.document)
    _openbadges(client, after.document)
    for token in (before.jwt, after.jwt):
        _pyjwt(client, token)
        _pyjwt(client, token, via="jwks")


def test_a_revoked_credential_is_reported_revoked(
    client: FlaskClient,
    store: Store,
    config: service.RecordsConfig,  # noqa: F811
    seeded: Seeded,  # noqa: F811
) -> None:
    clr = service.issue_transcript(store, config, seeded.learner_id)
    revoked_id = clr.members[0]
    service.revoke_credential(store, config, revoked_id, "entered in error")
    badge = service.get_credential(store, revoked_id)
    kept = service.get_credential(store, clr.members[1])
    results = node_verify(
        [badge.document, kept.document, clr.document], node_documents(client)
    )
    assert results[0]["status"] == "revoked" and not results[0]["verified"]
    assert results[0]["signature"] is True  # still authentic, just revoked
    assert results[1]["status"] == "active" and results[1]["verified"]
    assert results[2]["status"] == "revoked"  # the CLR that embeds it
    with pytest.raises(OB3VerificationError, match="status .revocation. is set"):
        _openbadges(client, badge.document)
    _openbadges(client, kept.document)
    _openbadges(client, badge.document, status=False)  # the proof itself still holds
