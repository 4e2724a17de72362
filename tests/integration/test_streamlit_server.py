"""`streamlit run app.py` as `make run` starts it: healthy, and listening on 127.0.0.1 only."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.app_server import running_app

pytestmark = pytest.mark.integration


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on `port`, read from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_the_app_serves_on_loopback_only(shared_data_dir: Path) -> None:
    env = {"DEBRIEF_DATA_DIR": str(shared_data_dir), "DEBRIEF_EMBEDDED_MODEL": "gemma-3-270m"}
    with running_app(env) as (port, _process):
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
        page = httpx.get(f"http://127.0.0.1:{port}/", trust_env=False)
        assert page.status_code == 200 and "<noscript>" in page.text
