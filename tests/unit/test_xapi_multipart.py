"""multipart/mixed statement requests and responses (xAPI Communication 1.5.2, RFC 2046)."""

from __future__ import annotations

import hashlib
import json

import pytest

from gateway.errors import InvalidPayload
from gateway.xapi.multipart import (
    Attachment,
    read_statement_parts,
    render_multipart,
    sha2_matches,
    split_parts,
)
from tests.unit.shared_fixtures import XAPI_SPEC

V = "2.0.0"
TEXT = b"here is a simple attachment"
TEXT_SHA2 = hashlib.sha256(TEXT).hexdigest()
BOUNDARY = "-------314159265358979323846"
STATEMENT = b'{"actor":{"mbox":"mailto:a@b.example"}}'


def spec_example() -> tuple[str, bytes]:
    """The multipart example of Communication 1.5.2, completed.

    The fixture stops in the attachment part's headers, before the spec's
    ``X-Experience-API-Hash`` line; the attachment's sha2 names "here is a simple
    attachment", so that line, the content and the closing delimiter complete it.
    """
    headers = (XAPI_SPEC / "comm-multipart-attachment-example.headers.txt").read_text()
    content_type = headers.splitlines()[0].partition(":")[2].strip()
    raw = (XAPI_SPEC / "comm-multipart-attachment-example.body.txt").read_bytes()
    rest = f"X-Experience-API-Hash:{TEXT_SHA2}\r\n\r\n".encode() + TEXT
    return content_type, raw + rest + b"\r\n--abcABC0123'()+_,-./:=?--"


def part(
    content: bytes, *headers: str, newline: bytes = b"\r\n", boundary: str = BOUNDARY
) -> bytes:
    """One delimiter line, header lines, an empty line and the content."""
    lines = [f"--{boundary}", *headers, ""]
    return newline.join(line.encode() for line in lines) + newline + content + newline


def body(*parts: bytes, boundary: str = BOUNDARY, newline: bytes = b"\r\n") -> bytes:
    return b"".join(parts) + f"--{boundary}--".encode() + newline


def json_part(content: bytes = STATEMENT, **kw: str) -> bytes:
    return part(content, "Content-Type: application/json", **kw)


def text_part(content: bytes = TEXT, sha2: str = TEXT_SHA2) -> bytes:
    return part(
        content,
        "Content-Type: text/plain",
        "Content-Transfer-Encoding: binary",
        f"X-Experience-API-Hash: {sha2}",
    )


CT = f"multipart/mixed; boundary={BOUNDARY}"


def test_the_spec_example_is_read() -> None:
    content_type, raw = spec_example()
    parts = read_statement_parts(content_type, raw, version="1.0.3")
    statement = json.loads(parts.statements)
    assert statement["attachments"][0]["sha2"] == TEXT_SHA2
    assert parts.attachments == {TEXT_SHA2: TEXT}


def test_a_statement_part_alone_is_read() -> None:
    parts = read_statement_parts(CT, body(json_part()), version=V)
    assert parts.statements == STATEMENT and parts.attachments == {}


def test_preamble_epilogue_padding_and_lf_line_ends_are_tolerated() -> None:
    raw = b"preamble\r\n" + body(json_part(), text_part()) + b"epilogue"
    assert read_statement_parts(CT, raw, version=V).attachments == {TEXT_SHA2: TEXT}
    padded = body(json_part(), text_part()).replace(
        f"--{BOUNDARY}\r\n".encode(), f"--{BOUNDARY} \t\r\n".encode()
    )
    assert read_statement_parts(CT, padded, version=V).statements == STATEMENT
    lf = body(
        part(STATEMENT, "Content-Type: application/json", newline=b"\n"),
        newline=b"\n",
    )
    assert read_statement_parts(CT, lf, version=V).statements == STATEMENT


def test_binary_content_is_kept_octet_for_octet() -> None:
    data = bytes(range(256)) * 4 + b"\r\n\r\n--not-the-boundary\r\n"
    sha2 = hashlib.sha512(data).hexdigest()
    parts = read_statement_parts(
        CT, body(json_part(), text_part(data, sha2)), version=V
    )
    assert parts.attachments[sha2] == data


def test_a_quoted_boundary_is_read() -> None:
    raw = body(json_part(boundary="a b'c"), boundary="a b'c")
    parts = read_statement_parts('multipart/mixed; boundary="a b\'c"', raw, version=V)
    assert parts.statements == STATEMENT


@pytest.mark.parametrize(
    ("content_type", "raw", "words"),
    [
        ("multipart/mixed", body(json_part()), "boundary parameter"),
        ("multipart/mixed; boundary=" + "x" * 71, body(json_part()), "boundary"),
        (CT, STATEMENT, "no delimiter line"),
        # XAPI-00131: the body does not start the statement part with the boundary
        (CT, b"Content-Type: application/json\r\n\r\n" + STATEMENT, "no delimiter"),
        (CT, json_part(), "closing delimiter"),
        (CT, body(), "no part"),
        (CT, f"--{BOUNDARY}x\r\n".encode() + body(), "must end the line"),
        # XAPI-00134: the first part is not application/json
        (CT, body(part(STATEMENT, "Content-Type: text/plain")), "application/json"),
        (CT, body(part(STATEMENT, "Content-Type application/json")), "colon"),
        (CT, body(f"--{BOUNDARY}\r\nContent-Type: a/b\r\n".encode()), "empty line"),
        # XAPI-00133: the statements are split over two JSON parts
        (CT, body(json_part(), json_part(), text_part()), "X-Experience-API-Hash"),
        # XAPI-00132: a part without the hash header, or with another hash
        (
            CT,
            body(
                json_part(),
                part(
                    TEXT,
                    "Content-Type: text/plain",
                    "Content-Transfer-Encoding: binary",
                ),
            ),
            "X-Experience-API-Hash",
        ),
        (CT, body(json_part(), text_part(sha2="ab" * 32)), "SHA-2 hash"),
        # XAPI-00135: Content-Transfer-Encoding is not binary
        (
            CT,
            body(
                json_part(),
                part(
                    TEXT,
                    "Content-Transfer-Encoding: base64",
                    f"X-Experience-API-Hash: {TEXT_SHA2}",
                ),
            ),
            "Content-Transfer-Encoding: binary",
        ),
    ],
)
def test_malformed_requests_are_400_with_a_sentence(
    content_type: str, raw: bytes, words: str
) -> None:
    with pytest.raises(InvalidPayload, match=words):
        read_statement_parts(content_type, raw, version=V)


def test_a_rendered_response_reads_back() -> None:
    attachments = [
        Attachment(TEXT_SHA2, "text/plain; charset=ascii", TEXT),
        Attachment(hashlib.sha256(b"\x00\xff").hexdigest(), "image/png", b"\x00\xff"),
    ]
    content_type, raw = render_multipart('{"statements":[]}', attachments)
    assert content_type.startswith("multipart/mixed; boundary=")
    parts = read_statement_parts(content_type, raw, version=V)
    assert parts.statements == b'{"statements":[]}'
    assert parts.attachments == {a.sha2: a.content for a in attachments}
    boundary = content_type.partition("boundary=")[2]
    split = split_parts(raw, boundary, version=V)
    assert split[1].headers["content-type"] == "text/plain; charset=ascii"


def test_sha2_matches_each_sha2_length_and_nothing_else() -> None:
    for digest in (hashlib.sha224, hashlib.sha256, hashlib.sha384, hashlib.sha512):
        assert sha2_matches(digest(TEXT).hexdigest().upper(), TEXT)
        assert not sha2_matches(digest(TEXT).hexdigest(), TEXT + b" ")
    assert not sha2_matches("zz" * 32, TEXT)
    assert not sha2_matches(hashlib.sha1(TEXT).hexdigest(), TEXT)  # noqa: S324
