"""Hypothesis against every inbound endpoint: random bodies, headers and queries.

With valid vendor credentials (so requests get past authentication into parsing and
validation) and without, Tessera must never answer 5xx nor show a stack trace; a JSON error
is problem+json. Also: nesting far deeper than any real payload is refused, not a crash.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway import create_app
from gateway.store import Store
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from tests.helpers import make_settings

TRACE_MARKERS = ("Traceback (most recent call last)", 'File "/', "sqlalchemy.exc")
ENDPOINTS = [
    ("POST", "/xapi/statements"),
    ("PUT", "/xapi/statements"),
    ("GET", "/xapi/statements"),
    ("PUT", "/xapi/activities/state"),
    ("POST", "/xapi/activities/state"),
    ("GET", "/xapi/activities/state"),
    ("DELETE", "/xapi/activities/state"),
    ("PUT", "/xapi/activities/profile"),
    ("GET", "/xapi/agents/profile"),
    ("GET", "/xapi/agents"),
    ("GET", "/xapi/activities"),
    ("POST", "/caliper"),
    ("GET", "/caliper"),
    ("POST", "/lti/login"),
    ("GET", "/lti/login"),
    ("POST", "/lti/launch"),
    ("POST", "/lti/register"),
    ("GET", "/whoami"),
]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "multipart/mixed; boundary=abc",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/ld+json",
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "actor",
                    "verb",
                    "object",
                    "result",
                    "score",
                    "scaled",
                    "mbox",
                    "objectType",
                    "type",
                    "@context",
                    "data",
                    "timestamp",
                    "stateId",
                    "activityId",
                    "agent",
                    "registration",
                    "extensions",
                    "sensor",
                ]
            )
            | st.text(max_size=8),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)
bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
)
queries = st.dictionaries(
    st.sampled_from(
        [
            "statementId",
            "voidedStatementId",
            "agent",
            "activityId",
            "stateId",
            "since",
            "limit",
            "format",
            "attachments",
            "ascending",
            "verb",
            "profileId",
            "iss",
            "login_hint",
            "target_link_uri",
            "client_id",
            "state",
            "id_token",
        ]
    ),
    st.text(max_size=30),
    max_size=4,
)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    cfg = make_settings(Path(tmp_path_factory.mktemp("fuzz-inbound")))
    store = Store.from_settings(cfg)
    store.migrate()
    _, creds = add_vendor(store, "fuzz")
    basic = next(c for c in creds if c.kind is CredentialKind.XAPI_BASIC)
    bearer = next(c for c in creds if c.kind is CredentialKind.CALIPER_BEARER)
    token = base64.b64encode(f"{basic.key}:{basic.secret}".encode()).decode()
    yield {
        "client": create_app(cfg, store).test_client(),
        "auth": [
            {},
            {"Authorization": f"Basic {token}"},
            {"Authorization": f"Bearer {bearer.key}.{bearer.secret}"},
            {"Authorization": "Basic !!!"},
        ],
    }
    store.dispose()


@settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    auth=st.integers(0, 3),
    version=st.sampled_from([None, "1.0.3", "2.0.0", "9.9", ""]),
    content_type=st.sampled_from(CONTENT_TYPES),
    body=bodies,
    query=queries,
)
def test_no_inbound_request_gets_5xx_or_a_stack_trace(
    target: dict[str, Any],
    endpoint: tuple[str, str],
    auth: int,
    version: str | None,
    content_type: str,
    body: bytes,
    query: dict[str, str],
) -> None:
    method, path = endpoint
    headers = dict(target["auth"][auth]) | {"Content-Type": content_type}
    if version is not None:
        headers["X-Experience-API-Version"] = version
    response = target["client"].open(
        path, method=method, headers=headers, data=body, query_string=query
    )
    text = response.get_data(as_text=True)
    where = f"{method} {path} {response.status_code}"
    assert response.status_code < 500, f"{where}: {text[:500]}"
    assert not any(m in text for m in TRACE_MARKERS), f"{where}: {text[:500]}"
    if response.status_code >= 400 and response.mimetype.endswith("json"):
        assert response.mimetype == "application/problem+json", f"{where}: {text[:300]}"


@pytest.mark.parametrize(("path", "auth"), [("/xapi/statements", 1), ("/caliper", 2)])
def test_absurd_nesting_is_refused_not_a_crash(
    target: dict[str, Any], path: str, auth: int
) -> None:
    deep = "[" * 100_000 + "]" * 100_000  # 200 KB, far below the body limit
    headers = target["auth"][auth] | {
        "Content-Type": "application/json",
        "X-Experience-API-Version": "2.0.0",
    }
    response = target["client"].post(path, data=deep, headers=headers)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
