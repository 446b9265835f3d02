"""A real ``lnunemp-rules serve`` process on 127.0.0.1, for the tests that call the service as
a client would (test_service.py, test_service_fuzz.py, test_docs_run.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Server", "free_port", "serving"]


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A running server: its base URL and the file its stderr (logs) goes to."""

    url: str
    port: int
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /readyz in {timeout} s:\n{log.read_text()}")


@contextlib.contextmanager
def serving(
    log_dir: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    port: int | None = None,
) -> Iterator[Server]:
    """Start ``python -m lnunemp_rules serve --port P *args``, wait for /readyz, stop it after."""
    port = port or free_port()
    log = log_dir / f"serve-{port}.log"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LNUNEMP_")}
    environment.update(env or {})
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "lnunemp_rules", "serve", "--port", str(port), *args],
            stdout=sink, stderr=subprocess.STDOUT, env=environment, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, log, timeout)
        yield Server(url, port, log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the server and its worker processes
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)
