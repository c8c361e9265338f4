"""One typed, frozen settings object, read once at start-up.

Sources, later ones winning: built-in defaults, the TOML file named by ``TESSERA_CONFIG``,
environment variables (``TESSERA_*`` and ``DATABASE_URL``), then explicit overrides (tests).
Nothing else in Tessera reads ``os.environ``.

Every mistake stops start-up with a :class:`ConfigError` whose sentence names the variable
and the values it accepts.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from gateway.errors import ConfigError

ENV_PREFIX = "TESSERA_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Tessera can be configured with. Build it with :func:`load_settings`."""

    instance_path: Path = field(
        default=Path("instance"),
        metadata={
            "doc": "Folder for the SQLite database and other local state; created when missing."
        },
    )
    database_url: str = field(
        default="",
        metadata={
            "env": "DATABASE_URL",
            "doc": "SQLAlchemy URL of the store: `sqlite:///PATH` or "
            "`postgresql+psycopg://USER@HOST:PORT/DB`. Default: SQLite in the instance folder.",
        },
    )
    base_url: str = field(
        default="http://127.0.0.1:8000",
        metadata={
            "doc": "Public URL of this Tessera, used in LTI configuration and credential ids."
        },
    )
    host: str = field(
        default="127.0.0.1", metadata={"doc": "Address `tessera run` binds to."}
    )
    port: int = field(
        default=8000,
        metadata={
            "doc": "Port `tessera run` binds to (1-65535).",
            "min": 1,
            "max": 65535,
        },
    )
    web_workers: int = field(
        default=2,
        metadata={
            "doc": "Web processes started by `tessera run`.",
            "min": 1,
            "max": 64,
        },
    )
    web_threads: int = field(
        default=4,
        metadata={"doc": "Threads per web process.", "min": 1, "max": 256},
    )
    log_level: str = field(
        default="INFO",
        metadata={"doc": "Least severe log level written.", "choices": LOG_LEVELS},
    )
    log_json: bool = field(
        default=False,
        metadata={"doc": "Write logs as JSON lines (one object per line)."},
    )
    max_body_bytes: int = field(
        default=16 * 1024 * 1024,
        metadata={
            "doc": "Largest request body accepted; larger ones get 413.",
            "min": 1024,
        },
    )
    trusted_proxies: int = field(
        default=0,
        metadata={
            "doc": "Number of reverse proxies in front of Tessera whose X-Forwarded-* "
            "headers are trusted (0 trusts none).",
            "min": 0,
            "max": 10,
        },
    )
    auth_cache_seconds: int = field(
        default=5,
        metadata={
            "doc": "How long a process remembers a successful vendor credential check; a "
            "credential revoked elsewhere stops working within this time (0: never cached).",
            "min": 0,
            "max": 300,
        },
    )
    rate_limit_per_second: int = field(
        default=100,
        metadata={
            "doc": "Requests per second each credential (a vendor's xAPI key or Caliper "
            "token, an admin token) may send after its burst; more get 429 with "
            "Retry-After (0: no limit).",
            "min": 0,
            "max": 1_000_000,
        },
    )
    rate_limit_burst: int = field(
        default=200,
        metadata={
            "doc": "Requests a credential may send at once before the per-second rate "
            "applies.",
            "min": 1,
            "max": 1_000_000,
        },
    )
    redis_url: str = field(
        default="",
        metadata={
            "doc": "Redis URL (`redis://HOST:6379/0`) where every web node keeps the rate "
            "limits' budgets; empty: each web process keeps its own.",
        },
    )
    xapi_default_version: str = field(
        default="2.0.0",
        metadata={
            "doc": "xAPI version named in the X-Experience-API-Version header of the 400 "
            "answering an xAPI request that names no version (1.0.3 or 2.0.0).",
            "choices": ("1.0.3", "2.0.0"),
        },
    )
    db_pool_size: int = field(
        default=5,
        metadata={
            "doc": "Connections kept per process (PostgreSQL).",
            "min": 1,
            "max": 100,
        },
    )
    sqlite_busy_timeout_ms: int = field(
        default=5000,
        metadata={
            "doc": "How long a SQLite writer waits for the lock, in ms.",
            "min": 0,
        },
    )
    allow_private_urls: bool = field(
        default=False,
        metadata={
            "doc": "Let Tessera call http URLs and loopback, private or link-local addresses "
            "that platforms name (JWKS, token, AGS, NRPS, registration). For development "
            "and tests on one machine only."
        },
    )
    lti_key_publish_seconds: int = field(
        default=3600,
        metadata={
            "doc": "After `tessera keys rotate`, how long a new LTI key is published before "
            "it signs, so platforms that cached the JWKS see it first.",
            "min": 0,
            "max": 7 * 86400,
        },
    )
    lti_roster_max_age_seconds: int = field(
        default=86400,
        metadata={
            "doc": "A launch refreshes the class roster from Names and Role Provisioning "
            "when the last sync is older than this (0: on every launch).",
            "min": 0,
        },
    )

    admin_session_seconds: int = field(
        default=7200,
        metadata={
            "doc": "How long an admin console sign-in with an admin token lasts before the "
            "token must be entered again.",
            "min": 60,
            "max": 7 * 86400,
        },
    )

    issuer_name: str = field(
        default="Tessera",
        metadata={
            "doc": "Name of the issuer of learner records (Open Badges 3.0 / CLR 2.0 "
            "Profile), usually the school or district."
        },
    )
    issuer_url: str = field(
        default="",
        metadata={
            "doc": "Web page of the issuer, shown in every credential. Default: "
            "`TESSERA_BASE_URL`."
        },
    )
    issuer_email: str = field(
        default="",
        metadata={
            "doc": "Contact address of the issuer, shown in every credential (empty: none)."
        },
    )
    issuer_image: str = field(
        default="",
        metadata={
            "doc": "URL of the issuer's logo, shown in every credential (empty: none)."
        },
    )
    worker_batch_size: int = field(
        default=100,
        metadata={
            "doc": "Deliveries a `tessera worker` claims at a time.",
            "min": 1,
            "max": 1000,
        },
    )
    worker_concurrency: int = field(
        default=4,
        metadata={
            "doc": "Deliveries a worker makes at once (threads); a batch never holds two "
            "of one learner and competency, so order is kept.",
            "min": 1,
            "max": 64,
        },
    )
    worker_poll_ms: int = field(
        default=500,
        metadata={
            "doc": "How long an idle worker waits before looking for due deliveries again, in ms.",
            "min": 10,
            "max": 60000,
        },
    )
    delivery_lease_seconds: int = field(
        default=120,
        metadata={
            "doc": "How long a claimed delivery stays a worker's; a worker that dies leaves it "
            "to be delivered again when the lease ends. More than twice the timeout.",
            "min": 2,
            "max": 3600,
        },
    )
    delivery_timeout_seconds: int = field(
        default=10,
        metadata={
            "doc": "Time limit of one request to a delivery target (connect and read).",
            "min": 1,
            "max": 300,
        },
    )
    delivery_backoff_ms: int = field(
        default=2000,
        metadata={
            "doc": "Delay before the first retry of a failed delivery, in ms; it doubles with "
            "each attempt (with jitter) up to the maximum.",
            "min": 1,
        },
    )
    delivery_backoff_max_seconds: int = field(
        default=3600,
        metadata={
            "doc": "Longest delay between two attempts of one delivery (a Retry-After may ask "
            "for longer).",
            "min": 1,
        },
    )
    delivery_horizon_seconds: int = field(
        default=3 * 24 * 3600,
        metadata={
            "doc": "How long a delivery is retried before it is given up as dead (listed by "
            "the admin API, which can retry it).",
            "min": 1,
        },
    )

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is an embedded SQLite database."""
        return self.database_url.startswith("sqlite")


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """How one setting is named and parsed, derived from the dataclass field."""

    name: str
    env: str
    kind: type
    default: Any
    doc: str
    meta: Mapping[str, Any]


SPECS: tuple[SettingSpec, ...] = tuple(
    SettingSpec(
        name=f.name,
        env=f.metadata.get("env", ENV_PREFIX + f.name.upper()),
        kind=Path if isinstance(f.default, Path) else type(f.default),
        default=f.default,
        doc=f.metadata["doc"],
        meta=f.metadata,
    )
    for f in fields(Settings)
)
_BY_NAME = {s.name: s for s in SPECS}
# Variables that steer loading but are not settings themselves.
_META_VARS = frozenset({"TESSERA_CONFIG", "TESSERA_DATABASE_URL"})
KNOWN_ENV_VARS = frozenset({s.env for s in SPECS} | _META_VARS)


def load_settings(
    environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Build settings from defaults, an optional TOML file, the environment and overrides."""
    values: dict[str, Any] = {}
    config_file = environ.get("TESSERA_CONFIG")
    if config_file:
        values.update(_read_toml(Path(config_file)))
    _reject_unknown_env(environ)
    for spec in SPECS:
        if spec.env in environ:
            values[spec.name] = _parse(spec, environ[spec.env], source=spec.env)
    if environ.get("TESSERA_DATABASE_URL"):
        values["database_url"] = environ["TESSERA_DATABASE_URL"]
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigError(
                f"{name!r} is not a Tessera setting; {_accepted_names()}."
            )
        values[name] = _parse(_BY_NAME[name], value, source=name)
    return _finish(Settings(**values))


def _finish(settings: Settings) -> Settings:
    """Derive defaults that depend on other settings and normalize URLs."""
    instance = settings.instance_path.expanduser().absolute()
    database_url = settings.database_url or f"sqlite:///{instance / 'tessera.db'}"
    return replace(
        settings,
        instance_path=instance,
        database_url=_normalize_database_url(database_url),
        base_url=_validate_base_url(settings.base_url),
        issuer_url=_validate_optional_url("TESSERA_ISSUER_URL", settings.issuer_url),
        issuer_image=_validate_optional_url(
            "TESSERA_ISSUER_IMAGE", settings.issuer_image
        ),
        issuer_email=_validate_email(settings.issuer_email),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"TESSERA_CONFIG names {path}, which does not exist."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"TESSERA_CONFIG file {path} is not valid TOML: {exc}."
        ) from None
    values: dict[str, Any] = {}
    for key, raw in data.items():
        spec = _BY_NAME.get(key)
        if spec is None:
            raise ConfigError(
                f"{key!r} in {path} is not a Tessera setting{_did_you_mean(key, _BY_NAME)}; "
                f"{_accepted_names()}."
            )
        values[key] = _parse(spec, raw, source=f"{key!r} in {path}")
    return values


def _reject_unknown_env(environ: Mapping[str, str]) -> None:
    for var in environ:
        if var.startswith(ENV_PREFIX) and var not in KNOWN_ENV_VARS:
            raise ConfigError(
                f"{var} is not a Tessera setting{_did_you_mean(var, KNOWN_ENV_VARS)}; "
                f"accepted variables are {', '.join(sorted(KNOWN_ENV_VARS))}."
            )


def _parse(spec: SettingSpec, raw: Any, *, source: str) -> Any:
    parser = _PARSERS[spec.kind]
    return parser(spec, raw, source)


def _parse_bool(spec: SettingSpec, raw: Any, source: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(
        f"{source} must be one of 1, true, yes, on, 0, false, no, off; got {raw!r}."
    )


def _parse_int(spec: SettingSpec, raw: Any, source: str) -> int:
    if isinstance(raw, bool):
        raise ConfigError(f"{source} must be a whole number; got {raw!r}.")
    try:
        value = int(str(raw).strip().replace("_", ""))
    except ValueError:
        raise ConfigError(f"{source} must be a whole number; got {raw!r}.") from None
    low, high = spec.meta.get("min"), spec.meta.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low}" + (f" to {high}" if high is not None else " up")
        raise ConfigError(f"{source} must be a whole number {bounds}; got {value}.")
    return value


def _parse_str(spec: SettingSpec, raw: Any, source: str) -> str:
    if not isinstance(raw, str):
        raise ConfigError(f"{source} must be a string; got {raw!r}.")
    value = raw.strip()
    choices = spec.meta.get("choices")
    if choices:
        value = value.upper()
        if value not in choices:
            raise ConfigError(
                f"{source} must be one of {', '.join(choices)}; got {raw!r}."
            )
    return value


def _parse_path(spec: SettingSpec, raw: Any, source: str) -> Path:
    if not isinstance(raw, str | Path) or not str(raw).strip():
        raise ConfigError(f"{source} must be a folder path; got {raw!r}.")
    return Path(str(raw).strip())


_PARSERS: dict[type, Callable[[SettingSpec, Any, str], Any]] = {
    bool: _parse_bool,
    int: _parse_int,
    str: _parse_str,
    Path: _parse_path,
}


def _normalize_database_url(raw: str) -> str:
    """Accept the URL forms admins paste and pin PostgreSQL to the psycopg 3 driver."""
    try:
        url: URL = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            f"DATABASE_URL {raw!r} is not a database URL; use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DB."
        ) from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgres", "postgresql") and driver in ("", "psycopg"):
        return url.set(drivername="postgresql+psycopg").render_as_string(
            hide_password=False
        )
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if not url.database or url.database == ":memory:":
            raise ConfigError(
                "DATABASE_URL must name a SQLite file (sqlite:///PATH); an in-memory "
                "database would be lost and cannot be shared between processes."
            )
        return url.render_as_string(hide_password=False)
    raise ConfigError(
        f"DATABASE_URL uses {url.drivername!r}; accepted are sqlite:///PATH and "
        "postgresql+psycopg://USER@HOST:PORT/DB."
    )


def _validate_base_url(raw: str) -> str:
    parts = urlsplit(raw)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
    ):
        raise ConfigError(
            f"TESSERA_BASE_URL must be an absolute http(s) URL without query or fragment, "
            f"such as https://tessera.example.edu; got {raw!r}."
        )
    return raw.rstrip("/")


def _validate_optional_url(variable: str, raw: str) -> str:
    if not raw:
        return raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{variable} must be an absolute http(s) URL, such as "
            f"https://school.example.edu; got {raw!r}."
        )
    return raw


def _validate_email(raw: str) -> str:
    local, at, domain = raw.partition("@")
    if raw and (
        not at or not local or "." not in domain or any(c.isspace() for c in raw)
    ):
        raise ConfigError(
            f"TESSERA_ISSUER_EMAIL must be an email address such as "
            f"registrar@school.example.edu, or empty; got {raw!r}."
        )
    return raw


def _accepted_names() -> str:
    return "accepted settings are " + ", ".join(s.name for s in SPECS)


def _did_you_mean(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def describe_settings() -> list[tuple[str, str, str]]:
    """Rows of (variable, default, meaning) for the README's configuration reference."""
    rows = []
    for spec in SPECS:
        default = spec.default
        if spec.name == "database_url":
            default = "sqlite:///INSTANCE/tessera.db"
        elif isinstance(default, bool):
            default = "1" if default else "0"
        rows.append((spec.env, str(default), spec.doc))
    return rows


def settings_table() -> str:
    """The README's configuration reference as a Markdown table."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [
        f"| `{var}` | `{default}` | {doc} |"
        for var, default, doc in describe_settings()
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # python -m gateway.settings: print the table for the README
    print(settings_table())
