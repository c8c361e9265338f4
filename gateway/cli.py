"""The ``tessera`` command line: thin commands that parse, call the core, and render.

Every command takes ``--json`` for scripts; errors go to stderr as one sentence with exit code 1
(2 for a usage or configuration mistake).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, TypeVar

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy.engine import make_url

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
from gateway.errors import ConfigError, TesseraError
from gateway.extension import tessera
from gateway.keys import PURPOSE_ALGS, ensure_keys, list_keys, rotate_key
from gateway.settings import Settings
from gateway.store import MigrationResult, Store
from gateway.vendors import (
    DEFAULT_ADAPTER,
    Vendor,
    add_vendor,
    credentials_to_json,
    list_vendors,
    remove_vendor,
    rotate_credentials,
)
from gateway.vendors.credentials import NewCredential

F = TypeVar("F", bound=Callable[..., Any])
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
@_friendly_errors
def run_command(
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
    no_init: bool,
    as_json: bool,
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
    store.dispose()  # no pooled connection may cross the fork into the workers
    click.echo(
        f"Tessera {__version__} serving on http://{settings.host}:{settings.port}",
        err=True,
    )
    serve(settings)


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
@json_option
@_friendly_errors
def vendor_add(
    name: str, display_name: str | None, adapter: str, as_json: bool
) -> None:
    """Register a vendor and print its credentials once."""
    vendor, creds = add_vendor(
        _store(), name, display_name=display_name, adapter=adapter
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
    text = "\n".join(
        f"{r['purpose']:12} {r['alg']:6} {r['kid']}  {'retired' if r['retired_at'] else 'active'}"
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
    """Make a new signing key; the old one is retired but stays published."""
    key = rotate_key(_store(), purpose)
    _emit(
        as_json,
        {"kid": key.kid, "purpose": key.purpose, "alg": key.alg},
        f"New {purpose} key {key.kid} ({key.alg}); the previous one stays in the JWKS.",
    )
