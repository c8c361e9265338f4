from __future__ import annotations

import jwt

from gateway.keys import generate_key, thumbprint

# RFC 7638 section 3.1: the example key and its SHA-256 thumbprint.
RFC7638_KEY = {
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSo"
    "c_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQ"
    "R0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFT"
    "WhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}


def test_key_ids_are_rfc7638_thumbprints() -> None:
    assert thumbprint(RFC7638_KEY) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_rsa_key_signs_what_its_published_jwk_verifies() -> None:
    alg, pem, jwk = generate_key("lti")
    assert alg == "RS256" and jwk["kid"] == thumbprint(jwk) and "d" not in jwk
    token = jwt.encode(
        {"sub": "x"}, pem, algorithm="RS256", headers={"kid": jwk["kid"]}
    )
    public = jwt.PyJWK(jwk).key
    assert jwt.decode(token, public, algorithms=["RS256"]) == {"sub": "x"}


def test_ed25519_key_for_credentials() -> None:
    alg, pem, jwk = generate_key("credentials")
    assert alg == "EdDSA" and jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    token = jwt.encode({"iss": "t"}, pem, algorithm="EdDSA")
    assert jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["EdDSA"]) == {"iss": "t"}
