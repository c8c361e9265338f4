"""Serve Tessera with gunicorn from the ``tessera run`` command (no config file needed)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from gateway.settings import Settings

# `tessera worker`, run by the same Python as this server.
WORKER_COMMAND = [
    sys.executable,
    "-c",
    "from gateway.cli import main; main()",
    "worker",
]


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, *, with_worker: bool = False) -> None:
        self.settings = settings
        self.with_worker = with_worker
        self.worker: subprocess.Popen[bytes] | None = None
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
        if self.with_worker:
            options["when_ready"] = self._start_worker
            options["on_exit"] = self._stop_worker
        for key, value in options.items():
            self.cfg.set(key, value)

    def _start_worker(self, _server: Any) -> None:
        self.worker = subprocess.Popen(WORKER_COMMAND)  # noqa: S603 - our own command

    def _stop_worker(self, _server: Any) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.worker.kill()

    def load(self) -> Flask:
        from gateway.app import create_app

        # Built in each worker after the fork, so no connection pool is shared.
        return create_app(self.settings)


def serve(settings: Settings, *, with_worker: bool = False) -> None:
    """Run gunicorn in the foreground until SIGINT or SIGTERM.

    With ``with_worker``, a ``tessera worker`` (deliveries) runs beside it and stops with it.
    """
    _Server(settings, with_worker=with_worker).run()
