"""The xAPI LRS under ``/xapi``: ``about`` and the Statement Resource (xAPI 1.0.3 and 2.0).

The request's ``X-Experience-API-Version`` picks the version: ``1.0``/``1.0.x`` is served as
1.0.3 and ``2.0``/``2.0.x`` as 2.0.0; any other value, or none, is 400 (Communication 3.3),
except on ``about``. Every response carries ``X-Experience-API-Version`` and
``X-Experience-API-Consistent-Through``, errors included. Vendors authenticate with their xAPI
key and secret as HTTP Basic (a Caliper bearer token is 401). Scopes (Communication 4.2):
writing needs ``statements/write``; reading needs ``statements/read`` or ``all/read`` (every
statement) or ``statements/read/mine`` (the vendor's own); ``all`` allows everything.

The 1.0.3 Alternate Request Syntax (``POST ?method=PUT|GET|POST`` with a form, Communication
1.3) is served for 1.0.3 requests, on the statements and document resources, and refused
for 2.0, which removed it.

Attachment data (Communication 1.5.2) comes as a ``multipart/mixed`` PUT or POST, checked by
:mod:`gateway.xapi.multipart`; signature attachments are verified by
:mod:`gateway.xapi.signatures` (Data 2.6) before anything is stored. A GET with
``attachments=true`` answers ``multipart/mixed``: the Statement or StatementResult, then the
data of their attachments.

The document resources (Communication 2.3–2.6: ``/xapi/activities/state``,
``/xapi/activities/profile``, ``/xapi/agents/profile``) are served by the routes at the end of
this module and stored by :mod:`gateway.xapi.documents`; they need the ``state`` or
``profile`` scope (or ``all``), and each vendor sees only its own documents unless it holds
``all``. ``GET /xapi/activities`` answers the Activity with the latest definition among the
statements the caller may read (the statement read scopes); ``GET /xapi/agents`` answers the
Person object of the agent sent (any xAPI credential).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import urlencode

from flask import Blueprint, Request, Response, g, request
from werkzeug.exceptions import MethodNotAllowed

from gateway.auth import authenticate_request, require_scope
from gateway.errors import Forbidden, InvalidPayload, NotFound
from gateway.extension import tessera
from gateway.vendors import VendorPrincipal
from gateway.vendors.credentials import CredentialKind
from gateway.xapi.documents import (
    DEFAULT_TYPE,
    DocumentKey,
    Kind,
    Preconditions,
    activity_object,
    delete_documents,
    get_document,
    list_ids,
    parse_etags,
    person_object,
    quoted,
    save_document,
)
from gateway.xapi.documents import Writer as DocumentWriter
from gateway.xapi.multipart import (
    MULTIPART_MIXED,
    StatementParts,
    read_statement_parts,
    render_multipart,
)
from gateway.xapi.signatures import check_signatures
from gateway.xapi.statements import (
    StatementQuery,
    StoredStatement,
    Writer,
    consistent_through,
    cursor_param,
    find_statements,
    get_statement,
    ifi_key,
    load_attachments,
    parse_query,
    render_result,
    render_statement,
    store_statements,
)
from gateway.xapi.validation import (
    check_attachment_parts,
    check_put_id,
    is_iri,
    is_uuid,
    validate_agent,
    validate_statement,
    validate_statements,
)

bp = Blueprint("xapi", __name__, url_prefix="/xapi")

VERSIONS: Final = ("1.0.3", "2.0.0")
CHALLENGE: Final = 'Basic realm="Tessera xAPI"'
_VERSION_1 = re.compile(r"1\.0(?:\.\d+)?")
_VERSION_2 = re.compile(r"2\.0(?:\.\d+)?")
_READ_ALL: Final = frozenset({"statements/read", "all/read", "all"})
_JSON = "application/json"


@bp.after_request
def _xapi_headers(response: Response) -> Response:
    """Communication 3.3 and 2.1.3: the version and Consistent-Through on every response.

    A request that names no version is answered with the configured default (the 1.0.3
    suite expects 1.0.3 there and the 2.0 suite 2.0.0; the request cannot say which).
    """
    default = tessera().settings.xapi_default_version
    response.headers["X-Experience-API-Version"] = g.get("xapi_version", default)
    response.headers["X-Experience-API-Consistent-Through"] = consistent_through()
    return response


def _version(req: Request) -> str:
    """The LRS version the request asks for (Communication 3.3), or 400."""
    raw = req.headers.get("X-Experience-API-Version")
    if raw is None:
        raise InvalidPayload(
            "The X-Experience-API-Version header is required: send 1.0.3 or 2.0.0 "
            "(xAPI Communication 3.3)."
        )
    raw = raw.strip()
    if _VERSION_1.fullmatch(raw):
        g.xapi_version = "1.0.3"
    elif _VERSION_2.fullmatch(raw):
        g.xapi_version = "2.0.0"
    else:
        raise InvalidPayload(
            f"X-Experience-API-Version {raw!r} is not supported; this LRS serves "
            f"{' and '.join(VERSIONS)} (xAPI Communication 3.3)."
        )
    return str(g.xapi_version)


def _principal(req: Request) -> VendorPrincipal:
    """The vendor behind the request's HTTP Basic xAPI credential, or 401."""
    return authenticate_request(
        CredentialKind.XAPI_BASIC, "The LRS (xAPI Communication 4.1)", req
    )


def _reader(req: Request) -> str | None:
    """Check the read scope; the vendor id to restrict reads to, or ``None`` for all."""
    principal = _principal(req)
    if principal.scopes & _READ_ALL:
        return None
    if "statements/read/mine" in principal.scopes:
        return principal.vendor_id
    raise Forbidden(
        f"Vendor {principal.vendor_name!r} may not read statements; it needs one of "
        "statements/read, statements/read/mine, all/read or all (xAPI Communication 4.2)."
    )


def _writer(req: Request) -> Writer:
    principal = _principal(req)
    require_scope(principal, "statements/write")
    base = tessera().settings.base_url
    return Writer(
        vendor_id=principal.vendor_id,
        vendor_name=principal.vendor_name,
        adapter=principal.adapter,
        settings=principal.settings,
        # Data 2.4.9: the authority is the Agent behind the credentials used.
        authority={
            "objectType": "Agent",
            "name": principal.vendor_name,
            "account": {"homePage": f"{base}/xapi", "name": principal.vendor_id},
        },
        may_void_any="all" in principal.scopes,
    )


def _body(
    req: Request, version: str, *, allowed_params: frozenset[str]
) -> tuple[Any, StatementParts]:
    """The parsed JSON of a PUT or POST and its parts, once parameters and type are checked.

    An ``application/json`` body is one part without attachment data; a ``multipart/mixed``
    one carries the statements in its first part and attachment data in the others
    (Communication 1.5.2).
    """
    for name in req.args:
        if name not in allowed_params:
            raise InvalidPayload(
                f"{name!r} is not a parameter of this request (xAPI {version} "
                "Communication 2.1)."
            )
    if req.mimetype == MULTIPART_MIXED:
        parts = read_statement_parts(
            req.headers.get("Content-Type", ""), req.get_data(), version=version
        )
    elif req.mimetype == _JSON:
        parts = StatementParts(req.get_data(), {})
    else:
        raise InvalidPayload(
            f"Statements are sent as application/json, or multipart/mixed with attachment "
            f"data, not {req.mimetype or 'a body without a Content-Type'} "
            f"(xAPI {version} Communication 1.5)."
        )
    try:
        return json.loads(parts.statements), parts
    except ValueError as exc:
        raise InvalidPayload(f"The statements are not valid JSON: {exc}.") from None
    except RecursionError:
        raise InvalidPayload("The body nests JSON too deeply.") from None


def _validated(
    version: str, payload: Any, parts: StatementParts, *, single: bool
) -> list[dict[str, Any]]:
    """The checked statements of a request, their attachment parts and signatures too."""
    try:
        if single:
            if not isinstance(payload, dict):
                raise InvalidPayload(
                    f"A PUT carries one statement object (xAPI {version} "
                    "Communication 2.1.1)."
                )
            statements = [validate_statement(payload, version=version)]
        else:
            statements = validate_statements(payload, version=version)
    except RecursionError:
        raise InvalidPayload("The statement nests JSON too deeply.") from None
    check_attachment_parts(statements, parts.attachments.keys(), version=version)
    check_signatures(statements, parts.attachments, version=version)
    return statements


def _languages(req: Request) -> list[str]:
    """The Accept-Language tags, best first (for ``format=canonical``)."""
    return [tag for tag, quality in req.accept_languages if quality > 0]


@bp.get("/about")
def about() -> Response:
    """Communication 2.8: the versions this LRS serves; no authentication, any version."""
    return Response(json.dumps({"version": list(VERSIONS)}), mimetype=_JSON)


@bp.route(
    "/<path:resource>", methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]
)
def not_yet(resource: str) -> Response:
    """The other resources (agents, activities): a 404 that says so."""
    if resource in _DOCUMENT_PATHS:
        raise MethodNotAllowed(valid_methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
    if resource in ("statements", "about"):
        raise MethodNotAllowed(
            valid_methods=["GET", "HEAD"]
            if resource == "about"
            else ["GET", "HEAD", "PUT", "POST"]
        )
    raise NotFound(
        "This LRS serves /xapi/about, /xapi/statements, /xapi/activities, /xapi/agents, "
        "/xapi/activities/state, /xapi/activities/profile and /xapi/agents/profile so far; "
        f"/xapi/{resource} is not implemented yet."
    )


@bp.put("/statements")
def put_statement() -> Response:
    """Communication 2.1.1: store one statement under ``statementId``; 204."""
    return _put(request)


@bp.post("/statements")
def post_statements() -> Response:
    """Communication 2.1.2: store one statement or a batch; 200 with their ids, in order."""
    if "method" in request.args:
        return _alternate(
            request, {"PUT": _put, "POST": _post, "GET": _get}, "statements"
        )
    return _post(request)


@bp.get("/statements")
def get_statements() -> Response:
    """Communication 2.1.3: one statement by id, or a StatementResult page (HEAD too)."""
    return _get(request)


def _put(req: Request) -> Response:
    version = _version(req)
    writer = _writer(req)
    if "statementId" not in req.args:
        raise InvalidPayload(
            f"A statements PUT needs the statementId parameter (xAPI {version} "
            "Communication 2.1.1)."
        )
    statement_id = req.args["statementId"]
    check_put_id(statement_id, {}, version=version)
    payload, parts = _body(req, version, allowed_params=frozenset({"statementId"}))
    [statement] = _validated(version, payload, parts, single=True)
    check_put_id(statement_id, statement, version=version)
    statement["id"] = statement.get("id", statement_id)
    store_statements(
        tessera().store,
        writer,
        [statement],
        version=version,
        attachments=parts.attachments,
    )
    return Response(status=204)


def _post(req: Request) -> Response:
    version = _version(req)
    writer = _writer(req)
    payload, parts = _body(req, version, allowed_params=frozenset())
    statements = _validated(version, payload, parts, single=False)
    ids = (
        store_statements(
            tessera().store,
            writer,
            statements,
            version=version,
            attachments=parts.attachments,
        )
        if statements
        else []
    )
    return Response(json.dumps(ids), mimetype=_JSON)


def _get(req: Request) -> Response:
    version = _version(req)
    vendor_id = _reader(req)
    query = parse_query(req.args.items(multi=True), version=version)
    store = tessera().store
    languages = _languages(req)
    if not isinstance(query, StatementQuery):
        found = get_statement(store, query, vendor_id=vendor_id)
        response = _statements_response(
            render_statement(found, query.format, languages),
            [found] if query.attachments else None,
        )
        response.last_modified = found.stored  # the 2.0 suite checks it
        return response
    page = find_statements(store, query, vendor_id=vendor_id)
    more = (
        f"{req.script_root}/xapi/statements?{cursor_param()}={page.more}"
        if page.more
        else None
    )
    response = _statements_response(
        render_result(page, query.format, more, languages),
        page.statements if query.attachments else None,
    )
    if page.statements:
        response.last_modified = max(s.stored for s in page.statements)
    return response


def _statements_response(
    body: str, with_data: Sequence[StoredStatement] | None
) -> Response:
    """JSON, or multipart/mixed with the data of ``with_data``'s attachments (Comm 2.1.3)."""
    if with_data is None:
        return Response(body, mimetype=_JSON)
    content_type, multipart = render_multipart(
        body, load_attachments(tessera().store, [s.text for s in with_data])
    )
    return Response(multipart, content_type=content_type)


# Form fields of the Alternate Request Syntax that are request headers (Comm 1.3).
_HEADER_FIELDS: Final = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": None,
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
    "accept-language": "HTTP_ACCEPT_LANGUAGE",
}


def _alternate(
    req: Request, handlers: dict[str, Callable[[Request], Response]], resource: str
) -> Response:
    """Serve the 1.0.3 Alternate Request Syntax: ``POST ?method=<verb>`` and a form.

    The form carries the headers, the parameters and the body (``content``); nothing else may
    be in the query string. xAPI 2.0 removed this syntax, so a 2.0 request is refused.
    """
    if set(req.args) != {"method"}:
        raise InvalidPayload(
            "With the Alternate Request Syntax the query string holds only `method`; "
            "send every other parameter as a form field (xAPI 1.0.3 Communication 1.3)."
        )
    if req.mimetype != "application/x-www-form-urlencoded":
        raise InvalidPayload(
            "The Alternate Request Syntax is sent as application/x-www-form-urlencoded "
            "(xAPI 1.0.3 Communication 1.3)."
        )
    form = req.form
    version_field = next(
        (v for k, v in form.items() if k.lower() == "x-experience-api-version"),
        req.headers.get("X-Experience-API-Version"),
    )
    if version_field is not None and _VERSION_2.fullmatch(version_field.strip()):
        g.xapi_version = "2.0.0"
        raise InvalidPayload(
            "xAPI 2.0 has no Alternate Request Syntax (?method=); send the request with "
            "its own method and headers."
        )
    method = req.args["method"].upper()
    if method not in handlers:
        raise InvalidPayload(
            f"method must be {', '.join(handlers)} on the {resource} resource, not "
            f"{req.args['method']!r} (xAPI 1.0.3 Communication 1.3)."
        )
    # The inner request: this one's server and path, with headers, query and body from the form.
    environ = {
        k: v
        for k, v in req.environ.items()
        if not k.startswith(("HTTP_", "CONTENT_", "werkzeug."))
    }
    for kept in ("HTTP_HOST", "HTTP_AUTHORIZATION", "HTTP_X_EXPERIENCE_API_VERSION"):
        if kept in req.environ:  # the form's own fields override these below
            environ[kept] = req.environ[kept]
    params: list[tuple[str, str]] = []
    content = ""
    for key, value in form.items(multi=True):
        lower = key.lower()
        if lower == "content":
            content = value
        elif lower in _HEADER_FIELDS:
            target = _HEADER_FIELDS[lower]
            if target is not None:
                environ[target] = value
        else:
            params.append((key, value))
    body = content.encode("utf-8")
    environ.update(
        {
            "REQUEST_METHOD": method,
            "QUERY_STRING": urlencode(params),
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
    )
    if method != "GET":
        environ.setdefault("CONTENT_TYPE", _JSON)
    inner = Request(environ)
    return handlers[method](inner)


# --- Document resources (Communication 2.3–2.6, concurrency 3.1) -----------------------------

_DOCUMENT_PATHS: Final = {
    "activities/state": Kind.STATE,
    "activities/profile": Kind.ACTIVITY_PROFILE,
    "agents/profile": Kind.AGENT_PROFILE,
}
# The parameters of each resource (Communication 2.3, 2.5, 2.6).
_DOCUMENT_PARAMS: Final = {
    Kind.STATE: ("activityId", "agent", "registration", "stateId", "since"),
    Kind.ACTIVITY_PROFILE: ("activityId", "profileId", "since"),
    Kind.AGENT_PROFILE: ("agent", "profileId", "since"),
}
_SECTIONS: Final = {
    Kind.STATE: "2.3",
    Kind.ACTIVITY_PROFILE: "2.5",
    Kind.AGENT_PROFILE: "2.6",
}


def _document_writer(req: Request, kind: Kind) -> DocumentWriter:
    """Check the scope (Communication 4.2: ``state`` or ``profile``, or ``all``)."""
    principal = _principal(req)
    require_scope(principal, "state" if kind is Kind.STATE else "profile")
    return DocumentWriter(principal.vendor_id, sees_all="all" in principal.scopes)


def _param(req: Request, name: str, kind: Kind, version: str) -> str:
    if name not in req.args:
        raise InvalidPayload(
            f"The {kind.label} resource needs the {name} parameter (xAPI {version} "
            f"Communication {_SECTIONS[kind]})."
        )
    return req.args[name]


def _document_key(req: Request, kind: Kind, version: str) -> DocumentKey:
    """Check the parameters of a document request; the key of the document(s) it names."""
    for name in req.args:
        if name not in _DOCUMENT_PARAMS[kind]:
            raise InvalidPayload(
                f"{name!r} is not a parameter of the {kind.label} resource (xAPI {version} "
                f"Communication {_SECTIONS[kind]})."
            )
    activity_id = agent_key = registration = ""
    if kind is not Kind.AGENT_PROFILE:
        activity_id = _param(req, "activityId", kind, version)
        if not is_iri(activity_id):
            raise InvalidPayload(
                f"activityId must be an IRI, not {activity_id[:80]!r} (xAPI {version} "
                "Data 4.3)."
            )
    if kind is not Kind.ACTIVITY_PROFILE:
        raw = _param(req, "agent", kind, version)
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):
            raise InvalidPayload(
                f"agent must be an Agent as JSON, not {raw[:80]!r} (xAPI {version} "
                f"Communication {_SECTIONS[kind]})."
            ) from None
        agent_key = str(ifi_key(validate_agent(value, version=version)))
    if kind is Kind.STATE and "registration" in req.args:
        registration = req.args["registration"]
        if not is_uuid(registration):
            raise InvalidPayload(
                f"registration must be a UUID, not {registration[:80]!r} (xAPI {version} "
                "Data 4.4)."
            )
        registration = registration.lower()
    return DocumentKey(kind, activity_id, agent_key, registration)


def _preconditions(req: Request) -> Preconditions:
    return Preconditions(
        parse_etags(req.headers.get("If-Match")),
        parse_etags(req.headers.get("If-None-Match")),
    )


def _since(req: Request, version: str) -> datetime | None:
    raw = req.args.get("since")
    if raw is None:
        return None
    try:
        if "T" not in raw.upper():
            raise ValueError(raw)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidPayload(
            f"since must be an ISO 8601 timestamp, not {raw[:80]!r} (xAPI {version} "
            "Data 4.5)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.route("/activities/state", methods=["GET", "PUT", "POST", "DELETE"])
def state() -> Response:
    """Communication 2.3: the State Resource."""
    return _documents(request, Kind.STATE)


@bp.route("/activities/profile", methods=["GET", "PUT", "POST", "DELETE"])
def activity_profile() -> Response:
    """Communication 2.5: the Activity Profile Resource."""
    return _documents(request, Kind.ACTIVITY_PROFILE)


@bp.route("/agents/profile", methods=["GET", "PUT", "POST", "DELETE"])
def agent_profile() -> Response:
    """Communication 2.6: the Agent Profile Resource."""
    return _documents(request, Kind.AGENT_PROFILE)


def _documents(req: Request, kind: Kind) -> Response:
    """One document request: GET/HEAD one or the ids, PUT, POST (merge) or DELETE.

    A 1.0.3 ``POST ?method=...`` is the Alternate Request Syntax (Communication 1.3).
    """
    if req.method == "POST" and "method" in req.args:

        def inner(alt: Request) -> Response:
            return _documents(alt, kind)

        verbs = ("PUT", "POST", "GET", "DELETE")
        return _alternate(req, dict.fromkeys(verbs, inner), kind.label)
    version = _version(req)
    writer = _document_writer(req, kind)
    key = _document_key(req, kind, version)
    store = tessera().store
    document_id = req.args.get(kind.id_param)
    method = req.method
    if method in ("GET", "HEAD"):
        if document_id is None:
            ids, latest = list_ids(store, key, writer, _since(req, version))
            response = Response(json.dumps(ids), mimetype=_JSON)
            if latest is not None:
                response.last_modified = latest
            return response
        if "since" in req.args:
            raise InvalidPayload(
                f"since goes with a request for the ids, not with {kind.id_param} "
                f"(xAPI {version} Communication {_SECTIONS[kind]})."
            )
        document = get_document(store, key, document_id, writer)
        response = Response(document.content, content_type=document.content_type)
        response.headers["ETag"] = quoted(document.etag)
        response.last_modified = document.updated_at
        return response
    if "since" in req.args:
        raise InvalidPayload(
            f"since is a parameter of GET only (xAPI {version} Communication "
            f"{_SECTIONS[kind]})."
        )
    if method == "DELETE":
        if document_id is None and kind is not Kind.STATE:
            _param(req, kind.id_param, kind, version)
        delete_documents(store, key, document_id, writer, _preconditions(req))
        return Response(status=204)
    document_id = _param(req, kind.id_param, kind, version)
    etag = save_document(
        store,
        key,
        document_id,
        writer,
        content=req.get_data(),
        content_type=req.content_type or DEFAULT_TYPE,
        pre=_preconditions(req),
        merge=method == "POST",
        version=version,
    )
    return Response(status=204, headers={"ETag": quoted(etag)})


def _only(req: Request, name: str, what: str, section: str, version: str) -> str:
    """The one parameter of the Activities or Agents resource."""
    for other in req.args:
        if other != name:
            raise InvalidPayload(
                f"{other!r} is not a parameter of the {what} resource (xAPI {version} "
                f"Communication {section})."
            )
    if name not in req.args:
        raise InvalidPayload(
            f"The {what} resource needs the {name} parameter (xAPI {version} "
            f"Communication {section})."
        )
    return req.args[name]


@bp.get("/activities")
def activities() -> Response:
    """Communication 2.5: the Activity object of ``activityId`` (HEAD too)."""
    version = _version(request)
    vendor_id = _reader(request)
    activity_id = _only(request, "activityId", "activities", "2.5", version)
    if not is_iri(activity_id):
        raise InvalidPayload(
            f"activityId must be an IRI, not {activity_id[:80]!r} (xAPI {version} "
            "Data 4.3)."
        )
    found = activity_object(tessera().store, activity_id, vendor_id=vendor_id)
    return Response(json.dumps(found), mimetype=_JSON)


@bp.get("/agents")
def agents() -> Response:
    """Communication 2.6: the Person object of ``agent`` (HEAD too)."""
    version = _version(request)
    _principal(request)
    raw = _only(request, "agent", "agents", "2.6", version)
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise InvalidPayload(
            f"agent must be an Agent as JSON, not {raw[:80]!r} (xAPI {version} "
            "Communication 2.6)."
        ) from None
    person = person_object(validate_agent(value, version=version))
    return Response(json.dumps(person), mimetype=_JSON)
