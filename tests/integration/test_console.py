"""The admin console through the test client, on SQLite and PostgreSQL.

Sign-in (admin token -> session cookie; LMS administrator launch -> cookie-less pages),
expiry, CSRF refusal, who may not come in, and each page's action with its audit line.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from werkzeug import Response
from werkzeug.test import TestResponse

from gateway.api.tokens import (
    create_admin_token,
    list_admin_tokens,
    revoke_admin_token,
)
from gateway.app import create_app
from gateway.console.queries import record_action
from gateway.intake.service import align
from gateway.keys import ensure_keys
from gateway.lti.platforms import get_registration, set_deployment
from gateway.outbox.destinations import add_destination
from gateway.outbox.worker import Worker
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import (
    audit_log,
    deliveries,
    evidence,
    learners,
    observations,
    raw_records,
)
from gateway.vendors import add_vendor, check_credentials, get_vendor
from gateway.vendors.credentials import CredentialKind
from tests.api_helpers import make_statement, send_statements
from tests.builders import seed_competencies
from tests.delivery_helpers import COMPETENCIES, Sink, seed_people, set_level
from tests.helpers import make_settings
from tests.lti_peers import DROP, EvilPlatform, launch, login
from tests.lti_platform_peer import ADMINISTRATOR, INSTRUCTOR, LEARNER

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASE_FILE = FIXTURES / "case" / "smarterbalanced-grade3-math-spec-C1-TH.CFPackage.json"
C1 = "c1000000-0000-4000-8000-000000000001"
C2 = "c1000000-0000-4000-8000-000000000002"
ACTIVITY = "https://vendor.example/quiz/7"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """The platform peers run on this machine: private URLs are allowed (as in lti/)."""
    return make_settings(tmp_path, database_url, allow_private_urls=True)


@pytest.fixture
def token(store: Store) -> str:
    ensure_keys(store)
    _, secret = create_admin_token(store, "console-test")
    return secret


def csrf_of(response: TestResponse) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(True))
    assert found, response.get_data(as_text=True)[:2000]
    return found.group(1)


def post_sign_in(client: FlaskClient, token: str, **form: str) -> TestResponse:
    """Fill in the sign-in form as a browser would (its CSRF token included)."""
    csrf = csrf_of(client.get("/admin/sign-in"))
    return client.post(
        "/admin/sign-in", data={"token": token, "csrf_token": csrf} | form
    )


def sign_in(client: FlaskClient, token: str) -> str:
    """Sign in; the CSRF token of the new session."""
    response = post_sign_in(client, token)
    assert response.status_code == 303, response.get_data(as_text=True)
    return csrf_of(client.get("/admin/vendors"))


def text_of(response: TestResponse) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def audit_rows(store: Store, action: str) -> list[Any]:
    with store.read() as conn:
        return list(
            conn.execute(
                select(audit_log)
                .where(audit_log.c.action == action)
                .order_by(audit_log.c.seq)
            ).all()
        )


def count(store: Store, table: Any) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# --- Sign-in, session, CSRF. -----------------------------------------------------------


def test_an_admin_token_signs_in_with_a_first_party_session_cookie(
    client: FlaskClient, store: Store, token: str
) -> None:
    first = client.get("/admin/vendors")
    assert first.status_code == 302
    assert "/admin/sign-in?next=/admin/vendors" in first.headers["Location"]
    response = post_sign_in(client, token, next="/admin/vendors")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/vendors")
    [cookie] = [
        c
        for c in response.headers.getlist("Set-Cookie")
        if c.startswith("tessera_admin=")
    ]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # the test base URL is http
    assert token.split(".")[1] not in cookie  # the secret never goes into the cookie
    page = client.get("/admin/vendors")
    assert page.status_code == 200
    assert "Signed in as admin token console-test" in text_of(page)
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    [entry] = audit_rows(store, "console.sign-in")
    assert entry.actor.startswith("admin-token:console-test (ta_")


def test_the_cookie_is_secure_when_the_base_url_is_https(
    settings: Settings, store: Store, token: str
) -> None:
    app = create_app(replace(settings, base_url="https://tessera.example"), store)
    response = post_sign_in(app.test_client(), token)
    assert response.status_code == 303
    [cookie] = [
        c
        for c in response.headers.getlist("Set-Cookie")
        if c.startswith("tessera_admin=")
    ]
    assert "Secure" in cookie


def test_a_sign_in_by_another_web_node_is_honoured(
    settings: Settings, store: Store, token: str
) -> None:
    """The signing key comes from the store, not from the process."""
    node_a, node_b = create_app(settings, store), create_app(settings, store)
    a = node_a.test_client()
    assert post_sign_in(a, token).status_code == 303
    cookie = a.get_cookie("tessera_admin", path="/admin")
    assert cookie is not None
    b = node_b.test_client()
    b.set_cookie("tessera_admin", cookie.value, path="/admin")
    assert b.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "kind", ["garbage", "vendor-basic", "caliper", "revoked", "records"]
)
def test_what_is_not_an_admin_token_does_not_sign_in(
    client: FlaskClient, store: Store, token: str, kind: str
) -> None:
    given = "ta_nothing.really"
    if kind in ("vendor-basic", "caliper"):
        _, creds = add_vendor(store, "acme")
        basic = next(c for c in creds if c.kind is CredentialKind.XAPI_BASIC)
        caliper = next(c for c in creds if c.kind is CredentialKind.CALIPER_BEARER)
        given = (
            f"{basic.key}.{basic.secret}"
            if kind == "vendor-basic"
            else caliper.bearer_token
        )
    elif kind == "revoked":
        revoke_admin_token(store, "console-test")
        given = token
    elif kind == "records":
        _, given = create_admin_token(store, "registrar", scopes=["records"])
    response = post_sign_in(client, given)
    assert response.status_code == 401
    assert "not a valid admin token" in text_of(response)
    assert not [
        c
        for c in response.headers.getlist("Set-Cookie")
        if c.startswith("tessera_admin=")
    ]
    assert client.get("/admin/").status_code == 302
    assert not audit_rows(store, "console.sign-in")


def test_a_sign_in_without_the_forms_csrf_token_is_refused(
    client: FlaskClient, store: Store, token: str
) -> None:
    """No login CSRF: another site cannot sign a browser in to its own token."""
    assert client.post("/admin/sign-in", data={"token": token}).status_code == 403
    csrf = csrf_of(client.get("/admin/sign-in"))
    other = FlaskClient(client.application)
    refused = other.post("/admin/sign-in", data={"token": token, "csrf_token": csrf})
    assert refused.status_code == 403  # a token from another browser's form
    assert "out of date or came from another site" in text_of(refused)
    assert other.get("/admin/").status_code == 302
    assert not audit_rows(store, "console.sign-in")
    ok = client.post("/admin/sign-in", data={"token": token, "csrf_token": csrf})
    assert ok.status_code == 303


def test_a_tampered_or_foreign_cookie_is_not_a_session(
    client: FlaskClient, store: Store, token: str
) -> None:
    from gateway.console.access import new_session_cookie

    post_sign_in(client, token)
    cookie = client.get_cookie("tessera_admin", path="/admin")
    assert cookie is not None
    value = cookie.value
    tampered = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    client.set_cookie("tessera_admin", tampered, path="/admin")
    assert client.get("/admin/").status_code == 302
    [info] = list_admin_tokens(store)
    forged = new_session_cookie(b"x" * 32, info.id)  # the right token, the wrong key
    client.set_cookie("tessera_admin", forged, path="/admin")
    assert client.get("/admin/").status_code == 302
    client.set_cookie("tessera_admin", value, path="/admin")
    assert client.get("/admin/").status_code == 200


def test_a_session_expires_and_a_revoked_token_ends_it(
    client: FlaskClient, store: Store, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(
        TimestampSigner, "get_timestamp", lambda self: real(self) - 7201
    )  # signed more than admin_session_seconds (7200) ago
    post_sign_in(client, token)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    response = client.get("/admin/")
    assert (
        response.status_code == 302 and "/admin/sign-in" in response.headers["Location"]
    )

    sign_in(client, token)
    assert client.get("/admin/").status_code == 200
    revoke_admin_token(store, "console-test")
    assert client.get("/admin/").status_code == 302


def test_a_post_without_the_sessions_csrf_token_is_refused(
    client: FlaskClient, store: Store, token: str
) -> None:
    csrf = sign_in(client, token)
    for form in ({"name": "acme"}, {"name": "acme", "csrf_token": "0" * 64}):
        response = client.post("/admin/vendors", data=form)
        assert response.status_code == 403
        assert "security token" in text_of(response)
    other = FlaskClient(client.application)
    other_csrf = sign_in(other, token)
    assert other_csrf != csrf  # one per session
    assert (
        client.post(
            "/admin/vendors", data={"name": "acme", "csrf_token": other_csrf}
        ).status_code
        == 403
    )
    assert not audit_rows(store, "vendor.create")
    ok = client.post("/admin/vendors", data={"name": "acme", "csrf_token": csrf})
    assert ok.status_code == 200
    # Signing out needs the token too, and ends the session.
    assert client.post("/admin/sign-out").status_code == 403
    assert client.get("/admin/").status_code == 200
    assert client.post("/admin/sign-out", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/admin/").status_code == 302
    assert audit_rows(store, "console.sign-out")


def test_a_post_without_a_session_is_refused(client: FlaskClient, store: Store) -> None:
    ensure_keys(store)
    response = client.post("/admin/vendors", data={"name": "acme"})
    assert response.status_code == 403
    assert count(store, audit_log) == 0


# --- LTI: only administrators. ------------------------------------------------------------


def _lti_launch(
    client: FlaskClient,
    store: Store,
    evil: EvilPlatform,
    roles: list[str],
    sub: str,
    **claims_: Any,
) -> str:
    started = login(client)
    claims = evil.claims(
        started.nonce,
        sub=sub,
        name=f"Person {sub}",
        lti_roles=roles,
        email=DROP,
        lti_lis=DROP,
        **claims_,
    )
    response = launch(client, evil.sign(claims), started.state)
    assert response.status_code == 303, response.get_data(as_text=True)
    location = str(response.headers["Location"])
    return location.rsplit("/lti/view/", 1)[1]


@pytest.fixture
def evil(store: Store, httpserver: HTTPServer) -> EvilPlatform:
    ensure_keys(store)
    platform = EvilPlatform(httpserver)
    platform.register(store)
    return platform


@pytest.mark.parametrize("roles", [[LEARNER], [INSTRUCTOR]])
def test_a_learner_or_instructor_launch_cannot_open_the_console(
    client: FlaskClient, store: Store, evil: EvilPlatform, roles: list[str]
) -> None:
    launch_id = _lti_launch(client, store, evil, roles, "someone")
    assert client.get(f"/lti/view/{launch_id}").status_code == 200  # their own page
    for path in ("/", "/vendors", "/audit"):
        response = client.get(f"/admin/l/{launch_id}{path}")
        assert response.status_code == 403
        assert "Administrator role" in text_of(response)
    assert client.post(f"/admin/l/{launch_id}/replay").status_code == 403
    assert client.get("/admin/l/no-such-launch/").status_code == 403


def test_an_administrator_launch_opens_the_console_without_cookies(
    client: FlaskClient, store: Store, evil: EvilPlatform
) -> None:
    launch_id = _lti_launch(client, store, evil, [ADMINISTRATOR], "admin-1")
    landing = client.get(f"/lti/view/{launch_id}")
    assert landing.status_code == 303
    assert landing.headers["Location"].endswith(f"/admin/l/{launch_id}/")
    client.delete_cookie("tessera_admin", path="/admin")
    home = client.get(f"/admin/l/{launch_id}/")
    assert home.status_code == 200
    body = home.get_data(as_text=True)
    assert f'href="/admin/l/{launch_id}/vendors"' in body  # links keep the launch
    assert "Sign out" not in body and "Set-Cookie" not in home.headers
    assert "Content-Security-Policy" not in home.headers  # framed by the LMS
    csrf = csrf_of(client.get(f"/admin/l/{launch_id}/vendors"))
    refused = client.post(f"/admin/l/{launch_id}/vendors", data={"name": "acme"})
    assert refused.status_code == 403
    created = client.post(
        f"/admin/l/{launch_id}/vendors", data={"name": "acme", "csrf_token": csrf}
    )
    assert created.status_code == 200 and "acme" in text_of(created)
    [entry] = audit_rows(store, "vendor.create")
    assert entry.actor.startswith("lti:") and "admin-1" in entry.actor
    assert "Person admin-1" in entry.actor


def test_a_link_placed_as_the_class_view_shows_administrators_the_class(
    client: FlaskClient, store: Store, evil: EvilPlatform
) -> None:
    launch_id = _lti_launch(
        client,
        store,
        evil,
        [ADMINISTRATOR],
        "admin-3",
        lti_custom={"tessera_view": "class"},
    )
    assert client.get(f"/lti/view/{launch_id}").status_code == 200
    assert client.get(f"/admin/l/{launch_id}/").status_code == 200  # still allowed


def test_a_context_administrator_may_also_enter(
    client: FlaskClient, store: Store, evil: EvilPlatform
) -> None:
    role = "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator"
    launch_id = _lti_launch(client, store, evil, [role], "admin-2")
    assert client.get(f"/admin/l/{launch_id}/platforms").status_code == 200


# --- Pages and their actions. ---------------------------------------------------------------


@pytest.fixture
def signed_in(client: FlaskClient, token: str) -> tuple[FlaskClient, str]:
    return client, sign_in(client, token)


def test_platforms_show_registration_and_a_pending_deployment_is_approved(
    signed_in: tuple[FlaskClient, str], store: Store, evil: EvilPlatform
) -> None:
    client, csrf = signed_in
    from gateway.lti.platforms import registration_id
    from tests.lti_peers import CLIENT_ID, ISSUER

    reg = get_registration(store, registration_id(ISSUER, CLIENT_ID))
    set_deployment(store, reg.id, "dep-2", "pending")
    page = client.get("/admin/platforms")
    text = text_of(page)
    assert reg.issuer in text and "by hand" in text and "pending approval" in text
    assert "/lti/register" in text
    response = client.post(
        f"/admin/platforms/{reg.id}/deployments",
        data={"deployment_id": "dep-2", "status": "active", "csrf_token": csrf},
    )
    assert response.status_code == 303
    assert "approved" in text_of(client.get(response.headers["Location"]))
    after = get_registration(store, reg.id)
    assert {d.deployment_id: d.status for d in after.deployments}["dep-2"] == "active"
    [entry] = audit_rows(store, "deployment.approve")
    assert entry.before == {"status": "pending"} and entry.after == {"status": "active"}
    assert entry.actor.startswith("admin-token:console-test")


def test_a_vendor_is_created_and_rotated_with_secrets_shown_once(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    client, csrf = signed_in
    created = client.post(
        "/admin/vendors",
        data={
            "name": "acme-math",
            "display_name": "Acme Math",
            "settings": '[score]\nscale = "percent"\n',
            "csrf_token": csrf,
        },
    )
    assert created.status_code == 200
    body = created.get_data(as_text=True)
    key = re.search(r'id="xapi-key">([^<]+)<', body)
    secret = re.search(r'id="xapi-secret">([^<]+)<', body)
    assert key and secret
    vendor = get_vendor(store, "acme-math")
    assert vendor.settings == {"score": {"scale": "percent"}}
    assert check_credentials(
        store, CredentialKind.XAPI_BASIC, key.group(1), secret.group(1), 0
    )
    detail = client.get("/admin/vendors/acme-math").get_data(as_text=True)
    assert secret.group(1) not in detail and key.group(1) in detail
    assert secret.group(1) not in client.get("/admin/vendors").get_data(as_text=True)

    rotated = client.post(
        "/admin/vendors/acme-math/rotate", data={"grace_hours": "0", "csrf_token": csrf}
    )
    assert rotated.status_code == 200
    new_secret = re.search(r'id="xapi-secret">([^<]+)<', rotated.get_data(True))
    new_key = re.search(r'id="xapi-key">([^<]+)<', rotated.get_data(True))
    assert new_secret and new_key and new_secret.group(1) != secret.group(1)
    assert not check_credentials(
        store, CredentialKind.XAPI_BASIC, key.group(1), secret.group(1), 0
    )
    assert check_credentials(
        store, CredentialKind.XAPI_BASIC, new_key.group(1), new_secret.group(1), 0
    )
    assert [r.subject for r in audit_rows(store, "vendor.create")] == [
        "vendor:acme-math"
    ]
    [rotation] = audit_rows(store, "vendor.rotate")
    assert secret.group(1) not in json.dumps(rotation.after)  # secrets never logged


def test_adapter_settings_are_checked_before_they_are_saved(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    client, csrf = signed_in
    add_vendor(store, "acme")
    bad = client.post(
        "/admin/vendors/acme/settings",
        data={"settings": '{"score": {"scale": "bogus"}}', "csrf_token": csrf},
    )
    assert bad.status_code == 400
    assert get_vendor(store, "acme").settings == {}
    assert not audit_rows(store, "vendor.configure")
    good = client.post(
        "/admin/vendors/acme/settings",
        data={"settings": '{"score": {"scale": "percent"}}', "csrf_token": csrf},
    )
    assert good.status_code == 303
    assert get_vendor(store, "acme").settings == {"score": {"scale": "percent"}}
    [entry] = audit_rows(store, "vendor.configure")
    assert entry.before == {} and entry.after == {"score": {"scale": "percent"}}


def test_testing_a_payload_shows_the_observations_and_stores_nothing(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    client, csrf = signed_in
    seed_competencies(store, [(C1, None)])
    vendor, _ = add_vendor(store, "acme")
    align_rule(store, vendor.id)
    statement = make_statement(
        "5e000000-0000-4000-8000-000000000001", scaled=0.75, activity=ACTIVITY
    )
    other = make_statement(
        "5e000000-0000-4000-8000-000000000002", activity="https://vendor.example/x"
    )
    before = [count(store, t) for t in (raw_records, observations, evidence, learners)]
    response = client.post(
        "/admin/vendors/acme/test",
        data={
            "protocol": "xapi",
            "payload": json.dumps([statement, other]),
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "would make evidence" in text and "0.750" in text and C1 in text
    assert "would wait in the unaligned inbox" in text
    assert "mailto:ada@school.example" in text
    after = [count(store, t) for t in (raw_records, observations, evidence, learners)]
    assert after == before
    invalid = client.post(
        "/admin/vendors/acme/test",
        data={"protocol": "xapi", "payload": '{"actor": 1}', "csrf_token": csrf},
    )
    assert invalid.status_code == 200 and "preview-problem" in invalid.get_data(True)
    assert len(audit_rows(store, "vendor.test-payload")) == 2


def test_testing_a_caliper_event(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    client, csrf = signed_in
    add_vendor(store, "acme")
    event = json.loads(
        (FIXTURES / "caliper" / "v1p2" / "caliperEventGradeGraded.json").read_text()
    )
    response = client.post(
        "/admin/vendors/acme/test",
        data={"protocol": "caliper", "payload": json.dumps(event), "csrf_token": csrf},
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Observations of" in text, text[-3000:]
    assert count(store, raw_records) == 0


def align_rule(store: Store, vendor_id: str) -> None:
    from gateway.intake.alignment import NewAlignment

    align(store, [NewAlignment(activity=ACTIVITY, competency=C1, vendor_id=vendor_id)])


def test_a_framework_is_imported_from_a_file_with_progress_then_browsed(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    client, csrf = signed_in
    with CASE_FILE.open("rb") as fh:
        response = client.post(
            "/admin/frameworks/import",
            data={"package": (fh, CASE_FILE.name), "csrf_token": csrf},
            content_type="multipart/form-data",
        )
    assert response.status_code == 200 and response.is_streamed
    text = text_of(response)
    assert "Step 1 of 3: reading the file" in text
    assert "Step 3 of 3" in text and "Imported" in text
    assert text.rstrip().endswith("Back to the frameworks")  # the page is whole
    framework_id = re.search(
        r'/admin/frameworks/([0-9a-f-]+)" id="open-framework"', response.get_data(True)
    )
    assert framework_id
    page = client.get(f"/admin/frameworks/{framework_id.group(1)}")
    assert page.status_code == 200
    assert "<details>" in page.get_data(as_text=True)  # the tree has branches
    assert "No competency of this framework is crosswalked" in text_of(page)
    [entry] = audit_rows(store, "framework.import")
    assert entry.subject == f"framework:{framework_id.group(1)}"
    assert entry.after["items"]["created"] > 0


def test_a_framework_import_from_a_url_and_a_failed_one(
    signed_in: tuple[FlaskClient, str], store: Store, httpserver: HTTPServer
) -> None:
    client, csrf = signed_in
    httpserver.expect_request("/case/pkg").respond_with_data(
        CASE_FILE.read_bytes(), content_type="application/json"
    )
    response = client.post(
        "/admin/frameworks/import",
        data={"url": httpserver.url_for("/case/pkg"), "csrf_token": csrf},
    )
    assert "Step 1 of 3: fetching" in text_of(response)
    assert "import-done" in response.get_data(as_text=True)
    failed = client.post(
        "/admin/frameworks/import",
        data={"package": (io.BytesIO(b"{not json"), "x.json"), "csrf_token": csrf},
        content_type="multipart/form-data",
    )
    assert "The import failed" in text_of(failed) and "not JSON" in text_of(failed)
    assert audit_rows(store, "framework.import-failed")
    refused = client.post(
        "/admin/frameworks/import", data={"url": "/etc/passwd", "csrf_token": csrf}
    )
    assert refused.status_code == 400


def test_crosswalked_competencies_are_listed(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    client, _ = signed_in
    seed_competencies(store, [(C1, None), (C2, C1)])
    from tests.builders import FRAMEWORK

    text = text_of(client.get(f"/admin/frameworks/{FRAMEWORK}"))
    assert "counts as one with" in text and C2 in text and C1 in text


def test_an_unaligned_activity_is_aligned_in_one_click_and_replayed(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    client, csrf = signed_in
    seed_competencies(store, [(C1, None)])
    vendor, _ = add_vendor(store, "acme")
    send_statements(
        store, vendor.id, make_statement("5e000000-0000-4000-8000-000000000003")
    )
    assert count(store, evidence) == 0
    page = client.get(f"/admin/alignments?q=Competency&competency={C1}")
    body = page.get_data(as_text=True)
    assert "Chosen: " in text_of(page) and f"Competency {C1}" in text_of(page)
    assert ACTIVITY in body and f'value="{C1}"' in body  # filled in for one click
    response = client.post(
        "/admin/alignments",
        data={
            "activity": ACTIVITY,
            "vendor": "acme",
            "competency": C1,
            "kind": "quiz",
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 303
    notice = text_of(client.get(response.headers["Location"]))
    assert "1 waiting observations replayed, 1 evidence made" in notice
    assert "Every activity that sent a score is aligned" in notice
    assert count(store, evidence) == 1
    [entry] = audit_rows(store, "alignment.create")
    assert entry.after["competency"] == C1 and entry.after["evidence"] == 1
    replayed = client.post("/admin/replay", data={"csrf_token": csrf})
    assert "Replayed 1 raw records" in text_of(client.get(replayed.headers["Location"]))
    assert audit_rows(store, "replay")
    unknown = client.post(
        "/admin/alignments",
        data={"activity": "x", "competency": "nope", "csrf_token": csrf},
    )
    assert unknown.status_code in (400, 404)


def test_a_dead_delivery_is_listed_and_retried(
    signed_in: tuple[FlaskClient, str],
    store: Store,
    settings: Settings,
    httpserver: HTTPServer,
) -> None:
    client, csrf = signed_in
    sink = Sink(script=[lambda _r: Response("no", 422)] * 2)
    httpserver.expect_request("/hook", method="POST").respond_with_handler(sink)
    add_destination(store, "hook", "webhook", {"url": httpserver.url_for("/hook")})
    people = seed_people(store, 2)
    set_level(store, people[0], COMPETENCIES[0], "near")
    set_level(store, people[1], COMPETENCIES[0], "near")
    worker = Worker(store, replace(settings, delivery_backoff_ms=10), name="w1")
    worker.step()
    page = client.get("/admin/deliveries")
    text = text_of(page)
    assert "HTTP 422" in text and "hook (webhook)" in text
    with store.read() as conn:
        dead = (
            conn.execute(select(deliveries.c.id).where(deliveries.c.status == "dead"))
            .scalars()
            .all()
        )
    assert len(dead) == 2
    response = client.post(
        f"/admin/deliveries/{dead[0]}/retry", data={"csrf_token": csrf}
    )
    assert response.status_code == 303
    assert "is pending now" in text_of(client.get(response.headers["Location"]))
    again = client.post("/admin/deliveries/retry-dead", data={"csrf_token": csrf})
    assert "1 pending again" in text_of(client.get(again.headers["Location"]))
    with store.read() as conn:
        statuses = conn.execute(select(deliveries.c.status)).scalars().all()
    assert sorted(statuses) == ["pending", "pending"]
    assert audit_rows(store, "delivery.retry") and audit_rows(
        store, "delivery.retry-dead"
    )
    assert (
        client.post(
            f"/admin/deliveries/{dead[0]}/retry", data={"csrf_token": csrf}
        ).status_code
        == 409
    )


def test_the_audit_log_is_paged_and_filtered(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    client, _ = signed_in
    for n in range(60):
        record_action(
            store, f"tester-{n % 2}", "thing.do", f"thing:{n}", None, {"n": n}
        )
    first = client.get("/admin/audit")
    body = first.get_data(as_text=True)
    assert body.count('<th scope="row">') == 50
    assert "thing:59" in body and "thing:9<" not in body
    older = re.search(r'href="([^"]+)" id="older"', body)
    assert older
    second = client.get(unescape(older.group(1))).get_data(as_text=True)
    assert "thing:9<" in second and "thing:59" not in second
    filtered = client.get("/admin/audit?actor=TESTER-1&subject=thing:1").get_data(True)
    rows = re.findall(r"<td>(thing:\d+)</td>", filtered)
    assert rows and all(int(r.split(":")[1]) % 2 == 1 for r in rows)
    assert all(r.startswith("thing:1") for r in rows)
    assert client.get("/admin/audit?action=sign-in").status_code == 200
    assert "console.sign-in" in text_of(client.get("/admin/audit?action=sign-in"))
    broken = client.get("/admin/audit?before=x")
    assert broken.status_code == 400 and broken.mimetype == "text/html"
    assert "must be a number" in text_of(broken)


def test_each_page_renders(signed_in: tuple[FlaskClient, str], app: Flask) -> None:
    client, _ = signed_in
    for path in (
        "/admin/",
        "/admin/platforms",
        "/admin/vendors",
        "/admin/frameworks",
        "/admin/alignments",
        "/admin/deliveries",
        "/admin/audit",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'aria-current="page"' in response.get_data(as_text=True), path
    assert client.get("/admin/vendors/nobody").status_code == 404


def test_the_overview_counts_what_needs_attention(
    signed_in: tuple[FlaskClient, str], store: Store, evil: EvilPlatform
) -> None:
    client, _ = signed_in
    from gateway.lti.platforms import registration_id
    from tests.lti_peers import CLIENT_ID, ISSUER

    set_deployment(store, registration_id(ISSUER, CLIENT_ID), "dep-9", "pending")
    seed_competencies(store, [(C1, None)])
    vendor, _ = add_vendor(store, "acme")
    add_vendor(store, "other")
    send_statements(
        store,
        vendor.id,
        make_statement("5e000000-0000-4000-8000-000000000011"),
        make_statement("5e000000-0000-4000-8000-000000000012"),  # same activity
        make_statement(
            "5e000000-0000-4000-8000-000000000013", activity="https://v.example/2"
        ),
    )
    body = client.get("/admin/").get_data(as_text=True)

    def counted(name: str) -> str:
        found = re.search(rf'id="count-{name}">(\d+)<', body)
        assert found, name
        return found.group(1)

    assert counted("platforms") == "1"
    assert "1 deployment waiting for approval" in body
    assert counted("vendors") == "2"
    assert counted("frameworks") == "1"
    assert counted("inbox") == "2"  # two activities, as the inbox lists them
    assert counted("dead") == "0"
    assert "unaligned" in text_of(client.get("/admin/"))  # raw records by status


def test_the_equity_page_shows_groups_and_hides_small_ones(
    signed_in: tuple[FlaskClient, str], store: Store
) -> None:
    from gateway.mastery.contexts import put_context
    from gateway.mastery.equity import set_groups
    from gateway.mastery.service import TeacherEvidence, add_teacher_evidence
    from tests.delivery_helpers import seed_people

    client, _ = signed_in
    assert 'id="no-classes"' in client.get("/admin/equity").get_data(as_text=True)
    seed_competencies(store, [(C1, None)])
    people = seed_people(store, 12)
    put_context(store, "api", "p3", title="Math 3", learner_ids=people)
    for n, learner in enumerate(people):
        set_groups(store, learner, ["grade:7"] + (["IEP"] if n < 3 else []), "test")
        add_teacher_evidence(store, learner, TeacherEvidence(C1, "Ms A", level="near"))
    page = client.get("/admin/equity")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="equity"' in body
    assert '<th scope="row">grade:7</th>\n<td>12</td><td>100%</td>' in body
    assert "fewer than 10 learners: not shown" in body  # IEP has 3
    assert 'aria-current="page">Equity' in body
