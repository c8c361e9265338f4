"""``multipart/mixed`` statement requests and responses (xAPI Communication 1.5.2, RFC 2046).

A statements PUT or POST may carry attachment data: the body is ``multipart/mixed``, its
first part the statement(s) as ``application/json``, every other part one attachment's raw
octets with the headers ``X-Experience-API-Hash`` (the attachment's ``sha2``) and
``Content-Transfer-Encoding: binary``. A statements GET with ``attachments=true`` answers in
the same shape. :func:`read_statement_parts` checks a request body and returns its parts;
:func:`render_multipart` writes a response. Both are pure functions over bytes.

Rules enforced (each failure an :class:`~gateway.errors.InvalidPayload`, HTTP 400):

* the ``boundary`` parameter is present, 1 to 70 characters (RFC 2046 5.1.1), and delimits
  the body (a preamble before the first delimiter and an epilogue after the closing one are
  ignored; line ends are CRLF as RFC 2046 requires, or LF throughout, as some clients send);
* the body ends with the closing delimiter ``--boundary--``;
* the first part is ``application/json`` and is the only JSON part (Communication 1.5.2:
  all the statements are in the first part);
* every other part has ``X-Experience-API-Hash`` and ``Content-Transfer-Encoding: binary``,
  and the SHA-2 digest of its octets equals that hash (SHA-224, -256, -384 or -512, told
  apart by the length of the hex digest).

Matching parts to the statements' attachments is
:func:`gateway.xapi.validation.check_attachment_parts`. The declared ``length`` of an
attachment is not compared with its part: the hash already identifies the content, and the
ADL conformance suite itself sends lengths that differ from the octets it sends.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from werkzeug.http import parse_options_header

from gateway.errors import InvalidPayload

__all__ = [
    "Attachment",
    "StatementParts",
    "read_statement_parts",
    "render_multipart",
]

MULTIPART_MIXED: Final = "multipart/mixed"
_HASHES: Final = {
    56: hashlib.sha224,
    64: hashlib.sha256,
    96: hashlib.sha384,
    128: hashlib.sha512,
}
_HEX = re.compile(r"[0-9a-fA-F]+")
_PADDING: Final = (b" ", b"\t")  # transport padding after a delimiter (RFC 2046 5.1.1)


@dataclass(frozen=True, slots=True)
class Part:
    """One body part: its headers (names in lower case) and its octets."""

    headers: Mapping[str, str]
    content: bytes


@dataclass(frozen=True, slots=True)
class StatementParts:
    """A checked multipart statement request: the JSON part and the attachment data by sha2."""

    statements: bytes
    attachments: Mapping[str, bytes]  # lower-case hex sha2 -> octets


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attachment part of a response."""

    sha2: str
    content_type: str
    content: bytes


def read_statement_parts(
    content_type: str, body: bytes, *, version: str
) -> StatementParts:
    """Check a ``multipart/mixed`` statements request (Communication 1.5.2); its parts."""
    boundary = _boundary(content_type, version)
    parts = split_parts(body, boundary, version=version)
    first, *rest = parts
    if _mimetype(first) != "application/json":
        raise InvalidPayload(
            "The first part of a multipart/mixed statements request must be "
            f"application/json, not {_mimetype(first) or 'a part without a Content-Type'} "
            f"(xAPI {version} Communication 1.5.2)."
        )
    attachments: dict[str, bytes] = {}
    for number, part in enumerate(rest, start=2):
        sha2 = _checked_attachment(part, number, version)
        attachments[sha2] = part.content
    return StatementParts(first.content, attachments)


def split_parts(body: bytes, boundary: str, *, version: str) -> list[Part]:
    """The body parts of a multipart body delimited by ``boundary`` (RFC 2046 5.1.1)."""
    delimiter = b"--" + boundary.encode("latin-1")
    start = body.find(delimiter)
    while start > 0 and body[start - 1 : start] != b"\n":
        start = body.find(delimiter, start + 1)  # a delimiter begins a line
    if start < 0:
        raise InvalidPayload(
            f"The body has no delimiter line --{boundary} although the Content-Type "
            "names that boundary; a multipart/mixed body starts each part with it "
            f"(xAPI {version} Communication 1.5.2, RFC 2046 5.1.1)."
        )
    position = start + len(delimiter)
    if body.startswith(b"--", position):
        raise InvalidPayload(
            "The multipart body has no part; its first part holds the statements "
            f"(xAPI {version} Communication 1.5.2)."
        )
    newline = _newline_after(body, position, boundary, version)
    separator = newline + delimiter
    parts: list[Part] = []
    while not body.startswith(b"--", position):  # else the closing delimiter: done
        position = _line_end(body, position, newline, boundary, version)
        end = body.find(separator, position)
        if end < 0:
            raise InvalidPayload(
                f"The multipart body does not end with the closing delimiter "
                f"--{boundary}-- (xAPI {version} Communication 1.5.2, RFC 2046 5.1.1)."
            )
        parts.append(_part(body[position:end], newline, len(parts) + 1, version))
        position = end + len(separator)
    return parts


def render_multipart(
    first_json: str, attachments: Sequence[Attachment]
) -> tuple[str, bytes]:
    """A ``multipart/mixed`` response: its Content-Type (with the boundary) and body.

    The first part is ``first_json`` (a Statement or StatementResult); each attachment follows
    with its Content-Type, ``Content-Transfer-Encoding: binary`` and ``X-Experience-API-Hash``
    (Communication 1.5.2). The boundary is random and occurs in no part.
    """
    head = first_json.encode("utf-8")
    boundary = uuid.uuid4().hex
    while any(boundary.encode() in a.content for a in attachments):
        boundary = uuid.uuid4().hex
    delimiter = b"--" + boundary.encode()
    chunks = [delimiter, b"\r\nContent-Type: application/json\r\n\r\n", head]
    for attachment in attachments:
        chunks += [
            b"\r\n",
            delimiter,
            b"\r\nContent-Type: ",
            attachment.content_type.encode("latin-1", "replace"),
            b"\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ",
            attachment.sha2.encode(),
            b"\r\n\r\n",
            attachment.content,
        ]
    chunks += [b"\r\n", delimiter, b"--\r\n"]
    return f"{MULTIPART_MIXED}; boundary={boundary}", b"".join(chunks)


def sha2_matches(sha2: str, content: bytes) -> bool:
    """Whether ``content`` has the SHA-2 hex digest ``sha2`` (SHA-224/256/384/512)."""
    digest = _HASHES.get(len(sha2))
    if digest is None or _HEX.fullmatch(sha2) is None:
        return False
    return digest(content).hexdigest() == sha2.lower()


def _boundary(content_type: str, version: str) -> str:
    _, options = parse_options_header(content_type)
    boundary = options.get("boundary", "")
    if not 1 <= len(boundary) <= 70 or not boundary.isascii():
        raise InvalidPayload(
            "A multipart/mixed request needs a boundary parameter of 1 to 70 ASCII "
            f"characters in its Content-Type, not {content_type[:120]!r} (xAPI {version} "
            "Communication 1.5.2, RFC 2046 5.1.1)."
        )
    return boundary


def _newline_after(body: bytes, position: int, boundary: str, version: str) -> bytes:
    """The line end the body uses: the one after the first delimiter (CRLF or LF)."""
    while body[position : position + 1] in _PADDING:
        position += 1
    if body.startswith(b"\r\n", position):
        return b"\r\n"
    if body.startswith(b"\n", position):
        return b"\n"
    raise InvalidPayload(
        f"The delimiter line --{boundary} must end the line (xAPI {version} "
        "Communication 1.5.2, RFC 2046 5.1.1)."
    )


def _line_end(
    body: bytes, position: int, newline: bytes, boundary: str, version: str
) -> int:
    """Skip the transport padding and the line end after a delimiter; where the part starts."""
    while body[position : position + 1] in _PADDING:
        position += 1
    if not body.startswith(newline, position):
        raise InvalidPayload(
            f"The delimiter line --{boundary} must end the line (xAPI {version} "
            "Communication 1.5.2, RFC 2046 5.1.1)."
        )
    return position + len(newline)


def _part(raw: bytes, newline: bytes, number: int, version: str) -> Part:
    """One part: header lines, an empty line, then the content (RFC 2046 5.1)."""
    if raw.startswith(newline):  # no header fields
        return Part({}, raw[len(newline) :])
    split = raw.find(newline + newline)
    if split < 0:
        raise InvalidPayload(
            f"Part {number} of the multipart body has no empty line after its headers "
            f"(xAPI {version} Communication 1.5.2, RFC 2046 5.1)."
        )
    headers: dict[str, str] = {}
    for line in raw[:split].split(newline):
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon or not name.strip():
            raise InvalidPayload(
                f"Part {number} of the multipart body has a header line without a name "
                f"and a colon: {line[:80]!r} (RFC 2046 5.1, RFC 5322 2.2)."
            )
        headers[name.strip().lower()] = value.strip()
    return Part(headers, raw[split + 2 * len(newline) :])


def _mimetype(part: Part) -> str:
    return part.headers.get("content-type", "").split(";")[0].strip().lower()


def _checked_attachment(part: Part, number: int, version: str) -> str:
    """The sha2 of an attachment part, once its headers and octets are checked."""
    sha2 = part.headers.get("x-experience-api-hash", "").lower()
    if not sha2:
        raise InvalidPayload(
            f"Part {number} of the multipart body has no X-Experience-API-Hash header; "
            "every part after the first is an attachment named by its sha2, and all the "
            f"statements belong in the first part (xAPI {version} Communication 1.5.2)."
        )
    encoding = part.headers.get("content-transfer-encoding", "")
    if encoding.lower() != "binary":
        raise InvalidPayload(
            f"Part {number} of the multipart body must have the header "
            f"Content-Transfer-Encoding: binary, not {encoding or 'none'!r} "
            f"(xAPI {version} Communication 1.5.2)."
        )
    if not sha2_matches(sha2, part.content):
        raise InvalidPayload(
            f"The octets of part {number} of the multipart body do not have the SHA-2 "
            f"hash {sha2[:128]} that its X-Experience-API-Hash header gives "
            f"(xAPI {version} Data 2.4.11)."
        )
    return sha2
