from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from gateway.competencies import import_package, list_frameworks
from gateway.competencies.fetch import USER_AGENT, load_package_source
from gateway.errors import InvalidPayload, UnsafeUrl, UpstreamUnavailable
from gateway.store import Store
from tests.case_packages import ACT, SMARTER_BALANCED, real_package

SB_ID = "1796d9a2-d5ee-11e7-b39f-71a145b86a18"
PACKAGE_PATH = f"/ims/case/v1p0/CFPackages/{SB_ID}"


def test_a_provider_package_url_imports(httpserver: HTTPServer, store: Store) -> None:
    httpserver.expect_request(
        PACKAGE_PATH, headers={"User-Agent": USER_AGENT}
    ).respond_with_json(real_package(SMARTER_BALANCED))
    url = httpserver.url_for(PACKAGE_PATH)
    data, source = load_package_source(url, allow_private=True)
    assert source == url
    report = import_package(store, data, source_url=source)
    assert report.created == 48
    assert list_frameworks(store)[0].source_url == url


def test_a_cfdocument_url_follows_its_cfpackage_uri(
    httpserver: HTTPServer, store: Store
) -> None:
    package = real_package(ACT)
    # The provider hosts the package somewhere other than /CFPackages/{id}: the link wins.
    package_url = httpserver.url_for("/elsewhere/act-package.json")
    document = package["CFDocument"] | {
        "CFPackageURI": {
            "title": "ACT",
            "identifier": package["CFDocument"]["identifier"],
            "uri": package_url,
        }
    }
    doc_path = f"/ims/case/v1p1/CFDocuments/{document['identifier']}"
    httpserver.expect_request(doc_path).respond_with_json(document)
    httpserver.expect_request("/elsewhere/act-package.json").respond_with_json(package)
    data, source = load_package_source(httpserver.url_for(doc_path), allow_private=True)
    assert source == package_url
    assert import_package(store, data, source_url=source).created == 28


def test_a_file_path_loads_with_no_source_url(tmp_path: Path) -> None:
    target = tmp_path / "p.json"
    target.write_text(json.dumps(real_package(ACT)))
    data, source = load_package_source(str(target))
    assert (
        source is None and data["CFDocument"]["title"] == "ACT Holistic Framework, Math"
    )


def test_a_missing_or_non_json_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(InvalidPayload, match="Cannot read"):
        load_package_source(str(tmp_path / "absent.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("<html>")
    with pytest.raises(InvalidPayload, match="is not JSON"):
        load_package_source(str(bad))


def test_404_with_imsx_status_info_names_the_reason(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PACKAGE_PATH).respond_with_json(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": "No CFPackage with that sourcedId",
        },
        status=404,
    )
    with pytest.raises(UpstreamUnavailable) as info:
        load_package_source(httpserver.url_for(PACKAGE_PATH), allow_private=True)
    assert "404" in info.value.detail
    assert "No CFPackage with that sourcedId" in info.value.detail


def test_500_is_upstream_unavailable(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PACKAGE_PATH).respond_with_data("boom", status=500)
    with pytest.raises(UpstreamUnavailable, match="HTTP 500"):
        load_package_source(httpserver.url_for(PACKAGE_PATH), allow_private=True)


def test_non_json_success_is_invalid_payload(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PACKAGE_PATH).respond_with_data(
        "<html>login</html>", content_type="text/html"
    )
    with pytest.raises(InvalidPayload, match="text/html, not JSON"):
        load_package_source(httpserver.url_for(PACKAGE_PATH), allow_private=True)


def test_a_status_info_body_with_200_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PACKAGE_PATH).respond_with_json(
        {"imsx_StatusInfo": {"imsx_codeMajor": "unsupported", "imsx_description": "no"}}
    )
    with pytest.raises(UpstreamUnavailable, match="unsupported: no"):
        load_package_source(httpserver.url_for(PACKAGE_PATH), allow_private=True)


def test_an_oversized_body_is_refused(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gateway.competencies.fetch.MAX_BYTES", 1000)

    def chunked(_request: Request) -> Response:
        return Response((b"x" * 400 for _ in range(5)), content_type="application/json")

    httpserver.expect_request(PACKAGE_PATH).respond_with_handler(chunked)
    with pytest.raises(InvalidPayload, match="refused"):
        load_package_source(httpserver.url_for(PACKAGE_PATH), allow_private=True)


def test_an_unreachable_host_is_upstream_unavailable() -> None:
    with requests.Session() as session:
        with pytest.raises(UpstreamUnavailable, match="Could not reach"):
            load_package_source("http://127.0.0.1:9/CFPackages/x", http=session)


def test_a_cfdocument_without_package_uri_falls_back_to_the_provider_path(
    httpserver: HTTPServer,
) -> None:
    package = real_package(ACT)
    document = dict(package["CFDocument"])
    del document["CFPackageURI"]
    ident = document["identifier"]
    httpserver.expect_request(f"/ims/case/v1p0/CFDocuments/{ident}").respond_with_json(
        document
    )
    httpserver.expect_request(f"/ims/case/v1p0/CFPackages/{ident}").respond_with_json(
        package
    )
    data, source = load_package_source(
        httpserver.url_for(f"/ims/case/v1p0/CFDocuments/{ident}"), allow_private=True
    )
    assert source == httpserver.url_for(f"/ims/case/v1p0/CFPackages/{ident}")
    assert len(data["CFItems"]) == 28


def test_a_url_is_fetched_only_when_safe(httpserver: HTTPServer) -> None:
    """https only, and no loopback or private address, unless development says so."""
    httpserver.expect_request(PACKAGE_PATH).respond_with_json({"CFDocument": {}})
    with pytest.raises(UnsafeUrl, match="not https"):
        load_package_source(httpserver.url_for(PACKAGE_PATH))
    with pytest.raises(UnsafeUrl, match="127.0.0.1"):
        load_package_source(f"https://127.0.0.1:{httpserver.port}{PACKAGE_PATH}")
    assert httpserver.log == []
