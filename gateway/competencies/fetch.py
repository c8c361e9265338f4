"""Load a CFPackage from a file or a CASE provider, with timeouts, a User-Agent and a size cap.

URLs are fetched through :class:`gateway.outbound.SafeSession`: https only, and never a
loopback, private or link-local address (checked on the address connected to), unless
``allow_private`` (``TESSERA_ALLOW_PRIVATE_URLS=1``) says this is development.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests

from gateway import __version__
from gateway.errors import InvalidPayload, UpstreamUnavailable
from gateway.outbound import SafeSession

TIMEOUT = (10.0, 60.0)  # connect, read (seconds)
MAX_BYTES = 100 * 1024 * 1024
USER_AGENT = f"Tessera/{__version__}"
_MAX_HOPS = 3  # CFDocument -> CFPackageURI -> ... (a loop stops here)
_DOCUMENT_PATH = re.compile(r"(/ims/case/(v1p0|v1p1))/CFDocuments/([^/?#]+?)(\.json)?$")


def load_package_source(
    path_or_url: str,
    http: requests.Session | None = None,
    *,
    allow_private: bool = False,
) -> tuple[Any, str | None]:
    """The decoded CFPackage and the URL it came from (None for a file).

    A URL may name a CFPackage, or a CFDocument whose ``CFPackageURI.uri`` is followed: CASE
    providers may host the package elsewhere, so that link wins over building
    ``/CFPackages/{id}`` (case.md section 4).
    """
    if not path_or_url.lower().startswith(("http://", "https://")):
        return _read_file(Path(path_or_url)), None
    session = http or SafeSession(allow_private=allow_private, timeout=TIMEOUT)
    try:
        url = path_or_url
        for _ in range(_MAX_HOPS):
            data = _get_json(session, url)
            package_url = _package_link(data, url)
            if package_url is None or package_url == url:
                return data, url
            url = package_url
        raise InvalidPayload(
            f"{path_or_url} leads through more than {_MAX_HOPS} CFPackageURI links without "
            "reaching a CFPackage; give the CFPackages URL itself."
        )
    finally:
        if http is None:
            session.close()


def _package_link(data: Any, url: str) -> str | None:
    """Where the package is when ``data`` is a bare CFDocument rather than a package.

    CFPackageURI.uri first; otherwise the provider path ``.../CFDocuments/{id}`` becomes
    ``.../CFPackages/{id}`` (CASE 1.0/1.1 REST binding, same base path).
    """
    if not isinstance(data, Mapping) or "CFDocument" in data:
        return None
    link = data.get("CFPackageURI")
    if isinstance(link, Mapping) and isinstance(link.get("uri"), str):
        return str(link["uri"])
    if "identifier" in data and _DOCUMENT_PATH.search(url):
        return _DOCUMENT_PATH.sub(r"\1/CFPackages/\3", url, count=1)
    return None


def _read_file(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidPayload(
                f"{path} is {size // (1024 * 1024)} MB; CFPackages over "
                f"{MAX_BYTES // (1024 * 1024)} MB are refused."
            )
        text = path.read_bytes()
    except OSError as exc:
        raise InvalidPayload(
            f"Cannot read {path}: {exc.strerror or exc}. Give the path of a CFPackage "
            "JSON file or an http(s) URL."
        ) from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidPayload(
            f"{path} is not JSON ({exc}); a CFPackage is a JSON document."
        ) from None


def _status_info(body: Any) -> str | None:
    """The sentence of a CASE imsx_StatusInfo error body, if that is what came back."""
    if not isinstance(body, Mapping):
        return None
    info = body.get("imsx_StatusInfo", body)
    if not isinstance(info, Mapping) or "imsx_codeMajor" not in info:
        return None
    description = info.get("imsx_description") or ""
    return f"{info.get('imsx_codeMajor')}: {description}".strip(": ")


def _get_json(session: requests.Session, url: str) -> Any:
    try:
        response = session.get(
            url,
            timeout=TIMEOUT,
            stream=True,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
    except (
        requests.exceptions.InvalidURL,
        requests.exceptions.MissingSchema,
        requests.exceptions.InvalidSchema,
    ):
        raise InvalidPayload(
            f"{url!r} is not a URL Tessera can fetch: give an absolute https URL of a "
            "CFPackage or CFDocument at a CASE provider."
        ) from None
    except requests.RequestException as exc:
        raise UpstreamUnavailable(
            f"Could not reach {url}: {exc.__class__.__name__}. Check the URL and that the "
            "CASE provider is up, then try again."
        ) from None
    with response:
        body = _read_capped(response, url)
    try:
        data = json.loads(body)
    except ValueError:
        data = None
        if response.ok:
            kind = response.headers.get("Content-Type", "unknown content type")
            raise InvalidPayload(
                f"{url} answered {response.status_code} with {kind}, not JSON; give the "
                "URL of a CASE CFPackage (e.g. .../ims/case/v1p0/CFPackages/{id})."
            ) from None
    if not response.ok:
        reason = _status_info(data)
        detail = f" ({reason})" if reason else ""
        if response.status_code == 404:
            raise UpstreamUnavailable(
                f"{url} answered 404 Not Found{detail}; check the framework identifier "
                "and the provider's base path (/ims/case/v1p0 or /ims/case/v1p1)."
            )
        if response.status_code in (401, 403):
            raise UpstreamUnavailable(
                f"{url} answered {response.status_code}{detail}: the provider wants "
                "credentials Tessera does not send; download the package and import the file."
            )
        raise UpstreamUnavailable(
            f"{url} answered HTTP {response.status_code}{detail}; try again later."
        )
    reason = _status_info(data)
    if reason is not None and isinstance(data, Mapping) and "CFDocument" not in data:
        raise UpstreamUnavailable(f"{url} answered with a CASE error: {reason}.")
    return data


def _read_capped(response: requests.Response, url: str) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise InvalidPayload(
            f"{url} sends {int(declared) // (1024 * 1024)} MB; CFPackages over "
            f"{MAX_BYTES // (1024 * 1024)} MB are refused."
        )
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(chunk_size=1 << 16):
            size += len(chunk)
            if size > MAX_BYTES:
                raise InvalidPayload(
                    f"{url} sent more than {MAX_BYTES // (1024 * 1024)} MB; CFPackages that "
                    "large are refused."
                )
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise UpstreamUnavailable(
            f"{url} broke off while sending the package ({exc.__class__.__name__}); "
            "try again."
        ) from None
    return b"".join(chunks)
