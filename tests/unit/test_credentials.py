from __future__ import annotations

import hashlib
import re

from hypothesis import given
from hypothesis import strategies as st

from gateway.vendors.credentials import (
    CredentialKind,
    digest_secret,
    make_credential,
    secret_matches,
    split_bearer_token,
)


def test_credentials_are_random_and_long() -> None:
    a = make_credential(CredentialKind.XAPI_BASIC)
    b = make_credential(CredentialKind.XAPI_BASIC)
    assert a.key != b.key and a.secret != b.secret
    assert a.key.startswith("tx_")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", a.secret)  # 32 random bytes, base64url
    assert "statements/write" in a.scopes


def test_bearer_token_splits_back_into_key_and_secret() -> None:
    cred = make_credential(CredentialKind.CALIPER_BEARER)
    assert cred.key.startswith("tc_")
    assert split_bearer_token(cred.bearer_token) == (cred.key, cred.secret)


def test_only_the_digest_is_derived_from_the_secret() -> None:
    cred = make_credential(CredentialKind.XAPI_BASIC)
    assert cred.secret_sha256 == hashlib.sha256(cred.secret.encode()).hexdigest()
    assert cred.secret not in cred.secret_sha256


@given(st.text(min_size=1, max_size=80), st.text(min_size=1, max_size=80))
def test_a_secret_matches_only_its_own_digest(secret: str, other: str) -> None:
    stored = digest_secret(secret)
    assert secret_matches(secret, stored)
    assert secret_matches(other, stored) is (other == secret)


def test_unknown_key_never_matches() -> None:
    assert secret_matches("anything", None) is False


def test_malformed_bearer_tokens_are_refused() -> None:
    for token in ["", "nodot", ".secret", "key.", "k" * 65 + ".s", "k." + "s" * 257]:
        assert split_bearer_token(token) is None
