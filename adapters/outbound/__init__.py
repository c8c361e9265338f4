"""Outbound delivery targets: where mastery goes (webhooks, OneRoster 1.2, Ed-Fi, LTI AGS).

A target is one small class (:class:`TargetType`): ``check_settings`` validates a
destination's settings when it is added, and an instance, made with those settings, the
destination's secret and a :class:`TargetEnv`, has one method, ``deliver(event)``, which sends
one event and says what happened as an :class:`Outcome`: delivered, retry (with the delay a
``Retry-After`` asked for, if any) or failed (a refusal that retrying will not change; the
delivery is parked as dead for an admin). The worker (``gateway.outbox``) owns claiming,
retries, ordering and recording; a target never touches the queue.

An event reaches a target as a :class:`DeliveryEvent`: the outbox row's payload plus what a
target needs to address the learner and the competency elsewhere (the learner's identifiers
by kind, the competency's CASE identifier, URI and human coding scheme, the learner's
classes). Each event is delivered with a stable idempotency key (``delivery_id``); a target
writes with deterministic keys too (a OneRoster sourcedId, an Ed-Fi natural key), so a
delivery repeated after a crash changes nothing.

Built-in kinds are in :data:`BUILTIN`; another module (the LTI AGS target, for one) registers
its class under the ``tessera.outbound_targets`` entry-point group, or is added to
:data:`BUILTIN`. It gets ``env.store`` to read what it needs that is not in the event (for
AGS: the platform registration and the context's ``lineitems`` URL).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

import requests

from gateway.errors import InvalidPayload

if TYPE_CHECKING:
    from gateway.settings import Settings
    from gateway.store import Store

ENTRY_POINT_GROUP = "tessera.outbound_targets"
# The kinds a destination may have; a kind whose module is not installed is refused by name.
KINDS = ("webhook", "oneroster", "edfi", "registrar", "lti_ags")
BUILTIN: dict[str, str] = {
    "webhook": "adapters.outbound.webhook:WebhookTarget",
    "registrar": "adapters.outbound.registrar:RegistrarTarget",
    "lti_ags": "adapters.outbound.lti_ags:AgsTarget",
    "oneroster": "adapters.outbound.oneroster:OneRosterTarget",
    "edfi": "adapters.outbound.edfi:EdFiTarget",
}


@dataclass(frozen=True, slots=True)
class CompetencyRef:
    """The competency an event is about: its CASE CFItem identifier, URI and codes."""

    id: str  # CFItem identifier (the shared competency's own), lower-cased
    uri: str
    human_coding_scheme: str | None
    full_statement: str

    def to_json(self) -> dict[str, Any]:
        """As sent in webhook bodies."""
        return {
            "id": self.id,
            "uri": self.uri,
            "human_coding_scheme": self.human_coding_scheme,
            "full_statement": self.full_statement,
        }


@dataclass(frozen=True, slots=True)
class ContextRef:
    """A class the learner belongs to: its source (lti, oneroster, api) and that source's key."""

    id: str
    source: str
    key: str
    title: str | None


@dataclass(frozen=True, slots=True)
class DeliveryEvent:
    """One outbox event on its way to one destination, with the facts targets address by."""

    delivery_id: str  # stable across attempts: the idempotency key
    event_id: str
    topic: str  # e.g. "mastery.changed"
    seq: int  # the outbox's order
    subject: str
    payload: Mapping[str, Any]
    created_at: datetime
    attempt: int  # 1 for the first attempt
    learner_id: str | None = None
    learner_identifiers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    competency: CompetencyRef | None = None
    contexts: tuple[ContextRef, ...] = ()

    def identifier(self, kind: str) -> str | None:
        """The learner's first identifier of ``kind`` (e.g. "sis"), or None."""
        values = self.learner_identifiers.get(kind, ())
        return values[0] if values else None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt achieved."""

    result: Literal["delivered", "retry", "failed"]
    detail: str = ""
    status_code: int | None = None
    retry_after: float | None = None  # seconds a target asked us to wait (Retry-After)

    @classmethod
    def delivered(cls, detail: str = "", status_code: int | None = None) -> Outcome:
        """The target has the event."""
        return cls("delivered", detail, status_code)

    @classmethod
    def retry(
        cls,
        detail: str,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> Outcome:
        """Not now (down, rate-limited, timed out): try again later."""
        return cls("retry", detail, status_code, retry_after)

    @classmethod
    def failed(cls, detail: str, status_code: int | None = None) -> Outcome:
        """Refused for a reason retrying will not change: park as dead for an admin."""
        return cls("failed", detail, status_code)


@dataclass(frozen=True, slots=True)
class TargetEnv:
    """What a target may use: the one HTTP session (timeouts, User-Agent) and the store."""

    http: requests.Session
    timeout: float
    store: Store | None = None
    settings: Settings | None = None


class Target(Protocol):
    """A destination made ready to deliver."""

    def deliver(self, event: DeliveryEvent) -> Outcome:
        """Send one event; never raise for what the peer did, say it in the Outcome."""
        ...


class TargetType(Protocol):
    """A kind of target: the class registered for a destination kind."""

    kind: ClassVar[str]
    needs_secret: ClassVar[bool]

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The settings, checked and with defaults; InvalidPayload naming the field."""
        ...

    def __call__(
        self, settings: Mapping[str, Any], secret: str | None, env: TargetEnv
    ) -> Target:
        """Not called directly: the class itself is called to make a target."""
        ...


def target_type(kind: str) -> Any:
    """The class delivering to destinations of ``kind``; InvalidPayload when there is none."""
    if kind not in KINDS:
        raise InvalidPayload(f"kind must be one of {', '.join(KINDS)}; got {kind!r}.")
    if kind in BUILTIN:
        module, _, name = BUILTIN[kind].partition(":")
        return getattr(importlib.import_module(module), name)
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == kind]
    if not found:
        raise InvalidPayload(
            f"No {kind} target is installed yet; register one under the "
            f"{ENTRY_POINT_GROUP!r} entry-point group."
        )
    return found[0].load()


def make_target(
    kind: str, settings: Mapping[str, Any], secret: str | None, env: TargetEnv
) -> Target:
    """A ready target for a stored destination."""
    target: Target = target_type(kind)(settings, secret, env)
    return target


# --- Helpers for checking settings, shared by the targets. ------------------------------------


def setting_str(
    settings: Mapping[str, Any],
    key: str,
    *,
    default: str | None = None,
    url: bool = False,
) -> str:
    """A required (or defaulted) string setting; a URL must be absolute http(s)."""
    value = settings.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise InvalidPayload(f"settings.{key} is required: a non-empty string.")
    value = value.strip()
    if url and not value.startswith(("http://", "https://")):
        raise InvalidPayload(
            f"settings.{key} must be an absolute http(s) URL; got {value!r}."
        )
    return value.rstrip("/") if url else value


def refuse_unknown(settings: Mapping[str, Any], known: set[str]) -> None:
    """InvalidPayload naming a setting the target does not know (a typo, most often)."""
    unknown = sorted(set(settings) - known)
    if unknown:
        raise InvalidPayload(
            f"settings.{unknown[0]} is not a setting of this kind of destination; "
            f"known: {', '.join(sorted(known))}."
        )
