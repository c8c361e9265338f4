"""LTI Advantage service clients: access tokens, Assignment and Grade Services, NRPS rosters.

Every call goes through :class:`~gateway.outbound.SafeSession` (https, public addresses, a
User-Agent, timeouts). Access tokens come from the client-credentials grant with a signed JWT
assertion (RFC 7523; LTI Security Framework 1.0 section 4.1) and are cached per (issuer,
client_id, scopes) until shortly before they expire, shared by every request of the process
(pylti1p3 cached per connector object and was throttled for it, lti13.md section 8 #10).
Paging follows ``Link: <...>; rel="next"`` keeping the URL exactly as sent (pylti1p3 lowercased
it, #9). ``/scores`` is appended to the line item's path, before its query (Moodle's line item
URLs carry ``?type_id=``).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jwt
import requests
from flask import Flask, current_app
from sqlalchemy import insert, select, update

from gateway.errors import NotFound, UpstreamUnavailable
from gateway.intake.identity import link_identifiers_in
from gateway.keys import SigningKey
from gateway.lti.claims import has_learner_role
from gateway.lti.jwks import JwksCache
from gateway.lti.launch import learner_refs, upsert_context, upsert_members
from gateway.lti.platforms import Registration, get_registration
from gateway.outbound import TIMEOUT, SafeSession
from gateway.store import Store
from gateway.store.tables import (
    context_members,
    contexts,
    lti_context_services,
    lti_line_items,
    utcnow,
)

log = logging.getLogger("gateway.lti")

LTI_SERVICES_KEY = "tessera.lti"
AGS_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCOPE_LINEITEM = AGS_SCOPE + "lineitem"
SCOPE_LINEITEM_READ = AGS_SCOPE + "lineitem.readonly"
SCOPE_SCORE = AGS_SCOPE + "score"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
ASSERTION_LIFETIME = 300
TOKEN_MARGIN = 30.0  # renew this many seconds before the platform's expiry
MAX_PAGES = 1000
_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL = re.compile(r"""rel\s*=\s*"?([^";]+)"?""", re.IGNORECASE)


def next_link(header: str | None) -> str | None:
    """The ``rel="next"`` URL of a Link header (RFC 8288), exactly as sent."""
    if not header:
        return None
    for match in _LINK.finditer(header):
        rel = _REL.search(match[2] or "")
        if rel and "next" in rel[1].lower().split():
            return match[1].strip()
    return None


def service_url(url: str, suffix: str = "", **query: str) -> str:
    """``url`` with ``suffix`` appended to its path and ``query`` added, its query kept."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True) + list(query.items())
    return urlunsplit(
        (
            parts.scheme,
            parts.netloc,
            parts.path.rstrip("/") + suffix if suffix else parts.path,
            urlencode(params),
            parts.fragment,
        )
    )


@dataclass
class TokenCache:
    """Access tokens per (issuer, client_id, scopes), shared by a process's requests."""

    clock: Callable[[], float] = time.time
    _tokens: dict[tuple[str, str, tuple[str, ...]], tuple[str, float]] = field(
        default_factory=dict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)
    fetches: int = 0

    def token(
        self,
        session: SafeSession,
        reg: Registration,
        scopes: Sequence[str],
        key: SigningKey,
    ) -> str:
        """A valid access token for ``scopes``, from the cache or the platform."""
        cache_key = (reg.issuer, reg.client_id, tuple(sorted(set(scopes))))
        with self._lock:
            hit = self._tokens.get(cache_key)
            if hit is not None and hit[1] - TOKEN_MARGIN > self.clock():
                return hit[0]
            token, lifetime = self._fetch(session, reg, cache_key[2], key)
            self._tokens[cache_key] = (token, self.clock() + lifetime)
            return token

    def forget(self, reg: Registration) -> None:
        """Drop the registration's tokens (a 401 from a service means they were revoked)."""
        with self._lock:
            for k in [k for k in self._tokens if k[:2] == (reg.issuer, reg.client_id)]:
                del self._tokens[k]

    def _fetch(
        self,
        session: SafeSession,
        reg: Registration,
        scopes: tuple[str, ...],
        key: SigningKey,
    ) -> tuple[str, float]:
        self.fetches += 1
        now = int(self.clock())
        assertion = jwt.encode(
            {
                "iss": reg.client_id,
                "sub": reg.client_id,
                "aud": reg.assertion_audience,
                "iat": now,
                "exp": now + ASSERTION_LIFETIME,
                "jti": str(uuid.uuid4()),
            },
            key.private_pem,
            algorithm="RS256",
            headers={"kid": key.kid},
        )
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:"
            "jwt-bearer",
            "client_assertion": assertion,
            "scope": " ".join(scopes),
        }
        try:
            response = session.post(
                reg.auth_token_url, data=form, headers={"Accept": "application/json"}
            )
        except requests.RequestException as exc:
            raise UpstreamUnavailable(
                f"The token endpoint of {reg.issuer} could not be reached ({exc})."
            ) from None
        if response.status_code != 200:
            retry = response.headers.get("Retry-After")
            raise UpstreamUnavailable(
                f"The token endpoint of {reg.issuer} answered HTTP "
                f"{response.status_code}: {_excerpt(response)}",
                headers={"Retry-After": retry} if retry else None,
            )
        try:
            data = response.json()
            token = data["access_token"]
        except (ValueError, KeyError, TypeError):
            raise UpstreamUnavailable(
                f"The token endpoint of {reg.issuer} sent no access_token."
            ) from None
        granted = set(str(data.get("scope") or "").split())
        if granted and not set(scopes) <= granted:
            log.warning(
                "platform %s granted fewer scopes than asked: missing %s",
                reg.issuer,
                " ".join(sorted(set(scopes) - granted)),
            )
        lifetime = data.get("expires_in", 3600)
        if not isinstance(lifetime, int | float) or lifetime <= 0:
            lifetime = 3600
        return str(token), float(lifetime)


@dataclass
class LtiServices:
    """The per-app LTI machinery: the platform key cache, the token cache, the session."""

    allow_private: bool
    timeout: tuple[float, float] = TIMEOUT
    jwks: JwksCache = field(init=False)
    tokens: TokenCache = field(default_factory=TokenCache)

    def __post_init__(self) -> None:
        self.jwks = JwksCache(self.session)

    def session(self) -> SafeSession:
        """A new outbound session (checked URLs, User-Agent, timeouts)."""
        return SafeSession(allow_private=self.allow_private, timeout=self.timeout)


def lti_services(app: Flask | None = None) -> LtiServices:
    """The LTI services of ``app`` or of the current app."""
    services: LtiServices = (app or current_app).extensions[LTI_SERVICES_KEY]
    return services


def _excerpt(response: requests.Response) -> str:
    return " ".join(response.text.split())[:200] or "(empty body)"


class PlatformClient:
    """Authorized calls to one platform's services."""

    def __init__(
        self,
        services: LtiServices,
        registration: Registration,
        key: SigningKey,
        session: SafeSession | None = None,
    ) -> None:
        self.services = services
        self.registration = registration
        self.key = key
        self.session = session or services.session()

    def call(
        self,
        method: str,
        url: str,
        scopes: Sequence[str],
        *,
        accept: str,
        body: Any = None,
        content_type: str | None = None,
    ) -> requests.Response:
        """One service call with a bearer token; a 401 renews the token once."""
        for attempt in (1, 2):
            token = self.services.tokens.token(
                self.session, self.registration, scopes, self.key
            )
            headers = {"Authorization": f"Bearer {token}", "Accept": accept}
            if content_type:
                headers["Content-Type"] = content_type
            try:
                response = self.session.request(
                    method,
                    url,
                    headers=headers,
                    data=None if body is None else _json_bytes(body),
                )
            except requests.RequestException as exc:
                raise UpstreamUnavailable(
                    f"{method} {url} could not be completed ({exc})."
                ) from None
            if response.status_code == 401 and attempt == 1:
                self.services.tokens.forget(self.registration)
                continue
            if not 200 <= response.status_code < 300:
                raise UpstreamUnavailable(
                    f"{method} {url} answered HTTP {response.status_code}: "
                    f"{_excerpt(response)}"
                )
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def pages(self, url: str, scopes: Sequence[str], accept: str) -> Iterator[Any]:
        """The JSON of each page, following ``Link: rel="next"``."""
        seen = 0
        next_url: str | None = url
        while next_url and seen < MAX_PAGES:
            response = self.call("GET", next_url, scopes, accept=accept)
            seen += 1
            yield response.json()
            next_url = next_link(response.headers.get("Link"))

    def close(self) -> None:
        """Close the session."""
        self.session.close()


def _json_bytes(body: Any) -> bytes:
    import json

    return json.dumps(body, separators=(",", ":")).encode("utf-8")


# --- Assignment and Grade Services 2.0. ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineItem:
    """A gradebook column Tessera writes to."""

    label: str
    score_maximum: float
    resource_id: str
    tag: str
    resource_link_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The AGS 2.0 line item body."""
        body: dict[str, Any] = {
            "scoreMaximum": self.score_maximum,
            "label": self.label,
            "resourceId": self.resource_id,
            "tag": self.tag,
        }
        if self.resource_link_id:
            body["resourceLinkId"] = self.resource_link_id
        return body


ACTIVITY_PROGRESS = ("Initialized", "Started", "InProgress", "Submitted", "Completed")
GRADING_PROGRESS = ("FullyGraded", "Pending", "PendingManual", "Failed", "NotReady")


@dataclass(frozen=True, slots=True)
class Score:
    """A score for one user (AGS 2.0 Score Publish Service section 3.4)."""

    user_id: str
    score_given: float
    score_maximum: float
    timestamp: datetime
    comment: str | None = None
    activity_progress: str = "Completed"
    grading_progress: str = "FullyGraded"

    def to_json(self) -> dict[str, Any]:
        """Every field platforms require (Moodle answers 400 without one)."""
        if self.activity_progress not in ACTIVITY_PROGRESS:
            raise ValueError(f"activityProgress {self.activity_progress!r}")
        if self.grading_progress not in GRADING_PROGRESS:
            raise ValueError(f"gradingProgress {self.grading_progress!r}")
        body: dict[str, Any] = {
            "userId": self.user_id,
            "scoreGiven": self.score_given,
            "scoreMaximum": self.score_maximum,
            "timestamp": self.timestamp.astimezone(UTC).isoformat(
                timespec="milliseconds"
            ),
            "activityProgress": self.activity_progress,
            "gradingProgress": self.grading_progress,
        }
        if self.comment:
            body["comment"] = self.comment
        return body


def find_or_create_line_item(
    client: PlatformClient,
    store: Store,
    ctx_id: str,
    lineitems_url: str,
    item: LineItem,
) -> str:
    """The URL of the context's line item for (resourceId, tag), created once."""
    with store.read() as conn:
        known = conn.execute(
            select(lti_line_items.c.url)
            .where(lti_line_items.c.context_id == ctx_id)
            .where(lti_line_items.c.resource_id == item.resource_id)
            .where(lti_line_items.c.tag == item.tag)
        ).scalar()
    if known:
        return str(known)
    read_scopes = [SCOPE_LINEITEM]
    url = None
    query = service_url(lineitems_url, resource_id=item.resource_id, tag=item.tag)
    for page in client.pages(query, read_scopes, LINEITEMS_TYPE):
        for found in page if isinstance(page, list) else []:
            if (
                isinstance(found, Mapping)
                and found.get("resourceId") == item.resource_id
                and found.get("tag") == item.tag
                and isinstance(found.get("id"), str)
            ):
                url = found["id"]
                break
        if url:
            break
    if url is None:
        created = client.call(
            "POST",
            lineitems_url,
            [SCOPE_LINEITEM],
            accept=LINEITEM_TYPE,
            body=item.to_json(),
            content_type=LINEITEM_TYPE,
        ).json()
        url = created.get("id") if isinstance(created, Mapping) else None
        if not isinstance(url, str):
            raise UpstreamUnavailable(
                f"The platform created a line item at {lineitems_url} but sent no id."
            )
    with store.write() as conn:
        exists = conn.execute(
            select(lti_line_items.c.url)
            .where(lti_line_items.c.context_id == ctx_id)
            .where(lti_line_items.c.resource_id == item.resource_id)
            .where(lti_line_items.c.tag == item.tag)
        ).scalar()
        if exists:
            return str(exists)
        conn.execute(
            insert(lti_line_items).values(
                context_id=ctx_id,
                resource_id=item.resource_id,
                tag=item.tag,
                url=url,
                created_at=utcnow(),
            )
        )
    return url


def post_score(client: PlatformClient, lineitem_url: str, score: Score) -> None:
    """POST a score to ``{lineitem}/scores`` (any 2xx is success)."""
    client.call(
        "POST",
        service_url(lineitem_url, "/scores"),
        [SCOPE_SCORE],
        accept="application/json",
        body=score.to_json(),
        content_type=SCORE_TYPE,
    )


# --- Names and Role Provisioning Services 2.0. --------------------------------------------


def fetch_members(
    client: PlatformClient, memberships_url: str, *, role: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The context and every member of a roster, across pages (``role`` filters)."""
    url = service_url(memberships_url, role=role) if role else memberships_url
    context: dict[str, Any] = {}
    members: list[dict[str, Any]] = []
    for page in client.pages(url, [SCOPE_NRPS], MEMBERSHIP_TYPE):
        if not isinstance(page, Mapping):
            raise UpstreamUnavailable(f"The roster at {url} is not a JSON object.")
        if isinstance(page.get("context"), Mapping):
            context = dict(page["context"])
        members += [
            dict(m) for m in page.get("members") or [] if isinstance(m, Mapping)
        ]
    return context, members


@dataclass(frozen=True, slots=True)
class RosterSync:
    """What a roster sync did."""

    context_id: str
    members: int
    learners: int
    deactivated: int


def sync_roster(
    store: Store, services: LtiServices, ctx_id: str, *, role: str | None = None
) -> RosterSync:
    """Read the context's roster from NRPS into learner identities and ``context_members``.

    Each member's LTI user id is linked with the email and SIS id the platform gives, so
    vendor evidence sent by email or SIS id joins the LTI learner. Members missing from a
    full (unfiltered) roster become inactive.
    """
    from gateway.keys import active_key

    with store.read() as conn:
        row = conn.execute(
            select(lti_context_services, contexts.c.key)
            .join(contexts, contexts.c.id == lti_context_services.c.context_id)
            .where(lti_context_services.c.context_id == ctx_id)
        ).first()
    if row is None or not row.memberships_url:
        raise NotFound(
            "This class has no Names and Role Provisioning endpoint: the platform did not "
            "offer one at launch (check that the tool's NRPS scope is granted)."
        )
    reg = get_registration(store, row.registration_id)
    key = active_key(store, "lti")
    if key is None:
        raise UpstreamUnavailable("Tessera has no LTI signing key; run `tessera init`.")
    client = PlatformClient(services, reg, key)
    try:
        context, members = fetch_members(client, row.memberships_url, role=role)
    finally:
        client.close()
    now = utcnow()
    learners = 0
    with store.write() as conn:
        if context:
            upsert_context(conn, ctx_id, row.key, context, now)
        seen: list[tuple[str, list[str], bool, str]] = []
        for m in members:
            user_id = m.get("user_id")
            if not isinstance(user_id, str) or not user_id:
                continue
            roles = [r for r in m.get("roles") or [] if isinstance(r, str)]
            email = m.get("email")
            sis = m.get("lis_person_sourcedid")
            name = m.get("name") or " ".join(
                str(p) for p in (m.get("given_name"), m.get("family_name")) if p
            )
            learner_id = link_identifiers_in(
                conn,
                learner_refs(
                    reg.issuer,
                    user_id,
                    email.strip().lower() if isinstance(email, str) and email else None,
                    sis if isinstance(sis, str) and sis else None,
                ),
                display_name=str(name) if name else None,
            )
            is_learner = has_learner_role(roles)
            learners += is_learner
            status = "active" if m.get("status", "Active") == "Active" else "inactive"
            seen.append((learner_id, roles, is_learner, status))
        upsert_members(conn, ctx_id, seen, now)
        deactivated = 0
        if role is None:
            deactivated = conn.execute(
                update(context_members)
                .where(context_members.c.context_id == ctx_id)
                .where(
                    context_members.c.learner_id.not_in([s[0] for s in seen] or [""])
                )
                .where(context_members.c.status == "active")
                .values(status="inactive", updated_at=now)
            ).rowcount
        conn.execute(
            update(lti_context_services)
            .where(lti_context_services.c.context_id == ctx_id)
            .values(roster_synced_at=now)
        )
    log.info(
        "roster of context %s synced: %d members, %d learners, %d deactivated",
        ctx_id,
        len(seen),
        learners,
        deactivated,
    )
    return RosterSync(ctx_id, len(seen), learners, deactivated)


def roster_is_stale(store: Store, ctx_id: str, max_age: timedelta) -> bool:
    """Whether the class has an NRPS endpoint and its roster is older than ``max_age``."""
    with store.read() as conn:
        row = conn.execute(
            select(
                lti_context_services.c.memberships_url,
                lti_context_services.c.roster_synced_at,
            ).where(lti_context_services.c.context_id == ctx_id)
        ).first()
    if row is None or not row.memberships_url:
        return False
    return row.roster_synced_at is None or row.roster_synced_at + max_age < utcnow()
