"""The admin REST API under ``/api/v1``, described by ``GET /api/v1/openapi.json``.

Every operation except the document itself needs an admin token (:mod:`gateway.api.tokens`) as
``Authorization: Bearer ta_...``: 401 without a valid one, 403 when its scope is not enough.
Errors are ``application/problem+json`` from the one error tree in :mod:`gateway.errors`.

Adding an endpoint
------------------
Declare it with :meth:`~gateway.api.openapi.ApiGroup.operation`; that single declaration adds
the Flask route *and* its entry in openapi.json (a test fails for any route under ``/api/v1``
missing from the document). In your resource's module, e.g. ``gateway/api/frameworks.py``::

    from gateway.api.openapi import ApiGroup, Param, Reply
    from gateway.api.pagination import Page, PageRequest, page_of

    api = ApiGroup("frameworks", "CASE frameworks imported into Tessera.")
    FRAMEWORK = api.schema("Framework", {"type": "object", "properties": {...}})

    @api.operation(
        "GET", "/frameworks/{framework_id}", summary="Get a framework",
        response_schema=FRAMEWORK,
    )
    def get_framework(framework_id: str) -> dict[str, Any]:
        \"\"\"This docstring becomes the operation's description.\"\"\"
        return competencies.get_framework(tessera().store, framework_id).to_json()

then add the module's name to :data:`GROUP_MODULES` below. The rules:

- The view's name is the operationId (snake_case, unique across the API).
- ``{name}`` in the path is a path parameter; it reaches the view as a keyword argument.
- ``params=[Param("status", {"type": "string", "enum": [...]})]`` declares query parameters;
  they arrive converted (``integer``, ``number``, ``boolean``) and checked, as keyword
  arguments (the schema's ``default``, else None, when absent).
- ``request_schema={...}`` (inline JSON Schema, the subset in :mod:`gateway.api.validation`)
  makes the view receive ``body``: parsed, checked, with 415 for a non-JSON Content-Type and a
  400 naming each wrong field. ``body_required=False`` lets an empty body through as ``{}``.
- ``paginated=True`` adds ``limit``/``cursor``; the view gets ``page`` (a
  :class:`~gateway.api.pagination.PageRequest`) and returns a ``Page``, usually from
  :func:`~gateway.api.pagination.page_of` over ``page.fetch`` rows read after ``page.after``.
- ``scope="records"`` opens an operation to registrar tokens (``admin`` tokens may do anything);
  ``scope=None`` makes it public.
- ``status=201`` / ``204`` set the success status; return the JSON body (a ``Reply`` to add
  headers such as ``Location``), or ``None`` for 204. ``errors=[409]`` documents further
  statuses the view raises (400/401/403/404/415 are documented from the declaration).
- ``current_admin()`` is the calling token (for audit trails); changes (non-GET) are logged
  to ``gateway.audit`` with the token's name and key.
- Every response gets ``Cache-Control: no-store`` unless the view set one.
- Views stay thin: parse, call the service, render; raise :mod:`gateway.errors` exceptions.
- ``tests/unit/test_openapi.py`` validates the whole document with openapi-spec-validator and
  checks the body validator against ``jsonschema``; add a sample there if your schema uses a
  keyword in a new way.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask, Response, current_app, jsonify

from gateway.api.openapi import (
    ApiGroup,
    build_blueprint,
    build_document,
    current_admin,
)
from gateway.extension import tessera

API_EXTENSION_KEY = "tessera.api"

# Modules that each define ``api = ApiGroup(...)``; their order is the order of the tags.
GROUP_MODULES: tuple[str, ...] = (
    "gateway.api.vendors",
    "gateway.api.frameworks",
    "gateway.api.competencies",
    "gateway.api.alignments",
    "gateway.api.learners",
    "gateway.api.records",
    "gateway.api.mastery",
    "gateway.api.calibration",
    "gateway.records.api",
    "gateway.api.platforms",
    "gateway.api.deliveries",
)

meta = ApiGroup(
    "meta", "This API itself: its description, and the token you call it with."
)


@meta.operation(
    "GET",
    "/openapi.json",
    summary="This API's OpenAPI 3.1 document",
    scope=None,
    response_schema={"type": "object", "description": "An OpenAPI 3.1 document."},
)
def get_openapi_document() -> Response:
    """The document describing every operation of the admin API; no token needed."""
    response = jsonify(current_app.extensions[API_EXTENSION_KEY])
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@meta.operation(
    "GET",
    "/whoami",
    summary="The admin token this request uses",
    scope="records",  # any valid token: admin tokens may use every operation
    response_schema={
        "type": "object",
        "required": ["name", "key", "scopes", "expires_at"],
        "properties": {
            "name": {"type": "string"},
            "key": {"type": "string"},
            "scopes": {"type": "array", "items": {"type": "string"}},
            "expires_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
)
def get_current_token() -> dict[str, Any]:
    """Lets a script check its token (and when it expires) before doing anything."""
    principal = current_admin()
    return {
        "name": principal.name,
        "key": principal.key,
        "scopes": sorted(principal.scopes),
        "expires_at": principal.expires_at.isoformat()
        if principal.expires_at
        else None,
    }


def api_groups() -> list[ApiGroup]:
    """Every group of the admin API: the document's own, then those of :data:`GROUP_MODULES`."""
    groups = [meta]
    for name in GROUP_MODULES:
        module: Any = importlib.import_module(name)
        groups.append(module.api)
    return groups


def register_api(app: Flask) -> None:
    """Add the ``/api/v1`` routes to ``app``."""
    groups = api_groups()
    app.register_blueprint(build_blueprint(groups))
    # Built once per app, so that a clash between declarations stops start-up.
    app.extensions[API_EXTENSION_KEY] = build_document(
        groups, tessera(app).settings.base_url
    )
