"""The application factory: everything is built here, nothing at import time."""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

from flask import Flask, Response, g, json, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway.errors import PROBLEM_JSON, StoreError, TesseraError
from gateway.extension import EXTENSION_KEY, Tessera
from gateway.logs import bind_request_id, configure_logging, unbind_request_id
from gateway.ratelimit import make_limiter
from gateway.settings import Settings, load_settings
from gateway.store import Store

log = logging.getLogger("gateway.http")
# Launch ids are bearer secrets in cookie-less page URLs: the log keeps only their start.
_CAPABILITY_PATH = re.compile(r"^(/lti/view/|/admin/l/)([^/]{6})[^/]*")


def store_trouble(reason: str) -> str:
    """What a client (and the admin reading over its shoulder) is told of a store failure."""
    lowered = reason.lower()
    if "readonly" in lowered or "read-only" in lowered:
        what = "The database is read-only (check its disk and file permissions)"
    elif "disk is full" in lowered or "no space" in lowered:
        what = "The database's disk is full (free space, then retry)"
    else:
        what = "The database is unavailable right now"
    return f"{what}; nothing from this request was stored. Retry in a few seconds."


def loggable_path(path: str) -> str:
    """``path`` with a launch id in it cut to its first six characters."""
    return _CAPABILITY_PATH.sub(r"\1\2…", path, count=1)


_QUIET_PATHS = frozenset({"/healthz", "/metrics"})  # probed often; logged at DEBUG


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build a Tessera app from ``settings`` (default: read from the environment)."""
    settings = settings or load_settings(os.environ)
    app = Flask("gateway", instance_path=str(settings.instance_path))
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION_KEY] = Tessera(
        settings, store or Store.from_settings(settings), make_limiter(settings)
    )
    configure_logging(settings)
    _register_request_hooks(app)
    _register_error_handlers(app)
    _register_blueprints(app)
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n
        )
    return app


def _register_blueprints(app: Flask) -> None:
    from gateway.api import register_api
    from gateway.caliper.views import bp as caliper_bp
    from gateway.console.views import init_console
    from gateway.demo.gradebook import bp as demo_bp
    from gateway.health import bp as health_bp
    from gateway.keys.views import bp as keys_bp
    from gateway.lti.views import init_lti
    from gateway.outbox.metrics import bp as metrics_bp
    from gateway.records.views import bp as records_bp
    from gateway.vendors.views import bp as vendors_bp
    from gateway.xapi.views import bp as xapi_bp

    for bp in (
        health_bp,
        metrics_bp,
        keys_bp,
        vendors_bp,
        caliper_bp,
        xapi_bp,
        records_bp,
        demo_bp,
    ):
        app.register_blueprint(bp)
    init_lti(app)
    init_console(app)
    register_api(app)


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_id, g.request_id_token = bind_request_id(
            request.headers.get("X-Request-ID")
        )
        g.started = time.perf_counter()
        # Refuse a body declared too large before any work (auth, parsing) is spent on it;
        # an undeclared (chunked) body is cut off by MAX_CONTENT_LENGTH as it is read.
        limit = app.config["MAX_CONTENT_LENGTH"]
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()

    @app.after_request
    def _finish(response: Response) -> Response:
        rid = g.get("request_id")
        if rid is None:  # before_request did not run (e.g. routing failed early)
            return response
        response.headers["X-Request-ID"] = rid
        elapsed_ms = round((time.perf_counter() - g.started) * 1000, 2)
        level = logging.DEBUG if request.path in _QUIET_PATHS else logging.INFO
        path = loggable_path(request.path)
        log.log(
            level,
            "%s %s %s %.1fms",
            request.method,
            path,
            response.status_code,
            elapsed_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": elapsed_ms,
                "remote_addr": request.remote_addr,
            },
        )
        return response

    @app.teardown_request
    def _unbind(_exc: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            unbind_request_id(token)


def problem_response(
    body: dict[str, Any], status: int, headers: dict[str, str] | None = None
) -> Response:
    """An ``application/problem+json`` response (RFC 9457) carrying the request id."""
    body.setdefault("instance", request.path)
    if g.get("request_id"):
        body["request_id"] = g.request_id
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers or {})
    return response


def _register_error_handlers(app: Flask) -> None:
    settings: Settings = app.extensions[EXTENSION_KEY].settings

    @app.errorhandler(TesseraError)
    def _tessera_error(exc: TesseraError) -> Response:
        if exc.status >= 500:
            log.error("%s: %s", type(exc).__name__, exc.detail)
        return problem_response(exc.to_problem(request.path), exc.status, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        detail = exc.description or exc.name
        if isinstance(exc, RequestEntityTooLarge):
            detail = (
                f"The request body is larger than the {settings.max_body_bytes} bytes this "
                "server accepts (TESSERA_MAX_BODY_BYTES); send less per request."
            )
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        body = {
            "type": "about:blank",
            "title": exc.name,
            "status": status,
            "detail": detail,
        }
        return problem_response(body, status, headers)

    @app.errorhandler(OperationalError)
    def _store_down(exc: DBAPIError) -> Response:
        reason = " ".join(str(exc.orig).split())[:300]
        log.error("store unavailable: %s", reason)
        err = StoreError(store_trouble(reason), headers={"Retry-After": "5"})
        return problem_response(err.to_problem(), err.status, err.headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error")
        err = TesseraError(
            "Tessera hit an unexpected error. The request id in this response points to "
            "the details in the server log."
        )
        return problem_response(err.to_problem(), 500)
