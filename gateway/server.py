"""Serve Tessera with gunicorn from the ``tessera run`` command (no config file needed)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from gateway.settings import Settings


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        options: dict[str, Any] = {
            "bind": f"{s.host}:{s.port}",
            "workers": s.web_workers,
            "threads": s.web_threads,
            "worker_class": "gthread",
            "accesslog": None,  # Tessera logs each request itself, with its request id
            "errorlog": "-",
            "loglevel": s.log_level.lower(),
            "timeout": 60,
            "graceful_timeout": 20,
            # Forwarded headers are trusted only through TESSERA_TRUSTED_PROXIES (ProxyFix).
            "forwarded_allow_ips": "",
            "proc_name": "tessera",
        }
        if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 25
            options["control_socket_disable"] = (
                True  # several instances share no socket
            )
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from gateway.app import create_app

        # Built in each worker after the fork, so no connection pool is shared.
        return create_app(self.settings)


def serve(settings: Settings) -> None:
    """Run gunicorn in the foreground until SIGINT or SIGTERM."""
    _Server(settings).run()
