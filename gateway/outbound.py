"""Outbound HTTP on someone else's word: URL safety checks and the one session that makes calls.

Every URL Tessera fetches or posts to because a platform or a registration named it (JWKS,
token, AGS, NRPS, Dynamic Registration) goes through :class:`SafeSession`, which checks each
request, redirects included, with :func:`check_url`:

- the scheme is ``https``;
- every address the host name resolves to is a public (global) address: no loopback, private,
  link-local (cloud metadata at 169.254.169.254), shared, multicast or reserved range, so a
  hostile registration cannot make Tessera probe the network it runs in.

The address check happens when the connection is made, on the very addresses it connects to:
the session's connections resolve the host name once, refuse it if any answer is not public,
and connect to a checked address, while TLS (SNI and certificate verification) still uses the
host name. A DNS server that answers a public address for a check and a private one for the
connection (rebinding) has nothing to exploit: there is no second look-up. Through an egress
proxy (``HTTPS_PROXY``) the proxy resolves names, and only the URL checks apply.

``TESSERA_ALLOW_PRIVATE_URLS=1`` lifts both rules, for development and for tests whose peers
run on one machine.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from gateway import __version__
from gateway.errors import UnsafeUrl

USER_AGENT = f"Tessera/{__version__} (+https://github.com/tessera-cbe/tessera)"
TIMEOUT = (5.0, 20.0)  # connect, read (seconds)

Resolver = Callable[[str, int], list[str]]


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def is_public_address(address: str) -> bool:
    """Whether ``address`` is globally routable (not loopback/private/link-local/...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(
    url: str,
    *,
    allow_private: bool,
    what: str = "URL",
    resolver: Resolver | None = resolve_host,
) -> str:
    """Return ``url`` when Tessera may call it; raise :class:`UnsafeUrl` saying why not.

    With ``resolver=None`` host names are not resolved (only literal addresses are checked):
    for checks when a URL is stored, where DNS may not answer yet; every call still checks.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeUrl(f"The {what} {url!r} is not an absolute https URL.")
    if not _is_ip(parts.hostname) and not _is_host_name(parts.hostname):
        raise UnsafeUrl(f"The {what} {url!r} does not name a valid host.")
    if allow_private:
        return url
    if parts.scheme != "https":
        raise UnsafeUrl(
            f"The {what} {url!r} is not https; Tessera only calls platforms over TLS "
            "(TESSERA_ALLOW_PRIVATE_URLS=1 lifts this for development)."
        )
    host = parts.hostname
    if resolver is None and not _is_ip(host):
        return url
    try:
        addresses = (
            [host]
            if _is_ip(host) or resolver is None
            else resolver(host, parts.port or 443)
        )
    except OSError as exc:
        raise UnsafeUrl(
            f"The host of the {what} {url!r} does not resolve ({exc})."
        ) from None
    blocked = [a for a in addresses if not is_public_address(a)]
    if blocked or not addresses:
        raise UnsafeUrl(
            f"The {what} {url!r} resolves to {', '.join(blocked) or 'nothing'}, a "
            "loopback, private or link-local address; Tessera does not call those "
            "(TESSERA_ALLOW_PRIVATE_URLS=1 lifts this for development)."
        )
    return url


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _is_host_name(host: str) -> bool:
    """Whether ``host`` is a DNS name (internationalized names in their IDNA form)."""
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return len(ascii_host) <= 253 and all(_LABEL.fullmatch(x) for x in labels)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _refuse(host: str, blocked: list[str]) -> UnsafeUrl:
    return UnsafeUrl(
        f"The host {host!r} resolves to {', '.join(blocked) or 'nothing'}, a loopback, "
        "private or link-local address; Tessera does not call those "
        "(TESSERA_ALLOW_PRIVATE_URLS=1 lifts this for development)."
    )


def _pinned(base: type[Any], resolver: Resolver, allowed: Callable[[str], bool]) -> Any:
    """``base`` (a urllib3 connection class) connecting only to addresses it checked."""

    def _new_conn(self: Any) -> socket.socket:
        host, port = self._dns_host, self.port
        try:
            addresses = [host] if _is_ip(host) else resolver(host, port)
        except OSError as exc:
            raise NewConnectionError(
                self, f"Failed to resolve {host!r} ({exc})"
            ) from exc
        blocked = [a for a in addresses if not allowed(a)]
        if blocked or not addresses:
            raise _refuse(host, blocked)
        error: OSError | None = None
        for address in addresses:
            try:
                sock: socket.socket = create_connection(
                    (address, port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
                return sock
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {host} timed out ({self.timeout} s)"
                ) from exc
            except OSError as exc:
                error = exc
        raise NewConnectionError(self, f"Failed to connect to {host!r}: {error}")

    return type(f"Pinned{base.__name__}", (base,), {"_new_conn": _new_conn})


class PinningAdapter(HTTPAdapter):
    """Connections that resolve once, check every answer with ``allowed``, and connect to it."""

    def __init__(
        self,
        resolver: Resolver = resolve_host,
        allowed: Callable[[str], bool] = is_public_address,
    ) -> None:
        self._pools = {
            "http": type(
                "PinnedHTTPPool",
                (HTTPConnectionPool,),
                {"ConnectionCls": _pinned(HTTPConnection, resolver, allowed)},
            ),
            "https": type(
                "PinnedHTTPSPool",
                (HTTPSConnectionPool,),
                {"ConnectionCls": _pinned(HTTPSConnection, resolver, allowed)},
            ),
        }
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """The pool manager, with pools of pinned connections."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools


class SafeSession(requests.Session):
    """A ``requests`` session that checks every request (redirects too) and sets defaults.

    A User-Agent on every call (Canvas requires one), timeouts unless the caller gives its own,
    and :func:`check_url` before anything leaves the machine.
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = resolve_host,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        super().__init__()
        self.allow_private = allow_private
        self.timeout = timeout
        self.headers["User-Agent"] = USER_AGENT
        if not allow_private:  # names are resolved and checked as connections are made
            adapter = PinningAdapter(resolver)
            self.mount("https://", adapter)
            self.mount("http://", adapter)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        """Check the URL (scheme, literal addresses), then send with a timeout."""
        check_url(request.url or "", allow_private=self.allow_private, resolver=None)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)
