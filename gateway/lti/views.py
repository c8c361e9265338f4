"""The ``/lti`` blueprint: config, OIDC login, launch, pages, Deep Linking, Dynamic Registration.

Views are thin: read the request, call :mod:`gateway.lti`, render. Every refusal of a browser
request is an HTML page saying what failed and what the admin should check, with the HTTP
status of the failure and one log line naming the same check and request id.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from gateway.competencies import list_frameworks
from gateway.console.access import is_administrator
from gateway.errors import (
    LaunchRejected,
    LaunchUnauthorized,
    NotFound,
    TesseraError,
)
from gateway.extension import tessera
from gateway.keys import active_key
from gateway.lti import pages
from gateway.lti.claims import DEEP_LINKING, has_instructor_role, verify_id_token
from gateway.lti.deeplink import LineItemSpec, ResourceLink, deep_linking_response
from gateway.lti.launch import (
    LaunchSession,
    PendingLogin,
    load_launch,
    load_login,
    record_launch,
    start_login,
)
from gateway.lti.platforms import find_registration, get_registration
from gateway.lti.registration import register_dynamically
from gateway.lti.services import (
    LTI_SERVICES_KEY,
    LtiServices,
    lti_services,
    roster_is_stale,
    sync_roster,
)
from gateway.lti.toolconfig import manual_config
from gateway.mastery import moderation
from gateway.mastery.service import (
    TeacherEvidence,
    add_teacher_evidence,
    lift_override,
    override,
    override_of,
)

log = logging.getLogger("gateway.lti")
bp = Blueprint("lti", __name__, template_folder="templates")
STATE_COOKIE_PREFIX = "tessera_lti_"
STORAGE_KEY_PREFIX = "tessera_state_"
_LOGIN_PARAMS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
    "lti_storage_target",
)


def init_lti(app: Flask) -> None:
    """Register the blueprint and the per-app LTI services (key and token caches)."""
    settings = tessera(app).settings
    app.extensions[LTI_SERVICES_KEY] = LtiServices(
        allow_private=settings.allow_private_urls
    )
    app.register_blueprint(bp)


@bp.errorhandler(TesseraError)
def _refused(exc: TesseraError) -> Response:
    """Browser-facing LTI failures: an HTML page, the failure's status, one log line."""
    check = exc.check if isinstance(exc, LaunchRejected) else exc.slug
    hint = exc.admin_hint if isinstance(exc, LaunchRejected) else _hint_for(exc)
    log.warning(
        "lti %s refused: check=%s status=%d: %s",
        request.path,
        check,
        exc.status,
        exc.detail,
        extra={"lti_check": check, "status": exc.status},
    )
    reopen = g.get("lti_reopen")
    new_window = url_for("lti.login", **reopen) if reopen is not None else None
    body = render_template(
        "lti/rejected.html",
        title=exc.title,
        detail=exc.detail,
        admin_hint=hint,
        check=check,
        status=exc.status,
        request_id=g.get("request_id", ""),
        new_window_url=new_window,
    )
    response = Response(body, status=exc.status, mimetype="text/html")
    response.headers.update(exc.headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def _hint_for(exc: TesseraError) -> str:
    if exc.status == 502:
        return (
            "Tessera could not get a good answer from the platform; check the URLs "
            "registered for it (`tessera platform list`) and that the platform is up."
        )
    if exc.slug == "unsafe-url":
        return "Platform URLs must be https and public (TESSERA_ALLOW_PRIVATE_URLS)."
    return ""


def _base_url() -> str:
    return tessera().settings.base_url


@bp.get("/lti/config.json")
def config_json() -> Response:
    """What an admin pastes into an LMS for a manual registration."""
    response = jsonify(manual_config(_base_url()))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- OIDC login (LTI Security Framework 1.0 section 5.1.1). -----------------------------


def _own_url(url: str) -> bool:
    """Whether ``url`` is one of Tessera's own (same scheme, host and port as the base URL)."""
    base, target = urlsplit(_base_url()), urlsplit(url)
    return (target.scheme, target.netloc) == (base.scheme, base.netloc) and (
        target.path.startswith("/lti/")
    )


@bp.route("/lti/login", methods=["GET", "POST"])
def login() -> BaseResponse:
    """Third-party initiated login: remember state and nonce, send the browser to the platform."""
    params = request.values
    missing = [n for n in ("iss", "login_hint", "target_link_uri") if not params.get(n)]
    if missing:
        raise LaunchRejected(
            f"The login request lacks {', '.join(missing)}.",
            check="login",
            admin_hint="The platform must send iss, login_hint and target_link_uri to "
            "the OIDC login URL (LTI Core 1.3 section 5.1.1).",
        )
    issuer, client_id = params["iss"], params.get("client_id")
    store = tessera().store
    reg = find_registration(store, issuer, client_id)
    if reg is None:
        raise LaunchRejected(
            f"Tessera has no registration for platform {issuer}"
            + (f" with client id {client_id}." if client_id else "."),
            check="registration",
            admin_hint="Register the platform (`tessera platform add`, the admin API, or "
            "Dynamic Registration). If the issuer has several registrations the platform "
            "must send client_id.",
        )
    target = params["target_link_uri"]
    if not _own_url(target):
        raise LaunchRejected(
            f"The target_link_uri {target} is not a Tessera URL.",
            check="target_link_uri",
            admin_hint=f"Set the tool's launch URL to {_base_url()}/lti/launch.",
        )
    storage_target = params.get("lti_storage_target")
    new = start_login(
        store,
        reg,
        target_link_uri=target,
        login_params={n: params[n] for n in _LOGIN_PARAMS if params.get(n)},
        with_storage=bool(storage_target),
    )
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": reg.client_id,
        "redirect_uri": f"{_base_url()}/lti/launch",
        "login_hint": params["login_hint"],
        "state": new.state,
        "nonce": new.nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    sep = "&" if "?" in reg.auth_login_url else "?"
    auth_url = f"{reg.auth_login_url}{sep}{urlencode(query)}"
    if storage_target and new.binding:
        response: BaseResponse = Response(
            render_template(
                "lti/login_storage.html",
                storage_target=storage_target,
                platform_origin=_origin(reg.auth_login_url),
                redirect_url=auth_url,
                storage_key=STORAGE_KEY_PREFIX + new.state,
                binding=new.binding,
            ),
            mimetype="text/html",
        )
    else:
        response = redirect(auth_url, code=302)
    response.set_cookie(
        STATE_COOKIE_PREFIX + new.state,
        new.state,
        max_age=600,
        path="/lti/",
        secure=True,
        httponly=True,
        samesite="None",
        partitioned=True,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- Launch (LTI Core 1.3 section 5; Security Framework 1.0 section 5.1.3). ----------------


@bp.post("/lti/launch")
def launch() -> BaseResponse:
    """Check the id_token and everything around it; then open the launch's page."""
    id_token, state = request.form.get("id_token"), request.form.get("state")
    if not state:
        raise LaunchUnauthorized(
            "The launch carries no state.",
            check="state",
            admin_hint="The platform must return the state Tessera sent at login; a launch "
            "without one cannot be tied to a login.",
        )
    if not id_token:
        raise LaunchRejected(
            "The launch carries no id_token.",
            check="id_token",
            admin_hint="The platform must form-POST the id_token to the launch URL.",
        )
    store = tessera().store
    login = load_login(store, state)
    if login is None:
        raise LaunchUnauthorized(
            "The launch's state is unknown or expired (a login is good for ten minutes).",
            check="state",
            admin_hint="Launch again from the course. If this repeats, check that the "
            "platform sends the state back unchanged and that the clocks are right.",
        )
    if login.used_at is not None:
        raise LaunchUnauthorized(
            "This launch was already used; a login's state and nonce are good for one "
            "launch.",
            check="state-replay",
            admin_hint="A repeated POST of the same id_token is refused (replay "
            "protection). Ask the user to launch again from the course.",
        )
    # For the refusal page's "open in a new window" (the login again, without storage).
    g.lti_reopen = {
        k: v for k, v in login.login_params.items() if k != "lti_storage_target"
    }
    bound = _browser_binding(login)
    if bound is not None:
        return bound
    binding = (
        "cookie" if request.cookies.get(STATE_COOKIE_PREFIX + state) else "storage"
    )
    services = lti_services()
    reg = login.registration
    verified = verify_id_token(
        id_token,
        keys=lambda kid: services.jwks.key(reg.jwks_url, kid),
        issuer=reg.issuer,
        client_id=reg.client_id,
        nonce=login.nonce,
        target_link_uri=login.target_link_uri,
        now=time.time(),
    )
    record = record_launch(store, login, verified)
    log.info(
        "lti launch accepted: %s from %s deployment %s (state bound by %s)",
        verified.message_type,
        reg.issuer,
        verified.deployment_id,
        binding,
        extra={"lti_check": "ok", "launch_id": record.id, "lti_binding": binding},
    )
    page = (
        "lti.deep_link_choose" if verified.message_type == DEEP_LINKING else "lti.view"
    )
    response = redirect(url_for(page, launch_id=record.id), code=303)
    response.delete_cookie(
        STATE_COOKIE_PREFIX + state,
        path="/lti/",
        secure=True,
        httponly=True,
        samesite="None",
        partitioned=True,
    )
    return response


def _browser_binding(login: PendingLogin) -> Response | None:
    """None when the state is bound to this browser; else the storage page, or a refusal."""
    if request.cookies.get(STATE_COOKIE_PREFIX + login.state) == login.state:
        return None
    binding = request.form.get("lti_storage_binding")
    if binding:
        if login.binding_matches(binding):
            return None
        raise LaunchUnauthorized(
            "The value in the platform's storage does not match this login.",
            check="state-browser",
            admin_hint="The launch did not start in this browser; launch again.",
        )
    storage_target = login.login_params.get("lti_storage_target")
    if login.binding_sha256 is not None:
        return Response(
            render_template(
                "lti/launch_storage.html",
                launch_url=url_for("lti.launch"),
                id_token=request.form["id_token"],
                state=login.state,
                storage_target=storage_target or "_parent",
                platform_origin=_origin(login.registration.auth_login_url),
                storage_key=STORAGE_KEY_PREFIX + login.state,
                new_window_url=url_for("lti.login", **g.lti_reopen),
            ),
            mimetype="text/html",
            headers={"Cache-Control": "no-store"},
        )
    raise LaunchUnauthorized(
        "This browser did not start the login this launch belongs to (its state cookie "
        "is missing).",
        check="state-browser",
        admin_hint="Browsers that block third-party cookies in the course iframe need the "
        "platform's postMessage storage (lti_storage_target) or a new window; otherwise "
        "this is a forged launch.",
    )


# --- Launch pages. -------------------------------------------------------------------


def _session(launch_id: str) -> LaunchSession:
    found = load_launch(tessera().store, launch_id)
    if found is None:
        raise LaunchUnauthorized(
            "This page's launch has expired or does not exist.",
            check="launch-session",
            admin_hint="Launch Tessera again from the course.",
        )
    return found


def _is_instructor(session: LaunchSession) -> bool:
    return has_instructor_role(session.roles)


@bp.get("/lti/view/<launch_id>")
def view(launch_id: str) -> BaseResponse:
    """An instructor's class, or a learner's own evidence; administrators get the console."""
    session = _session(launch_id)
    store = tessera().store
    placed = (session.claims.get("custom") or {}).get("tessera_view")
    if is_administrator(session.roles) and placed in (None, "admin"):
        # Cookie-less like the launch pages: the console's path carries the launch.
        return redirect(url_for("console.home_lti", launch_id=launch_id), code=303)
    if session.context_id and _is_instructor(session) and placed != "learner":
        note = None
        max_age = timedelta(seconds=tessera().settings.lti_roster_max_age_seconds)
        if roster_is_stale(store, session.context_id, max_age):
            try:
                synced = sync_roster(store, lti_services(), session.context_id)
                note = f"Roster refreshed from the LMS: {synced.members} members."
            except TesseraError as exc:
                log.warning("roster sync on launch failed: %s", exc.detail)
                note = f"The roster could not be refreshed from the LMS: {exc.detail}"
        body = pages.render_class(
            store,
            session.context_id,
            launch_id=launch_id,
            roster_note=note,
            query=pages.GridQuery.from_args(request.args),
        )
    else:
        body = pages.render_learner(store, session.learner_id, launch_id=launch_id)
    return _page(body)


@bp.get("/lti/view/<launch_id>/learners/<learner_id>")
def view_learner(launch_id: str, learner_id: str) -> Response:
    """One learner of the instructor's class (learners may open only their own)."""
    session = _session(launch_id)
    teaching = _teaches(session, learner_id)
    if learner_id != session.learner_id and not teaching:
        abort(404)
    return _page(
        pages.render_learner(
            tessera().store,
            learner_id,
            launch_id=launch_id,
            instructor=teaching,
            notice=_DONE.get(request.args.get("done", "")),
        )
    )


_DONE = {
    "scored": "Score saved; the level below includes it.",
    "overridden": "Override saved; it stands until you lift it.",
    "lifted": "Override lifted; the computed level applies again.",
}


def _teaches(session: LaunchSession, learner_id: str) -> bool:
    """Whether the launch is an instructor's of a class ``learner_id`` is in."""
    return (
        session.context_id is not None
        and _is_instructor(session)
        and pages.is_member(tessera().store, session.context_id, learner_id)
    )


def _teacher(session: LaunchSession, learner_id: str) -> str:
    """The instructor acting on ``learner_id``, as the audit log names them (or 404)."""
    if not _teaches(session, learner_id):
        abort(404)
    return _instructor_name(session)


def _instructor_name(session: LaunchSession) -> str:
    name = session.claims.get("name") or session.sub or "instructor"
    return f"{name} (LMS {session.registration_id[:8]})"


def _class_of(session: LaunchSession) -> str:
    """The class of an instructor's launch (or 404)."""
    if session.context_id is None or not _is_instructor(session):
        abort(404)
    return session.context_id


_SHARES = (0.1, 0.2, 0.5, 1.0)


@bp.get("/lti/view/<launch_id>/moderation", endpoint="moderation")
def moderation_view(launch_id: str) -> Response:
    """Sampled work of this class waiting for a second, blind rating by this teacher."""
    session = _session(launch_id)
    ctx = _class_of(session)
    actor = _instructor_name(session)
    store = tessera().store
    return _page(
        render_template(
            "lti/moderation.html",
            pieces=moderation.pieces_to_rate(store, actor, ctx),
            shares=_SHARES,
            launch_id=launch_id,
            notice=request.args.get("notice"),
        )
    )


@bp.post("/lti/view/<launch_id>/moderation/sample", endpoint="moderation_sample")
def moderation_sample_view(launch_id: str) -> BaseResponse:
    """Sample a share of this class's teacher-scored work for a second rating."""
    session = _session(launch_id)
    ctx = _class_of(session)
    try:
        share = float(request.form.get("share", ""))
        added = moderation.sample_for_moderation(
            tessera().store, _instructor_name(session), share=share, context_id=ctx
        )
    except ValueError:
        abort(400, "Choose a share of the work to sample.")
    notice = f"{added} piece{'s' if added != 1 else ''} of work added to the sample."
    return redirect(url_for("lti.moderation", launch_id=launch_id, notice=notice), 303)


@bp.post("/lti/view/<launch_id>/moderation/<evidence_id>", endpoint="moderation_rate")
def moderation_rate_view(launch_id: str, evidence_id: str) -> BaseResponse:
    """A teacher's second rating of a sampled piece of their class's work."""
    session = _session(launch_id)
    ctx = _class_of(session)
    actor = _instructor_name(session)
    store = tessera().store
    if evidence_id not in {
        p["evidence_id"] for p in moderation.pieces_to_rate(store, actor, ctx)
    }:
        abort(404)
    try:
        moderation.rate(
            store,
            evidence_id,
            actor,
            request.form.get("level", ""),
            request.form.get("note"),
        )
        notice = "Rating saved."
    except TesseraError as exc:
        notice = f"Not saved: {exc.detail}"
    return redirect(url_for("lti.moderation", launch_id=launch_id, notice=notice), 303)


@bp.get("/lti/view/<launch_id>/calibration", endpoint="calibration")
def calibration_view(launch_id: str) -> Response:
    """How far this class's teachers agree, per competency, and where they differ."""
    session = _session(launch_id)
    ctx = _class_of(session)
    return _page(
        render_template(
            "lti/calibration.html",
            report=moderation.calibration(tessera().store, ctx),
            launch_id=launch_id,
        )
    )


def _acted(launch_id: str, learner_id: str, done: str, anchor: str) -> BaseResponse:
    target = url_for(
        "lti.view_learner", launch_id=launch_id, learner_id=learner_id, done=done
    )
    return redirect(f"{target}#c-{anchor}", code=303)


def _refused_form(launch_id: str, learner_id: str, exc: TesseraError) -> Response:
    body = pages.render_learner(
        tessera().store,
        learner_id,
        launch_id=launch_id,
        instructor=True,
        notice=f"Not saved: {exc.detail}",
    )
    return Response(body, status=exc.status, mimetype="text/html")


@bp.post("/lti/view/<launch_id>/learners/<learner_id>/evidence", endpoint="score")
def score_view(launch_id: str, learner_id: str) -> BaseResponse:
    """An instructor scores a learner's performance task on the scale or a CASE rubric."""
    session = _session(launch_id)
    actor = _teacher(session, learner_id)
    form = request.form
    competency = form.get("competency", "").strip()
    entry = TeacherEvidence(
        competency=competency or None,
        scorer=actor,
        rubric_level=form.get("rubric_level") or None,
        level=form.get("level") or None,
        kind=form.get("kind") or "performance_task",
        note=(form.get("note") or "").strip()[:2000] or None,
    )
    if entry.rubric_level and entry.level:
        entry = replace(entry, level=None)  # the rubric level is the more specific
    try:
        add_teacher_evidence(tessera().store, learner_id, entry)
    except TesseraError as exc:
        return _refused_form(launch_id, learner_id, exc)
    return _acted(launch_id, learner_id, "scored", competency)


@bp.post("/lti/view/<launch_id>/learners/<learner_id>/overrides", endpoint="override")
def override_view(launch_id: str, learner_id: str) -> BaseResponse:
    """An instructor sets a learner's level by hand, with a reason."""
    session = _session(launch_id)
    actor = _teacher(session, learner_id)
    form = request.form
    competency = form.get("competency", "").strip()
    try:
        override(
            tessera().store,
            learner_id,
            competency,
            form.get("level", ""),
            (form.get("reason") or "")[:2000],
            actor,
        )
    except TesseraError as exc:
        return _refused_form(launch_id, learner_id, exc)
    return _acted(launch_id, learner_id, "overridden", competency)


@bp.post(
    "/lti/view/<launch_id>/learners/<learner_id>/overrides/<override_id>/lift",
    endpoint="lift_override",
)
def lift_override_view(
    launch_id: str, learner_id: str, override_id: str
) -> BaseResponse:
    """An instructor lifts an override of one of their learners."""
    session = _session(launch_id)
    actor = _teacher(session, learner_id)
    store = tessera().store
    found = override_of(store, override_id)
    if found is None or found.learner_id != learner_id:
        abort(404)
    try:
        lift_override(store, override_id, actor)
    except TesseraError as exc:
        return _refused_form(launch_id, learner_id, exc)
    return _acted(launch_id, learner_id, "lifted", found.shared_id)


@bp.get("/lti/view/<launch_id>/grid.csv", endpoint="class_csv")
def class_csv_view(launch_id: str) -> Response:
    """The class grid the instructor is looking at, as a CSV download."""
    session = _session(launch_id)
    if session.context_id is None or not _is_instructor(session):
        abort(404)
    body = pages.class_csv(
        tessera().store, session.context_id, pages.GridQuery.from_args(request.args)
    )
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="mastery-grid.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/lti/view/<launch_id>/roster/sync", endpoint="sync_roster")
def sync_roster_view(launch_id: str) -> BaseResponse:
    """Refresh the class roster from NRPS now (instructors)."""
    session = _session(launch_id)
    if session.context_id is None or not _is_instructor(session):
        abort(404)
    sync_roster(tessera().store, lti_services(), session.context_id)
    return redirect(url_for("lti.view", launch_id=launch_id), code=303)


def _page(body: str) -> Response:
    return Response(body, mimetype="text/html", headers={"Cache-Control": "no-store"})


# --- Deep Linking 2.0. ----------------------------------------------------------------


def _deep_link_session(launch_id: str) -> LaunchSession:
    session = _session(launch_id)
    if session.message_type != DEEP_LINKING or not session.claims.get("deep_linking"):
        raise NotFound("This launch is not a deep linking request.")
    return session


@bp.get("/lti/view/<launch_id>/deep-link")
def deep_link_choose(launch_id: str) -> Response:
    """Let the instructor pick what to place in the course."""
    session = _deep_link_session(launch_id)
    settings: dict[str, Any] = session.claims["deep_linking"]
    return _page(
        render_template(
            "lti/deep_link.html",
            launch_id=launch_id,
            frameworks=list_frameworks(tessera().store),
            accept_lineitem=bool(settings.get("accept_lineitem")),
        )
    )


@bp.post("/lti/view/<launch_id>/deep-link")
def deep_link_submit(launch_id: str) -> Response:
    """Sign the Deep Linking response and auto-POST it back to the platform."""
    session = _deep_link_session(launch_id)
    store = tessera().store
    settings: dict[str, Any] = session.claims["deep_linking"]
    reg = get_registration(store, session.registration_id)
    key = active_key(store, "lti")
    if key is None:
        raise TesseraError("Tessera has no LTI signing key; run `tessera init`.")
    items = [_chosen_item(request.form.get("view", "class"), request.form)]
    jwt_ = deep_linking_response(
        key=key,
        client_id=reg.client_id,
        issuer=reg.issuer,
        deployment_id=session.deployment_id,
        settings=settings,
        items=items,
        msg=f"Tessera placed {items[0].title}.",
        log=f"tessera deep link: {items[0].custom.get('tessera_view')}",
    )
    return _page(
        render_template(
            "lti/autopost.html",
            action=settings["deep_link_return_url"],
            fields={"JWT": jwt_},
        )
    )


def _chosen_item(view_name: str, form: Any) -> ResourceLink:
    launch_url = f"{_base_url()}/lti/launch"
    custom = {"tessera_view": view_name}
    title = "Mastery (class)"
    if view_name == "learner":
        title = "My mastery"
    elif view_name.startswith("framework:"):
        fid = view_name.split(":", 1)[1]
        custom = {"tessera_view": "framework", "tessera_framework": fid}
        title = "Mastery: competencies"
    elif view_name != "class":
        raise LaunchRejected(
            f"{view_name!r} is not something Tessera can place.",
            check="deep-link-choice",
        )
    line_item = None
    if form.get("line_item"):
        line_item = LineItemSpec(
            label=title,
            score_maximum=100,
            resource_id=f"tessera:{view_name}",
            tag="mastery",
        )
    return ResourceLink(title=title, url=launch_url, custom=custom, line_item=line_item)


# --- Dynamic Registration 1.0. ----------------------------------------------------------


@bp.get("/lti/register")
def register() -> Response:
    """The platform opens this with openid_configuration (and a registration_token)."""
    config_url = request.args.get("openid_configuration")
    if not config_url:
        raise LaunchRejected(
            "Dynamic Registration needs the platform's openid_configuration URL.",
            check="registration",
            admin_hint="Paste this URL into the LMS's Dynamic Registration (LTI Advantage "
            "tool registration) page; the LMS adds the parameters itself.",
        )
    ext = tessera()
    services = lti_services()
    with services.session() as session:
        outcome = register_dynamically(
            ext.store,
            session,
            base_url=ext.settings.base_url,
            config_url=config_url,
            registration_token=request.args.get("registration_token"),
            allow_private=ext.settings.allow_private_urls,
        )
    reg = outcome.registration
    log.info("lti dynamic registration: %s client %s", reg.issuer, reg.client_id)
    return _page(
        render_template(
            "lti/registered.html",
            issuer=reg.issuer,
            client_id=reg.client_id,
            deployment_id=outcome.deployment_id,
            missing_scopes=outcome.missing_scopes,
        )
    )
