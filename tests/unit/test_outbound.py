"""The outbound URL rules: https only, public addresses only, unless private URLs are allowed."""

from __future__ import annotations

import pytest

from gateway.errors import UnsafeUrl
from gateway.outbound import check_url, is_public_address


def _resolves_to(*addresses: str):  # type: ignore[no-untyped-def]
    def resolver(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolver


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(address)
    with pytest.raises(UnsafeUrl, match="loopback, private or link-local"):
        check_url(
            "https://lms.example.edu/jwks",
            allow_private=False,
            resolver=_resolves_to(address),
        )


def test_a_public_address_passes() -> None:
    url = "https://lms.example.edu/jwks"
    assert check_url(url, allow_private=False, resolver=_resolves_to("8.8.8.8")) == url


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    with pytest.raises(UnsafeUrl, match="10.0.0.5"):
        check_url(
            "https://lms.example.edu/x",
            allow_private=False,
            resolver=_resolves_to("8.8.8.8", "10.0.0.5"),
        )


def test_literal_ip_hosts_are_checked_without_dns() -> None:
    with pytest.raises(UnsafeUrl):
        check_url("https://127.0.0.1:8443/x", allow_private=False)
    with pytest.raises(UnsafeUrl):
        check_url("https://[::1]/x", allow_private=False)


def test_http_is_refused_unless_private_urls_are_allowed() -> None:
    with pytest.raises(UnsafeUrl, match="not https"):
        check_url(
            "http://lms.example.edu/x",
            allow_private=False,
            resolver=_resolves_to("8.8.8.8"),
        )
    assert check_url("http://127.0.0.1:5000/x", allow_private=True)


@pytest.mark.parametrize("url", ["ftp://lms.example.edu/x", "/relative", "https://"])
def test_non_http_urls_are_refused_even_when_private_is_allowed(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_url(url, allow_private=True)


def test_an_unresolvable_host_is_refused() -> None:
    def fails(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(UnsafeUrl, match="does not resolve"):
        check_url("https://nowhere.invalid/x", allow_private=False, resolver=fails)


def test_without_a_resolver_only_scheme_and_literal_addresses_are_checked() -> None:
    assert check_url("https://lms.example.edu/x", allow_private=False, resolver=None)
    with pytest.raises(UnsafeUrl):
        check_url("https://169.254.169.254/latest", allow_private=False, resolver=None)
    with pytest.raises(UnsafeUrl):
        check_url("http://lms.example.edu/x", allow_private=False, resolver=None)


@pytest.mark.parametrize(
    "url",
    ["https://;/x", "HTTPS://a..b/", "https://exa_mple.com/", "https://-a.example/"],
)
def test_urls_without_a_valid_host_name_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl, match="does not name a valid host"):
        check_url(url, allow_private=True, resolver=None)


def test_internationalized_and_ordinary_host_names_pass() -> None:
    for url in ("https://bücher.example/case", "https://case.example.org./x"):
        assert check_url(url, allow_private=True, resolver=None) == url
