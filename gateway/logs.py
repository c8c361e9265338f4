"""Structured logging: every line carries the request id of the request that wrote it.

Text lines for people at a terminal, JSON lines (``TESSERA_LOG_JSON=1``) for log shippers. The
request id comes from a valid incoming ``X-Request-ID`` (so a proxy's id follows the request) or
is made fresh, and is echoed in the response.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any, TextIO

from gateway.settings import Settings

LOGGER_NAME = "gateway"
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged too.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "request_id",
}


def current_request_id() -> str:
    """The id of the request being served in this context, or ``-`` outside requests."""
    return _request_id.get()


def bind_request_id(incoming: str | None) -> tuple[str, contextvars.Token[str]]:
    """Take a well-formed incoming id or make one, and bind it to this context."""
    rid = (
        incoming if incoming and _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    )
    return rid, _request_id.set(rid)


def unbind_request_id(token: contextvars.Token[str]) -> None:
    """Forget the id bound by :func:`bind_request_id`."""
    _request_id.reset(token)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        """Stamp the record with the current request id."""
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request_id, message and extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as one JSON object."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time level [request_id] logger: message`` (extras go to JSON lines only)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
        )


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of the call (tests swap it)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(settings: Settings) -> logging.Logger:
    """Install Tessera's handler on the ``gateway`` logger; calling it again replaces it."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if getattr(handler, "_tessera", False):
            logger.removeHandler(handler)
    handler = _StderrHandler()
    handler._tessera = True  # type: ignore[attr-defined]
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(JsonFormatter() if settings.log_json else TextFormatter())
    logger.addHandler(handler)
    logger.setLevel(settings.log_level)
    logger.propagate = False
    return logger
