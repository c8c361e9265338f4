"""The ``tessera`` command line: thin commands that parse, call the core, and render.

Every command takes ``--json`` for scripts; errors go to stderr as one sentence with exit code 1
(2 for a usage or configuration mistake).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy.engine import make_url

from adapters.outbound import KINDS
from gateway import __version__
from gateway.api.tokens import (
    INITIAL_TOKEN_NAME,
    SCOPES,
    AdminTokenInfo,
    count_admin_tokens,
    create_admin_token,
    list_admin_tokens,
    revoke_admin_token,
)
from gateway.competencies import ImportReport, import_package, list_frameworks
from gateway.competencies.fetch import load_package_source
from gateway.errors import ConfigError, InvalidPayload, TesseraError
from gateway.extension import tessera
from gateway.intake.alignment import MATCH_KINDS, NewAlignment, read_alignment_file
from gateway.intake.identity import merge_learners
from gateway.intake.model import EVIDENCE_KINDS
from gateway.intake.pipeline import replay
from gateway.intake.service import (
    align,
    apply_crosswalk_changes,
    ingest_csv,
    unaligned_inbox,
)
from gateway.keys import PURPOSE_ALGS, ensure_keys, list_keys, rotate_key
from gateway.lti.platforms import (
    POLICIES,
    NewRegistration,
    Registration,
    add_registration,
    list_registrations,
    lookup_registration,
    remove_registration,
    set_deployment,
)
from gateway.records.service import (
    RecordsConfig,
    issue_transcript,
    list_credentials,
    revoke_credential,
)
from gateway.settings import Settings
from gateway.store import MigrationResult, Store
from gateway.vendors import (
    DEFAULT_ADAPTER,
    Vendor,
    add_vendor,
    credentials_to_json,
    get_vendor,
    list_vendors,
    remove_vendor,
    rotate_credentials,
    update_vendor,
)
from gateway.vendors.credentials import NewCredential

F = TypeVar("F", bound=Callable[..., Any])
ProgressFn = Callable[[int, int], None]
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON for scripts."
)


def _create_app() -> Flask:
    from gateway.app import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise click.UsageError(exc.detail) from None


def _friendly_errors(fn: F) -> F:
    """Turn Tessera's errors into a one-sentence message and a non-zero exit."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TesseraError as exc:
            raise click.ClickException(exc.detail) from None

    return wrapper  # type: ignore[return-value]


@contextlib.contextmanager
def _progress(label: str, *, enabled: bool) -> Iterator[ProgressFn | None]:
    """A progress bar on stderr fed by ``callback(done, total)``; None when disabled."""
    if not enabled:
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:

        def callback(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield callback
    if not sys.stderr.isatty():  # the bar only wrote its label: end that line
        click.echo(err=True)


def _emit(as_json: bool, data: Any, text: str) -> None:
    click.echo(json.dumps(data, indent=2, default=str) if as_json else text)


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
@click.version_option(__version__, prog_name="tessera")
def cli() -> None:
    """Tessera: xAPI, Caliper and LTI in; evidence, mastery and credentials out."""


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="tessera")


def _store() -> Store:
    store = tessera(current_app).store
    # Close pooled connections when the command ends, not whenever the GC gets to them.
    click.get_current_context().find_root().call_on_close(store.dispose)
    return store


def _settings() -> Settings:
    return tessera(current_app).settings


def initialize(
    settings: Settings, store: Store, *, first_admin_token: bool = False
) -> dict[str, Any]:
    """Create the instance folder, migrate the store and make missing signing keys.

    With ``first_admin_token``, also make an admin-scoped token named "initial" if no admin
    token was ever made; ``admin_token`` then holds its ``KEY.SECRET`` string (shown this once),
    else None. ``tessera run`` leaves this off: a token made there would be shown to nobody.
    """
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    result: MigrationResult = store.migrate()
    created = ensure_keys(store)
    admin_token = None
    if first_admin_token and count_admin_tokens(store) == 0:
        _, admin_token = create_admin_token(store, INITIAL_TOKEN_NAME)
    return {
        "instance_path": str(settings.instance_path),
        "database": make_url(settings.database_url).render_as_string(
            hide_password=True
        ),
        "dialect": store.dialect,
        "revision_before": result.before,
        "revision": result.after,
        "keys_created": [
            {"kid": k.kid, "purpose": k.purpose, "alg": k.alg} for k in created
        ],
        "admin_token": admin_token,
    }


@cli.command("init")
@json_option
@_friendly_errors
def init_command(as_json: bool) -> None:
    """Create the instance folder, apply migrations and make signing keys (idempotent)."""
    info = initialize(_settings(), _store(), first_admin_token=True)
    migrated = (
        f"migrated {info['revision_before'] or 'an empty database'} -> {info['revision']}"
        if info["revision_before"] != info["revision"]
        else f"schema already at {info['revision']}"
    )
    keys = (
        ", ".join(f"{k['purpose']} ({k['alg']})" for k in info["keys_created"])
        or "none"
    )
    _emit(
        as_json,
        info,
        f"Instance: {info['instance_path']}\nDatabase: {info['database']} ({migrated})\n"
        f"Signing keys created: {keys}"
        + (
            "\n" + _admin_token_text(INITIAL_TOKEN_NAME, ["admin"], info["admin_token"])
            if info["admin_token"]
            else ""
        ),
    )


@cli.command("run")
@click.option("--host", default=None, help="Address to bind (default TESSERA_HOST).")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="Port to bind."
)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=None, help="Web processes."
)
@click.option(
    "--threads", type=click.IntRange(1, 256), default=None, help="Threads each."
)
@click.option(
    "--no-init", is_flag=True, help="Do not migrate or create keys before serving."
)
@click.option("--json", "as_json", is_flag=True, help="Log JSON lines instead of text.")
@click.option(
    "--with-worker",
    is_flag=True,
    help="Also run a delivery worker (`tessera worker`), stopped with the server.",
)
@_friendly_errors
def run_command(
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
    no_init: bool,
    as_json: bool,
    with_worker: bool,
) -> None:
    """Initialize (unless --no-init) and serve Tessera with gunicorn."""
    from gateway.server import serve

    settings = _settings()
    overrides: dict[str, Any] = {
        "host": host or settings.host,
        "port": port or settings.port,
        "web_workers": workers or settings.web_workers,
        "web_threads": threads or settings.web_threads,
        "log_json": as_json or settings.log_json,
    }
    settings = replace(settings, **overrides)
    store = _store()
    if no_init:
        store.require_ready()
    else:
        initialize(settings, store)
    store.refresh_statistics()
    store.dispose()  # no pooled connection may cross the fork into the workers
    click.echo(
        f"Tessera {__version__} serving on http://{settings.host}:{settings.port}",
        err=True,
    )
    serve(settings, with_worker=with_worker)


@cli.group("vendor")
def vendor_group() -> None:
    """Content vendors and their credentials."""


def _credentials_text(vendor: Vendor, creds: list[NewCredential]) -> str:
    data = credentials_to_json(creds)
    return (
        f"Vendor {vendor.name!r} ({vendor.id})\n"
        f"  xAPI (HTTP Basic)  key:    {data['xapi']['key']}\n"
        f"                     secret: {data['xapi']['secret']}\n"
        f"  Caliper (Bearer)   token:  {data['caliper']['token']}\n"
        "These secrets are shown once and stored only as hashes; keep them now."
    )


@vendor_group.command("add")
@click.argument("name")
@click.option("--display-name", help="Name shown to people (default: NAME).")
@click.option(
    "--adapter", default=DEFAULT_ADAPTER, show_default=True, help="Inbound adapter."
)
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Adapter settings, a TOML file such as config/vendors/acme-math.toml.",
)
@json_option
@_friendly_errors
def vendor_add(
    name: str,
    display_name: str | None,
    adapter: str,
    settings_file: str | None,
    as_json: bool,
) -> None:
    """Register a vendor and print its credentials once."""
    settings = _read_settings_file(settings_file) if settings_file else None
    vendor, creds = add_vendor(
        _store(), name, display_name=display_name, adapter=adapter, settings=settings
    )
    _emit(
        as_json,
        vendor.to_json() | credentials_to_json(creds),
        _credentials_text(vendor, creds),
    )


@vendor_group.command("list")
@json_option
@_friendly_errors
def vendor_list(as_json: bool) -> None:
    """List vendors with the public halves of their credentials."""
    found = list_vendors(_store())
    lines = [
        f"{v.name:24} {v.adapter:12} "
        + " ".join(f"{c.kind}:{c.key}" for c in v.credentials)
        for v in found
    ]
    _emit(as_json, [v.to_json() for v in found], "\n".join(lines) or "No vendors yet.")


_DURATION = re.compile(r"^(\d+)([smhd]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse_duration(_ctx: Any, _param: Any, value: str) -> timedelta:
    match = _DURATION.match(value.strip().lower())
    if not match:
        raise click.BadParameter(
            "use a whole number with s, m, h or d, such as 90s or 24h."
        )
    return timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2]])


@vendor_group.command("rotate")
@click.argument("name")
@click.option(
    "--grace",
    default="0",
    callback=_parse_duration,
    help="Keep the old credentials working this long (e.g. 24h); default: stop now.",
)
@json_option
@_friendly_errors
def vendor_rotate(name: str, grace: timedelta, as_json: bool) -> None:
    """Issue new credentials for a vendor and print them once."""
    vendor, creds = rotate_credentials(_store(), name, grace=grace)
    _emit(
        as_json,
        vendor.to_json() | credentials_to_json(creds),
        _credentials_text(vendor, creds),
    )


def _read_settings_file(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidPayload(f"{path} is not valid TOML: {exc}.") from None


@vendor_group.command("configure")
@click.argument("name")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@json_option
@_friendly_errors
def vendor_configure(name: str, path: str, as_json: bool) -> None:
    """Replace a vendor's adapter settings with those in a TOML file (checked first)."""
    vendor = update_vendor(_store(), name, settings=_read_settings_file(path))
    _emit(
        as_json,
        vendor.to_json(),
        f"Vendor {vendor.name!r} now uses the settings in {path}.",
    )


@vendor_group.command("import")
@click.argument("name")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@json_option
@_friendly_errors
def vendor_import(name: str, path: str, as_json: bool) -> None:
    """Take in a vendor's CSV export (mapped by its [csv] settings) as evidence."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        outcomes = ingest_csv(_store(), name, fh.read())
    counts: dict[str, int] = {}
    for o in outcomes:
        key = o.status if o.stored else "already stored"
        counts[key] = counts.get(key, 0) + 1
    evidence_made = sum(o.evidence for o in outcomes)
    _emit(
        as_json,
        {"rows": len(outcomes), "statuses": counts, "evidence": evidence_made},
        f"{len(outcomes)} rows: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f"; {evidence_made} evidence rows.",
    )


@vendor_group.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@_friendly_errors
def vendor_remove(name: str, yes: bool, as_json: bool) -> None:
    """Revoke a vendor's credentials and retire it; what it sent stays stored."""
    if not yes and not as_json and sys.stdin.isatty():
        click.confirm(f"Remove vendor {name!r} and revoke its credentials?", abort=True)
    vendor = remove_vendor(_store(), name)
    _emit(
        as_json,
        {"removed": vendor.name, "id": vendor.id},
        f"Removed vendor {vendor.name!r}.",
    )


@cli.group("framework")
def framework_group() -> None:
    """CASE competency frameworks: import and list."""


def _import_text(report: ImportReport) -> str:
    lines = [
        f"Framework {report.title!r} ({report.framework_id}), CASE {report.case_version}",
        f"  items: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.archived} archived",
        f"  associations: {report.associations} ({report.associations_created} new, "
        f"{report.associations_updated} updated, {report.associations_removed} removed)",
    ]
    if report.shared_id_changes:
        lines.append(
            f"  crosswalks: {len(report.shared_id_changes)} competencies changed "
            "shared id"
        )
    for label, notes in (("warning", report.warnings), ("skipped", report.skipped)):
        for note in notes[:20]:
            lines.append(f"  {label}: {note.path}: {note.message}")
        if len(notes) > 20:
            lines.append(f"  ... and {len(notes) - 20} more ({label}); see --json")
    return "\n".join(lines)


@framework_group.command("import")
@click.argument("source", metavar="PATH_OR_URL")
@click.option(
    "--item-types",
    default=None,
    help='CFItemType values that are assessable competencies, e.g. "Target,Standard" '
    "(default: every item).",
)
@json_option
@_friendly_errors
def framework_import(source: str, item_types: str | None, as_json: bool) -> None:
    """Import or re-import a CASE CFPackage from a file or a provider URL."""
    types = (
        [t.strip() for t in item_types.split(",") if t.strip()]
        if item_types is not None
        else None
    )
    data, source_url = load_package_source(
        source, allow_private=_settings().allow_private_urls
    )
    store = _store()
    with _progress("Importing", enabled=not as_json) as progress:
        report = import_package(
            store,
            data,
            source_url=source_url,
            competency_item_types=types,
            progress=progress,
        )
    # Competencies newly joined by a crosswalk: their evidence moves to the shared id.
    rederived = apply_crosswalk_changes(store, list(report.shared_id_changes))
    text = _import_text(report)
    if rederived:
        text += f"\nCrosswalk changes re-derived {rederived} evidence rows."
    _emit(as_json, report.to_json() | {"evidence_rederived": rederived}, text)


@framework_group.command("list")
@json_option
@_friendly_errors
def framework_list(as_json: bool) -> None:
    """List imported frameworks with their counts of active items and competencies."""
    found = list_frameworks(_store())
    lines = [
        f"{f.id}  CASE {f.case_version}  {f.item_count:6} items "
        f"{f.competency_count:6} competencies  {f.title}"
        for f in found
    ]
    _emit(
        as_json,
        [f.to_json() for f in found],
        "\n".join(lines) or "No frameworks yet; run `tessera framework import`.",
    )


@cli.group("admin-token")
def admin_token_group() -> None:
    """Bearer tokens for the admin REST API under /api/v1."""


def _admin_token_text(name: str, scopes: list[str], token: str) -> str:
    return (
        f"Admin token {name!r} ({', '.join(scopes)}): {token}\n"
        "Send it as `Authorization: Bearer TOKEN` to /api/v1. It is shown once and stored "
        "only as a hash; keep it now."
    )


def _optional_duration(ctx: Any, param: Any, value: str | None) -> timedelta | None:
    if value is None:
        return None
    duration = _parse_duration(ctx, param, value)
    if duration <= timedelta(0):
        raise click.BadParameter("use a positive duration, such as 90d.")
    return duration


@admin_token_group.command("create")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    type=click.Choice(list(SCOPES)),
    multiple=True,
    help="admin (everything) or records (reading learner records); default admin.",
)
@click.option(
    "--expires-in",
    callback=_optional_duration,
    help="Lifetime, such as 90d or 12h; default: does not expire.",
)
@json_option
@_friendly_errors
def admin_token_create(
    name: str, scopes: tuple[str, ...], expires_in: timedelta | None, as_json: bool
) -> None:
    """Make an admin API token and print it once."""
    info, token = create_admin_token(
        _store(), name, scopes or ("admin",), expires_in=expires_in
    )
    _emit(
        as_json,
        info.to_json() | {"token": token},
        _admin_token_text(info.name, list(info.scopes), token),
    )


def _admin_token_line(info: AdminTokenInfo) -> str:
    expires = f"expires {info.expires_at:%Y-%m-%d %H:%M}Z" if info.expires_at else ""
    return (
        f"{info.name:20} {info.key:20} {' '.join(info.scopes):14} "
        f"{info.status():8} {expires}".rstrip()
    )


@admin_token_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include revoked tokens.")
@json_option
@_friendly_errors
def admin_token_list(show_all: bool, as_json: bool) -> None:
    """List admin tokens (never their secrets)."""
    found = list_admin_tokens(_store(), include_revoked=show_all)
    _emit(
        as_json,
        [t.to_json() for t in found],
        "\n".join(_admin_token_line(t) for t in found) or "No admin tokens.",
    )


@admin_token_group.command("revoke")
@click.argument("key_or_name")
@json_option
@_friendly_errors
def admin_token_revoke(key_or_name: str, as_json: bool) -> None:
    """Revoke an admin token by key (ta_...) or name; it stops working at once."""
    info = revoke_admin_token(_store(), key_or_name)
    _emit(
        as_json,
        info.to_json(),
        f"Revoked admin token {info.name!r} ({info.key}).",
    )


@cli.group("platform")
def platform_group() -> None:
    """LTI 1.3 platforms (LMS registrations) and their deployments."""


def _platform_text(reg: Registration) -> str:
    deps = ", ".join(f"{d.deployment_id} ({d.status})" for d in reg.deployments)
    return (
        f"{reg.issuer}  client {reg.client_id}  [{reg.source}, new deployments: "
        f"{reg.deployment_policy}]  id {reg.id}\n  deployments: {deps or 'none yet'}"
    )


def _platform_key(issuer: str, client_id: str | None) -> str:
    return f"{issuer}|{client_id}" if client_id else issuer


@platform_group.command("add")
@click.option("--issuer", required=True, help="The platform's issuer (iss).")
@click.option("--client-id", required=True, help="The client id it gave Tessera.")
@click.option("--auth-login-url", required=True, help="OIDC authorization endpoint.")
@click.option("--auth-token-url", required=True, help="OAuth 2 token endpoint.")
@click.option("--jwks-url", required=True, help="The platform's public key set.")
@click.option(
    "--deployment-id", "deployment_ids", multiple=True, help="Repeat for each one."
)
@click.option("--name", help="A name for people.")
@click.option(
    "--token-audience",
    help="Client-assertion audience when not the token URL (Brightspace, Blackboard).",
)
@click.option(
    "--deployment-policy",
    type=click.Choice(POLICIES),
    default="accept",
    show_default=True,
    help="New deployments seen at launch: accept, or wait for approval.",
)
@json_option
@_friendly_errors
def platform_add(
    issuer: str,
    client_id: str,
    auth_login_url: str,
    auth_token_url: str,
    jwks_url: str,
    deployment_ids: tuple[str, ...],
    name: str | None,
    token_audience: str | None,
    deployment_policy: str,
    as_json: bool,
) -> None:
    """Register an LTI 1.3 platform (manual registration)."""
    reg = add_registration(
        _store(),
        NewRegistration(
            issuer=issuer,
            client_id=client_id,
            auth_login_url=auth_login_url,
            auth_token_url=auth_token_url,
            jwks_url=jwks_url,
            deployment_ids=deployment_ids,
            name=name,
            token_audience=token_audience,
            deployment_policy=deployment_policy,
        ),
        allow_private=_settings().allow_private_urls,
    )
    _emit(as_json, reg.to_json(), "Registered " + _platform_text(reg))


@platform_group.command("list")
@json_option
@_friendly_errors
def platform_list(as_json: bool) -> None:
    """List registered platforms with their deployments."""
    found = list_registrations(_store())
    _emit(
        as_json,
        [r.to_json() for r in found],
        "\n".join(_platform_text(r) for r in found) or "No platforms yet.",
    )


@platform_group.command("remove")
@click.argument("issuer")
@click.option("--client-id", help="Which registration, when the issuer has several.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@_friendly_errors
def platform_remove(
    issuer: str, client_id: str | None, yes: bool, as_json: bool
) -> None:
    """Remove a platform registration (ISSUER, or a registration id); launches stop."""
    store = _store()
    reg = lookup_registration(store, _platform_key(issuer, client_id))
    if not yes and not as_json and sys.stdin.isatty():
        click.confirm(
            f"Remove {reg.issuer} (client {reg.client_id})? Launches from it stop.",
            abort=True,
        )
    remove_registration(store, reg.id)
    _emit(
        as_json,
        {"removed": reg.id, "issuer": reg.issuer, "client_id": reg.client_id},
        f"Removed {reg.issuer} (client {reg.client_id}).",
    )


@platform_group.command("approve")
@click.argument("issuer")
@click.argument("deployment_id")
@click.option("--client-id", help="Which registration, when the issuer has several.")
@json_option
@_friendly_errors
def platform_approve(
    issuer: str, deployment_id: str, client_id: str | None, as_json: bool
) -> None:
    """Accept launches from a deployment (adds it if Tessera has not seen it yet)."""
    store = _store()
    reg = lookup_registration(store, _platform_key(issuer, client_id))
    dep = set_deployment(store, reg.id, deployment_id, "active")
    _emit(
        as_json,
        dep.to_json() | {"registration_id": reg.id},
        f"Deployment {deployment_id} of {reg.issuer} is active.",
    )


@cli.group("keys")
def keys_group() -> None:
    """Signing keys (LTI messages, credentials)."""


@keys_group.command("list")
@json_option
@_friendly_errors
def keys_list(as_json: bool) -> None:
    """List signing keys; retired ones stay published so old signatures verify."""
    rows = [
        {
            "kid": k.kid,
            "purpose": k.purpose,
            "alg": k.alg,
            "created_at": k.created_at.isoformat(),
            "retired_at": k.retired_at.isoformat() if k.retired_at else None,
        }
        for k in list_keys(_store())
    ]
    now = datetime.now(UTC).isoformat()

    def state(retired_at: str | None) -> str:
        if retired_at is None:
            return "published"
        return "retired" if retired_at <= now else f"signing until {retired_at}"

    text = "\n".join(
        f"{r['purpose']:15} {r['alg']:6} {r['kid']}  {state(r['retired_at'])}"
        for r in rows
    )
    _emit(as_json, rows, text or "No keys yet; run `tessera init`.")


@keys_group.command("rotate")
@click.option(
    "--purpose",
    type=click.Choice(sorted(PURPOSE_ALGS)),
    default="lti",
    show_default=True,
)
@json_option
@_friendly_errors
def keys_rotate(purpose: str, as_json: bool) -> None:
    """Publish a new signing key; it signs after the publish lead, the old one until then."""
    lead = timedelta(
        seconds=_settings().lti_key_publish_seconds if purpose == "lti" else 0
    )
    key = rotate_key(_store(), purpose, publish_lead=lead)
    signs_from = key.created_at + lead
    _emit(
        as_json,
        {
            "kid": key.kid,
            "purpose": key.purpose,
            "alg": key.alg,
            "signs_from": signs_from.isoformat(),
        },
        f"New {purpose} key {key.kid} ({key.alg}) is published now and signs from "
        f"{signs_from:%Y-%m-%d %H:%M} UTC; the previous key signs until then and stays "
        "in the JWKS while what it signed can still be checked.",
    )


@cli.group("credentials")
def credentials_group() -> None:
    """Learner records: Open Badges 3.0 credentials and CLR 2.0 transcripts."""


def _records_config() -> RecordsConfig:
    return RecordsConfig.from_settings(_settings())


@credentials_group.command("transcript")
@click.argument("learner_id")
@click.option("--framework", help="Only this CASE framework (CFDocument identifier).")
@click.option("--context", help="For this class (context id).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonld", "jwt"]),
    default="jsonld",
    show_default=True,
)
@_friendly_errors
def credentials_transcript(
    learner_id: str, framework: str | None, context: str | None, fmt: str
) -> None:
    """Issue (once per content) and print a learner's signed CLR 2.0 transcript."""
    issued = issue_transcript(
        _store(),
        _records_config(),
        learner_id,
        framework_id=framework,
        context_id=context,
    )
    click.echo(issued.jwt if fmt == "jwt" else json.dumps(issued.document, indent=2))


@credentials_group.command("list")
@click.argument("learner_id")
@json_option
@_friendly_errors
def credentials_list(learner_id: str, as_json: bool) -> None:
    """Credentials issued to a learner, newest first."""
    rows = [c.to_json() for c in list_credentials(_store(), learner_id)]
    text = "\n".join(
        f"{r['kind']:11} {r['id']}  {r['level'] or '':8} "
        f"{'revoked' if r['revoked_at'] else 'active'}  {r['name']}"
        for r in rows
    )
    _emit(as_json, rows, text or "No credentials issued to this learner.")


@credentials_group.command("revoke")
@click.argument("credential_id")
@click.option("--reason", required=True, help="Why (kept for the audit trail).")
@json_option
@_friendly_errors
def credentials_revoke(credential_id: str, reason: str, as_json: bool) -> None:
    """Revoke a credential: its status-list bit flips, and CLRs embedding it are revoked."""
    revoked = revoke_credential(_store(), _records_config(), credential_id, reason)
    _emit(
        as_json,
        revoked.to_json(),
        f"Revoked {revoked.url}; verifiers see it within a minute (status list max-age).",
    )


def _vendor_id(name: str | None) -> str | None:
    return get_vendor(_store(), name).id if name else None


@cli.command("align")
@click.argument("activity")
@click.argument("competency")
@click.option(
    "--vendor", help="Only for this vendor's activities (default: any vendor)."
)
@click.option(
    "--match",
    type=click.Choice(MATCH_KINDS),
    default="exact",
    show_default=True,
    help="ACTIVITY is an exact id, an id prefix, or a glob pattern.",
)
@click.option("--weight", type=float, help="Weight of this evidence (default 1).")
@click.option("--kind", type=click.Choice(EVIDENCE_KINDS), help="Evidence kind.")
@click.option("--dok", type=click.IntRange(1, 4), help="Depth of knowledge.")
@json_option
@_friendly_errors
def align_command(
    activity: str,
    competency: str,
    vendor: str | None,
    match: str,
    weight: float | None,
    kind: str | None,
    dok: int | None,
    as_json: bool,
) -> None:
    """Align an activity to a competency (CFItem identifier or URI) and replay its data."""
    rule = NewAlignment(
        activity, competency, _vendor_id(vendor), match, weight, kind, dok
    )
    result = align(_store(), [rule])
    _emit(
        as_json,
        result.to_json(),
        f"Aligned {activity} -> {result.rules[0].competency_id}; "
        f"{result.observations} stored observations replayed into {result.evidence} "
        "evidence rows.",
    )


@cli.group("alignments")
def alignments_group() -> None:
    """Alignment rules and the inbox of unaligned activities."""


@alignments_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@json_option
@_friendly_errors
def alignments_load(path: str, as_json: bool) -> None:
    """Load alignments from a CSV, JSON or TOML file (all or nothing) and replay."""
    vendor_ids: dict[str, str | None] = {}
    rules = []
    for row in read_alignment_file(path):
        name = row.pop("vendor", None)
        if name not in vendor_ids:
            vendor_ids[name] = _vendor_id(name)
        rules.append(NewAlignment(vendor_id=vendor_ids[name], source="file", **row))
    result = align(_store(), rules)
    _emit(
        as_json,
        result.to_json(),
        f"Loaded {len(result.rules)} alignments; {result.observations} stored observations "
        f"replayed into {result.evidence} evidence rows.",
    )


@alignments_group.command("inbox")
@click.option("--limit", type=click.IntRange(1, 10000), default=100, show_default=True)
@json_option
@_friendly_errors
def alignments_inbox(limit: int, as_json: bool) -> None:
    """Activities whose observations no alignment covers yet, most frequent first."""
    entries = unaligned_inbox(_store(), limit=limit)
    text = "\n".join(
        f"{e.observations:8}  {e.vendor or '-':20} {e.activity_id}" for e in entries
    )
    _emit(as_json, [e.to_json() for e in entries], text or "The inbox is empty.")


@cli.command("replay")
@click.option("--vendor", help="Only this vendor's records.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Only records received at or after this UTC date/time.",
)
@json_option
@_friendly_errors
def replay_command(vendor: str | None, since: datetime | None, as_json: bool) -> None:
    """Re-derive observations and evidence from stored raw records (idempotent)."""
    since_utc = since.replace(tzinfo=UTC) if since else None
    with _progress("Replaying", enabled=not as_json) as progress:
        result = replay(
            _store(), vendor_id=_vendor_id(vendor), since=since_utc, progress=progress
        )
    _emit(
        as_json,
        {
            "records": result.records,
            "evidence": result.evidence,
            "statuses": result.statuses,
        },
        f"Replayed {result.records} raw records into {result.evidence} evidence rows; "
        + ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items())),
    )


@cli.group("learner")
def learner_group() -> None:
    """Learners and their identifiers."""


@learner_group.command("merge")
@click.argument("merged_id")
@click.argument("kept_id")
@json_option
@_friendly_errors
def learner_merge(merged_id: str, kept_id: str, as_json: bool) -> None:
    """Fold learner MERGED_ID into KEPT_ID (identifiers, observations, evidence move)."""
    r = merge_learners(_store(), merged_id, kept_id)
    _emit(
        as_json,
        {
            "kept": r.kept,
            "merged": r.merged,
            "identifiers": r.identifiers,
            "observations": r.observations,
            "evidence": r.evidence,
        },
        f"Merged {r.merged} into {r.kept}: {r.identifiers} identifiers, "
        f"{r.observations} observations and {r.evidence} evidence rows moved.",
    )


@cli.group("mastery")
def mastery_group() -> None:
    """Mastery decisions: show them, configure how they are made, recompute them."""


@mastery_group.command("show")
@click.argument("learner_id")
@click.option("--framework", help="Only competencies of this framework.")
@click.option(
    "--evidence", "with_evidence", is_flag=True, help="List the evidence too."
)
@json_option
@_friendly_errors
def mastery_show(
    learner_id: str, framework: str | None, with_evidence: bool, as_json: bool
) -> None:
    """A learner's level on each competency, and why."""
    from gateway.mastery.queries import Filters, learner_mastery

    found = learner_mastery(
        _store(), learner_id, Filters(framework=framework), with_evidence=with_evidence
    )
    lines = []
    for e in found["mastery"]:
        c = e["competency"]
        name = c["human_coding_scheme"] or c["id"]
        level = e["level"]["label"] if e["level"] else "-"
        lines.append(f"{name:24} {level:18} {e['explanation']}")
        for piece in e.get("evidence", []):
            lines.append(
                f"{'':24}   {piece['observed_at'][:16]}  {piece['source']:12} "
                f"{piece['kind']:16} {piece['score']:.2f}"
            )
    _emit(as_json, found, "\n".join(lines) or "No evidence for this learner yet.")


@cli.command("demo")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing when the demo is there already."
)
@json_option
@_friendly_errors
def demo_command(if_empty: bool, as_json: bool) -> None:
    """Fill this instance with a demo: frameworks, vendors, a class and a week of traffic."""
    from gateway.demo import is_seeded, seed

    store = _store()
    if is_seeded(store):
        if if_empty:
            _emit(as_json, {"seeded": False}, "The demo is already here.")
            return
        raise click.ClickException(
            "The demo is already here (its vendors exist); use a fresh instance folder, "
            "or --if-empty to skip."
        )
    report = seed(_settings(), store)
    base = _settings().base_url
    _emit(
        as_json,
        {"seeded": True, **report.to_json()},
        f"Demo ready: {report.learners} learners in Math 2, Period 3; "
        f"{report.statements} xAPI statements and {report.events} Caliper events played "
        f"through the endpoints; {report.teacher_scores} performance tasks scored.\n"
        f"  Teacher's class grid: {base}/lti/view/{report.teacher_launch}\n"
        f"  A learner's own view: {base}/lti/view/{report.learner_launch}\n"
        "  (as if launched from an LMS; these links work for 30 days)\n"
        f"  Grades delivered to a demo gradebook: {base}/demo/gradebook (a delivery worker "
        "sends them: `tessera run --with-worker`, as `make run` does)\n"
        f"  Admin console: {base}/admin/sign-in with the token {report.admin_token}\n"
        f"  (shown once); the class: GET {base}/api/v1/contexts/{report.context_id}"
        "/mastery with that token as a Bearer.",
    )


@mastery_group.command("recompute")
@click.option("--learner", "learner_id", help="Only this learner's decisions.")
@click.option(
    "--processes",
    type=click.IntRange(1, 16),
    default=None,
    help="Processes folding evidence in a full recompute on SQLite (default: one per CPU, "
    "at most 4).",
)
@json_option
@_friendly_errors
def mastery_recompute(
    learner_id: str | None, processes: int | None, as_json: bool
) -> None:
    """Re-fold every decision from the evidence (they are kept current; this checks it)."""
    from gateway.mastery.service import recompute

    if processes is None:
        processes = min(os.cpu_count() or 1, 4)
    r = recompute(_store(), learner_id, processes=processes)
    _emit(
        as_json,
        {"evidence": r.evidence, "decisions": r.decisions, "changes": r.changes},
        f"Recomputed {r.decisions} decisions from {r.evidence} pieces of evidence; "
        f"{r.changes} levels changed.",
    )


@mastery_group.command("configure")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--framework", help="Set the layer of this framework.")
@click.option("--competency", help="Set the layer of this (shared) competency.")
@json_option
@_friendly_errors
def mastery_configure(
    path: str, framework: str | None, competency: str | None, as_json: bool
) -> None:
    """Set a configuration layer from a TOML FILE (policy, scale, rules, rollup).

    Without --framework or --competency it is the instance's default. Every decision the
    layer governs is recomputed in the same transaction.
    """
    from gateway.mastery.service import set_layer

    if framework and competency:
        raise click.UsageError("Give --framework or --competency, not both.")
    scope = "framework" if framework else "competency" if competency else "default"
    layer = _read_settings_file(path)
    config = set_layer(
        _store(), scope, (framework or competency or "").lower(), layer, "cli"
    )
    _emit(
        as_json,
        config.as_dict(),
        f"Mastery configuration set ({scope}); in force: {config.policy.label()}, "
        f"mastery at {config.scale.mastery.label} ({config.scale.mastery_points:g} points).",
    )


@cli.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--name", help="This worker's name in claims (default: host:pid:random).")
@click.option(
    "--batch",
    type=click.IntRange(1, 1000),
    help="Deliveries claimed at a time (default TESSERA_WORKER_BATCH_SIZE).",
)
@json_option
@_friendly_errors
def worker_command(
    once: bool, name: str | None, batch: int | None, as_json: bool
) -> None:
    """Deliver outbox events to the destinations until SIGTERM or SIGINT.

    Several workers may run at once against one database. On a stop signal the worker
    finishes the delivery in hand, records it, gives its other claims back and exits 0.
    """
    import signal

    from gateway.outbox.worker import Worker

    store = _store()
    store.require_ready()
    settings = _settings()
    if batch:
        settings = replace(settings, worker_batch_size=batch)
    worker = Worker(store, settings, name=name)

    def _stop(_signum: int, _frame: Any) -> None:
        worker.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    click.echo(f"Tessera worker {worker.name} started", err=True)
    stats = worker.run(once=once)
    outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(stats.outcomes.items()))
    _emit(
        as_json,
        {"name": worker.name} | stats.to_json(),
        f"Worker {worker.name} stopped after {stats.attempts} attempts"
        + (f" ({outcomes})." if outcomes else "."),
    )


@cli.group("destination")
def destination_group() -> None:
    """Where events are delivered: webhooks, OneRoster gradebooks, Ed-Fi ODS/APIs."""


@destination_group.command("add")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(list(KINDS)),
    required=True,
)
@click.option("--url", help="A webhook's URL (the same as settings url).")
@click.option(
    "--settings",
    "settings_path",
    type=click.Path(exists=True, dir_okay=False),
    help="TOML file with the kind's settings.",
)
@click.option("--secret", help="The OAuth client secret or webhook key (else made).")
@click.option(
    "--secret-stdin", is_flag=True, help="Read the secret from the first line of stdin."
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    help="A topic to deliver (repeatable; default mastery.changed).",
)
@json_option
@_friendly_errors
def destination_add(
    name: str,
    kind: str,
    url: str | None,
    settings_path: str | None,
    secret: str | None,
    secret_stdin: bool,
    topics: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add a destination; a webhook's secret is printed once when Tessera makes it."""
    from gateway.outbox.destinations import add_destination

    values = _read_settings_file(settings_path) if settings_path else {}
    if url:
        values["url"] = url
    if secret_stdin:
        secret = sys.stdin.readline().strip()
    made, generated = add_destination(
        _store(), name, kind, values, secret=secret, topics=topics or None
    )
    text = f"Destination {made.name} ({made.kind}) added; topics: {', '.join(made.topics)}."
    if generated:
        text += (
            f"\nSigning secret (shown once; the receiver verifies with it): {generated}"
        )
    _emit(as_json, made.to_json() | {"secret": generated}, text)


@destination_group.command("list")
@json_option
@_friendly_errors
def destination_list(as_json: bool) -> None:
    """Active destinations (secrets are never shown, only their hint)."""
    from gateway.outbox.destinations import list_destinations

    found = list_destinations(_store())
    text = "\n".join(
        f"{d.name:24} {d.kind:10} {','.join(d.topics):20} "
        + str(d.settings.get("url") or d.settings.get("base_url") or "")
        for d in found
    )
    _emit(as_json, [d.to_json() for d in found], text or "No destinations yet.")


@destination_group.command("remove")
@click.argument("name")
@json_option
@_friendly_errors
def destination_remove(name: str, as_json: bool) -> None:
    """Stop delivering to NAME; its undelivered items become dead."""
    from gateway.outbox.destinations import remove_destination

    found, abandoned = remove_destination(_store(), name)
    _emit(
        as_json,
        {"destination": found.to_json(), "abandoned": abandoned},
        f"Destination {found.name} removed; {abandoned} undelivered items abandoned.",
    )
