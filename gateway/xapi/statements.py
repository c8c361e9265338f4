"""The Statement Resource of the LRS: store, void and query xAPI statements (Communication 2.1).

Plain functions over the store; :mod:`gateway.xapi.views` parses the HTTP request and calls
them. Decisions:

* **Ids.** A statement id is global in the LRS, whichever vendor sent it. UUIDs compare
  case-insensitively (RFC 4122 section 3), so the LRS keeps a statement's ``id`` (and a
  StatementRef's target id) in lower case.
* **One transaction per request.** Storing, voiding, and the evidence pipeline's raw records and
  evidence (:func:`gateway.intake.pipeline.ingest`) commit together: a 2xx means all is durable,
  and a batch with one bad statement stores nothing (Communication 2.1.2).
* **Idempotency and 409** (Communication 2.1.1-2.1.2, Data 2.3.1). A statement id already stored
  is never changed. If the re-sent statement matches the stored one (ignoring what the LRS
  assigns, activity definitions, verb display, timestamp serialization, group member order,
  attachments and the case of ``mbox``), PUT answers 204 and POST returns the id; otherwise 409.
* **Voiding** (Data 2.3.2, Communication 2.1.4). A voiding statement hides its target from
  queries (``voidedStatementId`` still returns it). The target may arrive later; it is then
  stored as voided. Voiding a voiding statement is refused (400); voiding another vendor's
  statement needs the ``all`` scope (403 otherwise).
* **Queries** (Communication 2.1.3). Results are ordered by storage order (``seq``, the order of
  ``stored``), newest first unless ``ascending=true``. ``more`` is an opaque cursor carrying the
  query and the last ``seq`` returned: later pages never shift when statements arrive.
  ``since`` is exclusive and ``until`` inclusive, on ``stored``. The StatementRef rule holds:
  a statement whose object refers to a matching statement matches the non-time filters too,
  recursively. ``format=canonical`` keeps one language per verb and activity language map,
  chosen by ``Accept-Language``. With ``attachments=true`` the view answers multipart/mixed
  with the data of the attachments of the statements returned (:func:`load_attachments`).
* **Attachment data** (Communication 1.5.2, Data 2.4.11) sent as multipart parts is stored
  once per sha2 in ``xapi_attachments``, in the transaction of its statements; statements
  sent again, or naming content already stored, store nothing new.

Known limits. On PostgreSQL, concurrent requests may commit out of ``seq`` order: a newest-first
walk through ``more`` is unaffected, but an ``ascending`` walk may pass over a statement that
committed late (ask again with ``since`` set to an earlier Consistent-Through to catch it). On
both databases ``stored`` is stamped just before the write lock is taken, so two concurrent
requests may commit out of ``stored`` order by up to ``_RESTAMP_AFTER``, well inside the
Consistent-Through margin. Two
concurrent first writes of one id with different content both answer success; the first
stored is kept (the 409 check sees only committed statements).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    exists,
    func,
    or_,
    select,
    tuple_,
    update,
)

from gateway.errors import Conflict, Forbidden, InvalidPayload, NotFound
from gateway.intake.pipeline import (
    Incoming,
    Observed,
    VendorContext,
    context_for,
    ingest,
    observe_items,
    void_records,
)
from gateway.store import Store
from gateway.store.tables import (
    utcnow,
    xapi_attachments,
    xapi_statement_refs,
    xapi_statements,
)
from gateway.store.upsert import insert_ignore, select_in
from gateway.xapi.multipart import Attachment
from gateway.xapi.validation import (
    VOIDED_VERB,
    complete_statement,
    format_timestamp,
    validate_statement,
)

PROTOCOL: Final = "xapi"
DEFAULT_LIMIT: Final = 100
MAX_LIMIT: Final = 500
# Statements are stored with a ``stored`` time taken at most _RESTAMP_AFTER before their write
# transaction starts, and a write transaction lasts well under the rest of this margin, so
# everything stored before "now - margin" is visible.
CONSISTENCY_MARGIN: Final = timedelta(seconds=2)
FORMATS: Final = ("exact", "ids", "canonical")
_LOOKUP_CHUNK: Final = 10_000  # ids per look-up of stored statements
# A request that waited this long for the write lock stamps its statements again.
_RESTAMP_AFTER: Final = timedelta(milliseconds=500)

_QUERY_PARAMS: Final = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)
_SINGLE_PARAMS: Final = frozenset({"statementId", "voidedStatementId"})
_CURSOR: Final = "cursor"
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_FRACTION = re.compile(r"(\.\d{6})\d+")
_JSON_SEPARATORS: Final = (",", ":")


# --- Writing -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Writer:
    """Who stores statements: the vendor, its adapter, and the authority it is stored under."""

    vendor_id: str
    vendor_name: str
    adapter: str
    settings: Mapping[str, Any]
    authority: Mapping[str, Any]
    may_void_any: bool = False  # the ``all`` scope: may void other vendors' statements


@dataclass(frozen=True, slots=True)
class Prepared:
    """A statement made ready before the write transaction: completed, encoded, its refs."""

    sid: str
    statement: Mapping[str, Any]  # as validated
    row: dict[str, Any]  # its xapi_statements row, but for ``voided``
    refs: list[dict[str, Any]]
    item: Incoming


def prepare_statements(
    writer: Writer,
    statements: Sequence[Mapping[str, Any]],
    ids: Sequence[str],
    version: str,
    stored: datetime,
) -> list[Prepared]:
    """Validated statements as they will be stored under ``ids`` at ``stored`` (pure)."""
    prepared = []
    for sid, statement in zip(ids, statements, strict=True):
        completed = complete_statement(
            _lower_ids(statement, sid),
            version=version,
            stored=stored,
            authority=writer.authority,
            statement_id=sid,
        )
        text = json.dumps(completed, separators=_JSON_SEPARATORS, ensure_ascii=False)
        row = {
            "id": sid,
            "vendor_id": writer.vendor_id,
            "stored": stored,
            "verb_id": completed["verb"]["id"],
            "activity_id": _activity_id(completed["object"]),
            "actor_key": ifi_key(completed["actor"]),
            "registration": _registration(completed),
            "voids": voiding_target(completed),
            "ref_target": _ref_target(completed),
            "statement": text,
        }
        refs = [
            {"key": key, "kind": kind, "statement_id": sid}
            for kind, key in statement_refs(completed)
        ]
        prepared.append(
            Prepared(sid, statement, row, refs, Incoming(sid, text, completed))
        )
    return prepared


def _prepare(
    writer: Writer,
    statements: Sequence[Mapping[str, Any]],
    ids: Sequence[str],
    version: str,
    stored: datetime,
    ctx: VendorContext,
) -> tuple[list[Prepared], list[Observed]]:
    prepared = prepare_statements(writer, statements, ids, version, stored)
    return prepared, observe_items(ctx, PROTOCOL, [p.item for p in prepared])


def store_statements(
    store: Store,
    writer: Writer,
    statements: Sequence[Mapping[str, Any]],
    *,
    version: str,
    now: datetime | None = None,
    attachments: Mapping[str, bytes] | None = None,
) -> list[str]:
    """Store validated statements (one request) and derive their evidence; return their ids.

    ``statements`` come from :func:`~gateway.xapi.validation.validate_statements`;
    ``attachments`` is the data of their multipart parts by lower-case sha2. Raises
    :class:`Conflict` (409) for an id stored with other content, :class:`InvalidPayload` for
    a voiding statement that targets a voiding statement, and :class:`Forbidden` for voiding
    another vendor's statement without the ``all`` scope. Nothing is stored then.

    The statements are completed, encoded and read by the adapter before the write
    transaction, so the write lock (on SQLite, one writer at a time) is held only for the
    database's work. A request that waited for the lock longer than ``_RESTAMP_AFTER`` is
    stamped and prepared again, so ``stored`` stays within the Consistent-Through margin.
    """
    ids = [str(s.get("id") or uuid.uuid4()).lower() for s in statements]
    ctx = context_for(
        writer.vendor_id, writer.vendor_name, writer.adapter, writer.settings
    )
    stored = _to_millis(now or utcnow())
    prepared, observed = _prepare(writer, statements, ids, version, stored, ctx)
    with store.write() as conn:
        if now is None and utcnow() - stored > _RESTAMP_AFTER:
            stored = _to_millis(utcnow())
            prepared, observed = _prepare(writer, statements, ids, version, stored, ctx)
        found = _stored_or_voiding(conn, ids)
        wanted = set(ids)
        existing = {row[0]: row for row in found if row[0] in wanted}
        fresh: list[tuple[Prepared, Observed]] = []
        for index, (prep, reading) in enumerate(zip(prepared, observed, strict=True)):
            old = existing.get(prep.sid)
            if old is None:
                fresh.append((prep, reading))
            elif not same_statement(json.loads(old[3]), prep.statement):
                where = f"Statement [{index}] of the batch" if len(ids) > 1 else "It"
                raise Conflict(
                    f"A statement with id {prep.sid} is already stored with different "
                    f"content. {where} was not stored: a statement id never changes its "
                    "statement; send new content under a new id (xAPI "
                    f"{version} Communication 2.1.2)."
                )
        if not fresh:
            return ids
        targets, foreign = _check_voiding(
            conn, writer, [(prep.sid, prep.statement) for prep, _ in fresh], version
        )
        # A void may arrive before its target (Data 2.3.2); only the vendor's own counts,
        # as only it may void its statements.
        voided_before = {
            row[2] for row in found if row[1] == writer.vendor_id and row[2] in wanted
        }
        # An id another request stored meanwhile is skipped, not an error.
        insert_ignore(
            conn,
            xapi_statements,
            [
                prep.row
                | {"voided": prep.row["voids"] is None and prep.sid in voided_before}
                for prep, _ in fresh
            ],
        )
        insert_ignore(
            conn, xapi_statement_refs, [r for prep, _ in fresh for r in prep.refs]
        )
        insert_ignore(
            conn,
            xapi_attachments,
            [
                {"sha2": sha2, "length": len(data), "content": data, "stored": stored}
                for sha2, data in (attachments or {}).items()
            ],
        )
        if targets:  # stored earlier or in this batch (Data 2.3.2)
            conn.execute(
                update(xapi_statements)
                .where(
                    xapi_statements.c.id.in_(sorted(targets)),
                    xapi_statements.c.voids.is_(None),
                )
                .values(voided=True)
            )
        ingest(
            conn,
            ctx,
            PROTOCOL,
            [prep.item for prep, _ in fresh],
            received_at=stored,
            observed=[reading for _, reading in fresh],
        )
        for vendor_id, target, by in foreign:  # retract the other vendor's evidence too
            void_records(conn, vendor_id, PROTOCOL, [target], by)
    return ids


def _stored_or_voiding(conn: Connection, ids: Sequence[str]) -> list[Any]:
    """(id, vendor_id, voids, statement) of the statements stored under ``ids`` or voiding them.

    One look-up per chunk of ids, so that a large batch stays under PostgreSQL's 65,535
    parameters per statement (each id is bound twice).
    """
    rows: dict[str, Any] = {}
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        for row in select_in(
            conn,
            "SELECT id, vendor_id, voids, statement FROM xapi_statements"
            " WHERE id IN ({in}) OR voids IN ({in})",
            ids[start : start + _LOOKUP_CHUNK],
        ):
            rows[row[0]] = row
    return list(rows.values())


def _check_voiding(
    conn: Connection,
    writer: Writer,
    fresh: Sequence[tuple[str, Mapping[str, Any]]],
    version: str,
) -> tuple[set[str], list[tuple[str, str, str]]]:
    """The ids the fresh voiding statements target, once checked (Data 2.3.2).

    Also (target vendor, target id, voiding id) for targets another vendor stored: the
    pipeline retracts only the voider's own records by itself.
    """
    wanted = {sid: voiding_target(s) for sid, s in fresh}
    targets = {t for t in wanted.values() if t is not None}
    foreign: list[tuple[str, str, str]] = []
    if not targets:
        return targets, foreign
    stored = {
        row[0]: (row[1], row[2])
        for row in select_in(
            conn,
            "SELECT id, vendor_id, voids FROM xapi_statements WHERE id IN ({in})",
            sorted(targets),
        )
    }
    for sid, target in wanted.items():
        if target is None:
            continue
        target_voids = stored[target][1] if target in stored else wanted.get(target)
        if target_voids is not None:
            raise InvalidPayload(
                f"Statement {sid} voids statement {target}, which is itself a voiding "
                f"statement; a voiding statement cannot be voided (xAPI {version} "
                "Data 2.3.2)."
            )
        if target in stored and stored[target][0] != writer.vendor_id:
            if not writer.may_void_any:
                raise Forbidden(
                    f"Statement {sid} voids statement {target}, which another vendor "
                    "stored; only a credential with the `all` scope may void another "
                    f"vendor's statements (xAPI {version} Communication 2.1.4)."
                )
            foreign.append((stored[target][0], target, sid))
    return targets, foreign


def voiding_target(statement: Mapping[str, Any]) -> str | None:
    """The id a voiding statement voids (lower case), else ``None`` (Data 2.3.2)."""
    obj = statement.get("object")
    if (
        statement.get("verb", {}).get("id") == VOIDED_VERB
        and isinstance(obj, Mapping)
        and obj.get("objectType") == "StatementRef"
    ):
        return str(obj["id"]).lower()
    return None


def _lower_ids(statement: Mapping[str, Any], sid: str) -> dict[str, Any]:
    out = dict(statement)
    out["id"] = sid
    obj = out.get("object")
    if isinstance(obj, Mapping) and obj.get("objectType") == "StatementRef":
        out["object"] = dict(obj, id=str(obj["id"]).lower())
    return out


def _ref_target(statement: Mapping[str, Any]) -> str | None:
    obj = statement["object"]
    return str(obj["id"]) if obj.get("objectType") == "StatementRef" else None


def _to_millis(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# --- What a statement mentions ---------------------------------------------------------------


def ifi_key(agent: Any) -> str | None:
    """The inverse functional identifier of an Agent or Group as one string (Data 2.4.2.1).

    ``mbox:`` and ``sha1:`` values are lower-cased (e-mail addresses and hex digits compare
    case-insensitively in practice); ``account:`` is ``homePage|name``.
    """
    if not isinstance(agent, Mapping):
        return None
    if "mbox" in agent:
        return "mbox:" + str(agent["mbox"]).lower()
    if "mbox_sha1sum" in agent:
        return "sha1:" + str(agent["mbox_sha1sum"]).lower()
    if "openid" in agent:
        return "openid:" + str(agent["openid"])
    account = agent.get("account")
    if isinstance(account, Mapping):
        return f"account:{account.get('homePage')}|{account.get('name')}"
    return None


def _agent_keys(agent: Any) -> Iterator[str]:
    """The agent's own IFI key and those of a Group's members."""
    if not isinstance(agent, Mapping):
        return
    key = ifi_key(agent)
    if key is not None:
        yield key
    for member in agent.get("member", ()):
        member_key = ifi_key(member)
        if member_key is not None:
            yield member_key


def _activity_id(obj: Any) -> str | None:
    if isinstance(obj, Mapping) and obj.get("objectType", "Activity") == "Activity":
        return str(obj["id"])
    return None


def _registration(statement: Mapping[str, Any]) -> str | None:
    registration = statement.get("context", {}).get("registration")
    return str(registration).lower() if registration else None


def _context_refs(context: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(context, Mapping):
        return
    for key in ("instructor", "team"):
        for agent_key in _agent_keys(context.get(key)):
            yield "related_agent", agent_key
    for item in context.get("contextAgents", ()):  # xAPI 2.0
        for agent_key in _agent_keys(item.get("agent")):
            yield "related_agent", agent_key
    for item in context.get("contextGroups", ()):  # xAPI 2.0
        for agent_key in _agent_keys(item.get("group")):
            yield "related_agent", agent_key
    for activities in context.get("contextActivities", {}).values():
        for activity in activities:
            yield "related_activity", str(activity["id"])


def statement_refs(statement: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(kind, key) of the agents and activities a statement mentions, for the filters.

    ``agent``: the actor, an Agent or Group object, and their members (the ``agent`` filter).
    ``related_agent``: context agents, the authority, and a SubStatement's agents.
    ``related_activity``: context activities and a SubStatement's activities (the object
    activity is the ``activity_id`` column). Communication 2.1.3.
    """
    out: set[tuple[str, str]] = set()
    out.update(("agent", k) for k in _agent_keys(statement.get("actor")))
    obj = statement.get("object", {})
    if obj.get("objectType") in ("Agent", "Group"):
        out.update(("agent", k) for k in _agent_keys(obj))
    out.update(_context_refs(statement.get("context")))
    out.update(("related_agent", k) for k in _agent_keys(statement.get("authority")))
    if obj.get("objectType") == "SubStatement":
        out.update(("related_agent", k) for k in _agent_keys(obj.get("actor")))
        inner = obj.get("object", {})
        if inner.get("objectType") in ("Agent", "Group"):
            out.update(("related_agent", k) for k in _agent_keys(inner))
        activity = _activity_id(inner)
        if activity is not None:
            out.add(("related_activity", activity))
        out.update(_context_refs(obj.get("context")))
    return out


# --- Comparing a re-sent statement (Communication 2.1.2, Data 2.3.1) -------------------------

_ASSIGNED: Final = frozenset(
    {"id", "authority", "stored", "version", "attachments", "timestamp"}
)


def same_statement(stored: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    """Whether ``incoming`` is the statement ``stored`` (the rules in the module docstring)."""
    if "timestamp" in incoming and _instant(incoming["timestamp"]) != _instant(
        stored.get("timestamp", "")
    ):
        return False
    return _comparable(stored) == _comparable(incoming)


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(_FRACTION.sub(r"\1", str(text))).astimezone(UTC)
    except ValueError:
        return None


def _comparable_agent(agent: Any) -> Any:
    if not isinstance(agent, Mapping):
        return agent
    out = dict(agent)
    out.pop("name", None)
    if "mbox" in out:
        out["mbox"] = str(out["mbox"]).lower()
    if "member" in out:
        out["member"] = sorted(
            (_comparable_agent(m) for m in out["member"]),
            key=lambda m: json.dumps(m, sort_keys=True),
        )
    return out


def _comparable_activity(activity: Any) -> Any:
    if not isinstance(activity, Mapping):
        return activity
    return {k: v for k, v in activity.items() if k != "definition"}


def _comparable_object(obj: Any) -> Any:
    if not isinstance(obj, Mapping):
        return obj
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return _comparable_activity(obj)
    if kind in ("Agent", "Group"):
        return _comparable_agent(obj)
    if kind == "SubStatement":
        return _comparable(obj)
    return dict(obj, id=str(obj.get("id", "")).lower())


def _comparable(statement: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in statement.items() if k not in _ASSIGNED}
    out["actor"] = _comparable_agent(statement.get("actor"))
    verb = statement.get("verb")
    out["verb"] = verb.get("id") if isinstance(verb, Mapping) else verb
    out["object"] = _comparable_object(statement.get("object"))
    context = statement.get("context")
    if isinstance(context, Mapping):
        ctx = dict(context)
        for key in ("instructor", "team"):
            if key in ctx:
                ctx[key] = _comparable_agent(ctx[key])
        if "registration" in ctx:
            ctx["registration"] = str(ctx["registration"]).lower()
        if "contextActivities" in ctx:
            ctx["contextActivities"] = {
                k: [_comparable_activity(a) for a in v]
                for k, v in ctx["contextActivities"].items()
            }
        if isinstance(ctx.get("statement"), Mapping):
            ctx["statement"] = _comparable_object(ctx["statement"])
        out["context"] = ctx
    return out


# --- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SingleQuery:
    """``GET ?statementId=`` or ``?voidedStatementId=`` (Communication 2.1.3)."""

    statement_id: str
    voided: bool
    format: str = "exact"
    attachments: bool = False  # answer multipart/mixed with the attachment data


@dataclass(frozen=True, slots=True)
class StatementQuery:
    """The filters of a statements query (Communication 2.1.3), parsed and checked."""

    params: tuple[tuple[str, str], ...]  # as sent, for the ``more`` cursor
    agent: str | None = None  # IFI key
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = DEFAULT_LIMIT
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False  # answer multipart/mixed with the attachment data
    after_seq: int | None = None  # the cursor: continue after this storage position


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """A stored statement as JSON text, with its storage position and time."""

    seq: int
    stored: datetime
    text: str


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a query; ``more`` is the cursor of the next page, if any."""

    statements: list[StoredStatement]
    more: str | None


def parse_query(
    args: Iterable[tuple[str, str]], *, version: str
) -> SingleQuery | StatementQuery:
    """Check the query parameters of a statements GET; every problem is a 400 sentence."""
    pairs = list(args)
    names = [name for name, _ in pairs]
    for name in names:
        if name not in _QUERY_PARAMS | _SINGLE_PARAMS | {_CURSOR}:
            raise InvalidPayload(
                f"{name!r} is not a parameter of the statements resource (names are "
                f"case-sensitive) (xAPI {version} Communication 2.1.3)."
            )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidPayload(f"The parameter {repeated[0]!r} is given more than once.")
    values = dict(pairs)
    if _CURSOR in values:
        if len(values) > 1:
            raise InvalidPayload(
                "A `more` URL is used as given: add no other parameters to it."
            )
        params, after = _decode_cursor(values[_CURSOR])
        query = parse_query(params, version=version)
        if not isinstance(query, StatementQuery):
            raise InvalidPayload("The `more` cursor is not valid.")
        return replace(query, after_seq=after)
    if values.get("attachments", "false") not in ("true", "false"):
        raise InvalidPayload(
            f"attachments must be true or false, not {values['attachments']!r}."
        )
    with_data = values.get("attachments") == "true"
    fmt = values.get("format", "exact")
    if fmt not in FORMATS:
        raise InvalidPayload(
            f"format must be one of {', '.join(FORMATS)}, not {fmt!r} "
            f"(xAPI {version} Communication 2.1.3)."
        )
    singles = [n for n in _SINGLE_PARAMS if n in values]
    if singles:
        others = set(values) - {singles[0], "attachments", "format"}
        if others:
            raise InvalidPayload(
                f"{singles[0]} cannot be combined with {', '.join(sorted(others))}; only "
                f"attachments and format may accompany it (xAPI {version} "
                "Communication 2.1.3)."
            )
        sid = values[singles[0]]
        if _UUID.fullmatch(sid) is None:
            raise InvalidPayload(
                f"{singles[0]} must be a UUID, not {sid!r} (xAPI {version} Data 2.4.1)."
            )
        return SingleQuery(
            sid.lower(), singles[0] == "voidedStatementId", fmt, with_data
        )
    query = StatementQuery(params=tuple(pairs), format=fmt, attachments=with_data)
    fields: dict[str, Any] = {}
    if "agent" in values:
        fields["agent"] = _agent_param(values["agent"], version)
    for name in ("verb", "activity"):
        if name in values:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+", values[name]):
                raise InvalidPayload(
                    f"{name} must be an IRI, not {values[name]!r} (xAPI {version} "
                    "Data 4.3)."
                )
            fields[name] = values[name]
    if "registration" in values:
        if _UUID.fullmatch(values["registration"]) is None:
            raise InvalidPayload(
                f"registration must be a UUID, not {values['registration']!r}."
            )
        fields["registration"] = values["registration"].lower()
    for name in ("related_activities", "related_agents", "ascending"):
        if name in values:
            if values[name] not in ("true", "false"):
                raise InvalidPayload(
                    f"{name} must be true or false, not {values[name]!r}."
                )
            fields[name] = values[name] == "true"
    for name in ("since", "until"):
        if name in values:
            fields[name] = _timestamp_param(name, values[name], version)
    if "limit" in values:
        if not values["limit"].isdigit():
            raise InvalidPayload(
                f"limit must be a non-negative integer, not {values['limit']!r}."
            )
        limit = int(values["limit"])
        fields["limit"] = MAX_LIMIT if limit == 0 else min(limit, MAX_LIMIT)
    return replace(query, **fields)


def _agent_param(raw: str, version: str) -> str:
    try:
        agent = json.loads(raw)
    except ValueError:
        raise InvalidPayload(
            f"agent must be an Agent or Group as JSON, not {raw[:80]!r} "
            f"(xAPI {version} Communication 2.1.3)."
        ) from None
    probe = {
        "actor": agent,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "http://example.com/probe"},
    }
    try:
        checked = validate_statement(probe, version=version)
    except InvalidPayload as error:
        raise InvalidPayload(
            f"The agent parameter is not a valid Agent or Group: "
            f"{error.detail.replace('actor', 'agent', 1)}"
        ) from None
    key = ifi_key(checked["actor"])
    if key is None:
        raise InvalidPayload(
            "The agent parameter must identify an Agent or an identified Group (an mbox, "
            f"mbox_sha1sum, openid or account) (xAPI {version} Communication 2.1.3)."
        )
    return key


def _timestamp_param(name: str, raw: str, version: str) -> datetime:
    moment = _instant(raw)
    if moment is None or "T" not in raw.upper():
        raise InvalidPayload(
            f"{name} must be an ISO 8601 timestamp, not {raw!r} (xAPI {version} Data 4.5)."
        )
    return moment


def _encode_cursor(params: Sequence[tuple[str, str]], after: int) -> str:
    raw = json.dumps([list(params), after], separators=_JSON_SEPARATORS).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(token: str) -> tuple[list[tuple[str, str]], int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        params, after = json.loads(raw)
        pairs = [(str(n), str(v)) for n, v in params]
        if not isinstance(after, int) or any(n == _CURSOR for n, _ in pairs):
            raise ValueError
    except (ValueError, TypeError, binascii.Error):
        raise InvalidPayload(
            "The `more` cursor is not one this LRS gave out; start the query again."
        ) from None
    return pairs, after


def get_statement(
    store: Store, query: SingleQuery, *, vendor_id: str | None
) -> StoredStatement:
    """The statement asked for by id, or :class:`NotFound`.

    A voided statement is found only with ``voidedStatementId``, and a statement that is not
    voided only with ``statementId`` (Communication 2.1.4). ``vendor_id`` restricts the
    answer to that vendor's statements (the ``statements/read/mine`` scope).
    """
    t = xapi_statements
    sql = select(t.c.seq, t.c.stored, t.c.statement).where(
        t.c.id == query.statement_id, t.c.voided.is_(query.voided)
    )
    if vendor_id is not None:
        sql = sql.where(t.c.vendor_id == vendor_id)
    with store.read() as conn:
        row = conn.execute(sql).first()
    if row is None:
        what = "voided statement" if query.voided else "statement"
        raise NotFound(f"No {what} with id {query.statement_id} is stored here.")
    return StoredStatement(row[0], row[1], row[2])


def find_statements(
    store: Store, query: StatementQuery, *, vendor_id: str | None
) -> Page:
    """One page of the statements matching ``query``, voided ones left out (Comm 2.1.3)."""
    t = xapi_statements
    where: list[ColumnElement[bool]] = [t.c.voided.is_(False)]
    if vendor_id is not None:
        where.append(t.c.vendor_id == vendor_id)
    if query.since is not None:
        where.append(t.c.stored > query.since)
    if query.until is not None:
        where.append(t.c.stored <= query.until)
    if query.after_seq is not None:
        # The cursor names the last statement given; the page goes on past its place in
        # (stored, seq) order.
        last = select(t.c.stored).where(t.c.seq == query.after_seq).scalar_subquery()
        place = tuple_(t.c.stored, t.c.seq)
        after = tuple_(last, query.after_seq)
        where.append(place > after if query.ascending else place < after)
    # Data 2.4.8 / Communication 2.1.3: newest stored first unless ascending; seq breaks ties.
    order = (
        (t.c.stored.asc(), t.c.seq.asc())
        if query.ascending
        else (t.c.stored.desc(), t.c.seq.desc())
    )
    with store.read() as conn:
        filters = _filters(query, t, _common_refs(conn, query))
        if filters:
            # The StatementRef rule (Communication 2.1.3): a statement whose object refers to
            # a matching statement matches too, recursively, voided targets included. Those
            # are found first, from the few statements that refer to another, so the page
            # itself is one query the filters' indexes serve.
            referring = _referring(conn, query)
            matched = and_(*filters)
            where.append(or_(matched, t.c.id.in_(referring)) if referring else matched)
        sql = (
            select(t.c.seq, t.c.stored, t.c.statement)
            .where(*where)
            .order_by(*order)
            .limit(query.limit + 1)
        )
        rows = conn.execute(sql).all()
    found = [StoredStatement(row[0], row[1], row[2]) for row in rows[: query.limit]]
    more = (
        _encode_cursor(query.params, found[-1].seq)
        if len(rows) > query.limit and found
        else None
    )
    return Page(found, more)


_ANY_REF: Final = (
    select(xapi_statements.c.seq)
    .where(xapi_statements.c.ref_target.is_not(None))
    .limit(1)
)


def _referring(conn: Connection, query: StatementQuery) -> list[str]:
    """Ids of the statements that refer, directly or through others, to one ``query`` matches.

    Starts from the statements whose object is a StatementRef (a partial index holds only
    those), so it costs little however many statements are stored.
    """
    t = xapi_statements
    if (
        conn.execute(_ANY_REF).first() is None
    ):  # the usual case: nothing refers to anything
        return []
    target = t.alias("target")
    referring = t.alias("referring")
    found = (
        select(t.c.id)
        .join(target, target.c.id == t.c.ref_target)
        .where(t.c.ref_target.is_not(None), *_filters(query, target))
        .cte("found", recursive=True)
    )
    found = found.union(
        select(referring.c.id).where(referring.c.ref_target == found.c.id)
    )
    return list(conn.execute(select(found.c.id)).scalars())


# A reference filter (agent, related activity) matching more statements than this is tested
# row by row along the page's order; one matching fewer collects its statements first.
_COMMON_REF: Final = 2_000
_RELATED_ACTIVITY: Final = ("related_activity",)


def _ref_kinds(query: StatementQuery) -> list[tuple[str, tuple[str, ...]]]:
    """(key, kinds) of each reference filter of ``query``."""
    out: list[tuple[str, tuple[str, ...]]] = []
    if query.agent is not None:
        out.append((query.agent, _agent_kinds(query)))
    if query.activity is not None and query.related_activities:
        out.append((query.activity, _RELATED_ACTIVITY))
    return out


def _agent_kinds(query: StatementQuery) -> tuple[str, ...]:
    return ("agent", "related_agent") if query.related_agents else ("agent",)


def _common_refs(conn: Connection, query: StatementQuery) -> frozenset[str]:
    """The reference filters' keys that more than ``_COMMON_REF`` statements mention.

    For a rare key the page is fastest from its statements, collected and sorted; for a
    common one (a course every statement names as its parent), from walking the page's order
    and testing each row, which stops after a page. Neither database's planner tells the two
    apart reliably, so a bounded count decides.
    """
    r = xapi_statement_refs
    common = set()
    for key, kinds in _ref_kinds(query):
        sample = (
            select(r.c.statement_id)
            .where(r.c.key == key, r.c.kind.in_(kinds))
            .limit(_COMMON_REF + 1)
            .subquery()
        )
        found = conn.execute(select(func.count()).select_from(sample)).scalar_one()
        if found > _COMMON_REF:
            common.add(key)
    return frozenset(common)


def _ref_match(
    t: Any, key: str, kinds: tuple[str, ...], common: bool
) -> ColumnElement[bool]:
    r = xapi_statement_refs
    if common:
        # OFFSET keeps PostgreSQL from turning the EXISTS into a hash of every match
        # ("hashed SubPlan"): each row is one probe of the references' primary key.
        return exists(
            select(r.c.statement_id)
            .where(r.c.key == key, r.c.kind.in_(kinds), r.c.statement_id == t.c.id)
            .offset(0)
        )
    statement_id: ColumnElement[str] = t.c.id
    return statement_id.in_(
        select(r.c.statement_id).where(r.c.key == key, r.c.kind.in_(kinds))
    )


def _filters(
    query: StatementQuery, t: Any, common: frozenset[str] = frozenset()
) -> list[ColumnElement[bool]]:
    """The non-time filters of ``query`` on the statements table ``t``.

    ``common``: reference keys to test row by row (:func:`_common_refs`).
    """
    where: list[ColumnElement[bool]] = []
    if query.agent is not None:
        where.append(
            _ref_match(t, query.agent, _agent_kinds(query), query.agent in common)
        )
    if query.verb is not None:
        where.append(t.c.verb_id == query.verb)
    if query.activity is not None:
        direct = t.c.activity_id == query.activity
        if query.related_activities:
            related = _ref_match(
                t, query.activity, _RELATED_ACTIVITY, query.activity in common
            )
            where.append(direct | related)
        else:
            where.append(direct)
    if query.registration is not None:
        where.append(t.c.registration == query.registration)
    return where


def load_attachments(store: Store, texts: Sequence[str]) -> list[Attachment]:
    """The stored data of the attachments of statements (JSON texts), once per sha2.

    In the order the statements name them, SubStatement attachments included; attachments
    whose data was never sent (a ``fileUrl`` only) are left out (Communication 2.1.3).
    """
    wanted: dict[str, str] = {}  # sha2 -> contentType, first named first
    for text in texts:
        statement = json.loads(text)
        found = list(statement.get("attachments", ()))
        obj = statement.get("object", {})
        if obj.get("objectType") == "SubStatement":
            found += obj.get("attachments", ())
        for attachment in found:
            wanted.setdefault(
                str(attachment["sha2"]).lower(), attachment["contentType"]
            )
    if not wanted:
        return []
    with store.read() as conn:
        data = dict(
            select_in(
                conn,
                "SELECT sha2, content FROM xapi_attachments WHERE sha2 IN ({in})",
                list(wanted),
            )
        )
    return [
        Attachment(sha2, content_type, bytes(data[sha2]))
        for sha2, content_type in wanted.items()
        if sha2 in data
    ]


def consistent_through(now: datetime | None = None) -> str:
    """``X-Experience-API-Consistent-Through``: all statements stored before it are visible."""
    return format_timestamp((now or utcnow()) - CONSISTENCY_MARGIN)


# --- Rendering (Communication 2.1.3 format) -------------------------------------------------


def render_statement(
    stored: StoredStatement, fmt: str, languages: Sequence[str] = ()
) -> str:
    """One statement as JSON text in ``fmt``; ``languages`` (best first) serve ``canonical``."""
    if fmt == "exact":
        return stored.text
    statement = json.loads(stored.text)
    out = (
        ids_format(statement)
        if fmt == "ids"
        else canonical_format(statement, languages)
    )
    return json.dumps(out, separators=_JSON_SEPARATORS, ensure_ascii=False)


def render_result(
    page: Page, fmt: str, more_url: str | None, languages: Sequence[str] = ()
) -> str:
    """A StatementResult ``{"statements": [...], "more": "..."}`` as JSON text."""
    body = ",".join(render_statement(s, fmt, languages) for s in page.statements)
    more = json.dumps(more_url or "")
    return f'{{"statements":[{body}],"more":{more}}}'


def cursor_param() -> str:
    """The query parameter that carries a ``more`` cursor."""
    return _CURSOR


def _ids_agent(agent: Any) -> Any:
    if not isinstance(agent, Mapping):
        return agent
    out: dict[str, Any] = {}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    for ifi in ("mbox", "mbox_sha1sum", "openid", "account"):
        if ifi in agent:
            out[ifi] = agent[ifi]
            return out
    if "member" in agent:  # an anonymous Group keeps its members (Comm 2.1.3 format)
        out["member"] = [_ids_agent(m) for m in agent["member"]]
    return out


def _ids_activity(activity: Any) -> Any:
    """An Activity by its id alone: ``objectType`` is no identifier (Comm 2.1.3, XAPI-00171)."""
    if not isinstance(activity, Mapping):
        return activity
    return {"id": activity["id"]} if "id" in activity else {}


def _ids_object(obj: Any) -> Any:
    if not isinstance(obj, Mapping):
        return obj
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return _ids_activity(obj)
    if kind in ("Agent", "Group"):
        return _ids_agent(obj)
    if kind == "SubStatement":
        return ids_format(obj)
    return obj


def pick_language(tags: Sequence[str], languages: Sequence[str]) -> str:
    """The tag of a language map to keep for the ``languages`` asked for, best first.

    An exact tag (case-insensitive) wins, then a prefix match either way (``en`` for
    ``en-US``); ``*`` takes the first tag. Without a match: ``und`` if present, else the
    first tag (RFC 4647 lookup, simplified).
    """
    lowered = [t.lower() for t in tags]
    for wanted in (w.lower() for w in languages):
        if wanted == "*":
            return tags[0]
        if wanted in lowered:
            return tags[lowered.index(wanted)]
        for tag, low in zip(tags, lowered, strict=True):
            if low.startswith(wanted + "-") or wanted.startswith(low + "-"):
                return tag
    return "und" if "und" in tags else tags[0]


def _one_language(language_map: Any, languages: Sequence[str]) -> Any:
    if not isinstance(language_map, Mapping) or len(language_map) < 2:
        return language_map
    tag = pick_language(list(language_map), languages)
    return {tag: language_map[tag]}


def _canonical_activity(activity: Any, languages: Sequence[str]) -> Any:
    if not isinstance(activity, Mapping) or "definition" not in activity:
        return activity
    definition = dict(activity["definition"])
    for key in ("name", "description"):
        if key in definition:
            definition[key] = _one_language(definition[key], languages)
    for key in ("choices", "scale", "source", "target", "steps"):
        if key in definition:
            definition[key] = [
                dict(c, description=_one_language(c["description"], languages))
                if "description" in c
                else c
                for c in definition[key]
            ]
    return dict(activity, definition=definition)


def canonical_format(
    statement: Mapping[str, Any], languages: Sequence[str]
) -> dict[str, Any]:
    """``format=canonical``: one language per verb and activity language map (Comm 2.1.3).

    The LRS keeps no activity definitions apart from statements (no Activities resource
    yet), so the canonical definition is the statement's own; agents are returned as sent.
    """
    out = dict(statement)
    verb = statement.get("verb")
    if isinstance(verb, Mapping) and "display" in verb:
        out["verb"] = dict(verb, display=_one_language(verb["display"], languages))
    obj = statement.get("object")
    if isinstance(obj, Mapping):
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            out["object"] = _canonical_activity(obj, languages)
        elif kind == "SubStatement":
            out["object"] = canonical_format(obj, languages)
    context = statement.get("context")
    if isinstance(context, Mapping) and "contextActivities" in context:
        out["context"] = dict(
            context,
            contextActivities={
                k: [_canonical_activity(a, languages) for a in v]
                for k, v in context["contextActivities"].items()
            },
        )
    return out


def ids_format(statement: Mapping[str, Any]) -> dict[str, Any]:
    """``format=ids``: agents, groups, activities and verbs by their ids only (Comm 2.1.3)."""
    out = dict(statement)
    out["actor"] = _ids_agent(statement.get("actor"))
    if isinstance(statement.get("verb"), Mapping):
        out["verb"] = {"id": statement["verb"]["id"]}
    out["object"] = _ids_object(statement.get("object"))
    if "authority" in statement:
        out["authority"] = _ids_agent(statement["authority"])
    context = statement.get("context")
    if isinstance(context, Mapping):
        ctx = dict(context)
        for key in ("instructor", "team"):
            if key in ctx:
                ctx[key] = _ids_agent(ctx[key])
        if "contextActivities" in ctx:
            ctx["contextActivities"] = {
                k: [_ids_activity(a) for a in v]
                for k, v in ctx["contextActivities"].items()
            }
        if "contextAgents" in ctx:
            ctx["contextAgents"] = [
                dict(a, agent=_ids_agent(a.get("agent"))) for a in ctx["contextAgents"]
            ]
        if "contextGroups" in ctx:
            ctx["contextGroups"] = [
                dict(a, group=_ids_agent(a.get("group"))) for a in ctx["contextGroups"]
            ]
        out["context"] = ctx
    return out
