"""Fixtures for the integration tests of the admin API."""

from __future__ import annotations

import pytest

from gateway.api.tokens import create_admin_token
from gateway.store import Store


@pytest.fixture
def admin(store: Store) -> dict[str, str]:
    """Headers carrying a fresh admin token."""
    _, token = create_admin_token(store, "test")
    return {"Authorization": f"Bearer {token}"}
