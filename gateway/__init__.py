"""Tessera: an interoperability gateway for competency-based education."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["__version__", "create_app"]

if TYPE_CHECKING:
    from flask import Flask

    from gateway.settings import Settings
    from gateway.store import Store


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the Flask app; see :func:`gateway.app.create_app`."""
    from gateway.app import create_app as _create_app

    return _create_app(settings, store)
