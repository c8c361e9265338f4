from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import insert, inspect, select, text, update

from gateway import create_app
from gateway.errors import SchemaTooNew
from gateway.store import SchemaState, Store, _alembic_config, expected_revision
from gateway.store.tables import metadata, utcnow, vendors
from tests.helpers import make_settings


def test_fresh_store_is_at_the_code_head(store: Store) -> None:
    status = store.status()
    assert status.ok
    assert status.state is SchemaState.READY
    assert status.revision == expected_revision()


def test_migrate_is_idempotent(store: Store) -> None:
    result = store.migrate()
    assert not result.changed and result.after == expected_revision()


def test_migrations_create_exactly_the_declared_tables(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names()) - {"alembic_version"}
    assert tables == set(metadata.tables)


def test_migrations_match_the_declared_tables(store: Store) -> None:
    """Autogenerate finds nothing to do: tables.py and the migrations agree."""
    with store.read() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(store: Store) -> None:
    with store.write() as conn:
        command.downgrade(_alembic_config(conn), "base")
    assert store.status().state is SchemaState.EMPTY
    assert store.migrate().before is None
    assert store.status().ok


def test_a_database_newer_than_the_code_is_refused(store: Store, app: Flask) -> None:
    with store.write() as conn:
        conn.execute(
            text("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        )
    with pytest.raises(SchemaTooNew, match="migrated by a newer Tessera"):
        store.migrate()
    with store.read() as conn:  # nothing was changed
        assert store.current_revision(conn) == "9999_from_the_future"
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json is not None and response.json["store"]["schema"] == "ahead"


def test_empty_database_reports_not_initialized(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    app = create_app(settings)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["store"] == {
        "dialect": "sqlite",
        "reachable": True,
        "schema": "empty",
        "revision": None,
        "expected_revision": expected_revision(),
    }


def test_missing_database_directory_is_created(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "tessera.db"
    store = Store.from_settings(make_settings(tmp_path, f"sqlite:///{db}"))
    store.migrate()
    store.dispose()
    assert db.exists()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, sqlite_busy_timeout_ms=1234)
    store = Store.from_settings(settings)
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()


def test_concurrent_writers_queue_instead_of_failing(store: Store) -> None:
    """Eight threads each read-then-write; none may fail with 'database is locked'."""
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with store.write() as conn:
                    conn.execute(select(vendors.c.id)).all()
                    conn.execute(
                        insert(vendors).values(
                            id=f"v{n}-{i}",
                            name=f"vendor-{n}-{i}",
                            display_name="x",
                            adapter="standard",
                            settings={},
                            created_at=utcnow(),
                        )
                    )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.read() as conn:
        assert len(conn.execute(select(vendors.c.id)).all()) == 80


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.execute(
            insert(vendors).values(
                id="v1",
                name="a",
                display_name="a",
                adapter="s",
                settings={},
                created_at=utcnow(),
            )
        )
        raise RuntimeError("boom")
    with store.read() as conn:
        assert conn.execute(select(vendors)).all() == []


def test_times_come_back_aware_in_utc(store: Store) -> None:
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            insert(vendors).values(
                id="v1",
                name="a",
                display_name="a",
                adapter="s",
                settings={"k": [1]},
                created_at=now,
            )
        )
        conn.execute(update(vendors).values(removed_at=now))
    with store.read() as conn:
        row = conn.execute(select(vendors)).one()
    assert row.created_at == now and row.created_at.utcoffset() is not None
    assert row.settings == {"k": [1]}
