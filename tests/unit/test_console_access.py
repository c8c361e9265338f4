"""The admin console's access rules that need no server: roles, CSRF tokens, cookies."""

from __future__ import annotations

import pytest

from gateway.console.access import (
    ConsoleUser,
    csrf_matches,
    csrf_token,
    is_administrator,
    new_session_cookie,
)

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"


@pytest.mark.parametrize(
    ("roles", "admin"),
    [
        ([LIS + "institution/person#Administrator"], True),
        ([LIS + "membership#Administrator"], True),
        (["Administrator"], True),
        ([LIS + "membership#Learner", LIS + "institution/person#Administrator"], True),
        ([LIS + "membership#Instructor"], False),
        ([LIS + "membership#Learner"], False),
        ([LIS + "membership/Instructor#TeachingAssistant"], False),
        ([LIS + "system/person#SysAdmin"], False),
        ([LIS + "institution/person#Administrator-ish"], False),
        (["https://evil.example/roles#Administrator"], False),
        ([], False),
    ],
)
def test_only_institution_or_context_administrators_enter(
    roles: list[str], admin: bool
) -> None:
    assert is_administrator(roles) is admin


def test_csrf_tokens_are_per_session_and_per_key() -> None:
    key, other_key = b"k" * 32, b"o" * 32
    a, b = csrf_token(key, "sid|one"), csrf_token(key, "sid|two")
    assert a != b and a == csrf_token(key, "sid|one")
    assert csrf_token(other_key, "sid|one") != a
    user = ConsoleUser(actor="x", label="x", csrf=a)
    assert csrf_matches(user, a)
    assert not csrf_matches(user, b)
    assert not csrf_matches(user, None)
    assert not csrf_matches(user, "")


def test_each_sign_in_is_a_new_session() -> None:
    key = b"k" * 32
    assert new_session_cookie(key, "token-1") != new_session_cookie(key, "token-1")
