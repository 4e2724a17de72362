"""Start `streamlit run app.py` the way `make run` does, on a free loopback port, for a test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import free_port

ROOT = Path(__file__).parents[1]


@contextmanager
def running_app(
    env: dict[str, str], timeout_s: float = 60
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Yield (port, process) once /_stcore/health answers; stop the app afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=ROOT,
        env=dict(os.environ, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/_stcore/health", trust_env=False)
                if health.text == "ok":
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, f"the app exited with {process.returncode}"
            assert time.monotonic() < deadline, f"the app was not healthy within {timeout_s:.0f} s"
            time.sleep(0.2)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=30)
