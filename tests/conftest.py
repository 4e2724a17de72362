"""Every test runs with its own empty data directory and a clean DEBRIEF_* environment."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(os.environ):
        if name.startswith("DEBRIEF_") or name.startswith("OPENAI_"):
            monkeypatch.delenv(name)
    data_dir = tmp_path / "debrief-data"
    monkeypatch.setenv("DEBRIEF_DATA_DIR", str(data_dir))
    yield data_dir


def free_port() -> int:
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
