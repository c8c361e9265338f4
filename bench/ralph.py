"""Ralph, the LRS from PyPI (``ralph-malph``), on its file-system backend, for a side-by-side run.

Ralph is installed into its own virtual environment (``.venv-ralph`` beside the project's, made
on first use; its dependencies would clash with Tessera's), given one Basic credential with
``ralph auth``, and served by uvicorn with as many worker processes as Tessera gets.

One change to Ralph: its file-system LRS backend writes with the ``create`` operation, which
refuses every write once its one file exists (``fs_lrs.jsonl already exists and overwrite is
not allowed``: a 500 for every POST after the first). The app is served through a two-line
module that sets that backend's default operation to ``append``, so it keeps every statement.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.server import free_port

VERSION = "5.1.0"
VENV = Path(__file__).resolve().parent.parent / ".venv-ralph"
USER, PASSWORD = "bench", "bench-password"
_APPEND_APP = """\
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
from ralph.api import app  # noqa: E402
"""


def _installed() -> Path:
    """The Ralph venv's bin folder, installing Ralph there first if needed."""
    bin_dir = VENV / "bin"
    if not (bin_dir / "uvicorn").exists() or not (bin_dir / "ralph").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [
                str(bin_dir / "pip"),
                "install",
                "--quiet",
                f"ralph-malph[cli,lrs]=={VERSION}",
                "requests",  # imported by Ralph's API but not among its dependencies
            ],
            check=True,
        )
    return bin_dir


@contextlib.contextmanager
def serve_ralph(workers: int = 2) -> Iterator[str]:
    """A running Ralph LRS (file-system backend) on a free loopback port; yields its base URL."""
    bin_dir = _installed()
    with tempfile.TemporaryDirectory(prefix="ralph-bench-") as tmp:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("RALPH_", "TESSERA_"))
        } | {
            "RALPH_APP_DIR": f"{tmp}/app",
            "RALPH_AUTH_FILE": f"{tmp}/app/auth.json",
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": f"{tmp}/data",
            "PYTHONPATH": tmp,  # for ralph_append, in uvicorn's worker processes too
        }
        Path(tmp, "data").mkdir()
        subprocess.run(
            [str(bin_dir / "ralph"), "auth", "-u", USER, "-p", PASSWORD, "-s", "all"]
            + ["-M", "mailto:bench@school.example", "-w"],
            env=env,
            check=True,
            capture_output=True,
        )
        Path(tmp, "ralph_append.py").write_text(_APPEND_APP)
        port = free_port()
        proc = subprocess.Popen(
            [str(bin_dir / "uvicorn"), "ralph_append:app", "--host", "127.0.0.1"]
            + ["--port", str(port), "--workers", str(workers)]
            + ["--log-level", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(OSError):
                    with urllib.request.urlopen(f"{base}/__heartbeat__", timeout=2):  # noqa: S310
                        break
                time.sleep(0.2)
            else:
                raise RuntimeError("Ralph did not come up in 60 s")
            yield base
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
