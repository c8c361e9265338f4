"""What the app factory builds once and every request shares: settings and store."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from gateway.ratelimit import Limiter
from gateway.settings import Settings
from gateway.store import Store

EXTENSION_KEY = "tessera"


@dataclass(frozen=True, slots=True)
class Tessera:
    """The per-app services, reachable from views through :func:`tessera`."""

    settings: Settings
    store: Store
    limiter: Limiter | None = None  # per-credential rate limits (None: none)


def tessera(app: Flask | None = None) -> Tessera:
    """The services of ``app``, or of the app handling the current request."""
    ext: Tessera = (app or current_app).extensions[EXTENSION_KEY]
    return ext
