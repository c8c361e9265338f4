"""Signed statements: JWS signature attachments (xAPI Data 2.6)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from gateway.errors import InvalidPayload
from gateway.xapi.signatures import check_signatures, verify_signature
from gateway.xapi.validation import SIGNATURE_USAGE, validate_statement
from tests.unit.shared_fixtures import XAPI_SPEC, load_json

V = "2.0.0"


@cache
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def certificate_der(key: rsa.RSAPrivateKey) -> str:
    """A self-signed certificate of ``key``, base64 DER as an ``x5c`` entry holds it."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(
        certificate.public_bytes(serialization.Encoding.DER)
    ).decode()


def original() -> dict[str, Any]:
    """The statement of the spec's signed-statement example (Data Appendix D), unsigned."""
    statement: dict[str, Any] = load_json(
        XAPI_SPEC / "data-14-appendix-d-example-signed-statement.json"
    )
    return statement


def sign(
    payload: Any,
    *,
    algorithm: str = "RS256",
    x5c: bool = False,
    key: Any = None,
) -> bytes:
    """A JWS over ``payload`` (a statement, or raw bytes as sent)."""
    key = key or signing_key()
    headers = {"x5c": [certificate_der(signing_key())]} if x5c else None
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return jwt.api_jws.encode(raw, key, algorithm=algorithm, headers=headers).encode()


def received(token: bytes, statement: dict[str, Any] | None = None) -> dict[str, Any]:
    """The statement as the LRS receives it: validated, with the signature attachment."""
    sent = copy.deepcopy(statement if statement is not None else original())
    sent.setdefault("attachments", []).append(
        {
            "usageType": SIGNATURE_USAGE,
            "display": {"en-US": "Signature"},
            "contentType": "application/octet-stream",
            "length": len(token),
            "sha2": hashlib.sha256(token).hexdigest(),
        }
    )
    return validate_statement(sent, version=V)


def test_the_spec_example_signed_statement_has_the_signature_attachment() -> None:
    example = validate_statement(
        load_json(XAPI_SPEC / "data-16-appendix-d-example-signed-statement.json"),
        version=V,
    )
    header = load_json(XAPI_SPEC / "data-15-appendix-d-example-signed-statement.json")
    assert header["alg"] == "RS256" and header["x5c"]
    token = sign(original())
    # The spec's own JWS is not in the fixtures; ours stands in for it, same statement.
    example["attachments"][0]["sha2"] = hashlib.sha256(token).hexdigest()
    check_signatures([example], {example["attachments"][0]["sha2"]: token}, version=V)


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
@pytest.mark.parametrize("x5c", [False, True])
def test_rs_signatures_over_the_statement_are_accepted(
    algorithm: str, x5c: bool
) -> None:
    token = sign(original(), algorithm=algorithm, x5c=x5c)
    verify_signature(received(token), token, version=V)


def test_what_the_lrs_adds_is_ignored() -> None:
    statement = original()
    del statement["id"], statement["timestamp"], statement["version"]
    token = sign(statement)
    sent = dict(
        statement,
        id="33CFF416-E331-4C9D-969E-5373A1756120",
        timestamp="2026-01-01T00:00:00Z",
        version="1.0.3",
        authority={"mbox": "mailto:lrs@example.com"},
    )
    verify_signature(received(token, sent), token, version=V)
    # The same instant written in another zone is the same statement.
    shifted = dict(original(), timestamp="2013-04-01T14:00:00+02:00")
    verify_signature(received(token := sign(shifted)), token, version=V)


def test_durations_compare_to_the_hundredth_of_a_second() -> None:
    """xAPI 2.0 4.2.7; the 2.0 suite signs 0.12S and sends 0.1237S."""
    short = dict(original(), result={"duration": "P1DT12H36M0.12S"})
    token = sign(short)
    for sent in ("P1DT12H36M0.1237S", "P1DT12H36M0.12S", "P1DT12H36M0.120S"):
        verify_signature(
            received(token, dict(short, result={"duration": sent})), token, version=V
        )
    with pytest.raises(InvalidPayload, match="not the statement"):
        verify_signature(
            received(token, dict(short, result={"duration": "P1DT12H36M0.13S"})),
            token,
            version=V,
        )
    sub = dict(
        original(),
        object={
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:a@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "http://example.com/a"},
            "result": {"duration": "PT1.5S"},
        },
    )
    token = sign(sub)
    sent = copy.deepcopy(sub)
    sent["object"]["result"]["duration"] = "PT1.509S"
    verify_signature(received(token, sent), token, version=V)


@pytest.mark.parametrize(
    ("token", "words"),
    [
        (b"not a jws", "not a JWS"),
        (b"a.b.c", "not a JWS"),
        (sign(b"{'not': json}"), "not a JSON serialization"),
        (sign([1, 2]), "not a valid statement"),
        (sign(original(), algorithm="HS256", key=b"k" * 32), "RS256, RS384, RS512"),
        (sign(original(), algorithm="PS256"), "not 'PS256'"),
        (
            sign(dict(original(), verb={"id": "http://x.example/v"})),
            "not the statement",
        ),
        (sign(dict(original(), id="33cff416-e331-4c9d-969e-5373a1756121")), "not the"),
    ],
)
def test_bad_signatures_are_400(token: bytes, words: str) -> None:
    with pytest.raises(InvalidPayload, match=words):
        verify_signature(received(token), token, version=V)


def test_an_x5c_certificate_must_verify_the_signature() -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = sign(original(), x5c=True, key=other)
    with pytest.raises(InvalidPayload, match="does not verify"):
        verify_signature(received(token), token, version=V)
    header = base64.urlsafe_b64encode(b'{"alg":"RS256","x5c":["bm90IGEgY2VydA=="]}')
    forged = header.rstrip(b"=") + b"." + sign(original()).split(b".", 1)[1]
    with pytest.raises(InvalidPayload, match="no usable certificate"):
        verify_signature(received(forged), forged, version=V)


def test_a_signature_attachment_needs_its_part() -> None:
    token = sign(original())
    statement = received(token)
    with pytest.raises(InvalidPayload, match=r"attachments\[0\] is a signature"):
        check_signatures([statement], {}, version=V)
    bad = sign(b"{}")
    with pytest.raises(InvalidPayload, match=r"Statement \[1\].*not a valid statement"):
        check_signatures(
            [statement, received(bad)],
            {
                statement["attachments"][0]["sha2"]: token,
                hashlib.sha256(bad).hexdigest(): bad,
            },
            version=V,
        )


def test_the_signature_covers_the_other_attachments() -> None:
    """Data 2.6: the payload is the statement before the signature attachment was added."""
    document = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A document"},
        "contentType": "application/pdf",
        "length": 3,
        "sha2": hashlib.sha256(b"pdf").hexdigest(),
        "fileUrl": "https://files.example/a.pdf",
    }
    with_document = dict(original(), attachments=[document])
    token = sign(with_document)
    verify_signature(received(token, with_document), token, version=V)
    with pytest.raises(InvalidPayload, match="not the statement"):
        verify_signature(received(token), token, version=V)
