"""Declare an admin API operation once; get the Flask route and its OpenAPI 3.1 description.

An :class:`ApiGroup` collects the operations of one resource (one OpenAPI tag). Its
:meth:`ApiGroup.operation` decorator records an :class:`Operation`; :func:`build_blueprint` turns
the operations into Flask routes wrapped in the same steps every time (admin bearer token,
scope, query parameters, JSON body checked against its schema, rendering), and
:func:`build_document` turns the same records into the OpenAPI document. Because both come from
one declaration, the document cannot drift from the routes. See :mod:`gateway.api` for how to
add an endpoint.
"""

from __future__ import annotations

import inspect
import json
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

from flask import Blueprint, Response, g, jsonify, request

from gateway import __version__
from gateway.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, PageRequest
from gateway.api.pagination import decode_cursor as _decode_cursor
from gateway.api.tokens import SCOPES, AdminPrincipal, authenticate_admin
from gateway.api.validation import check_schema, validate
from gateway.errors import (
    PROBLEM_JSON,
    Forbidden,
    InvalidPayload,
    Unauthorized,
    UnsupportedMediaType,
)
from gateway.extension import tessera
from gateway.ratelimit import check

audit = logging.getLogger("gateway.audit")

API_PREFIX = "/api/v1"
CHALLENGE = 'Bearer realm="Tessera admin"'
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
View = Callable[..., Any]
_PATH_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_OPERATION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_TOKEN_CHARS = 512
_REF_PREFIX = "#/components/schemas/"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "urn:tessera:problem:SLUG"},
        "title": {"type": "string", "description": "Short, fixed summary of the kind."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "A sentence a person can act on."},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Every field a request body got wrong (400 only).",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class Param:
    """A query (or path) parameter; query values reach the view as keyword arguments."""

    name: str
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    description: str = ""
    location: Literal["query", "path"] = "query"
    required: bool = False

    def to_openapi(self) -> dict[str, Any]:
        """The OpenAPI Parameter Object."""
        out: dict[str, Any] = {
            "name": self.name,
            "in": self.location,
            "required": self.required or self.location == "path",
            "schema": dict(self.schema),
        }
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True, slots=True)
class Reply:
    """What a view returns to set headers (e.g. ``Location``) alongside its JSON body."""

    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Operation:
    """One declared operation: enough to route it, guard it and describe it."""

    method: Method
    path: str
    view: View
    operation_id: str
    summary: str
    description: str
    tag: str
    scope: str | None
    status: int
    request_schema: Mapping[str, Any] | None
    body_required: bool
    response_schema: Mapping[str, Any] | None
    params: tuple[Param, ...]
    errors: tuple[int, ...]
    paginated: bool

    @property
    def path_params(self) -> list[str]:
        """Names of the ``{placeholders}`` in the path, in order."""
        return _PATH_PARAM.findall(self.path)

    @property
    def flask_rule(self) -> str:
        """The path with ``{name}`` written as Flask's ``<name>``."""
        return _PATH_PARAM.sub(r"<\1>", self.path)

    def query_params(self) -> list[Param]:
        """The query parameters, pagination's included."""
        params = [p for p in self.params if p.location == "query"]
        if self.paginated:
            params += PAGINATION_PARAMS
        return params


PAGINATION_PARAMS = [
    Param(
        "limit",
        {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_LIMIT,
            "default": DEFAULT_LIMIT,
        },
        f"At most this many items (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}).",
    ),
    Param(
        "cursor",
        {"type": "string", "maxLength": 1000},
        "next_cursor of the previous page; leave out for the first page.",
    ),
]


class ApiGroup:
    """The operations of one resource, shown under one tag in the OpenAPI document."""

    def __init__(self, tag: str, description: str) -> None:
        self.tag = tag
        self.description = description
        self.operations: list[Operation] = []
        self.schemas: dict[str, Mapping[str, Any]] = {}

    def schema(self, name: str, schema: Mapping[str, Any]) -> dict[str, str]:
        """Publish ``schema`` under ``components/schemas/NAME``; returns a ``$ref`` to it.

        Use this for response shapes shared between operations. Request schemas stay inline:
        the body validator reads them directly.
        """
        self.schemas[name] = schema
        return {"$ref": _REF_PREFIX + name}

    def operation(
        self,
        method: Method,
        path: str,
        *,
        summary: str,
        scope: str | None = "admin",
        status: int = 200,
        request_schema: Mapping[str, Any] | None = None,
        body_required: bool = True,
        response_schema: Mapping[str, Any] | None = None,
        params: Sequence[Param] = (),
        errors: Sequence[int] = (),
        paginated: bool = False,
    ) -> Callable[[View], View]:
        """Declare ``method path`` (``{name}`` for path parameters) served by the decorated view.

        ``scope`` is the admin token scope needed (None: public). ``errors`` lists statuses the
        view may raise beyond those implied (400 for bodies and queries, 401/403 when secured,
        404 with path parameters, 415 for bodies). A ``paginated`` view gets ``page`` and
        returns a :class:`~gateway.api.pagination.Page` of ``response_schema`` items.
        """
        where = f"{method} {path}"
        if not path.startswith("/") or path.endswith("/"):
            raise ValueError(f"{where}: a path starts with / and does not end with one")
        if scope is not None and scope not in SCOPES:
            raise ValueError(f"{where}: unknown scope {scope!r}")
        if request_schema is not None:
            check_schema(request_schema, f"{where} request body")
        _check_params(where, path, params, paginated)

        def register(view: View) -> View:
            operation_id = view.__name__
            if not _OPERATION_ID.match(operation_id):
                raise ValueError(f"{operation_id!r} is not a snake_case operationId")
            self.operations.append(
                Operation(
                    method=method,
                    path=path,
                    view=view,
                    operation_id=operation_id,
                    summary=summary,
                    description=_docstring(view),
                    tag=self.tag,
                    scope=scope,
                    status=status,
                    request_schema=request_schema,
                    body_required=body_required,
                    response_schema=response_schema,
                    params=tuple(params),
                    errors=tuple(errors),
                    paginated=paginated,
                )
            )
            return view

        return register


_QUERY_TYPES = frozenset({"string", "integer", "number", "boolean"})
_RESERVED = frozenset({"body", "page", "limit", "cursor"})


def _check_params(
    where: str, path: str, params: Sequence[Param], paginated: bool
) -> None:
    in_path = set(_PATH_PARAM.findall(path))
    names = [p.name for p in params] + (["limit", "cursor"] if paginated else [])
    if len(names) != len(set(names)):
        raise ValueError(f"{where}: a parameter is declared twice in {names}")
    for param in params:
        if param.name in _RESERVED:
            raise ValueError(f"{where}: parameter name {param.name!r} is reserved")
        if param.location == "path":
            if param.name not in in_path:
                raise ValueError(f"{where}: no {{{param.name}}} in the path")
            continue
        check_schema(param.schema, f"{where} query {param.name}")
        if param.schema.get("type") not in _QUERY_TYPES:
            raise ValueError(
                f"{where} query {param.name}: the type must be one of "
                f"{', '.join(sorted(_QUERY_TYPES))}"
            )


def build_blueprint(groups: Sequence[ApiGroup]) -> Blueprint:
    """A fresh blueprint at ``/api/v1`` with a route for every operation of ``groups``."""
    bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
    seen: set[str] = set()
    routes: set[tuple[str, str]] = set()
    for group in groups:
        for op in group.operations:
            if op.operation_id in seen:
                raise ValueError(f"operationId {op.operation_id!r} is declared twice")
            if (op.method, op.path) in routes:
                raise ValueError(f"{op.method} {op.path} is declared twice")
            seen.add(op.operation_id)
            routes.add((op.method, op.path))
            bp.add_url_rule(
                op.flask_rule,
                endpoint=op.operation_id,
                view_func=_make_view(op),
                methods=[op.method],
            )
    return bp


def build_document(groups: Sequence[ApiGroup], base_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document describing every operation of ``groups``."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    for group in groups:
        for name, schema in group.schemas.items():
            if schemas.setdefault(name, schema) is not schema:
                raise ValueError(f"two schemas are published as {name!r}")
        for op in group.operations:
            paths.setdefault(op.path, {})[op.method.lower()] = _describe(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tessera admin API",
            "version": __version__,
            "description": (
                "Administer a Tessera gateway: vendors and their credentials, and more. Every "
                "operation except this document needs an admin token, sent as "
                "`Authorization: Bearer ta_...`; `tessera init` prints the first one and "
                "`tessera admin-token create` makes more. Errors are RFC 9457 problem details."
            ),
        },
        "servers": [{"url": base_url + API_PREFIX}],
        "tags": [{"name": g.tag, "description": g.description} for g in groups],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An admin token (KEY.SECRET, key starting with ta_). "
                    "Scopes: "
                    + "; ".join(f"{name}: {text}" for name, text in SCOPES.items()),
                }
            },
        },
    }


def current_admin() -> AdminPrincipal:
    """The admin token the current request authenticated with."""
    principal: AdminPrincipal = g.admin
    return principal


# --- The steps every operation goes through. -------------------------------------------


def _make_view(op: Operation) -> Callable[..., Response]:
    def view(**path_args: str) -> Response:
        if op.scope is not None:
            g.admin = principal = _authenticate(op.scope)
            if op.method != "GET":
                audit.info(
                    "%s %s by admin token %r (%s)",
                    op.method,
                    request.path,
                    principal.name,
                    principal.key,
                    extra={"admin_token": principal.key, "operation": op.operation_id},
                )
        kwargs: dict[str, Any] = dict(path_args)
        kwargs.update(_read_query(op))
        if op.request_schema is not None:
            kwargs["body"] = _read_body(op, op.request_schema)
        result = op.view(**kwargs)
        return _render(op, result)

    view.__name__ = op.operation_id
    view.__doc__ = op.description
    return view


def _authenticate(scope: str) -> AdminPrincipal:
    auth = request.authorization
    principal = None
    if auth is not None and auth.type == "bearer" and auth.token:
        if len(auth.token) <= _MAX_TOKEN_CHARS:
            with tessera().store.read() as conn:
                principal = authenticate_admin(conn, auth.token)
    if principal is None:
        what = "was not given" if auth is None else "is not valid (or has expired)"
        raise Unauthorized(
            f"An admin token {what}: send `Authorization: Bearer ta_...` with a token from "
            "`tessera init` or `tessera admin-token create`.",
            headers={"WWW-Authenticate": CHALLENGE},
        )
    check(tessera().limiter, f"a:{principal.key}", f"Admin token {principal.name!r}")
    if not principal.allows(scope):
        raise Forbidden(
            f"Admin token {principal.name!r} ({principal.key}) holds the scope "
            f"{', '.join(sorted(principal.scopes))}; this operation needs {scope!r}.",
            headers={
                "WWW-Authenticate": f'{CHALLENGE}, error="insufficient_scope", '
                f'scope="{scope}"'
            },
        )
    return principal


def _read_query(op: Operation) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for param in op.query_params():
        raw = request.args.get(param.name)
        label = f"Query parameter {param.name!r}"
        if raw is None:
            if param.required:
                raise InvalidPayload(f"{label} is required.")
            values[param.name] = param.schema.get("default")
            continue
        value: Any = raw
        kind = param.schema.get("type")
        if kind in ("integer", "number"):
            try:
                value = int(raw) if kind == "integer" else float(raw)
            except ValueError:
                what = "a whole number" if kind == "integer" else "a number"
                raise InvalidPayload(f"{label} must be {what}; got {raw!r}.") from None
            if not math.isfinite(value):
                raise InvalidPayload(f"{label} must be a finite number; got {raw!r}.")
        elif kind == "boolean":
            if raw not in ("true", "false"):
                raise InvalidPayload(f"{label} must be true or false; got {raw!r}.")
            value = raw == "true"
        problems = validate(value, param.schema, root=label)
        if problems:
            raise InvalidPayload(problems[0].message)
        values[param.name] = value
    if op.paginated:
        cursor = values.pop("cursor")
        values["page"] = PageRequest(
            limit=values.pop("limit"),
            after=_decode_cursor(cursor) if cursor else None,
        )
    return values


def _read_body(op: Operation, schema: Mapping[str, Any]) -> Any:
    raw = request.get_data(cache=True)
    if not raw.strip():
        if op.body_required:
            raise InvalidPayload(
                "The request body is empty; this operation needs a JSON object "
                "(openapi.json describes it)."
            )
        return {}
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        got = request.content_type or "no Content-Type"
        raise UnsupportedMediaType(
            f"Send the request body as JSON with `Content-Type: application/json`; got {got}."
        )
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except ValueError as exc:
        raise InvalidPayload(f"The request body is not valid JSON: {exc}.") from None
    problems = validate(data, schema)
    if problems:
        more = len(problems) - 1
        detail = problems[0].message + (
            f" ({more} more problem{'s' if more > 1 else ''} listed in errors.)"
            if more
            else ""
        )
        raise InvalidPayload(detail, extra={"errors": [p.to_json() for p in problems]})
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _render(op: Operation, result: Any) -> Response:
    if isinstance(result, Response):
        response = result
    else:
        headers: Mapping[str, str] = {}
        if isinstance(result, Reply):
            result, headers = result.body, result.headers
        if op.status == HTTPStatus.NO_CONTENT:
            response = Response(status=HTTPStatus.NO_CONTENT)
        else:
            body = result.to_json() if isinstance(result, Page) else result
            response = jsonify(body)
            response.status_code = op.status
        response.headers.update(headers)
    # Admin responses can carry secrets (fresh credentials) and are never for a shared cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


# --- Describing operations. --------------------------------------------------------------


_PROBLEM_REF = {"$ref": _REF_PREFIX + "Problem"}
_ERROR_TEXT = {
    400: "The request is malformed; `detail` (and `errors`) say what to change.",
    401: "No admin token, or not a valid one.",
    403: "The admin token lacks the scope this operation needs.",
    404: "Nothing is stored under this path.",
    409: "The request clashes with what is stored.",
    415: "The body is not JSON.",
}


def _describe(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
        "security": [{"bearerAuth": [op.scope]}] if op.scope else [],
    }
    if op.description:
        out["description"] = op.description
    params = [
        next(
            (p for p in op.params if p.location == "path" and p.name == name),
            Param(name, location="path"),
        ).to_openapi()
        for name in op.path_params
    ]
    params += [p.to_openapi() for p in op.query_params()]
    if params:
        out["parameters"] = params
    if op.request_schema is not None:
        out["requestBody"] = {
            "required": op.body_required,
            "content": {"application/json": {"schema": dict(op.request_schema)}},
        }
    out["responses"] = _responses(op)
    return out


def _responses(op: Operation) -> dict[str, Any]:
    success: dict[str, Any] = {"description": HTTPStatus(op.status).phrase + "."}
    if op.status != HTTPStatus.NO_CONTENT:
        schema: Mapping[str, Any] = op.response_schema or {"type": "object"}
        if op.paginated:
            schema = {
                "type": "object",
                "required": ["items", "next_cursor"],
                "properties": {
                    "items": {"type": "array", "items": dict(schema)},
                    "next_cursor": {
                        "type": ["string", "null"],
                        "description": "Pass as ?cursor= for the next page; null on the last.",
                    },
                },
            }
        success["content"] = {"application/json": {"schema": dict(schema)}}
    codes: set[int] = set(op.errors)
    if op.request_schema is not None:
        codes |= {400, 415}
    if op.query_params():
        codes.add(400)
    if op.scope is not None:
        codes |= {401, 403}
    if op.path_params:
        codes.add(404)
    responses: dict[str, Any] = {str(op.status): success}
    for code in sorted(codes):
        responses[str(code)] = {
            "description": _ERROR_TEXT.get(code, HTTPStatus(code).phrase + "."),
            "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}},
        }
        if code == 401:
            responses[str(code)]["headers"] = {
                "WWW-Authenticate": {
                    "description": CHALLENGE,
                    "schema": {"type": "string"},
                }
            }
    responses["default"] = {
        "description": "Unexpected error, or the database is unavailable (503).",
        "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}},
    }
    return responses


def _docstring(view: View) -> str:
    return inspect.cleandoc(view.__doc__ or "")
