"""An independent, well-behaved LTI platform: PyPI ``lti1p3platform`` 0.1.8 behind a real server.

The library signs the launches, checks Tessera's client assertions and access tokens, and
validates the deep-linking response; this module only wires it to HTTP (a small Flask app in a
thread on 127.0.0.1): JWKS, token, AGS line items and scores (Moodle-style URLs carrying
``?type_id=``), NRPS memberships, and the deep-linking return URL.
"""

from __future__ import annotations

import threading
import typing as t
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Response, jsonify, request
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)
from werkzeug.serving import make_server

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
ADMINISTRATOR = (
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
)


def _pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode()
    )
    return private, public


class _Request(Request):
    def build_metadata(self, request: t.Any) -> t.Any:
        return request  # already the dict the library reads


def _library_request(**parts: t.Any) -> _Request:
    base = {
        "method": "GET",
        "form_data": {},
        "get_data": {},
        "headers": {},
        "content_type": None,
        "path": "/",
        "json": None,
    }
    return _Request(base | parts)


class _Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: t.Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
        return self._registration  # type: ignore[return-value]


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(
        self, launch_data: dict[str, t.Any], **kwargs: t.Any
    ) -> t.Any:
        return launch_data


@dataclass
class PeerPlatform:
    """lti1p3platform served on a local port, registered for a Tessera at ``tool_base``."""

    tool_base: str
    host: str = "127.0.0.1"  # "localhost" makes the platform another site than Tessera
    client_id: str = "peer-client"
    deployment_id: str = "1"
    line_items: dict[str, dict[str, t.Any]] = field(default_factory=dict)
    scores: list[tuple[str, dict[str, t.Any]]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    members: list[dict[str, t.Any]] = field(default_factory=list)
    deep_link_items: list[t.Any] | None = None
    deep_link_claims: dict[str, t.Any] | None = None
    service_user_agents: list[str] = field(default_factory=list)
    # Who a browser at /course?user=ID launches as: user id -> (roles, full name).
    people: dict[str, tuple[list[str], str]] = field(
        default_factory=lambda: {"browser-learner": ([LEARNER], "Chrome Learner")}
    )

    def __post_init__(self) -> None:
        self.private_pem, self.public_pem = _pem_pair()
        self.app = Flask("peer-platform")
        self._routes()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://{self.host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.registration = (
            Registration()
            .set_iss(self.url)
            .set_client_id(self.client_id)
            .set_deployment_id(self.deployment_id)
            .set_oidc_login_url(f"{self.tool_base}/lti/login")
            .set_launch_url(f"{self.tool_base}/lti/launch")
            .set_deeplink_launch_url(f"{self.tool_base}/lti/launch")
            .set_platform_public_key(self.public_pem)
            .set_platform_private_key(self.private_pem)
            .set_tool_key_set_url(f"{self.tool_base}/.well-known/jwks.json")
        )
        self.conf = _Conf(registration=self.registration)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)

    # --- What an admin registers in Tessera. ---------------------------------------------

    @property
    def endpoints(self) -> dict[str, str]:
        return {
            "issuer": self.url,
            "client_id": self.client_id,
            "auth_login_url": f"{self.url}/auth",
            "auth_token_url": f"{self.url}/token",
            "jwks_url": f"{self.url}/jwks",
        }

    @property
    def lineitems_url(self) -> str:
        return f"{self.url}/mod/lti/services.php/2/lineitems?type_id=1"

    @property
    def memberships_url(self) -> str:
        return f"{self.url}/CourseSection/2/bindings/1/memberships"

    # --- The browser's part of a launch. ---------------------------------------------------

    def preflight_url(self, user_id: str) -> str:
        login = _Login(_library_request(), self.conf)
        login.set_lti_message_hint(hint=f"msg-{user_id}")
        return str(login.initiate_login(user_id))

    def launch_form(
        self,
        auth_redirect: str,
        *,
        user_id: str,
        roles: list[str],
        name: str | None = None,
        email: str | None = None,
        ags: bool = True,
        nrps: bool = True,
        deep_link: bool = False,
    ) -> dict[str, t.Any]:
        """What the platform POSTs to the tool after Tessera's redirect to its auth URL."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(auth_redirect).query).items()}
        launch = _Launch(_library_request(get_data=query), self.conf)
        launch.set_user_data(user_id, roles, full_name=name, email_address=email)
        launch.set_resource_link_claim("link-1")
        launch.set_launch_context_claim(
            "course-2",
            context_label="BIO1",
            context_title="Biology 1",
            context_types=[
                "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"
            ],
        )
        if ags:
            launch.set_ags(self.lineitems_url)
        if nrps:
            launch.set_nrps(self.memberships_url)
        if deep_link:
            launch.set_dl(
                f"{self.url}/deep_link_return",
                title="Add",
                accept_types={"ltiResourceLink"},
                extra_data={"token": "opaque-123"},
            )
        return dict(launch.lti_launch())

    # --- The platform's HTTP side. ---------------------------------------------------------

    def _routes(self) -> None:
        app = self.app
        peer = self

        def lib_request() -> _Request:
            return _library_request(
                method=request.method,
                form_data=request.form.to_dict(),
                get_data=request.args.to_dict(),
                headers=dict(request.headers),
                content_type=request.content_type,
                path=request.path,
                json=request.get_json(silent=True),
            )

        def reply(result: t.Any) -> Response:
            body = jsonify(result.result) if result.result is not None else Response()
            body.status_code = result.code
            if result.result is not None:
                body.mimetype = result.media_type
            return body

        @app.get("/jwks")
        def jwks() -> Response:
            return jsonify(peer.conf.get_jwks())

        @app.post("/token")
        def token() -> Response:
            peer.token_requests.append(request.form.to_dict())
            return jsonify(peer.conf.get_access_token(request.form.to_dict()))

        class Ags(AssignmentsGradesService):
            def find_lineitems(
                self,
                page: int = 1,
                limit: t.Any = None,
                line_item_id: t.Any = None,
                resource_link_id: t.Any = None,
                resource_id: t.Any = None,
                tag: t.Any = None,
                **_: t.Any,
            ) -> t.Any:
                found = [
                    li
                    for li in peer.line_items.values()
                    if (resource_id is None or li.get("resourceId") == resource_id)
                    and (tag is None or li.get("tag") == tag)
                ]
                return {"content": found, "has_next": False}

            def find_lineitem(self, line_item_id: str) -> t.Any:
                return peer.line_items[line_item_id]

            def create_lineitem(self, creation_data: t.Any) -> t.Any:
                item_id = uuid.uuid4().hex[:8]
                item = dict(creation_data) | {
                    "id": f"{peer.url}/mod/lti/services.php/2/lineitems/{item_id}"
                    "/lineitem?type_id=1"
                }
                peer.line_items[item_id] = item
                return item

            def update_lineitem(self, update_data: t.Any) -> t.Any:
                raise NotImplementedError

            def delete_lineitem(self, line_item_id: str) -> None:
                raise NotImplementedError

            def update_score(self, line_item_id: str, score: t.Any) -> t.Any:
                from lti1p3platform.score import UpdateScoreStatus

                peer.scores.append((line_item_id, score))
                return UpdateScoreStatus.SUCCESS

            def get_results(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
                raise NotImplementedError

        def ags() -> Ags:
            peer.service_user_agents.append(request.headers.get("User-Agent", ""))
            return Ags(lib_request(), peer.conf, peer.lineitems_url)

        @app.route("/mod/lti/services.php/2/lineitems", methods=["GET", "POST"])
        def lineitems() -> Response:
            if request.method == "POST":
                return reply(ags().handle_create_lineitem())
            answer = ags().handle_get_lineitems()
            # 0.1.8 answers {"content": [...], "has_next": ...}; AGS 2.0 section 3.2 wants
            # the JSON array of line items (paging in a Link header), as real platforms send.
            if answer.code == 200:
                answer.result = answer.result["content"]
            return reply(answer)

        @app.post("/mod/lti/services.php/2/lineitems/<item_id>/lineitem/scores")
        def scores(item_id: str) -> Response:
            assert request.args.get("type_id") == "1", "the query string was lost"
            return reply(ags().handle_update_score(item_id))

        class Nrps(NamesRoleProvisioningService):
            def get_member_data_page(
                self,
                page: int = 1,
                limit: t.Any = None,
                role: t.Any = None,
                since: t.Any = None,
                **_: t.Any,
            ) -> t.Any:
                found = [m for m in peer.members if role is None or role in m["roles"]]
                return {"content": [dict(m) for m in found], "has_next": False}

            def get_context_by_id(self) -> t.Any:
                from lti1p3platform.membership import Context

                return Context(id="course-2", label="BIO1", title="Biology 1")

        @app.get("/CourseSection/2/bindings/1/memberships")
        def memberships() -> Response:
            peer.service_user_agents.append(request.headers.get("User-Agent", ""))
            assert request.headers.get("Accept") == (
                "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
            )
            return reply(
                Nrps(
                    lib_request(), peer.conf, peer.memberships_url
                ).handle_get_members()
            )

        @app.get("/course")
        def course() -> Response:
            """A course page framing Tessera, offering postMessage platform storage.

            ``?user=ID`` launches as one of :attr:`PeerPlatform.people`.
            """
            url = peer.preflight_url(request.args.get("user", "browser-learner"))
            if request.args.get("storage"):
                url += "&lti_storage_target=_parent"
            return Response(_COURSE_PAGE.replace("{url}", url), mimetype="text/html")

        @app.get("/slow")
        def slow() -> Response:
            """Holds the course page's load event so a headless browser stays for the launch."""
            import time

            time.sleep(float(request.args.get("s", "8")))
            return Response(b"GIF89a", mimetype="image/gif")

        @app.get("/auth")
        def auth() -> Response:
            """The OIDC authorization endpoint: sign the launch, auto-POST it to the tool."""
            user_id = request.args.get("login_hint", "browser-learner")
            roles, name = peer.people[user_id]
            form = peer.launch_form(
                request.url, user_id=user_id, roles=roles, name=name
            )
            fields = "".join(
                f'<input type="hidden" name="{k}" value="{form[k]}">'
                for k in ("id_token", "state")
            )
            return Response(
                f'<form id="f" method="post" action="{form["launch_url"]}">{fields}</form>'
                '<script>document.getElementById("f").submit()</script>',
                mimetype="text/html",
            )

        @app.post("/deep_link_return")
        def deep_link_return() -> Response:
            import jwt as pyjwt

            peer.deep_link_items = peer.conf.validate_deeplinking_resp(
                request.form.to_dict()
            )
            peer.deep_link_claims = pyjwt.decode(
                request.form["JWT"], options={"verify_signature": False}
            )
            return Response("received", mimetype="text/plain")


_COURSE_PAGE = """<!doctype html><title>Course</title>
<script>
  // LTI platform storage (postMessage), as Canvas and Brightspace offer it to tools.
  var kept = {};
  window.addEventListener("message", function (e) {
    var d = e.data || {}, reply = null;
    if (d.subject === "lti.put_data") {
      kept[d.key] = d.value;
      reply = {subject: "lti.put_data.response", message_id: d.message_id,
               key: d.key, value: d.value};
    } else if (d.subject === "lti.get_data") {
      reply = {subject: "lti.get_data.response", message_id: d.message_id,
               key: d.key, value: kept[d.key]};
    }
    if (reply) { e.source.postMessage(reply, e.origin); }
  });
</script>
<iframe id="tool" src="{url}" width="900" height="600"></iframe>
<img src="/slow?s=8" alt="">
"""
