"""Attachments and signed statements over HTTP (Communication 1.5.2, 2.1.3; Data 2.4.11, 2.6)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from werkzeug.test import TestResponse

from gateway.store import Store
from gateway.store.tables import raw_records, xapi_attachments, xapi_statements
from gateway.xapi.multipart import read_statement_parts, split_parts
from gateway.xapi.validation import SIGNATURE_USAGE
from tests.api_helpers import V1, V2, Lrs, problem
from tests.integration.test_xapi_statements import _count, _statement
from tests.unit.test_xapi_multipart import BOUNDARY, CT, body, json_part, part
from tests.unit.test_xapi_signatures import original, sign

TEXT = b"here is a simple attachment"
PICTURE = bytes(range(256)) * 8  # binary octets, CR and LF included


def attachment(content: bytes, **overrides: Any) -> dict[str, Any]:
    """The attachment object naming ``content`` (Data 2.4.11)."""
    out = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": "application/octet-stream",
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
    }
    out.update(overrides)
    return out


def data_part(content: bytes, content_type: str = "application/octet-stream") -> bytes:
    return part(
        content,
        f"Content-Type: {content_type}",
        "Content-Transfer-Encoding: binary",
        f"X-Experience-API-Hash: {hashlib.sha256(content).hexdigest()}",
    )


def send(
    lrs: Lrs,
    statements: Any,
    *contents: bytes,
    method: str = "POST",
    version: str = V2,
    **query: str,
) -> TestResponse:
    raw = body(json_part(json.dumps(statements).encode()), *map(data_part, contents))
    return lrs.client.open(
        "/xapi/statements",
        method=method,
        data=raw,
        query_string=query,
        headers=lrs.headers(version),
        content_type=CT,
    )


def multipart(response: TestResponse) -> tuple[Any, dict[str, bytes]]:
    """The JSON first part and the attachment data of a multipart response."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "multipart/mixed"
    parts = read_statement_parts(
        response.headers["Content-Type"], response.get_data(), version=V2
    )
    return json.loads(parts.statements), dict(parts.attachments)


@pytest.mark.parametrize("version", [V1, V2])
def test_attachment_data_is_stored_once_and_returned_with_attachments_true(
    lrs: Lrs, store: Store, version: str
) -> None:
    first = _statement(attachments=[attachment(TEXT, contentType="text/plain")])
    second = _statement(attachments=[attachment(TEXT), attachment(PICTURE)])
    response = send(lrs, [first, second], TEXT, PICTURE, version=version)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json == [first["id"], second["id"]]
    assert _count(store, xapi_attachments) == 2
    # The same data sent again with a new statement is not stored twice.
    third = _statement(attachments=[attachment(PICTURE)])
    assert send(lrs, third, PICTURE, version=version).status_code == 200
    assert _count(store, xapi_attachments) == 2

    statement, data = multipart(
        lrs.get(version, statementId=second["id"], attachments="true")
    )
    assert statement["id"] == second["id"]
    assert data == {
        a["sha2"]: c
        for a, c in zip(second["attachments"], (TEXT, PICTURE), strict=True)
    }
    result, data = multipart(lrs.get(version, attachments="true", limit="2"))
    assert [s["id"] for s in result["statements"]] == [third["id"], second["id"]]
    assert set(data) == {attachment(TEXT)["sha2"], attachment(PICTURE)["sha2"]}
    # Each part carries the content type its attachment declares.
    raw = lrs.get(version, statementId=first["id"], attachments="true")
    boundary = raw.headers["Content-Type"].partition("boundary=")[2]
    [_, text_part] = split_parts(raw.get_data(), boundary, version=V2)
    assert text_part.headers["content-type"] == "text/plain"
    assert text_part.headers["content-transfer-encoding"] == "binary"
    # attachments=false (or absent) answers plain JSON without the data.
    plain = lrs.get(version, statementId=second["id"], attachments="false")
    assert plain.mimetype == "application/json"
    assert plain.json is not None and plain.json["id"] == second["id"]
    assert lrs.get(version, attachments="false").mimetype == "application/json"


def test_a_put_may_carry_attachment_data_and_head_answers_like_get(
    lrs: Lrs, store: Store
) -> None:
    statement = _statement(attachments=[attachment(PICTURE)])
    response = send(lrs, statement, PICTURE, method="PUT", statementId=statement["id"])
    assert response.status_code == 204, response.get_data(as_text=True)
    assert _count(store, xapi_attachments) == 1
    head = lrs.client.head(
        "/xapi/statements",
        query_string={"statementId": statement["id"], "attachments": "true"},
        headers=lrs.headers(),
    )
    assert head.status_code == 200 and head.mimetype == "multipart/mixed"
    assert head.get_data() == b""


def test_multipart_without_attachments_and_with_file_urls_is_accepted(
    lrs: Lrs,
) -> None:
    plain = _statement()
    linked = _statement(
        attachments=[attachment(TEXT, fileUrl="https://files.example/a.txt")]
    )
    response = send(lrs, [plain, linked])
    assert response.status_code == 200, response.get_data(as_text=True)
    statement, data = multipart(lrs.get(statementId=linked["id"], attachments="true"))
    assert statement["attachments"][0]["fileUrl"] == "https://files.example/a.txt"
    assert data == {}


@pytest.mark.parametrize(
    ("statement_attachments", "contents", "words"),
    [
        # XAPI-00129: an attachment with neither a fileUrl nor a part
        (
            [attachment(TEXT), attachment(PICTURE)],
            [TEXT],
            "no fileUrl and no multipart",
        ),
        # XAPI-00128: a part that no attachment names
        ([attachment(TEXT)], [TEXT, PICTURE], "belongs to no attachment"),
        # XAPI-00115: a signature attachment with the wrong content type
        (
            [attachment(TEXT, usageType=SIGNATURE_USAGE, contentType="text/plain")],
            [TEXT],
            "application/octet-stream",
        ),
        # Data 2.6: a signature attachment whose data is no JWS
        ([attachment(TEXT, usageType=SIGNATURE_USAGE)], [TEXT], "not a JWS"),
    ],
)
def test_attachments_that_do_not_match_their_parts_are_400_and_nothing_is_stored(
    lrs: Lrs,
    store: Store,
    statement_attachments: list[dict[str, Any]],
    contents: list[bytes],
    words: str,
) -> None:
    batch = [_statement(), _statement(attachments=statement_attachments)]
    detail = problem(send(lrs, batch, *contents), 400)["detail"]
    assert words in detail
    assert _count(store) == 0 and _count(store, xapi_attachments) == 0


def test_malformed_multipart_bodies_are_400(lrs: Lrs, store: Store) -> None:
    statement = json.dumps(_statement(attachments=[attachment(TEXT)])).encode()

    def post(raw: bytes, content_type: str = CT) -> str:
        response = lrs.client.post(
            "/xapi/statements",
            data=raw,
            headers=lrs.headers(),
            content_type=content_type,
        )
        return str(problem(response, 400)["detail"])

    good = body(json_part(statement), data_part(TEXT))
    assert "boundary parameter" in post(good, "multipart/mixed")
    assert "application/json, or multipart/mixed" in post(
        good, f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert "no delimiter line" in post(statement)
    assert "closing delimiter" in post(good[: -len(BOUNDARY) - 6])
    assert "not valid JSON" in post(body(json_part(b"{"), data_part(TEXT)))
    assert "SHA-2 hash" in post(good.replace(TEXT, TEXT.upper()))
    assert _count(store) == 0


def test_an_oversized_multipart_body_is_413(lrs: Lrs, settings: Any) -> None:
    big = b"x" * settings.max_body_bytes
    response = send(lrs, _statement(attachments=[attachment(big)]), big)
    assert problem(response, 413)["status"] == 413


def signed(statement: dict[str, Any], token: bytes) -> dict[str, Any]:
    return dict(
        statement,
        attachments=[
            attachment(token, usageType=SIGNATURE_USAGE, display={"en-US": "Signed"})
        ],
    )


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_a_signed_statement_is_verified_and_stored(
    lrs: Lrs, store: Store, algorithm: str
) -> None:
    statement = original()
    token = sign(statement, algorithm=algorithm, x5c=True)
    response = send(lrs, signed(statement, token), token, version=V1)
    assert response.status_code == 200, response.get_data(as_text=True)
    _, data = multipart(lrs.get(V1, statementId=statement["id"], attachments="true"))
    assert data == {hashlib.sha256(token).hexdigest(): token}
    assert _count(store, raw_records) == 1


def test_a_signature_that_does_not_match_is_400_and_nothing_is_stored(
    lrs: Lrs, store: Store
) -> None:
    statement = original()
    token = sign(dict(statement, verb={"id": "http://adlnet.gov/expapi/verbs/failed"}))
    detail = problem(send(lrs, signed(statement, token), token), 400)["detail"]
    assert "not the statement received" in detail
    hs256 = sign(statement, algorithm="HS256", key=b"s" * 32)
    detail = problem(send(lrs, signed(statement, hs256), hs256), 400)["detail"]
    assert "RS256, RS384, RS512" in detail
    assert _count(store, xapi_statements) == 0 and _count(store, xapi_attachments) == 0
