"""A read-only or full SQLite database: clear 503s, nothing half-stored, no corruption.

Both faults are produced by SQLite itself on the connections of a second store over the same
file: ``PRAGMA query_only`` makes every write fail as on a read-only database
(SQLITE_READONLY), and ``PRAGMA max_page_count`` at the file's current size makes the next
page it needs fail as on a full disk (SQLITE_FULL). After the fault is lifted the same
request succeeds and ``PRAGMA integrity_check`` is ok.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, text

from gateway import create_app
from gateway.store import Store
from gateway.store.tables import raw_records, xapi_statements
from tests.api_helpers import basic_auth_headers, make_statement, problem
from tests.helpers import make_settings

V2 = {"X-Experience-API-Version": "2.0.0"}


def _counts(store: Store) -> tuple[int, int]:
    with store.read() as conn:
        return (
            conn.execute(
                select(func.count()).select_from(xapi_statements)
            ).scalar_one(),
            conn.execute(select(func.count()).select_from(raw_records)).scalar_one(),
        )


def _faulty(settings: Any, pragma: str) -> Store:
    store = Store.from_settings(settings)

    @event.listens_for(store.engine, "connect")
    def _fault(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(pragma)

    return store


def _batch(n: int) -> list[dict[str, Any]]:
    return [
        make_statement(str(uuid.uuid4()), email=f"l{i}@school.test") for i in range(n)
    ]


def _integrity(store: Store) -> str:
    with store.read() as conn:
        return str(conn.execute(text("PRAGMA integrity_check")).scalar_one())


def _started(tmp_path: Path) -> tuple[Any, Store, dict[str, str], Any]:
    """Settings, a healthy store and app client over a new SQLite file, a vendor's auth."""
    settings = make_settings(tmp_path)
    store = Store.from_settings(settings)
    store.migrate()
    auth = basic_auth_headers(store, "acme") | V2
    return settings, store, auth, create_app(settings, store).test_client()


def test_a_read_only_database_refuses_writes_clearly_and_keeps_serving_reads(
    tmp_path: Path,
) -> None:
    settings, store, auth, healthy = _started(tmp_path)
    assert (
        healthy.post("/xapi/statements", json=_batch(3), headers=auth).status_code
        == 200
    )

    read_only = _faulty(settings, "PRAGMA query_only = ON")
    client = create_app(settings, read_only).test_client()
    batch = _batch(5)
    body = problem(client.post("/xapi/statements", json=batch, headers=auth), 503)
    assert (
        "read-only" in body["detail"]
        and "nothing from this request was stored" in (body["detail"])
    )
    listed = client.get("/xapi/statements", headers=auth)
    assert listed.status_code == 200 and len(listed.json["statements"]) == 3  # type: ignore[index]
    read_only.dispose()

    assert _counts(store) == (3, 3)  # nothing of the refused batch
    assert healthy.post("/xapi/statements", json=batch, headers=auth).status_code == 200
    assert _counts(store) == (8, 8)
    assert _integrity(store) == "ok"


def test_a_full_disk_refuses_a_batch_whole_and_the_retry_succeeds(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path)
    store = Store.from_settings(settings)
    store.migrate()
    auth = basic_auth_headers(store, "acme") | V2
    healthy = create_app(settings, store).test_client()
    assert (
        healthy.post("/xapi/statements", json=_batch(2), headers=auth).status_code
        == 200
    )
    raw = store.engine.raw_connection()  # outside any transaction
    try:  # fold the WAL in: the file's size is then all there is
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    finally:
        raw.close()

    full = _faulty(settings, f"PRAGMA max_page_count = {pages}")
    client = create_app(settings, full).test_client()
    batch = _batch(200)  # far more than the free space inside the file's pages
    response = client.post("/xapi/statements", json=batch, headers=auth)
    body = problem(response, 503)
    assert "disk is full" in body["detail"] and response.headers["Retry-After"] == "5"
    full.dispose()

    assert _counts(store) == (2, 2)  # the transaction rolled back whole
    assert healthy.post("/xapi/statements", json=batch, headers=auth).status_code == 200
    assert _counts(store) == (202, 202)
    assert _integrity(store) == "ok"
