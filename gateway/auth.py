"""Who is calling: vendor credentials from HTTP Basic (xAPI) or a bearer token (Caliper)."""

from __future__ import annotations

from flask import Request

from gateway.errors import Forbidden, Unauthorized
from gateway.ratelimit import check
from gateway.store import Store
from gateway.vendors import VendorPrincipal, check_credentials
from gateway.vendors.credentials import CredentialKind, split_bearer_token

CHALLENGE = 'Basic realm="Tessera", Bearer realm="Tessera"'
_MAX_CREDENTIAL_CHARS = 512


_HOW_TO_SEND = {
    CredentialKind.XAPI_BASIC: "the vendor's xAPI key and secret as HTTP Basic",
    CredentialKind.CALIPER_BEARER: "the vendor's Caliper token as `Authorization: Bearer "
    "KEY.SECRET`",
}


def authenticate_vendor(
    request: Request,
    store: Store,
    *,
    kind: CredentialKind | None = None,
    cache_seconds: int = 0,
    where: str = "This endpoint",
) -> VendorPrincipal:
    """The vendor behind the request's credentials, or :class:`Unauthorized`.

    With ``kind``, only that kind of credential is accepted: the xAPI key and secret are not a
    Caliper token, nor the other way round.
    """
    auth = request.authorization
    principal = None
    if auth is not None and auth.type == "basic":
        key, secret = auth.username or "", auth.password or ""
        if _plausible(key, secret):
            principal = check_credentials(
                store, CredentialKind.XAPI_BASIC, key, secret, cache_seconds
            )
    elif auth is not None and auth.type == "bearer" and auth.token:
        halves = split_bearer_token(auth.token)
        if halves is not None:
            principal = check_credentials(
                store, CredentialKind.CALIPER_BEARER, *halves, cache_seconds
            )
    if principal is None:
        what = "were not given" if auth is None else "are not valid"
        raise Unauthorized(
            f"Vendor credentials {what}: send the xAPI key and secret from "
            "`tessera vendor add` as HTTP Basic, or the Caliper token as a Bearer token.",
            headers={"WWW-Authenticate": CHALLENGE},
        )
    if kind is not None and principal.kind != kind:
        other = next(k for k in _HOW_TO_SEND if k is not kind)
        raise Unauthorized(
            f"{where} takes {_HOW_TO_SEND[kind]}, not {_HOW_TO_SEND[other]}.",
            headers={"WWW-Authenticate": CHALLENGE},
        )
    return principal


def authenticate_request(
    kind: CredentialKind, where: str, req: Request | None = None
) -> VendorPrincipal:
    """:func:`authenticate_vendor` for ``req`` (default: this request), app settings applied."""
    from flask import request

    from gateway.extension import tessera

    t = tessera()
    principal = authenticate_vendor(
        req if req is not None else request,
        t.store,
        kind=kind,
        cache_seconds=t.settings.auth_cache_seconds,
        where=where,
    )
    check(t.limiter, f"v:{principal.key}", f"Vendor {principal.vendor_name!r}")
    return principal


def require_scope(principal: VendorPrincipal, *accepted: str) -> None:
    """Raise :class:`Forbidden` unless the principal holds one of ``accepted`` (or ``all``)."""
    if "all" in principal.scopes or principal.scopes.intersection(accepted):
        return
    raise Forbidden(
        f"Vendor {principal.vendor_name!r} lacks the scope for this request; it needs one of "
        f"{', '.join(accepted)} and holds {', '.join(sorted(principal.scopes)) or 'none'}."
    )


def _plausible(key: str, secret: str) -> bool:
    return 0 < len(key) <= 64 and 0 < len(secret) <= _MAX_CREDENTIAL_CHARS
