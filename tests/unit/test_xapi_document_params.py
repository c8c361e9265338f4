"""The parameter checks of the xAPI document resources: agent, activityId, registration."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.errors import InvalidPayload
from gateway.xapi.documents import etag_of, parse_etags, person_object
from gateway.xapi.validation import is_iri, is_uuid, validate_agent


@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_validate_agent_normalizes_one_agent(version: str) -> None:
    agent = validate_agent(
        {"name": "Ada", "mbox": "mailto:ada@school.example"}, version=version
    )
    assert agent == {
        "objectType": "Agent",
        "name": "Ada",
        "mbox": "mailto:ada@school.example",
    }


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("mailto:ada@school.example", "agent must be a JSON object"),
        ({"name": "Ada"}, "exactly one inverse functional identifier"),
        ({"mbox": "ada@school.example"}, "agent.mbox"),
        ({"objectType": "Group", "member": []}, "agent.objectType"),
        ({"mbox": "mailto:a@b.c", "color": "red"}, "color"),
    ],
)
def test_validate_agent_refuses_with_the_path(value: Any, named: str) -> None:
    with pytest.raises(InvalidPayload) as caught:
        validate_agent(value, version="2.0.0")
    assert named in caught.value.detail


def test_iri_and_uuid() -> None:
    assert is_iri("https://vendor.example/au/1")
    assert not is_iri("not an iri")
    assert is_uuid("9e1f3a52-2c2b-4b0c-9d6d-4a2f0a7f2e11")
    assert not is_uuid("9e1f3a52")


def test_etags() -> None:
    assert etag_of(b"") == "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert parse_etags(None) is None
    assert parse_etags('"AB", W/"cd" , *') == ["ab", "cd", "*"]


def test_person_object() -> None:
    account = {"homePage": "https://lms.example", "name": "bob"}
    assert person_object({"objectType": "Agent", "account": account}) == {
        "objectType": "Person",
        "account": [account],
    }
