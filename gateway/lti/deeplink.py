"""The Deep Linking 2.0 response: a JWT signed with Tessera's LTI key, auto-POSTed as ``JWT``.

Closes pylti1p3's gaps (lti13.md section 8 #12): ``data`` is echoed only when the request
carried it, ``msg``/``log``/``errormsg``/``errorlog`` are supported, ``lineItem`` is added only
when the platform accepts line items, and per-item values go in ``custom`` (query strings in
item URLs fail on Blackboard and Moodle).
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jwt

from gateway.keys import SigningKey
from gateway.lti.claims import DL, LTI, LTI_VERSION

RESPONSE_LIFETIME = 300  # seconds


@dataclass(frozen=True, slots=True)
class LineItemSpec:
    """A line item to create with a placed link (DL 2.0 section 3.4.2.1)."""

    label: str
    score_maximum: float
    resource_id: str
    tag: str
    grades_released: bool | None = None


@dataclass(frozen=True, slots=True)
class ResourceLink:
    """One ``ltiResourceLink`` content item."""

    title: str
    url: str | None = None
    text: str | None = None
    custom: Mapping[str, str] = field(default_factory=dict)
    line_item: LineItemSpec | None = None

    def to_json(self, *, accept_lineitem: bool) -> dict[str, Any]:
        """The content item as DL 2.0 section 3.4.2 spells it."""
        item: dict[str, Any] = {"type": "ltiResourceLink", "title": self.title}
        if self.url:
            item["url"] = self.url
        if self.text:
            item["text"] = self.text
        if self.custom:
            item["custom"] = dict(self.custom)
        if self.line_item is not None and accept_lineitem:
            li: dict[str, Any] = {
                "label": self.line_item.label,
                "scoreMaximum": self.line_item.score_maximum,
                "resourceId": self.line_item.resource_id,
                "tag": self.line_item.tag,
            }
            if self.line_item.grades_released is not None:
                li["gradesReleased"] = self.line_item.grades_released
            item["lineItem"] = li
        return item


def deep_linking_response(
    *,
    key: SigningKey,
    client_id: str,
    issuer: str,
    deployment_id: str,
    settings: Mapping[str, Any],
    items: Sequence[ResourceLink],
    msg: str | None = None,
    log: str | None = None,
    errormsg: str | None = None,
    errorlog: str | None = None,
    now: float | None = None,
) -> str:
    """The signed ``LtiDeepLinkingResponse`` (DL 2.0 section 4.5) for ``settings``' request."""
    issued = int(now if now is not None else time.time())
    accept_lineitem = bool(settings.get("accept_lineitem", True))
    claims: dict[str, Any] = {
        "iss": client_id,
        "aud": issuer,
        "azp": client_id,
        "iat": issued,
        "exp": issued + RESPONSE_LIFETIME,
        "nonce": secrets.token_urlsafe(16),
        "jti": str(uuid.uuid4()),
        LTI + "deployment_id": deployment_id,
        LTI + "message_type": "LtiDeepLinkingResponse",
        LTI + "version": LTI_VERSION,
        DL + "content_items": [
            i.to_json(accept_lineitem=accept_lineitem) for i in items
        ],
    }
    if "data" in settings:
        claims[DL + "data"] = settings["data"]
    for name, value in (
        ("msg", msg),
        ("log", log),
        ("errormsg", errormsg),
        ("errorlog", errorlog),
    ):
        if value:
            claims[DL + name] = value
    return jwt.encode(
        claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid}
    )
