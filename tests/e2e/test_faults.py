"""Faults under load, against real processes: PostgreSQL restarted, a web process killed.

A client thread posts xAPI statements with fixed ids, one request each, retrying the same
statement on a 503 or a broken connection as a well-behaved vendor does. Meanwhile the
database is stopped and started again (a private PostgreSQL cluster made for the test, never
the machine's shared one), or a gunicorn web process is killed with SIGKILL. Afterwards every
statement Tessera acknowledged is stored exactly once, no request got a 500, and the same
server answers again without being restarted.
"""

from __future__ import annotations

import base64
import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select

from gateway.settings import Settings
from gateway.store import Store
from gateway.store.tables import raw_records, xapi_statements
from gateway.vendors import add_vendor
from gateway.vendors.credentials import CredentialKind
from tests.api_helpers import make_statement
from tests.e2e.conftest import PROCESSES, free_port, running_tessera
from tests.helpers import make_settings

pytestmark = pytest.mark.e2e
STATEMENTS = 240


# --- A private PostgreSQL cluster. -------------------------------------------------------


@dataclass
class Cluster:
    """A throw-away PostgreSQL server this test may stop and start."""

    bindir: Path
    data: Path
    port: int
    as_postgres: bool  # running as root: the server runs as the postgres user

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{' '.join(cmd)}:\n{done.stdout}{done.stderr}"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.data / "server.log"),
            "-o",
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=50",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)")
    root = os.geteuid() == 0
    if root and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: initdb refuses to run as root")
    # Not under pytest's tmp_path: its parents are private to root, and the server runs as
    # the postgres user when the tests run as root.
    data = Path(tempfile.mkdtemp(prefix="tessera-pg-"))
    if root:
        shutil.chown(data, "postgres", "postgres")
    made = Cluster(Path(found[-1]).parent, data, free_port(), root)
    try:
        made._run(
            "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        made.start()
        yield made
    finally:
        with contextlib.suppress(AssertionError):
            made.stop("immediate")
        shutil.rmtree(data, ignore_errors=True)


# --- A vendor that retries. ----------------------------------------------------------------


@dataclass
class Vendor:
    """Posts STATEMENTS statements one by one, retrying each until it is acknowledged."""

    base: str
    auth: str
    acknowledged: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    retry_afters: list[str] = field(default_factory=list)
    broken: int = 0  # connections that failed (refused, reset)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        session = requests.Session()
        headers = {
            "Authorization": f"Basic {self.auth}",
            "X-Experience-API-Version": "2.0.0",
        }
        for n in range(STATEMENTS):
            statement = make_statement(
                str(uuid.UUID(int=n + 1)), email=f"l{n % 20}@school.test"
            )
            while not self.stop.is_set():
                try:
                    r = session.post(
                        f"{self.base}/xapi/statements",
                        json=statement,
                        headers=headers,
                        timeout=10,
                    )
                except requests.RequestException:
                    self.broken += 1
                    session = requests.Session()
                    time.sleep(0.1)
                    continue
                self.statuses.append(r.status_code)
                if r.status_code == 200:
                    self.acknowledged.append(statement["id"])
                    break
                if r.status_code == 503:
                    self.retry_afters.append(r.headers.get("Retry-After", ""))
                time.sleep(0.1)  # the test cannot wait Retry-After's 5 s each time


def _vendor_auth(store: Store) -> str:
    _, creds = add_vendor(store, "acme")
    basic = next(c for c in creds if c.kind is CredentialKind.XAPI_BASIC)
    return base64.b64encode(f"{basic.key}:{basic.secret}".encode()).decode()


def _stored(url: str, ids: list[str]) -> tuple[int, int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(
                    select(func.count()).select_from(xapi_statements)
                ).scalar_one(),
                conn.execute(
                    select(func.count(func.distinct(xapi_statements.c.id))).where(
                        xapi_statements.c.id.in_(ids)
                    )
                ).scalar_one(),
                conn.execute(
                    select(func.count()).select_from(raw_records)
                ).scalar_one(),
            )
    finally:
        engine.dispose()


def _wait_for(vendor: Vendor, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(vendor.acknowledged) < count:
        assert time.monotonic() < deadline, (
            f"only {len(vendor.acknowledged)} acknowledged"
        )
        time.sleep(0.05)


def _finish(thread: threading.Thread, vendor: Vendor, timeout: float = 90) -> None:
    thread.join(timeout)
    vendor.stop.set()
    assert not thread.is_alive(), f"the load did not finish: {len(vendor.acknowledged)}"


def test_postgresql_restarted_during_a_statement_load(
    cluster: Cluster, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, cluster.url)
    with running_tessera(settings, tmp_path) as (base, _, log):
        store = Store.from_settings(settings)
        vendor = Vendor(base, _vendor_auth(store))
        store.dispose()
        thread = threading.Thread(target=vendor.run, daemon=True)
        thread.start()
        _wait_for(vendor, 40)
        cluster.stop("fast")
        time.sleep(2.0)  # the outage: the vendor keeps trying
        during = list(vendor.statuses)
        cluster.start()
        _finish(thread, vendor)
        assert 503 in during, f"no 503 while the database was down: {set(during)}"
        assert 500 not in vendor.statuses, log.read_text()[-3000:]
        assert set(vendor.retry_afters) == {"5"}
        assert len(vendor.acknowledged) == STATEMENTS
        # The same server, never restarted, serves again.
        assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
    total, acked, raw = _stored(cluster.url, vendor.acknowledged)
    assert (
        total == acked == raw == STATEMENTS
    )  # each acknowledged statement stored once


def test_a_web_process_killed_mid_load(settings: Settings, tmp_path: Path) -> None:
    with running_tessera(settings, tmp_path) as (base, _, log):
        store = Store.from_settings(settings)
        vendor = Vendor(base, _vendor_auth(store))
        store.dispose()
        master = PROCESSES[base]
        deadline = time.monotonic() + 30
        while len(workers := _children(master.pid)) < 2:  # both may not be up yet
            assert time.monotonic() < deadline, f"gunicorn has workers {workers}"
            time.sleep(0.1)
        thread = threading.Thread(target=vendor.run, daemon=True)
        thread.start()
        _wait_for(vendor, 60)
        os.kill(workers[0], signal.SIGKILL)
        _finish(thread, vendor)
        assert 500 not in vendor.statuses, log.read_text()[-3000:]
        assert len(vendor.acknowledged) == STATEMENTS
        deadline = time.monotonic() + 30
        while len(_children(master.pid)) < 2:  # the master replaces the killed one
            assert time.monotonic() < deadline, "gunicorn did not replace its worker"
            time.sleep(0.2)
        assert workers[0] not in _children(master.pid)
        assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
    total, acked, raw = _stored(settings.database_url, vendor.acknowledged)
    assert total == acked == raw == STATEMENTS


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(x) for x in text]
    return found
