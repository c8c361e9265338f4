"""SQLite writers take turns through a lock file: across processes and threads, with a way out.

The queue only orders writers (SQLite's own lock still guards the data), so what matters is
that a second writer waits while the first holds its turn, goes on as soon as it is released,
never waits past the busy timeout, and that nothing breaks where the lock file can't be made.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

from gateway.store import Store
from gateway.store.engine import WriterQueue, writer_queue
from gateway.store.tables import frameworks, utcnow
from tests.helpers import make_settings


def _hold(path: str, ready: object, release: object) -> None:
    queue = WriterQueue(Path(path), timeout_s=5)
    with queue.turn():
        ready.set()  # type: ignore[attr-defined]
        release.wait(10)  # type: ignore[attr-defined]


def test_a_writer_in_another_process_waits_for_the_turn_and_gets_it_on_release(
    tmp_path: Path,
) -> None:
    database = tmp_path / "t.db"
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(database), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        queue = WriterQueue(database, timeout_s=5)
        threading.Timer(0.3, release.set).start()
        began = time.monotonic()
        with queue.turn():
            waited = time.monotonic() - began
        assert 0.25 <= waited < 1.5, waited
    finally:
        release.set()
        holder.join(10)


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    queue = WriterQueue(tmp_path / "t.db", timeout_s=5)
    inside, most = 0, 0
    guard = threading.Lock()

    def write() -> None:
        nonlocal inside, most
        for _ in range(50):
            with queue.turn():
                with guard:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.0005)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1


def test_a_writer_gives_up_its_wait_after_the_busy_timeout(tmp_path: Path) -> None:
    database = tmp_path / "t.db"
    holder, waiter = WriterQueue(database, 5), WriterQueue(database, 0.2)
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with holder.turn():
            entered.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    try:
        assert entered.wait(5)
        began = time.monotonic()
        with waiter.turn():  # goes on without the turn; SQLite's lock decides
            waited = time.monotonic() - began
        assert 0.2 <= waited < 1.0, waited
    finally:
        release.set()
        t.join()


def test_turns_are_reentrant_within_a_thread(tmp_path: Path) -> None:
    queue = WriterQueue(tmp_path / "t.db", timeout_s=0.2)
    began = time.monotonic()
    with queue.turn(), queue.turn():
        pass
    with queue.turn():  # released by the outer block, so no wait now
        pass
    assert time.monotonic() - began < 0.2


def test_a_lock_file_that_cannot_be_made_leaves_sqlite_to_queue_alone(
    tmp_path: Path,
) -> None:
    queue = WriterQueue(tmp_path / "no-such-folder" / "t.db", timeout_s=5)
    with queue.turn(), queue.turn():
        pass
    assert not queue.path.exists()


def test_store_writes_through_the_queue_on_sqlite_only(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    queue = writer_queue(settings)
    assert queue is not None
    assert queue.path.name.endswith("-writers.lock")
    store = Store.from_settings(settings)
    store.migrate()
    with store.write() as conn:
        conn.execute(
            frameworks.insert().values(
                id="f0000000-0000-4000-8000-000000000000",
                uri="https://case.test/f",
                title="F",
                case_version="1.0",
                document={},
                imported_at=utcnow(),
            )
        )
    assert Path(f"{store.engine.url.database}-writers.lock").exists()
    store.dispose()
    pg = make_settings(tmp_path, database_url="postgresql+psycopg://u@127.0.0.1/x")
    assert writer_queue(pg) is None


def test_refreshing_statistics_gives_sqlites_planner_its_figures(
    tmp_path: Path,
) -> None:
    store = Store.from_settings(make_settings(tmp_path))
    store.migrate()
    with store.write() as conn:
        conn.execute(
            frameworks.insert(),
            [
                {
                    "id": f"f{i:07d}-0000-4000-8000-000000000000",
                    "uri": f"https://case.test/{i}",
                    "title": f"F{i}",
                    "case_version": "1.0",
                    "document": {},
                    "imported_at": utcnow(),
                }
                for i in range(50)
            ],
        )
    store.refresh_statistics()
    with store.read() as conn:
        stats = dict(
            conn.exec_driver_sql(
                "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'frameworks'"
            ).all()
        )
    store.dispose()
    assert stats, "ANALYZE wrote no statistics for a table with rows"
    assert all(stat.split()[0] == "50" for stat in stats.values())
