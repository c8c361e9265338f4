"""The one error tree of Tessera, rendered once as ``application/problem+json`` (RFC 9457).

::

    TesseraError                      500  something Tessera did not expect
    ├── ConfigError                   -    start-up stops; never reaches HTTP
    ├── StoreError                    503  the database is unreachable or not ready
    │   └── SchemaTooNew              503  the database was migrated by a newer Tessera
    ├── InvalidPayload                400  the request is malformed or breaks a rule
    │   ├── UnknownContext            400  a JSON-LD context that is not bundled (never fetched)
    │   ├── UndefinedTerm             400  a JSON-LD term no context defines (it would go unsigned)
    │   └── UnsafeUrl                 400  an outbound URL is not https or not public
    ├── Unauthorized                  401  no credentials, or wrong ones
    ├── Forbidden                     403  authenticated, but not allowed
    ├── NotFound                      404
    ├── Conflict                      409  clashes with what is already stored
    ├── PreconditionFailed            412  If-Match / If-None-Match did not hold
    ├── PayloadTooLarge               413
    ├── TooManyRequests               429  a credential is over its rate limit (Retry-After)
    ├── UnsupportedMediaType          415
    ├── UnprocessableEntity           422  well-formed but unsupported (e.g. Caliper dataVersion)
    ├── UpstreamUnavailable           502  a platform or target we called did not answer well
    └── LaunchRejected                400  an LTI message from a browser was refused (HTML page)
        ├── LaunchUnauthorized        401  signature, token, state or nonce did not hold
        └── LaunchForbidden           403  valid, but not allowed here (deployment pending)

Protocol blueprints raise these; the handler in :mod:`gateway.app` renders them, except the
``LaunchRejected`` family, which the LTI blueprint renders as an HTML page for the person in
the browser (what failed, what the admin should check) with a matching log line. The ``detail``
is a sentence a person can act on; ``title`` is the short, fixed summary of the kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

PROBLEM_JSON = "application/problem+json"


class TesseraError(Exception):
    """Base of every error Tessera raises on purpose."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal error"

    def __init__(
        self,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    @property
    def type_uri(self) -> str:
        """Stable identifier of the problem kind (RFC 9457 section 3.1.1)."""
        return f"urn:tessera:problem:{self.slug}"

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        """The problem details object for this error."""
        body: dict[str, Any] = {
            "type": self.type_uri,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class ConfigError(TesseraError):
    """A setting is unknown or malformed; start-up stops with this sentence."""

    slug = "config-error"
    title = "Configuration error"


class StoreError(TesseraError):
    """The store cannot serve: unreachable, or its schema is not the one the code expects."""

    status = 503
    slug = "store-unavailable"
    title = "Store unavailable"


class SchemaTooNew(StoreError):
    """The database carries a schema revision this version of Tessera does not know."""

    slug = "schema-too-new"
    title = "Database is newer than Tessera"


class InvalidPayload(TesseraError):
    """The request is malformed or breaks a rule of its standard."""

    status = 400
    slug = "invalid-payload"
    title = "Invalid request"


class UnknownContext(InvalidPayload):
    """A document names a remote JSON-LD context that is not bundled; refused, not fetched."""

    slug = "unknown-context"
    title = "Unknown JSON-LD context"


class UndefinedTerm(InvalidPayload):
    """A document uses a property or type its JSON-LD contexts do not define."""

    slug = "undefined-term"
    title = "Undefined JSON-LD term"


class Unauthorized(TesseraError):
    """No credentials were sent, or they are not valid."""

    status = 401
    slug = "unauthorized"
    title = "Authentication required"


class Forbidden(TesseraError):
    """The caller is known but may not do this."""

    status = 403
    slug = "forbidden"
    title = "Not allowed"


class NotFound(TesseraError):
    """The thing asked for does not exist (or is not the caller's to see)."""

    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(TesseraError):
    """The request clashes with what is already stored."""

    status = 409
    slug = "conflict"
    title = "Conflict with stored data"


class PreconditionFailed(TesseraError):
    """An If-Match or If-None-Match condition did not hold."""

    status = 412
    slug = "precondition-failed"
    title = "Precondition failed"


class PayloadTooLarge(TesseraError):
    """The body is larger than this endpoint accepts."""

    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class TooManyRequests(TesseraError):
    """The credential sent more requests than its rate limit allows."""

    status = 429
    slug = "too-many-requests"
    title = "Too many requests"


class UnsupportedMediaType(TesseraError):
    """The body is not of a content type this endpoint accepts."""

    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


class UnprocessableEntity(TesseraError):
    """Well-formed, but of a version or kind this endpoint does not support."""

    status = 422
    slug = "unprocessable-entity"
    title = "Unsupported content"


class UpstreamUnavailable(TesseraError):
    """A platform or delivery target Tessera called did not answer well."""

    status = 502
    slug = "upstream-unavailable"
    title = "Upstream service unavailable"


class UnsafeUrl(InvalidPayload):
    """An outbound URL is not https, or resolves to a loopback, private or link-local address."""

    slug = "unsafe-url"
    title = "URL not allowed"


class LaunchRejected(TesseraError):
    """An LTI message (login, launch, registration) from a browser was refused.

    ``check`` names the rule that failed (for the log line and the tests); ``admin_hint`` says
    what the LMS or Tessera admin should look at.
    """

    status = 400
    slug = "lti-launch-rejected"
    title = "LTI launch refused"

    def __init__(
        self,
        detail: str,
        *,
        check: str,
        admin_hint: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail, headers=headers, extra={"check": check})
        self.check = check
        self.admin_hint = admin_hint


class LaunchUnauthorized(LaunchRejected):
    """The message's signature, token, state or nonce did not hold."""

    status = 401
    slug = "lti-launch-unauthorized"


class LaunchForbidden(LaunchRejected):
    """A valid message that is not allowed here (e.g. a deployment waiting for approval)."""

    status = 403
    slug = "lti-launch-forbidden"
