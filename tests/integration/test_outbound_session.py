"""SafeSession against a real local HTTP server: refused by default, allowed in development."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytest_httpserver import HTTPServer

from gateway.errors import UnsafeUrl
from gateway.outbound import USER_AGENT, PinningAdapter, SafeSession


def test_loopback_is_refused_before_any_request_is_sent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jwks").respond_with_json({"keys": []})
    with SafeSession(allow_private=False) as session, pytest.raises(UnsafeUrl):
        session.get(httpserver.url_for("/jwks"))
    assert httpserver.log == []


def test_allowed_in_development_with_a_user_agent(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/jwks", headers={"User-Agent": USER_AGENT}
    ).respond_with_json({"keys": []})
    with SafeSession(allow_private=True) as session:
        assert session.get(httpserver.url_for("/jwks")).json() == {"keys": []}


# --- Connections resolve once and connect to the address they checked (no DNS rebinding). ---


def _cert_pair(tmp_path: Path, name: str) -> tuple[Path, ssl.SSLContext]:
    """A CA file, and a server context with a certificate for ``name`` signed by that CA."""
    now = datetime.now(UTC)

    def build(subject: str, key: Any, issuer: x509.Name, signer: Any, ca: bool) -> Any:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(
                x509.BasicConstraints(ca=ca, path_length=None), critical=True
            )
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca = build("Test CA", ca_key, ca_name, ca_key, True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = build(name, leaf_key, ca_name, ca_key, False)
    ca_file, cert_file, key_file = (
        tmp_path / "ca.pem",
        tmp_path / "cert.pem",
        tmp_path / "key.pem",
    )
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return ca_file, context


@pytest.fixture
def tls_platform(tmp_path: Path) -> Iterator[tuple[HTTPServer, Path]]:
    """An HTTPS server on 127.0.0.1 whose certificate names platform.test."""
    ca_file, context = _cert_pair(tmp_path, "platform.test")
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    try:
        yield server, ca_file
    finally:
        server.clear()
        server.stop()


def test_a_name_resolving_to_loopback_is_refused_at_connect(
    tls_platform: tuple[HTTPServer, Path],
) -> None:
    server, _ = tls_platform
    server.expect_request("/jwks").respond_with_json({"keys": []})
    asked: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    with SafeSession(allow_private=False, resolver=resolver) as session:
        with pytest.raises(UnsafeUrl, match="127.0.0.1"):
            session.get(f"https://platform.test:{server.port}/jwks")
    assert asked == ["platform.test"] and server.log == []


@pytest.mark.parametrize(
    "first",
    ["93.184.216.34", "192.0.2.1"],  # a public address; TEST-NET-1, not global: refused
)
def test_a_rebinding_answer_is_never_looked_up(
    tls_platform: tuple[HTTPServer, Path], first: str
) -> None:
    """Public first, loopback after: the one look-up gives the address connected to."""
    server, _ = tls_platform
    server.expect_request("/jwks").respond_with_json({"keys": []})
    script = [[first], ["127.0.0.1"]]
    calls: list[list[str]] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(script[len(calls)])
        return calls[-1]

    with SafeSession(
        allow_private=False, resolver=resolver, timeout=(0.5, 0.5)
    ) as session:
        with pytest.raises((UnsafeUrl, requests.ConnectionError)):
            session.get(f"https://platform.test:{server.port}/jwks")
    assert calls == [[first]]  # no second look-up to rebind
    assert server.log == []  # loopback was never reached


def test_the_pinned_address_is_reached_with_the_name_checked_by_tls(
    tls_platform: tuple[HTTPServer, Path],
) -> None:
    """Connect to the resolved address; SNI and the certificate still use the host name."""
    server, ca_file = tls_platform
    server.expect_request("/jwks").respond_with_json({"keys": []})
    session = requests.Session()
    adapter = PinningAdapter(lambda host, port: ["127.0.0.1"], lambda address: True)
    session.mount("https://", adapter)
    with session:
        url = f"https://platform.test:{server.port}/jwks"
        assert session.get(url, verify=str(ca_file), timeout=5).json() == {"keys": []}
        with pytest.raises(requests.exceptions.SSLError):  # the certificate's name
            session.get(
                f"https://other.test:{server.port}/jwks", verify=str(ca_file), timeout=5
            )
    assert [r.headers["Host"] for r, _ in server.log] == [
        f"platform.test:{server.port}"
    ]
