"""Registrars: the learner's signed CLR 2.0 transcript, pushed whenever their mastery changes.

For each ``mastery.changed`` event the target first brings the learner's Open Badges up to date
(a badge issued for a level reached, revoked for a level lost: :func:`handle_mastery_change`),
then POSTs the learner's current transcript (``ClrCredential``, for one framework or the whole
record; JSON-LD with its embedded proof, or the VC-JWT) to the registrar's URL. The request is
signed like a webhook (``Tessera-Signature`` over "timestamp.body" with the destination's
secret) and carries the delivery's ``Idempotency-Key``; the transcript itself is verifiable by
anyone (its proofs, the issuer's did:web and the status list), which is what a registrar checks.
"""

from __future__ import annotations

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
from adapters.outbound.webhook import sign
from gateway.errors import InvalidPayload, NotFound

FORMATS = {"jsonld": "application/ld+json", "jwt": "application/vc+jwt"}


class RegistrarTarget:
    """POST the learner's transcript to one registrar endpoint."""

    kind: ClassVar[str] = "registrar"
    needs_secret: ClassVar[bool] = True

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """``url`` (required), ``framework`` and ``format``.

        ``framework`` is a CFDocument id (default: the whole record); ``format`` is
        ``jsonld`` (the default) or ``jwt``.
        """
        refuse_unknown(settings, {"url", "framework", "format"})
        fmt = setting_str(settings, "format", default="jsonld")
        if fmt not in FORMATS:
            raise InvalidPayload("settings.format must be jsonld or jwt.")
        checked: dict[str, Any] = {
            "url": setting_str(settings, "url", url=True),
            "format": fmt,
        }
        if settings.get("framework"):
            checked["framework"] = setting_str(settings, "framework").lower()
        return checked

    def __init__(
        self, settings: Mapping[str, Any], secret: str | None, env: TargetEnv
    ) -> None:
        self._url = str(settings["url"])
        self._framework = settings.get("framework")
        self._format = str(settings.get("format", "jsonld"))
        self._secret = secret or ""
        self._env = env

    def deliver(self, event: DeliveryEvent) -> Outcome:
        """Update the badges, then POST the transcript; 2xx is delivered."""
        from gateway.records import service as records

        store, settings = self._env.store, self._env.settings
        if event.topic != "mastery.changed" or event.learner_id is None:
            return Outcome.delivered("not a change of mastery: nothing to send")
        if store is None or settings is None:
            return Outcome.failed("the registrar target needs the store and settings")
        config = records.RecordsConfig.from_settings(settings)
        shared_id = str(event.payload.get("shared_id") or "")
        with store.write() as conn:
            records.handle_mastery_change(conn, config, event.learner_id, shared_id)
        try:
            transcript = records.issue_transcript(
                store, config, event.learner_id, framework_id=self._framework
            )
        except NotFound as exc:  # nothing mastered (any more): nothing to transcribe
            return Outcome.delivered(f"no transcript: {exc.detail}")
        if self._format == "jwt":
            body = transcript.jwt.encode()
        else:
            body = json.dumps(transcript.document, separators=(",", ":")).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": FORMATS[self._format],
            "Tessera-Event": event.topic,
            "Tessera-Event-Id": event.event_id,
            "Idempotency-Key": event.delivery_id,
            "Tessera-Timestamp": str(timestamp),
            "Tessera-Signature": sign(self._secret, timestamp, body),
            "Tessera-Credential-Id": transcript.id,
        }
        what = f"POST transcript {transcript.id} to {self._url}"
        answer = send(self._env, "POST", self._url, what, data=body, headers=headers)
        return settle(answer, what)
