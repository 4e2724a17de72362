"""The index on a real Chroma server (`chroma run`), selected by CHROMA_HOST/CHROMA_PORT alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from debrief.records.models import Interview, Stumble
from debrief.services.container import open_history
from debrief.settings import load_settings
from tests.conftest import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        env=dict(os.environ, ANONYMIZED_TELEMETRY="False"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if (
                    httpx.get(
                        f"http://127.0.0.1:{port}/api/v2/heartbeat", trust_env=False
                    ).status_code
                    == 200
                ):
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "chroma run exited"
            assert time.monotonic() < deadline, "the Chroma server did not start in 60 s"
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_records_are_indexed_on_the_server(
    chroma_server: int, isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma_server))
    settings = load_settings()
    assert (settings.chroma_host, settings.chroma_port) == ("127.0.0.1", chroma_server)
    with open_history(settings) as opened:
        history = opened.history
        interview = history.add_interview(
            Interview(company="Ledgerly", role="Analyst", held_at=datetime(2026, 8, 20, 16))
        )
        assert interview.id is not None
        history.add_stumble(
            Stumble(interview_id=interview.id, question="Walk us through the gap in your CV.")
        )
        (hit,) = history.search("employment gap", k=1)
        assert hit.citation.kind == "stumble" and hit.citation.interview_id == interview.id
        assert history.index.revision == history.store.revision
    assert not (settings.data_dir / "index").exists()  # nothing indexed locally

    # A second start against the same server finds the index current: no rebuild.
    with open_history(settings) as opened:
        assert opened.notice == "" and opened.history.index.count() == 1
