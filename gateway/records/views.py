"""Public record pages: issuer profile, DID document, credentials, status lists, verification.

None needs a token: a registrar (or anyone handed a credential) must be able to check it.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request

from gateway.errors import InvalidPayload, UnsupportedMediaType
from gateway.extension import tessera
from gateway.records import service
from gateway.records.verify import Report

bp = Blueprint("records", __name__, template_folder="templates")

JSON_LD = "application/ld+json"
VC_JWT = "application/vc+jwt"  # VC-JOSE-COSE section 3.1.1
_MAX_PASTE = 256 * 1024


def _config() -> service.RecordsConfig:
    return service.RecordsConfig.from_settings(tessera().settings)


def _json(document: Any, mimetype: str, max_age: int) -> Response:
    response = Response(
        json.dumps(document, ensure_ascii=False, indent=2), mimetype=mimetype
    )
    response.headers["Cache-Control"] = (
        f"public, max-age={max_age}" if max_age else "no-store"
    )
    response.headers["Access-Control-Allow-Origin"] = (
        "*"  # verifiers run in browsers too
    )
    return response


def _wants(*kinds: str) -> str | None:
    """The best of ``kinds`` the client accepts, preferring JSON when it does not say."""
    best = request.accept_mimetypes.best_match(kinds)
    return best if best and request.accept_mimetypes[best] else None


@bp.get("/issuer")
def get_issuer_profile() -> Response:
    """The issuer Profile every credential embeds (its id is the issuer's did:web)."""
    return _json(service.issuer_profile(_config()), JSON_LD, 300)


@bp.get("/.well-known/did.json")
@bp.get("/did.json")
def get_did_document() -> Response:
    """The DID document of did:web (at the host, or under a base URL's path)."""
    with tessera().store.read() as conn:
        document = service.did_document(conn, _config())
    # A rotation must reach verifiers within minutes, as with the JWKS.
    return _json(document, "application/did+json", 300)


@bp.get("/credentials/<credential_id>")
def get_credential(credential_id: str) -> Response:
    """An issued credential at its id: JSON-LD, a VC-JWT (``?format=jwt``), or the page."""
    config = _config()
    found = service.get_credential(
        tessera().store, service.credential_id_from(config, credential_id)
    )
    wanted = request.args.get("format") or _wants(
        JSON_LD, "application/json", VC_JWT, "text/html"
    )
    if wanted in ("jwt", VC_JWT):
        response = Response(found.jwt, mimetype=VC_JWT)
        response.headers["Cache-Control"] = "public, max-age=300"
        return response
    if wanted == "text/html":
        return _page(
            service.check_credential(tessera().store, config, found.document), found.url
        )
    return _json(found.document, JSON_LD, 300)


@bp.get("/status/<int:list_id>")
def get_status_list(list_id: int) -> Response:
    """A BitstringStatusListCredential; re-signed whenever a credential on it is revoked."""
    # Short max-age: a revocation should reach verifiers quickly.
    return _json(service.status_list_document(tessera().store, list_id), JSON_LD, 60)


@bp.get("/achievements/<item_id>")
def get_achievement(item_id: str) -> Response:
    """The Achievement a CASE item stands for in credentials."""
    return _json(
        service.achievement_document(tessera().store, _config(), item_id), JSON_LD, 300
    )


def _pasted() -> dict[str, Any] | str:
    """The credential a person pasted (form) or a script posted (JSON or JWT body)."""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        text = request.form.get("credential", "")
    elif request.mimetype in ("application/json", JSON_LD, "text/plain", VC_JWT, ""):
        text = request.get_data(as_text=True)
    else:
        raise UnsupportedMediaType(
            "Post a credential as JSON, as a VC-JWT, or as the form field 'credential'."
        )
    text = text.strip()
    if not text:
        raise InvalidPayload("Paste a credential (its JSON or its JWT) to verify it.")
    if len(text) > _MAX_PASTE:
        raise InvalidPayload(
            f"A credential to verify is at most {_MAX_PASTE} characters."
        )
    if not text.startswith("{"):
        return text
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        raise InvalidPayload(
            f"The pasted credential is not valid JSON: {exc}."
        ) from None
    if not isinstance(parsed, dict):
        raise InvalidPayload("A credential is a JSON object.")
    return parsed


@bp.route("/verify", methods=["GET", "POST"])
def verify_credential() -> Response:
    """Shows what a credential says and whether it verifies: signature, status, validity.

    ``GET /verify?credential=<URL of a credential of this Tessera>`` (``&format=jwt`` checks its
    JWT form); ``POST`` a pasted credential. JSON with ``Accept: application/json``.
    """
    config = _config()
    store = tessera().store
    reference = request.args.get("credential", "")
    if request.method == "POST":
        report = service.check_credential(store, config, _pasted(), pasted=True)
        url = str(report.credential.get("id", ""))
    elif reference:
        found = service.get_credential(
            store, service.credential_id_from(config, reference)
        )
        subject: dict[str, Any] | str = (
            found.jwt if request.args.get("format") == "jwt" else found.document
        )
        report = service.check_credential(store, config, subject)
        url = found.url
    else:
        return _page(None, "")
    if _wants("text/html", "application/json") == "application/json":
        return _json(report.to_json(), "application/json", 0)
    return _page(report, url)


def _page(report: Report | None, url: str) -> Response:
    html = render_template(
        "records/verify.html",
        report=report,
        url=url,
        issuer=_config().issuer,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
