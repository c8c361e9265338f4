"""Fixtures for the integration tests: an admin token, an LRS vendor."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from gateway.api.tokens import create_admin_token
from gateway.store import Store
from tests.api_helpers import Lrs, basic_auth_headers


@pytest.fixture
def admin(store: Store) -> dict[str, str]:
    """Headers carrying a fresh admin token."""
    _, token = create_admin_token(store, "test")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def lrs(client: FlaskClient, store: Store) -> Lrs:
    """A vendor that may write and read every statement."""
    scopes = "statements/write statements/read"
    return Lrs(client, basic_auth_headers(store, "lrs-vendor", scopes))
