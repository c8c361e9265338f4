"""LTI tests: the platform peers run on this machine, so private URLs are allowed here."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.settings import Settings
from tests.helpers import make_settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url, allow_private_urls=True)
