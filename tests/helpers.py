"""Small builders shared by the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gateway.settings import Settings, load_settings


def make_settings(tmp_path: Path, database_url: str = "", **overrides: Any) -> Settings:
    """Settings for a test: everything under ``tmp_path``, no environment read.

    The per-credential rate limit is off (tests send bursts with one credential); the tests
    of the limit itself turn it on.
    """
    values: dict[str, Any] = {
        "instance_path": str(tmp_path / "instance"),
        "rate_limit_per_second": 0,
    }
    if database_url:
        values["database_url"] = database_url
    values.update(overrides)
    return load_settings({}, values)


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a separate process use the same instance and database."""
    return {
        "TESSERA_INSTANCE_PATH": str(settings.instance_path),
        "DATABASE_URL": settings.database_url,
        "TESSERA_RATE_LIMIT_PER_SECOND": str(settings.rate_limit_per_second),
    }
