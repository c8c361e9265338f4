"""Schemathesis against /api/v1/openapi.json: generated requests to every admin operation.

Each operation gets valid and invalid requests built from its schema, with an admin token;
Tessera must never answer 5xx, never show a stack trace, and answer errors as problem+json.
The store is SQLite with a framework, a vendor and a learner so lookups can hit something.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from gateway import create_app
from gateway.api.tokens import create_admin_token
from gateway.store import Store
from tests.api_helpers import make_statement, send_statements
from tests.builders import seed_competencies
from tests.helpers import make_settings

EXAMPLES = 20  # per operation and mode: about 2,500 requests in all
TRACE_MARKERS = ("Traceback (most recent call last)", 'File "/', "sqlalchemy.exc")


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("fuzz")
    cfg = make_settings(Path(tmp))
    store = Store.from_settings(cfg)
    store.migrate()
    seed_competencies(store, [("c1000000-0000-4000-8000-000000000001", None)])
    from gateway.vendors import add_vendor

    vendor, _ = add_vendor(store, "fuzz-vendor")
    send_statements(
        store, vendor.id, make_statement("5a000000-0000-4000-8000-000000000001")
    )
    _, token = create_admin_token(store, "fuzz")
    app = create_app(cfg, store)
    yield {"app": app, "auth": {"Authorization": f"Bearer {token}"}}
    store.dispose()


def _content_type(response: Any) -> str:
    for name, values in response.headers.items():
        if name.lower() == "content-type":
            value = values[0] if isinstance(values, list) else values
            return str(value).split(";")[0].strip()
    return ""


def test_no_admin_operation_answers_5xx_or_a_stack_trace(
    fuzzed: dict[str, Any],
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed["app"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40  # every operation of the admin API is described
    tried: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def one(case: Any) -> None:
                response = case.call(headers=fuzzed["auth"])
                text = response.content.decode("utf-8", "replace")
                where = f"{case.method} {case.formatted_path} {response.status_code}"
                # 502 is right when a URL given to fetch cannot be reached; nothing else.
                unreachable = (
                    response.status_code == 502 and "upstream-unavailable" in text
                )
                assert response.status_code < 500 or unreachable, (
                    f"{where}: {text[:500]}"
                )
                assert not any(m in text for m in TRACE_MARKERS), (
                    f"{where}: {text[:500]}"
                )
                if response.status_code >= 400:
                    assert _content_type(response) == "application/problem+json", (
                        f"{where}: {text[:300]}"
                    )
                tried.append(where)

            one()
    assert len(tried) >= len(operations) * EXAMPLES
