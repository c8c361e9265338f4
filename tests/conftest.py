"""Shared fixtures: a migrated, empty store on SQLite and on PostgreSQL for every test.

PostgreSQL comes from ``TEST_POSTGRES_URL`` (default: the local server, database ``test``).
Each test session works in its own schema, so parallel runs on one server do not meet; each
test starts with empty tables. When PostgreSQL cannot be reached its tests are skipped with the
reason shown, unless ``TEST_REQUIRE_POSTGRES=1`` (CI), which turns that into a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gateway import create_app
from gateway.settings import Settings
from gateway.store import Store, expected_revision
from gateway.store.tables import metadata
from tests.helpers import make_settings

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG_URL)
REQUIRE_PG = os.environ.get("TEST_REQUIRE_POSTGRES") == "1"


def _pg_unreachable_reason() -> str | None:
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return (
            f"PostgreSQL at {make_url(PG_URL).render_as_string()} not reachable: {exc}"
        )
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections work in a schema of their own, created for this session."""
    reason = _pg_unreachable_reason()
    if reason:
        if REQUIRE_PG:
            pytest.fail(f"TEST_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    settings = make_settings(folder)
    store = Store.from_settings(settings)
    store.migrate()
    store.dispose()  # closing the last connection folds the WAL into the main file
    return Path(make_url(settings.database_url).database or "")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on."""
    return str(request.param)


@pytest.fixture
def database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """URL of a migrated, empty database of the parametrized backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "instance" / "tessera.db"
        target.parent.mkdir(parents=True)
        shutil.copyfile(template, target)
        yield f"sqlite:///{quote(str(target))}"
        return
    url: str = request.getfixturevalue("pg_schema_url")
    _ensure_pg_migrated(url)
    yield url
    _empty_pg_tables(url)


_migrated_pg: set[str] = set()


def _ensure_pg_migrated(url: str) -> None:
    if url in _migrated_pg:
        return
    store = Store(create_engine(url))
    store.migrate()
    store.dispose()
    _migrated_pg.add(url)


def _empty_pg_tables(url: str) -> None:
    """Empty every table; a test that changed the schema itself gets a rebuilt one."""
    engine = create_engine(url)
    store = Store(engine)
    with store.read() as conn:
        intact = store.current_revision(conn) == expected_revision()
    if intact:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        with engine.begin() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        store.migrate()
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A migrated, empty store on SQLite and on PostgreSQL."""
    s = Store.from_settings(settings)
    yield s
    s.dispose()


@pytest.fixture
def app(settings: Settings, store: Store) -> Flask:
    return create_app(settings, store)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
