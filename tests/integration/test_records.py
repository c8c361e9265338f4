"""Learner records on both stores: issuing, transcripts, revocation, rotation, the pages, the API.

Credentials are checked by Tessera's own verifier and by the two independent ones
(``test_records_verifiers.py`` runs the Node and openbadgeslib verifiers over the same flows).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jwt
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.api.tokens import create_admin_token
from gateway.cli import cli
from gateway.keys import ensure_keys, rotate_key
from gateway.mastery.service import set_layer
from gateway.records import service
from gateway.records.model import bit_is_set
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import issued_credentials
from tests.helpers import make_settings, settings_env
from tests.records_helpers import (
    BASE_URL,
    Seeded,
    add_evidence,
    seed,
    set_mastery,
)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(
        tmp_path,
        database_url,
        base_url=BASE_URL,
        issuer_name="Example School District",
        issuer_email="registrar@example.edu",
        issuer_image="https://www.example.edu/logo.png",
    )


@pytest.fixture
def config(settings: Settings) -> service.RecordsConfig:
    return service.RecordsConfig.from_settings(settings)


@pytest.fixture
def seeded(store: Store) -> Seeded:
    ensure_keys(store)
    found = seed(store)
    for code, level in (("OA.1", "mastery"), ("OA.2", "exceeds"), ("OA.3", "mastery")):
        set_mastery(store, found.learner_id, found.shared(code), level)
    set_mastery(store, found.learner_id, found.shared("OA.4"), "near")
    add_evidence(
        store, found.learner_id, found.shared("OA.1"), ["quiz", "quiz", "practice"]
    )
    return found


def _issue(
    store: Store, config: service.RecordsConfig, seeded: Seeded, code: str
) -> Any:
    with store.write() as conn:
        return service.issue_for_mastery(
            conn, config, seeded.learner_id, seeded.shared(code)
        )


def _report(store: Store, config: service.RecordsConfig, credential: Any) -> Any:
    return service.check_credential(store, config, credential)


def test_an_achievement_credential_says_what_was_mastered(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    issued = _issue(store, config, seeded, "OA.1")
    doc = issued.document
    assert doc["id"] == f"{BASE_URL}/credentials/{issued.id}"
    assert doc["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert doc["issuer"]["id"] == "did:web:records.example.edu"
    assert doc["issuer"]["name"] == "Example School District"
    subject = doc["credentialSubject"]
    assert subject["id"] == f"urn:uuid:{seeded.learner_id}"
    # The email and SIS id are only present hashed.
    assert {i["identityType"] for i in subject["identifier"]} == {
        "emailAddress",
        "sisSourcedId",
    }
    assert "ada@example.edu" not in json.dumps(doc)
    achievement = subject["achievement"]
    assert achievement["id"] == f"{BASE_URL}/achievements/{seeded.shared('OA.1')}"
    assert achievement["humanCode"] == "OA.1"
    # Aligned to the CASE item and to its crosswalk peer in the state framework.
    targets = {
        (a["targetType"], a["targetFramework"]) for a in achievement["alignment"]
    }
    assert targets == {("CFItem", "Grade 3 Mathematics"), ("CFItem", "State Standards")}
    assert achievement["alignment"][0]["targetUrl"].endswith(seeded.shared("OA.1"))
    (description,) = achievement["resultDescription"]
    assert description["resultType"] == "PerformanceLevel"
    assert description["allowedValue"] == [
        "No Evidence",
        "Below Mastery",
        "Near Mastery",
        "Mastery",
        "Exceeds Mastery",
    ]
    assert subject["result"] == [
        {
            "type": ["Result"],
            "resultDescription": description["id"],
            "value": "Mastery",
        }
    ]
    assert (
        "4 pieces of evidence (2 quiz, 1 performance task, 1 practice)"
        in doc["evidence"][0]["narrative"]
    )
    assert doc["credentialStatus"]["statusListCredential"] == f"{BASE_URL}/status/1"
    assert doc["proof"]["verificationMethod"].startswith("did:web:records.example.edu#")
    assert _report(store, config, doc).verified
    assert _report(store, config, issued.jwt).verified


def test_issuing_is_idempotent_and_only_for_proficient_learners(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    first = _issue(store, config, seeded, "OA.2")
    again = _issue(store, config, seeded, "OA.2")
    assert again.id == first.id and again.document == first.document
    assert _issue(store, config, seeded, "OA.4") is None  # not yet proficient
    with store.read() as conn:
        assert len(conn.execute(select(issued_credentials.c.id)).all()) == 1


def test_a_higher_level_supersedes_and_losing_mastery_revokes(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    first = _issue(store, config, seeded, "OA.1")
    set_mastery(store, seeded.learner_id, seeded.shared("OA.1"), "exceeds")
    second = _issue(store, config, seeded, "OA.1")
    assert second.id != first.id
    assert (
        second.document["credentialSubject"]["result"][0]["value"] == "Exceeds Mastery"
    )
    assert _report(store, config, first.document).revoked
    assert not _report(store, config, second.document).revoked
    # An override lowers the level: the worker's call revokes what was issued.
    set_mastery(store, seeded.learner_id, seeded.shared("OA.1"), "near")
    with store.write() as conn:
        assert (
            service.handle_mastery_change(
                conn, config, seeded.learner_id, seeded.shared("OA.1")
            )
            is None
        )
    assert _report(store, config, second.document).revoked
    reasons = {
        c.revoked_reason for c in service.list_credentials(store, seeded.learner_id)
    }
    assert reasons == {
        f"superseded by {second.id}",
        "the learner is no longer proficient",
    }


def test_a_transcript_bundles_the_signed_badges_and_the_hierarchy(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    clr = service.issue_transcript(
        store, config, seeded.learner_id, framework_id=seeded.framework_id
    )
    doc = clr.document
    assert doc["type"] == ["VerifiableCredential", "ClrCredential"]
    assert doc["partial"] is True
    subject = doc["credentialSubject"]
    members = subject["verifiableCredential"]
    assert len(members) == 3
    stored = {
        c.id: c.document for c in service.list_credentials(store, seeded.learner_id)
    }
    for member in members:  # embedded unchanged, proofs and all
        assert member == stored[member["id"].rsplit("/", 1)[1]]
    achievement = {a["id"].rsplit("/", 1)[1]: a for a in subject["achievement"]}
    domain = seeded.shared("OA")
    assert domain in achievement and "achievementType" not in achievement[domain]
    associations = {
        (
            a["associationType"],
            a["sourceId"].rsplit("/", 1)[1],
            a["targetId"].rsplit("/", 1)[1],
        )
        for a in subject["association"]
    }
    assert associations == {
        ("isChildOf", seeded.shared(code), domain) for code in ("OA.1", "OA.2", "OA.3")
    }
    report = _report(store, config, doc)
    assert report.verified and len(report.embedded) == 3
    assert all(e.verified for e in report.embedded)
    jwt_report = _report(store, config, clr.jwt)
    assert jwt_report.verified and jwt_report.credential["id"] == doc["id"]
    # Same content: the same transcript.
    again = service.issue_transcript(
        store, config, seeded.learner_id, framework_id=seeded.framework_id
    )
    assert again.id == clr.id


def test_a_transcript_of_a_crosswalked_framework_names_its_own_items(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    clr = service.issue_transcript(
        store, config, seeded.learner_id, framework_id=seeded.other_framework_id
    )
    subject = clr.document["credentialSubject"]
    assert len(subject["verifiableCredential"]) == 1  # only OA.1 is crosswalked
    (association,) = subject["association"]
    assert association["associationType"] == "exactMatchOf"
    assert association["targetId"].endswith(seeded.shared("OA.1"))
    assert _report(store, config, clr.document).verified


def test_revoking_a_badge_revokes_the_transcripts_that_embed_it(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    clr = service.issue_transcript(store, config, seeded.learner_id)
    badge_id = clr.members[0]
    revoked = service.revoke_credential(store, config, badge_id, "entered in error")
    assert revoked.revoked_at is not None
    badge = service.get_credential(store, badge_id)
    assert _report(store, config, badge.document).revoked
    clr_report = _report(store, config, clr.document)
    assert clr_report.revoked and not clr_report.verified
    status = badge.document["credentialStatus"]
    with store.read() as conn:
        bits = service.status_bits(conn, config, status["statusListCredential"])
    assert bits is not None and bit_is_set(bits, int(status["statusListIndex"]))
    # A fresh transcript leaves the revoked badge out.
    fresh = service.issue_transcript(store, config, seeded.learner_id)
    assert badge_id not in fresh.members and len(fresh.members) == 2


def test_credentials_issued_before_a_key_rotation_still_verify(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    before = _issue(store, config, seeded, "OA.1")
    rotate_key(store, "credentials")
    rotate_key(store, "credentials-jwt")
    after = _issue(store, config, seeded, "OA.2")
    assert (
        before.document["proof"]["verificationMethod"]
        != (after.document["proof"]["verificationMethod"])
    )
    for credential in (before.document, before.jwt, after.document, after.jwt):
        assert _report(store, config, credential).verified


def test_tampered_credentials_do_not_verify(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    issued = _issue(store, config, seeded, "OA.1")
    level = json.loads(json.dumps(issued.document))
    level["credentialSubject"]["result"][0]["value"] = "Exceeds Mastery"
    learner = json.loads(json.dumps(issued.document))
    learner["credentialSubject"]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    for tampered in (level, learner):
        report = _report(store, config, tampered)
        assert not report.verified
        assert [c.ok for c in report.checks if c.name == "signature"] == [False]
    # The JWT form: a changed payload with the original signature.
    header, payload, signature = issued.jwt.split(".")
    claims = jwt.decode(issued.jwt, options={"verify_signature": False})
    claims["credentialSubject"]["result"][0]["value"] = "Exceeds Mastery"
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    assert not _report(store, config, f"{header}.{forged}.{signature}").verified


# --- HTTP: public pages and the admin API --------------------------------------------------


def test_the_issuer_publishes_its_profile_did_document_and_keys(
    client: FlaskClient, store: Store, seeded: Seeded
) -> None:
    profile = client.get("/issuer")
    assert profile.status_code == 200 and profile.mimetype == "application/ld+json"
    body = json.loads(profile.data)
    assert body["id"] == "did:web:records.example.edu"
    assert body["email"] == "registrar@example.edu"
    assert body["image"] == {"id": "https://www.example.edu/logo.png", "type": "Image"}
    did = json.loads(client.get("/.well-known/did.json").data)
    types = sorted(m["type"] for m in did["verificationMethod"])
    assert types == ["JsonWebKey", "Multikey"]
    assert did["assertionMethod"] == [m["id"] for m in did["verificationMethod"]]
    jwks = client.get("/.well-known/jwks.json").json
    assert jwks is not None
    kids = {k["kid"] for k in jwks["keys"]}
    assert {m["id"].split("#")[1] for m in did["verificationMethod"]} <= kids
    rotate_key(store, "credentials")
    did = json.loads(client.get("/.well-known/did.json").data)
    assert [m["type"] for m in did["verificationMethod"]].count("Multikey") == 2


def test_a_credential_url_returns_it_in_each_form(
    client: FlaskClient, store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    issued = _issue(store, config, seeded, "OA.1")
    path = f"/credentials/{issued.id}"
    as_json = client.get(path)
    assert as_json.mimetype == "application/ld+json"
    assert json.loads(as_json.data) == issued.document
    as_jwt = client.get(path, query_string={"format": "jwt"})
    assert as_jwt.mimetype == "application/vc+jwt" and as_jwt.text == issued.jwt
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.mimetype == "text/html"
    assert "Verified" in page.text and "Mastery" in page.text
    assert client.get("/credentials/not-a-credential").status_code == 400
    missing = client.get("/credentials/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    status = json.loads(client.get("/status/1").data)
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    achievement = json.loads(client.get(f"/achievements/{seeded.shared('OA.1')}").data)
    assert (
        achievement["id"] == issued.document["credentialSubject"]["achievement"]["id"]
    )


def test_the_verification_page_checks_urls_and_pasted_credentials(
    client: FlaskClient, store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    issued = _issue(store, config, seeded, "OA.1")
    url = f"{BASE_URL}/credentials/{issued.id}"
    as_json = {"Accept": "application/json"}
    ok = client.get("/verify", query_string={"credential": url}, headers=as_json).json
    assert ok is not None and ok["verified"] is True
    assert ok["claims"]["level"] == "Mastery"
    assert {c["name"] for c in ok["checks"]} == {
        "issuer",
        "signature",
        "status",
        "validity",
    }
    jwt_form = client.get(
        "/verify", query_string={"credential": url, "format": "jwt"}, headers=as_json
    ).json
    assert jwt_form is not None and jwt_form["proof_format"] == "VC-JWT (RS256)"
    tampered = json.loads(json.dumps(issued.document))
    tampered["credentialSubject"]["result"][0]["value"] = "Exceeds Mastery"
    pasted = client.post("/verify", data={"credential": json.dumps(tampered)})
    assert pasted.status_code == 200 and "Does not verify" in pasted.text
    posted = client.post("/verify", json=issued.document, headers=as_json).json
    assert posted is not None and posted["verified"] is True
    service.revoke_credential(store, config, issued.id, "test")
    revoked = client.get("/verify", query_string={"credential": url})
    assert "Revoked" in revoked.text
    # Nothing else is fetched, and unknown contexts are refused.
    other = client.get("/verify", query_string={"credential": "https://evil.example/x"})
    assert other.status_code == 400
    foreign = json.loads(json.dumps(issued.document))
    foreign["@context"].append("https://evil.example/context.jsonld")
    refused = client.post("/verify", json=foreign, headers=as_json).json
    assert refused is not None and refused["verified"] is False
    (signature,) = [c for c in refused["checks"] if c["name"] == "signature"]
    assert "changed after it was signed" in signature["detail"]
    unknown = client.post(
        "/verify",
        json={**issued.document, "id": f"{BASE_URL}/credentials/x"},
        headers=as_json,
    ).json
    assert unknown is not None and unknown["verified"] is False
    assert client.get("/verify").status_code == 200


def test_registrars_fetch_transcripts_with_a_records_token(
    client: FlaskClient, store: Store, seeded: Seeded
) -> None:
    _, records_token = create_admin_token(store, "registrar", scopes=["records"])
    registrar = {"Authorization": f"Bearer {records_token}"}
    path = f"/api/v1/learners/{seeded.learner_id}/clr"
    assert client.get(path).status_code == 401
    clr = client.get(
        path, headers=registrar, query_string={"framework": seeded.framework_id}
    )
    assert clr.status_code == 200 and clr.mimetype == "application/ld+json"
    doc = json.loads(clr.data)
    assert len(doc["credentialSubject"]["verifiableCredential"]) == 3
    token = client.get(
        path,
        headers=registrar,
        query_string={"framework": seeded.framework_id, "format": "jwt"},
    )
    assert token.mimetype == "application/vc+jwt"
    claims = jwt.decode(token.text, options={"verify_signature": False})
    assert (
        claims["jti"] == doc["id"] and claims["sub"] == doc["credentialSubject"]["id"]
    )
    unknown = client.get(path, headers=registrar, query_string={"framework": "nope"})
    assert unknown.status_code == 400
    nobody = client.get(
        "/api/v1/learners/00000000-0000-4000-8000-000000000000/clr", headers=registrar
    )
    assert nobody.status_code == 404
    listed = client.get(
        f"/api/v1/learners/{seeded.learner_id}/credentials", headers=registrar
    )
    assert listed.json is not None
    assert sorted(c["kind"] for c in listed.json["items"]) == ["achievement"] * 3 + [
        "clr"
    ]
    # Revoking is for admins.
    badge = listed.json["items"][-1]["id"]
    revoke = f"/api/v1/credentials/{badge}/revoke"
    assert (
        client.post(revoke, json={"reason": "x"}, headers=registrar).status_code == 403
    )
    _, admin_token = create_admin_token(store, "admin")
    admin = {"Authorization": f"Bearer {admin_token}"}
    done = client.post(revoke, json={"reason": "entered in error"}, headers=admin)
    assert done.status_code == 200 and done.json is not None
    assert done.json["revoked_reason"] == "entered in error"
    assert (
        client.post(revoke, json={"reason": "again"}, headers=admin).status_code == 409
    )


def test_the_command_line_prints_transcripts_and_revokes(
    settings: Settings, store: Store, seeded: Seeded
) -> None:
    env = {**settings_env(settings), "TESSERA_BASE_URL": BASE_URL}

    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    printed = run("credentials", "transcript", seeded.learner_id)
    assert printed.exit_code == 0, printed.output
    clr = json.loads(printed.output)
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    token = run("credentials", "transcript", seeded.learner_id, "--format", "jwt")
    assert (
        jwt.decode(token.output.strip(), options={"verify_signature": False})["jti"]
        == (clr["id"])
    )
    listed = json.loads(run("credentials", "list", seeded.learner_id, "--json").output)
    assert len(listed) == 4
    badge = next(c["id"] for c in listed if c["kind"] == "achievement")
    done = run("credentials", "revoke", badge, "--reason", "entered in error")
    assert done.exit_code == 0 and "Revoked" in done.output
    again = run("credentials", "revoke", badge, "--reason", "twice")
    assert again.exit_code == 1 and "revoked already" in again.output


def test_the_scale_comes_from_the_mastery_configuration(
    store: Store, config: service.RecordsConfig, seeded: Seeded
) -> None:
    scale = [
        {"code": "none", "label": "Not started", "points": 0},
        {"code": "mastery", "label": "Secure", "points": 1, "mastery": True},
        {"code": "exceeds", "label": "Beyond", "points": 2},
    ]
    set_layer(store, "framework", seeded.framework_id, {"scale": scale}, "tests")
    issued = _issue(store, config, seeded, "OA.2")
    achievement = issued.document["credentialSubject"]["achievement"]
    assert achievement["resultDescription"][0]["allowedValue"] == [
        "Not started",
        "Secure",
        "Beyond",
    ]
    assert achievement["resultDescription"][0]["requiredValue"] == "Secure"
    assert issued.document["credentialSubject"]["result"][0]["value"] == "Beyond"
