"""Signed statements: check the JWS signature attachment of a statement (xAPI Data 2.6).

A signed statement carries an attachment with usageType
``http://adlnet.gov/expapi/attachments/signature`` and contentType
``application/octet-stream`` whose data (a multipart part) is a JWS in compact serialization
(RFC 7515). The LRS refuses with 400 (Data 2.6, "LRS requirements"):

* a signature attachment without its data (a fileUrl is not enough: the LRS must check it);
* data that is no JWS, or whose ``alg`` is not ``RS256``, ``RS384`` or ``RS512``;
* a JWS whose ``x5c`` header holds a certificate that does not verify the signature
  (without ``x5c`` the signer's key is unknown, so only the structure and payload are checked;
  the certificate chain is not checked against trust anchors: the LRS has none);
* a payload that is not a JSON serialization of a valid statement, or that is not logically
  equivalent to the statement received. The comparison ignores what the LRS may add or
  overwrite: ``authority`` and ``stored`` always, and ``id``, ``timestamp`` and ``version``
  when the payload has none; and the signature attachment itself, which was added after
  signing. Both sides are compared in the normalized form of
  :func:`~gateway.xapi.validation.validate_statement` (timestamps in UTC, defaults written
  out, ids in lower case), and ``result.duration`` to the hundredth of a second (xAPI 2.0
  4.2.7: precision beyond 0.01 s is not compared; the LRS may truncate it).

Pure functions; :mod:`gateway.xapi.views` calls :func:`check_signatures` before storing.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from gateway.errors import InvalidPayload
from gateway.xapi.validation import SIGNATURE_USAGE, validate_statement

__all__ = ["ALGORITHMS", "check_signatures", "verify_signature"]

ALGORITHMS: Final = ("RS256", "RS384", "RS512")
# Properties the LRS may set whatever the signer sent (Data 2.4.8, 2.4.9).
_OVERWRITTEN: Final = ("authority", "stored")
# Properties the LRS sets only when the statement has none (Data 2.4.1, 2.4.7, 2.4.10).
_ASSIGNED: Final = ("id", "timestamp", "version")
_JWS = jwt.PyJWS(algorithms=list(ALGORITHMS))
_SECONDS_FRACTION = re.compile(r"\.(\d*)S$")


def check_signatures(
    statements: Sequence[Mapping[str, Any]],
    attachments: Mapping[str, bytes],
    *,
    version: str,
) -> None:
    """Verify every signature attachment of ``statements`` against its part's data.

    ``attachments`` maps the lower-case sha2 of each multipart part to its octets.
    """
    for index, statement in enumerate(statements):
        where = f"Statement [{index}] of the batch: " if len(statements) > 1 else ""
        for i, attachment in enumerate(statement.get("attachments", ())):
            if attachment.get("usageType") != SIGNATURE_USAGE:
                continue
            token = attachments.get(str(attachment["sha2"]).lower())
            if token is None:
                raise InvalidPayload(
                    f"{where}attachments[{i}] is a signature but its JWS is not sent as a "
                    f"multipart part; the LRS must check it (xAPI {version} Data 2.6)."
                )
            try:
                verify_signature(statement, token, version=version)
            except InvalidPayload as error:
                raise InvalidPayload(
                    f"{where}attachments[{i}] (signature): {error.detail}"
                ) from None


def verify_signature(
    statement: Mapping[str, Any], token: bytes, *, version: str
) -> None:
    """Check one JWS against the (validated) ``statement`` it signs; 400 when it fails."""
    try:
        header = _JWS.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise InvalidPayload(
            f"the signature is not a JWS in compact serialization ({exc}) "
            f"(xAPI {version} Data 2.6, RFC 7515)."
        ) from None
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise InvalidPayload(
            f"the JWS algorithm must be one of {', '.join(ALGORITHMS)}, not "
            f"{algorithm!r} (xAPI {version} Data 2.6)."
        )
    try:
        if "x5c" in header:
            key = _certificate_key(header["x5c"], version)
            decoded = _JWS.decode_complete(token, key=key, algorithms=[algorithm])
        else:
            decoded = _JWS.decode_complete(token, options={"verify_signature": False})
    except jwt.InvalidSignatureError:
        raise InvalidPayload(
            "the JWS signature does not verify with the certificate of its x5c header "
            f"(xAPI {version} Data 2.6)."
        ) from None
    except jwt.InvalidTokenError as exc:
        raise InvalidPayload(
            f"the signature is not a valid JWS ({exc}) (xAPI {version} Data 2.6)."
        ) from None
    signed = _signed_statement(decoded["payload"], version)
    if _comparable(statement, signed) != _comparable(signed, signed):
        raise InvalidPayload(
            "the JWS payload is not the statement received: a signed statement must "
            "not change after signing, except for what the LRS adds (id, authority, "
            f"stored, timestamp, version) and the signature attachment (xAPI {version} "
            "Data 2.6)."
        )


def _certificate_key(x5c: object, version: str) -> RSAPublicKey:
    """The RSA public key of the first certificate of an ``x5c`` header (RFC 7515 4.1.6)."""
    try:
        if not isinstance(x5c, list) or not x5c or not isinstance(x5c[0], str):
            raise ValueError("x5c must be a non-empty array of base64 certificates")
        certificate = x509.load_der_x509_certificate(
            base64.b64decode(x5c[0], validate=True)
        )
        key = certificate.public_key()
        if not isinstance(key, RSAPublicKey):
            raise ValueError("the certificate's key is not an RSA key")
    except (ValueError, binascii.Error) as exc:
        raise InvalidPayload(
            f"the x5c header of the JWS holds no usable certificate ({exc}) "
            f"(xAPI {version} Data 2.6, RFC 7515 4.1.6)."
        ) from None
    return key


def _signed_statement(payload: bytes, version: str) -> dict[str, Any]:
    """The statement the JWS payload serializes, validated and normalized."""
    try:
        value = json.loads(payload)
    except (ValueError, RecursionError):
        raise InvalidPayload(
            "the JWS payload is not a JSON serialization of the statement "
            f"(xAPI {version} Data 2.6)."
        ) from None
    try:
        return validate_statement(value, version=version)
    except InvalidPayload as error:
        raise InvalidPayload(
            f"the JWS payload is not a valid statement: {error.detail}"
        ) from None
    except RecursionError:
        raise InvalidPayload("the JWS payload nests JSON too deeply.") from None


def _comparable(statement: Mapping[str, Any], signed: Mapping[str, Any]) -> Any:
    """``statement`` without what the LRS may add given the ``signed`` original."""
    out = dict(statement)
    for key in _OVERWRITTEN:
        out.pop(key, None)
    for key in _ASSIGNED:
        if key not in signed:
            out.pop(key, None)
    if isinstance(out.get("id"), str):
        out["id"] = out["id"].lower()
    kept = [
        a for a in out.pop("attachments", ()) if a.get("usageType") != SIGNATURE_USAGE
    ]
    if kept:
        out["attachments"] = kept
    _hundredths(out)
    obj = out.get("object")
    if isinstance(obj, Mapping) and obj.get("objectType") == "SubStatement":
        out["object"] = _hundredths(dict(obj))
    return out


def _hundredths(statement: dict[str, Any]) -> dict[str, Any]:
    """``statement`` with ``result.duration`` cut to hundredths of a second (in place)."""
    result = statement.get("result")
    if isinstance(result, Mapping) and isinstance(result.get("duration"), str):
        duration = _SECONDS_FRACTION.sub(
            lambda m: "." + (m.group(1) + "00")[:2] + "S", result["duration"]
        )
        statement["result"] = dict(result, duration=duration)
    return statement
