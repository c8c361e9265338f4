"""The ``/admin`` blueprint: the admin console's pages.

Every page answers at two addresses: ``/admin/<page>`` for someone signed in with an admin
token (session cookie), and ``/admin/l/<launch_id>/<page>`` for an LMS administrator who
launched Tessera (cookie-less, for the course iframe); see :mod:`gateway.console.access`.
Views stay thin: they call the same services as the admin API and the CLI, write one audit
line per action, and render. Every POST must carry the session's CSRF token.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import tomllib
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

import gateway.competencies as competency_service
import gateway.vendors as vendor_service
from gateway.competencies.fetch import load_package_source
from gateway.console import access
from gateway.console.queries import (
    AuditFilter,
    audit_page,
    framework_crosswalks,
    overview_counts,
    record_action,
)
from gateway.errors import Forbidden, InvalidPayload, NotFound, TesseraError
from gateway.extension import tessera
from gateway.intake import pipeline
from gateway.intake import service as intake_service
from gateway.intake.alignment import NewAlignment
from gateway.intake.model import EVIDENCE_KINDS
from gateway.intake.preview import PROTOCOLS, preview_payload
from gateway.intake.queries import list_alignments
from gateway.lti import platforms as platform_service
from gateway.lti.toolconfig import SCOPES as LTI_SCOPES
from gateway.mastery import equity
from gateway.mastery.contexts import list_contexts
from gateway.outbox.destinations import list_destinations
from gateway.outbox.policy import RetryPolicy
from gateway.outbox.queue import (
    DeliveryFilter,
    delivery_counts,
    delivery_json,
    list_deliveries,
    retry_dead,
    retry_delivery,
)
from gateway.store import Store

log = logging.getLogger("gateway.console")
bp = Blueprint("console", __name__, template_folder="templates")
_PUBLIC = frozenset({"console.sign_in", "console.sign_in_form", "console.sign_out"})
_NOTHING_TO_IMPORT = "Choose a CASE CFPackage JSON file, or give a URL."
ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


def init_console(app: Flask) -> None:
    """Register the console blueprint."""
    app.register_blueprint(bp)


def page(rule: str, **options: Any) -> Callable[[ViewFunc], ViewFunc]:
    """Route ``rule`` under ``/admin`` and under ``/admin/l/<launch_id>``."""

    def decorate(view: ViewFunc) -> ViewFunc:
        bp.add_url_rule(f"/admin{rule}", view_func=view, **options)
        bp.add_url_rule(
            f"/admin/l/<launch_id>{rule}",
            endpoint=f"{view.__name__}_lti",
            view_func=view,
            **options,
        )
        return view

    return decorate


def console_url(endpoint: str, **values: Any) -> str:
    """A console URL that keeps the way in: the launch's path, or the cookie one."""
    launch_id = g.get("console_launch_id")
    if launch_id is not None:
        return url_for(f"console.{endpoint}_lti", launch_id=launch_id, **values)
    return url_for(f"console.{endpoint}", **values)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"console_url": console_url}


def _store() -> Store:
    return tessera().store


def _user() -> access.ConsoleUser:
    user: access.ConsoleUser = g.console_user
    return user


# --- Who may come in. ------------------------------------------------------------------


@bp.before_request
def _authenticate() -> BaseResponse | None:
    """Find the console user; refuse (or send to sign-in) anyone else; check CSRF on POST."""
    if request.endpoint in _PUBLIC or request.endpoint is None:
        return None
    store, key = _store(), access.console_key()
    launch_id = (request.view_args or {}).get("launch_id")
    if launch_id is not None:
        user = access.user_from_launch(store, key, launch_id)
        if user is None:
            raise Forbidden(
                "This launch does not open the admin console: it has expired, or it was "
                "not made with the institution or course Administrator role. Launch "
                "Tessera again from the LMS as an administrator."
            )
        g.console_launch_id = launch_id
    else:
        user = access.user_from_cookie(
            store,
            key,
            request.cookies.get(access.COOKIE_NAME),
            tessera().settings.admin_session_seconds,
        )
        if user is None:
            if request.method == "GET":
                return redirect(url_for("console.sign_in_form", next=request.path))
            raise Forbidden("Your admin console session has ended; sign in again.")
    g.console_user = user
    if request.method == "POST" and not access.csrf_matches(
        user, request.form.get("csrf_token")
    ):
        log.warning(
            "console POST %s refused: CSRF token missing or wrong", request.path
        )
        raise Forbidden(
            "This form's security token is missing or out of date (it protects against "
            "requests forged by other sites). Go back, reload the page and try again."
        )
    return None


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    if g.get("console_launch_id") is None:
        # The cookie's pages are never framed by another site (no clickjacking); the
        # launch's pages must be, inside the LMS.
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'self'")
    return response


@bp.errorhandler(TesseraError)
def _refused(exc: TesseraError) -> Response:
    """Console failures as a page with the problem, the status and a way back."""
    return _problem_page(exc.title, exc.detail, exc.status)


@bp.errorhandler(HTTPException)
def _http_refused(exc: HTTPException) -> Response:
    """HTTP errors (a bad parameter, a body too large) as a page too, not problem+json."""
    return _problem_page(exc.name, exc.description or exc.name, exc.code or 500)


def _problem_page(title: str, detail: str, status: int) -> Response:
    body = render_template(
        "console/problem.html",
        title=title,
        detail=detail,
        status=status,
        request_id=g.get("request_id", ""),
        signed_in=g.get("console_user") is not None,
    )
    return Response(body, status=status, mimetype="text/html")


def _render(template: str, **values: Any) -> str:
    return render_template(
        template,
        user=g.get("console_user"),
        notice=request.args.get("notice"),
        **values,
    )


def _done(endpoint: str, notice: str, **values: Any) -> BaseResponse:
    """After an action: back to a page (POST, redirect, GET) with a line saying what happened."""
    return redirect(console_url(endpoint, notice=notice, **values), code=303)


def _audit(action: str, subject: str, before: Any = None, after: Any = None) -> None:
    record_action(_store(), _user().actor, action, subject, before, after)


# --- Sign-in with an admin token. ---------------------------------------------------------


@bp.get("/admin/sign-in")
def sign_in_form() -> Response:
    """The token form, with a CSRF token bound to a pre-session cookie (no login CSRF)."""
    return _sign_in_page(None, _safe_next(request.args.get("next")), 200)


def _sign_in_page(problem: str | None, target: str, status: int) -> Response:
    pre = request.cookies.get(access.PRE_COOKIE_NAME) or secrets.token_urlsafe(16)
    body = render_template(
        "console/sign_in.html",
        problem=problem,
        next=target,
        csrf=access.csrf_token(access.console_key(), "pre|" + pre),
    )
    response = Response(body, status=status, mimetype="text/html")
    response.set_cookie(
        access.PRE_COOKIE_NAME,
        pre,
        max_age=3600,
        path=access.COOKIE_PATH,
        secure=tessera().settings.base_url.startswith("https://"),
        httponly=True,
        samesite="Lax",
    )
    return response


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("console.home")


@bp.post("/admin/sign-in")
def sign_in() -> BaseResponse:
    """Check the admin token as the API would; on success set the session cookie."""
    store = _store()
    target = _safe_next(request.form.get("next"))
    pre = request.cookies.get(access.PRE_COOKIE_NAME, "")
    expected = access.csrf_token(access.console_key(), "pre|" + pre)
    given = request.form.get("csrf_token", "")
    if not pre or not hmac.compare_digest(expected, given):
        log.warning("console sign-in refused: CSRF token missing or wrong")
        return _sign_in_page(
            "This sign-in form is out of date or came from another site; "
            "enter the token again.",
            target,
            403,
        )
    principal = access.token_for_sign_in(store, request.form.get("token", ""))
    if principal is None:
        log.warning("console sign-in refused from %s", request.remote_addr)
        return _sign_in_page(
            "That is not a valid admin token. Use one made with `tessera admin-token "
            "create` that is not revoked or expired (a vendor's credentials and "
            "registrar tokens do not open the console).",
            target,
            401,
        )
    settings = tessera().settings
    response = redirect(target, code=303)
    response.set_cookie(
        access.COOKIE_NAME,
        access.new_session_cookie(access.console_key(), principal.token_id),
        max_age=settings.admin_session_seconds,
        path=access.COOKIE_PATH,
        secure=settings.base_url.startswith("https://"),
        httponly=True,
        samesite="Lax",
    )
    response.delete_cookie(access.PRE_COOKIE_NAME, path=access.COOKIE_PATH)
    record_action(
        store,
        access.token_actor(principal.name, principal.key),
        "console.sign-in",
        "console",
    )
    return response


@bp.post("/admin/sign-out")
def sign_out() -> BaseResponse:
    """End the session (its CSRF token required), forgetting the cookie."""
    user = access.user_from_cookie(
        _store(),
        access.console_key(),
        request.cookies.get(access.COOKIE_NAME),
        tessera().settings.admin_session_seconds,
    )
    if user is not None:
        if not access.csrf_matches(user, request.form.get("csrf_token")):
            raise Forbidden(
                "This form's security token is missing or out of date; sign out from "
                "a console page."
            )
        record_action(_store(), user.actor, "console.sign-out", "console")
    response = redirect(url_for("console.sign_in_form"), code=303)
    response.delete_cookie(access.COOKIE_NAME, path=access.COOKIE_PATH)
    return response


# --- Home. ------------------------------------------------------------------------------


@page("/")
def home(launch_id: str | None = None) -> str:
    """What needs attention: pending deployments, unaligned activities, dead deliveries."""
    store = _store()
    with store.read() as conn:
        counts = delivery_counts(conn)
    return _render(
        "console/home.html",
        overview=overview_counts(store),
        records=intake_service.record_counts(store),
        deliveries=counts,
    )


# --- Platforms and deployments. -----------------------------------------------------------


@page("/platforms")
def platforms(launch_id: str | None = None) -> str:
    """Registrations, how each was made (Dynamic Registration or by hand), deployments."""
    rows = sorted(
        platform_service.list_registrations(_store()),
        key=lambda r: (r.name or r.issuer, r.client_id),
    )
    missing = {
        r.id: sorted(set(LTI_SCOPES) - set((r.scopes or "").split()))
        if r.scopes is not None
        else []
        for r in rows
    }
    return _render(
        "console/platforms.html",
        registrations=rows,
        missing=missing,
        register_url=f"{tessera().settings.base_url}/lti/register",
    )


@page("/platforms/<platform_id>/deployments", methods=["POST"])
def set_deployment(platform_id: str, launch_id: str | None = None) -> BaseResponse:
    """Approve a pending deployment, or suspend an active one."""
    deployment_id = request.form.get("deployment_id", "")
    status = request.form.get("status", "")
    if status not in ("active", "pending"):
        raise InvalidPayload("Choose approve or suspend.")
    reg = platform_service.get_registration(_store(), platform_id)
    before = next(
        (d.status for d in reg.deployments if d.deployment_id == deployment_id), None
    )
    if before is None:
        raise NotFound(f"Platform {reg.issuer} has no deployment {deployment_id!r}.")
    platform_service.set_deployment(_store(), platform_id, deployment_id, status)
    _audit(
        "deployment.approve" if status == "active" else "deployment.suspend",
        f"platform:{platform_id}:deployment:{deployment_id}",
        {"status": before},
        {"status": status},
    )
    verb = "approved" if status == "active" else "suspended"
    return _done("platforms", f"Deployment {deployment_id} of {reg.issuer} {verb}.")


# --- Vendors. ---------------------------------------------------------------------------


def _settings_from_form(text: str) -> dict[str, Any] | None:
    """Adapter settings typed as TOML (as in config/vendors/) or JSON; None when blank."""
    text = text.strip()
    if not text:
        return None
    try:
        parsed: Any = json.loads(text) if text.startswith("{") else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise InvalidPayload(
            f"The adapter settings are neither TOML nor a JSON object: {exc}"
        ) from None
    if not isinstance(parsed, dict):
        raise InvalidPayload("The adapter settings must be a table (a JSON object).")
    return parsed


@page("/vendors")
def vendors(launch_id: str | None = None) -> str:
    """Every vendor with the public halves of its credentials, and the form to add one."""
    return _render(
        "console/vendors.html",
        vendors=vendor_service.list_vendors(_store(), after=None, limit=1000),
    )


@page("/vendors", methods=["POST"])
def create_vendor(launch_id: str | None = None) -> str:
    """Register a vendor; its secrets are shown on this one page only."""
    name = request.form.get("name", "").strip()
    vendor, creds = vendor_service.add_vendor(
        _store(),
        name,
        display_name=request.form.get("display_name", "").strip() or None,
        settings=_settings_from_form(request.form.get("settings", "")),
    )
    _audit("vendor.create", f"vendor:{vendor.name}", None, {"id": vendor.id})
    return _render(
        "console/secrets.html",
        vendor=vendor,
        secrets=vendor_service.credentials_to_json(creds),
        what="created",
    )


@page("/vendors/<name>")
def vendor(name: str, launch_id: str | None = None) -> str:
    """One vendor: credentials, adapter settings, and the test-a-payload box."""
    found = vendor_service.get_vendor(_store(), name)
    return _render(
        "console/vendor.html",
        vendor=found,
        settings_text=json.dumps(found.settings, indent=2),
        protocols=PROTOCOLS,
        preview=None,
        payload="",
        protocol="xapi",
    )


@page("/vendors/<name>/rotate", methods=["POST"])
def rotate_vendor(name: str, launch_id: str | None = None) -> str:
    """New credentials, shown once; the old ones stop now or after the grace period."""
    try:
        hours = int(request.form.get("grace_hours", "0") or 0)
    except ValueError:
        raise InvalidPayload("The grace period is a whole number of hours.") from None
    if not 0 <= hours <= 24 * 30:
        raise InvalidPayload("The grace period is 0 to 720 hours.")
    found, creds = vendor_service.rotate_credentials(
        _store(), name, grace=timedelta(hours=hours)
    )
    _audit(
        "vendor.rotate",
        f"vendor:{found.name}",
        None,
        {"grace_hours": hours, "keys": [c.key for c in found.credentials]},
    )
    return _render(
        "console/secrets.html",
        vendor=found,
        secrets=vendor_service.credentials_to_json(creds),
        what="rotated",
    )


@page("/vendors/<name>/settings", methods=["POST"])
def configure_vendor(name: str, launch_id: str | None = None) -> BaseResponse:
    """Replace the vendor's adapter settings (checked before they are stored)."""
    store = _store()
    before = vendor_service.get_vendor(store, name)
    settings = _settings_from_form(request.form.get("settings", "")) or {}
    after = vendor_service.update_vendor(store, name, settings=settings)
    _audit("vendor.configure", f"vendor:{name}", before.settings, after.settings)
    return _done("vendor", f"Settings of {name} saved.", name=name)


@page("/vendors/<name>/test", methods=["POST"])
def test_payload(name: str, launch_id: str | None = None) -> str:
    """Show what the vendor's adapter makes of a pasted payload; nothing is stored."""
    found = vendor_service.get_vendor(_store(), name)
    protocol = request.form.get("protocol", "xapi")
    payload = request.form.get("payload", "")
    problem = None
    try:
        preview = preview_payload(_store(), name, protocol, payload)
    except InvalidPayload as exc:
        preview, problem = None, exc.detail
    _audit(
        "vendor.test-payload",
        f"vendor:{name}",
        None,
        {"protocol": protocol, "items": len(preview or []), "problem": problem},
    )
    return _render(
        "console/vendor.html",
        vendor=found,
        settings_text=json.dumps(found.settings, indent=2),
        protocols=PROTOCOLS,
        preview=preview,
        problem=problem,
        payload=payload,
        protocol=protocol,
    )


# --- Frameworks. --------------------------------------------------------------------------


@page("/frameworks")
def frameworks(launch_id: str | None = None) -> str:
    """Imported frameworks and the import form."""
    return _render(
        "console/frameworks.html",
        frameworks=sorted(
            competency_service.list_frameworks(_store()), key=lambda f: f.title
        ),
    )


@page("/frameworks/import", methods=["POST"])
def import_framework(launch_id: str | None = None) -> Response:
    """Import a CFPackage from an upload or a URL, streaming each step as it finishes."""
    upload = request.files.get("package")
    url = request.form.get("url", "").strip()
    raw = upload.read() if upload is not None and upload.filename else None
    if raw is None and not url:
        raise InvalidPayload(_NOTHING_TO_IMPORT)
    if raw is None and not url.lower().startswith(("http://", "https://")):
        raise InvalidPayload("The URL must start with http:// or https://.")
    store, actor = _store(), _user().actor
    what = upload.filename if raw is not None and upload is not None else url
    shell = _render("console/import.html", what=what)
    head, rest = shell.split("<!--steps-->", 1)
    middle, tail = rest.split("<!--result-->", 1)  # middle closes the list

    def steps() -> Iterator[str]:
        yield head
        try:
            if raw is not None:
                yield _step(1, "reading the file")
                try:
                    data, source = json.loads(raw), None
                except ValueError as exc:
                    raise InvalidPayload(f"The file is not JSON: {exc}.") from None
            else:
                yield _step(1, f"fetching {url}")
                data, source = load_package_source(
                    url, allow_private=tessera().settings.allow_private_urls
                )
            yield _step(2, "checking and storing the framework")
            report = competency_service.import_package(store, data, source_url=source)
            yield _step(3, "re-deriving evidence whose crosswalks changed")
            rederived = intake_service.apply_crosswalk_changes(
                store, list(report.shared_id_changes)
            )
            summary = report.to_json() | {"evidence_rederived": rederived}
            record_action(
                store,
                actor,
                "framework.import",
                f"framework:{report.framework_id}",
                None,
                {"source": what, **_brief_report(summary)},
            )
            yield _step(3, "done", last=True)
            yield middle
            yield render_template(
                "console/import_end.html", report=summary, problem=None
            )
        except TesseraError as exc:
            record_action(
                store,
                actor,
                "framework.import-failed",
                f"framework-source:{what}",
                None,
                {"problem": exc.detail},
            )
            yield middle
            yield render_template(
                "console/import_end.html", report=None, problem=exc.detail
            )
        yield tail

    return Response(
        stream_with_context(steps()),
        mimetype="text/html",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _step(n: int, text: str, *, last: bool = False) -> str:
    if last:
        return "<li>Finished.</li>"
    return render_template("console/import_step.html", n=n, total=3, text=text)


def _brief_report(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": report.get("title"),
        "items": report.get("items"),
        "evidence_rederived": report.get("evidence_rederived"),
    }


@page("/frameworks/<framework_id>")
def framework(framework_id: str, launch_id: str | None = None) -> str:
    """One framework: its tree and its crosswalks to other frameworks."""
    store = _store()
    return _render(
        "console/framework.html",
        framework=competency_service.get_framework(store, framework_id),
        tree=competency_service.competency_tree(store, framework_id),
        crosswalks=framework_crosswalks(store, framework_id),
    )


# --- Alignments. ------------------------------------------------------------------------


@page("/alignments")
def alignments(launch_id: str | None = None) -> str:
    """The unaligned-activities inbox, a competency finder, and the rules stored."""
    store = _store()
    query = request.args.get("q", "").strip()
    chosen = request.args.get("competency", "").strip()
    try:
        chosen_detail = (
            competency_service.get_competency(store, chosen).competency
            if chosen
            else None
        )
    except NotFound:
        chosen_detail = None
    return _render(
        "console/alignments.html",
        chosen_detail=chosen_detail,
        inbox=intake_service.unaligned_inbox(store, limit=100),
        query=query,
        found=competency_service.search_competencies(store, query, limit=20)
        if query
        else [],
        chosen=chosen,
        kinds=EVIDENCE_KINDS,
        rules=list_alignments(store, after=None, limit=200),
        records=intake_service.record_counts(store),
    )


@page("/alignments", methods=["POST"])
def align(launch_id: str | None = None) -> BaseResponse:
    """Align one activity to a competency and turn its waiting observations into evidence."""
    store = _store()
    activity = request.form.get("activity", "").strip()
    competency = request.form.get("competency", "").strip()
    vendor_name = request.form.get("vendor", "").strip()
    kind = request.form.get("kind", "").strip() or None
    if not activity or not competency:
        raise InvalidPayload("Give the activity and the competency to align it to.")
    vendor_id = (
        vendor_service.get_vendor(store, vendor_name).id if vendor_name else None
    )
    result = intake_service.align(
        store,
        [
            NewAlignment(
                activity=activity,
                competency=competency,
                vendor_id=vendor_id,
                kind=kind,
            )
        ],
    )
    summary = result.to_json()
    _audit(
        "alignment.create",
        f"activity:{activity}",
        None,
        {
            "competency": competency,
            "vendor": vendor_name or None,
            "kind": kind,
            "observations_replayed": summary["observations_replayed"],
            "evidence": summary["evidence"],
        },
    )
    return _done(
        "alignments",
        f"Aligned {activity}: {summary['observations_replayed']} waiting observations "
        f"replayed, {summary['evidence']} evidence made.",
        competency=competency,
    )


@page("/replay", methods=["POST"])
def replay(launch_id: str | None = None) -> BaseResponse:
    """Re-derive every stored raw record (after fixing an adapter or settings)."""
    result = pipeline.replay(_store())
    _audit(
        "replay",
        "raw-records",
        None,
        {"records": result.records, "evidence": result.evidence},
    )
    return _done(
        "alignments",
        f"Replayed {result.records} raw records: {result.evidence} evidence.",
    )


# --- Deliveries. ------------------------------------------------------------------------


@page("/deliveries")
def deliveries(launch_id: str | None = None) -> str:
    """Counts by status, destinations, and the dead letters with a retry for each."""
    store = _store()
    with store.read() as conn:
        counts = delivery_counts(conn)
    dead = [
        delivery_json(r)
        for r in list_deliveries(
            store, DeliveryFilter(status="dead"), after=None, limit=100
        )
    ]
    return _render(
        "console/deliveries.html",
        counts=counts,
        dead=dead,
        destinations=list_destinations(store),
    )


@page("/deliveries/<delivery_id>/retry", methods=["POST"])
def retry_one(delivery_id: str, launch_id: str | None = None) -> BaseResponse:
    """Make one dead delivery pending again (or superseded, if a newer level went out)."""
    policy = RetryPolicy.from_settings(tessera().settings)
    after = retry_delivery(_store(), delivery_id, policy)
    _audit(
        "delivery.retry",
        f"delivery:{delivery_id}",
        {"status": "dead"},
        {"status": after["status"]},
    )
    return _done("deliveries", f"Delivery {delivery_id} is {after['status']} now.")


@page("/deliveries/retry-dead", methods=["POST"])
def retry_all(launch_id: str | None = None) -> BaseResponse:
    """Retry every dead delivery."""
    policy = RetryPolicy.from_settings(tessera().settings)
    tally = retry_dead(_store(), DeliveryFilter(), policy)
    _audit("delivery.retry-dead", "deliveries", None, tally)
    return _done(
        "deliveries",
        f"Retried dead deliveries: {tally.get('pending', 0)} pending again, "
        f"{tally.get('superseded', 0)} superseded by newer levels.",
    )


# --- Audit log. ---------------------------------------------------------------------------


@page("/audit")
def audit(launch_id: str | None = None) -> str:
    """The audit log, newest first, 50 a page, filtered by actor, action or subject."""
    where = AuditFilter(
        actor=request.args.get("actor", ""),
        action=request.args.get("action", ""),
        subject=request.args.get("subject", ""),
    )
    before = request.args.get("before", "")
    if before and not before.isdigit():
        abort(400, "The page link is broken: 'before' must be a number.")
    entries, next_seq = audit_page(
        _store(), where, before_seq=int(before) if before else None
    )
    return _render(
        "console/audit.html", entries=entries, where=where, next_seq=next_seq
    )


# --- Equity. ------------------------------------------------------------------------------


@page("/equity")
def equity_page(launch_id: str | None = None) -> str:
    """Per class and competency: not yet proficient and time to mastery, by group."""
    store = _store()
    classes = list_contexts(store)
    chosen = request.args.get("context") or (classes[0]["id"] if classes else None)
    report = equity.equity_report(store, chosen) if chosen else None
    return _render("console/equity.html", classes=classes, chosen=chosen, report=report)
