"""The xAPI document resources: State, Activity Profile and Agent Profile (Communication 2.3–2.6).

A document is arbitrary bytes with the content type it was sent with, keyed by its kind and
the resource's parameters (activity, agent, registration, stateId/profileId). Every document
has an ETag, the quoted lower-case SHA-1 hex of its content (Communication 3.1), and the time
it was last written (``Last-Modified``).

Scoping: documents belong to the vendor that stored them; a vendor reads, merges and deletes
only its own. A credential with the ``all`` scope sees every vendor's documents: it reads,
overwrites and merges into the most recently written match, deletes every match, lists the ids
of all, and stores a new document under its own vendor.

Concurrency (Communication 3.1): ``If-Match`` and ``If-None-Match`` are honoured on PUT, POST
and DELETE (412 when they fail). A PUT with neither header (a blind PUT, :class:`BlindPut`):

* over an existing Activity or Agent Profile is 409 (Communication 3.1), in both versions;
* over an existing State document is 409 in xAPI 2.0 (IEEE 9274.1.1 4.1.4 puts every document
  resource under the rule, and the 2.0 suite tests it) and allowed in 1.0.3, whose
  Communication 3.1 names the two profile resources only;
* creating an Activity or Agent Profile is 400 in 1.0.3, where the ADL suite reads the
  concurrency headers as required on a profile PUT (XAPI-00273, XAPI-00287), and allowed in
  2.0, whose suite creates profiles that way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from gateway.errors import Conflict, InvalidPayload, NotFound, PreconditionFailed
from gateway.store import Store
from gateway.store.tables import utcnow, xapi_documents, xapi_statements

JSON_TYPE: Final = "application/json"
DEFAULT_TYPE: Final = "application/octet-stream"


class Kind(StrEnum):
    """The three document resources."""

    STATE = "state"
    ACTIVITY_PROFILE = "activity_profile"
    AGENT_PROFILE = "agent_profile"

    @property
    def id_param(self) -> str:
        """The name of the document id parameter."""
        return "stateId" if self is Kind.STATE else "profileId"

    @property
    def label(self) -> str:
        """The resource's name in sentences."""
        return {
            Kind.STATE: "state",
            Kind.ACTIVITY_PROFILE: "activity profile",
            Kind.AGENT_PROFILE: "agent profile",
        }[self]


@dataclass(frozen=True)
class DocumentKey:
    """Where a document, or a set of them, lives; absent parts are ``""``."""

    kind: Kind
    activity_id: str = ""
    agent_key: str = ""
    registration: str = ""


@dataclass(frozen=True)
class Preconditions:
    """The request's ``If-Match`` and ``If-None-Match`` (Communication 3.1)."""

    if_match: Sequence[str] | None = None  # the ETags, or ["*"]
    if_none_match: Sequence[str] | None = None

    @property
    def any(self) -> bool:
        """Whether the request sent either header."""
        return self.if_match is not None or self.if_none_match is not None


@dataclass(frozen=True)
class Document:
    """One stored document."""

    document_id: str
    content_type: str
    content: bytes
    etag: str  # unquoted hex
    updated_at: datetime


@dataclass(frozen=True)
class Writer:
    """Who writes: the vendor, and whether it may touch other vendors' documents."""

    vendor_id: str
    sees_all: bool = False


def etag_of(content: bytes) -> str:
    """The SHA-1 hex digest of ``content`` (Communication 3.1 names SHA-1 for ETags)."""
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def quoted(etag: str) -> str:
    """The ETag as sent in headers: quoted."""
    return f'"{etag}"'


def parse_etags(raw: str | None) -> list[str] | None:
    """The ETags of an ``If-Match``/``If-None-Match`` header, unquoted; ``None`` if absent."""
    if raw is None:
        return None
    tags: list[str] = []
    for part in raw.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.append(tag.strip('"').lower())
    return [t for t in tags if t]


def _where(key: DocumentKey, vendor_id: str | None) -> list[ColumnElement[bool]]:
    t = xapi_documents
    out = [
        t.c.kind == key.kind.value,
        t.c.activity_id == key.activity_id,
        t.c.agent_key == key.agent_key,
        t.c.registration == key.registration,
    ]
    if vendor_id is not None:
        out.append(t.c.vendor_id == vendor_id)
    return out


def _vendor_filter(writer: Writer) -> str | None:
    return None if writer.sees_all else writer.vendor_id


def _row(conn: Connection, key: DocumentKey, document_id: str, writer: Writer) -> Any:
    t = xapi_documents
    return conn.execute(
        select(
            t.c.seq,
            t.c.document_id,
            t.c.content_type,
            t.c.content,
            t.c.etag,
            t.c.updated_at,
        )
        .where(*_where(key, _vendor_filter(writer)), t.c.document_id == document_id)
        .order_by(t.c.updated_at.desc(), t.c.seq.desc())
        .limit(1)
    ).first()


def _document(row: Any) -> Document:
    return Document(
        row.document_id, row.content_type, bytes(row.content), row.etag, row.updated_at
    )


def get_document(
    store: Store, key: DocumentKey, document_id: str, writer: Writer
) -> Document:
    """The document asked for, or :class:`NotFound`."""
    with store.read() as conn:
        row = _row(conn, key, document_id, writer)
    if row is None:
        raise NotFound(
            f"No {key.kind.label} document with {key.kind.id_param} {document_id!r} is "
            "stored here for these parameters."
        )
    return _document(row)


def list_ids(
    store: Store, key: DocumentKey, writer: Writer, since: datetime | None
) -> tuple[list[str], datetime | None]:
    """The ids of the documents under ``key`` (updated after ``since``), and the latest time."""
    t = xapi_documents
    sql = select(t.c.document_id, t.c.updated_at).where(
        *_where(key, _vendor_filter(writer))
    )
    if since is not None:
        sql = sql.where(t.c.updated_at > since)
    with store.read() as conn:
        rows = conn.execute(sql.order_by(t.c.document_id)).all()
    ids = list(dict.fromkeys(r.document_id for r in rows))
    latest = max((r.updated_at for r in rows), default=None)
    return ids, latest


class BlindPut(StrEnum):
    """What a PUT with neither If-Match nor If-None-Match may do (Communication 3.1)."""

    ALLOWED = "allowed"  # create or overwrite
    CREATE_ONLY = "create_only"  # 409 over an existing document
    REFUSED = "refused"  # 409 over an existing document, 400 otherwise

    @classmethod
    def rule(cls, kind: Kind, version: str) -> BlindPut:
        """The rule for a document resource in an LRS version (see the module docstring)."""
        if version.startswith("2."):
            return cls.CREATE_ONLY
        return cls.ALLOWED if kind is Kind.STATE else cls.REFUSED


def _check(
    kind: Kind,
    document_id: str,
    current: Any,
    pre: Preconditions,
    *,
    blind_put: BlindPut,
) -> None:
    """Communication 3.1: If-Match / If-None-Match (412), then the rule for a blind PUT."""
    etag = current.etag if current is not None else None
    if pre.if_match is not None:
        matches = etag is not None and ("*" in pre.if_match or etag in pre.if_match)
        if not matches:
            raise PreconditionFailed(
                f"If-Match does not hold: the {kind.label} document {document_id!r} "
                + (
                    "does not exist."
                    if etag is None
                    else f"has ETag {quoted(etag)}; GET it and retry."
                )
            )
    if pre.if_none_match is not None and etag is not None:
        if "*" in pre.if_none_match or etag in pre.if_none_match:
            raise PreconditionFailed(
                f"If-None-Match does not hold: the {kind.label} document {document_id!r} "
                f"exists with ETag {quoted(etag)}."
            )
    if blind_put is BlindPut.ALLOWED or pre.any:
        return
    if current is None and blind_put is BlindPut.REFUSED:
        raise InvalidPayload(
            f"A PUT of the {kind.label} document {document_id!r} needs If-None-Match: * to "
            "create it (or If-Match with its ETag to replace it) (xAPI 1.0.3 "
            "Communication 3.1)."
        )
    if current is not None:
        raise Conflict(
            f"The {kind.label} document {document_id!r} already exists: GET it and send the "
            "PUT again with If-Match set to its ETag, or If-None-Match: * to create only "
            "(xAPI Communication 3.1)."
        )


def _json_object(content: bytes, content_type: str, what: str) -> dict[str, Any]:
    """Communication 2.2: POST merges JSON objects only; anything else is 400."""
    if content_type.split(";")[0].strip().lower() != JSON_TYPE:
        raise InvalidPayload(
            f"POST merges JSON documents only, and {what} is {content_type}; use PUT to "
            "replace it (xAPI Communication 2.2)."
        )
    try:
        value = json.loads(content)
    except (ValueError, RecursionError):
        raise InvalidPayload(
            f"POST merges JSON objects only, and {what} is not valid JSON."
        ) from None
    if not isinstance(value, dict):
        raise InvalidPayload(
            f"POST merges JSON objects only, and {what} is not an object "
            "(xAPI Communication 2.2)."
        )
    return value


def save_document(
    store: Store,
    key: DocumentKey,
    document_id: str,
    writer: Writer,
    *,
    content: bytes,
    content_type: str,
    pre: Preconditions,
    merge: bool,
    version: str,
) -> str:
    """PUT (replace) or POST (merge top-level keys of JSON objects) one document; its ETag.

    One transaction: read the current document, check the preconditions, write.
    """
    t = xapi_documents
    try:
        with store.write() as conn:
            current = _row(conn, key, document_id, writer)
            _check(
                key.kind,
                document_id,
                current,
                pre,
                blind_put=BlindPut.ALLOWED
                if merge
                else BlindPut.rule(key.kind, version),
            )
            if merge:
                incoming = _json_object(content, content_type, "the posted document")
                if current is not None:
                    stored = _json_object(
                        bytes(current.content), current.content_type, "the stored one"
                    )
                    content = json.dumps(
                        {**stored, **incoming}, separators=(",", ":")
                    ).encode()
                    content_type = JSON_TYPE
            values = {
                "content_type": content_type,
                "content": content,
                "etag": etag_of(content),
                "updated_at": utcnow(),
            }
            if current is not None:
                conn.execute(update(t).where(t.c.seq == current.seq).values(**values))
            else:
                conn.execute(
                    insert(t).values(
                        kind=key.kind.value,
                        vendor_id=writer.vendor_id,
                        activity_id=key.activity_id,
                        agent_key=key.agent_key,
                        registration=key.registration,
                        document_id=document_id,
                        **values,
                    )
                )
            return str(values["etag"])
    except IntegrityError:
        # Two first writes of the same document raced; the other one won.
        raise Conflict(
            f"The {key.kind.label} document {document_id!r} was created by another request "
            "at the same time; GET it and retry."
        ) from None


def delete_documents(
    store: Store,
    key: DocumentKey,
    document_id: str | None,
    writer: Writer,
    pre: Preconditions,
) -> None:
    """DELETE one document, or (``document_id`` None, State only) all under ``key``.

    Deleting what does not exist is 204 too, unless a precondition says otherwise.
    """
    t = xapi_documents
    with store.write() as conn:
        where = _where(key, _vendor_filter(writer))
        if document_id is not None:
            current = _row(conn, key, document_id, writer)
            _check(key.kind, document_id, current, pre, blind_put=BlindPut.ALLOWED)
            where.append(t.c.document_id == document_id)
        conn.execute(delete(t).where(*where))


# --- The Activities and Agents resources (Communication 2.5, 2.6) ----------------------------

# How many of an activity's latest statements are searched for its definition.
_DEFINITION_WINDOW: Final = 100


def activity_object(
    store: Store, activity_id: str, *, vendor_id: str | None
) -> dict[str, Any]:
    """Communication 2.5: the Activity, with all that is known of its definition.

    Among the latest ``_DEFINITION_WINDOW`` statements (of those ``vendor_id`` may read, or
    all) whose object is this activity, the newest definition is the base, and the languages
    it lacks in ``name`` and ``description`` come from older ones, newest first (XAPI-00254:
    two statements describing the activity in two languages give both). An activity never
    seen, or seen without a definition, is just its id.
    """
    t = xapi_statements
    sql = (
        select(t.c.statement)
        .where(t.c.activity_id == activity_id)
        .order_by(t.c.seq.desc())
        .limit(_DEFINITION_WINDOW)
    )
    if vendor_id is not None:
        sql = sql.where(t.c.vendor_id == vendor_id)
    out: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    with store.read() as conn:
        texts = [text for (text,) in conn.execute(sql)]
    definitions = [
        json.loads(text).get("object", {}).get("definition") for text in texts
    ]
    merged = merge_definitions([d for d in definitions if isinstance(d, dict)])
    if merged is not None:
        out["definition"] = merged
    return out


def merge_definitions(
    newest_first: Sequence[Mapping[str, Any]],
) -> dict[str, Any] | None:
    """One Activity definition from several, newest first (Communication 2.5).

    The newest wins property by property; its ``name`` and ``description`` language maps
    gain the languages only older definitions have.
    """
    if not newest_first:
        return None
    out = dict(newest_first[0])
    for key in ("name", "description"):
        languages: dict[str, Any] = {}
        for definition in reversed(newest_first):
            if isinstance(definition.get(key), Mapping):
                languages.update(definition[key])
        if languages:
            out[key] = {**languages, **out.get(key, {})}
    return out


def person_object(agent: Mapping[str, Any]) -> dict[str, Any]:
    """Communication 2.6: the Person object of a (validated) Agent; each IFI in a list."""
    out: dict[str, Any] = {"objectType": "Person"}
    for name in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        if name in agent:
            out[name] = [agent[name]]
    return out
