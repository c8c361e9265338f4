"""Webhooks: each event POSTed as JSON, signed with HMAC-SHA256 over "timestamp.body".

Headers: ``Tessera-Event`` (the topic), ``Tessera-Event-Id``, ``Idempotency-Key`` (the
delivery's id, the same on every attempt), ``Tessera-Timestamp`` (Unix seconds) and
``Tessera-Signature: v1=<hex>``, the HMAC-SHA256 with the destination's secret of
``f"{timestamp}.{body}"`` (the raw body bytes). A receiver recomputes it with
:func:`verify_signature` (or the recipe in the README), refuses a timestamp more than five
minutes away, and drops an ``Idempotency-Key`` it has seen.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from adapters.outbound import (
    DeliveryEvent,
    Outcome,
    TargetEnv,
    refuse_unknown,
    setting_str,
)
from adapters.outbound.http import send, settle

SIGNATURE_VERSION = "v1"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Tessera-Signature`` value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def verify_signature(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether a received webhook is Tessera's and fresh (the receiver's side of :func:`sign`)."""
    try:
        timestamp = int(headers["Tessera-Timestamp"])
        given = headers["Tessera-Signature"]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), given)


def event_body(event: DeliveryEvent) -> dict[str, Any]:
    """The JSON document a webhook receives for ``event``."""
    data: dict[str, Any] = dict(event.payload)
    if event.competency is not None:
        data["competency"] = event.competency.to_json()
    if event.learner_id is not None:
        data["learner"] = {
            "id": event.learner_id,
            "identifiers": {k: list(v) for k, v in event.learner_identifiers.items()},
        }
    return {
        "id": event.event_id,
        "type": event.topic,
        "subject": event.subject,
        "sequence": event.seq,
        "created_at": event.created_at.isoformat(),
        "data": data,
    }


class WebhookTarget:
    """POST each event to one URL."""

    kind: ClassVar[str] = "webhook"
    needs_secret: ClassVar[bool] = True

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """``url`` (required)."""
        refuse_unknown(settings, {"url"})
        return {"url": setting_str(settings, "url", url=True)}

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None, env: TargetEnv
    ) -> None:
        self._url = str(settings["url"])
        self._secret = secret or ""
        self._env = env

    def deliver(self, event: DeliveryEvent) -> Outcome:
        """One signed POST; 2xx is delivered."""
        body = json.dumps(event_body(event), separators=(",", ":")).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "Tessera-Event": event.topic,
            "Tessera-Event-Id": event.event_id,
            "Idempotency-Key": event.delivery_id,
            "Tessera-Timestamp": str(timestamp),
            "Tessera-Signature": sign(self._secret, timestamp, body),
        }
        what = f"POST {self._url}"
        answer = send(self._env, "POST", self._url, what, data=body, headers=headers)
        return settle(answer, what)
