"""Durability: `kill -9` during a bulk import of 1,000 reflections, then restart; and a second
app on the same data directory is refused with a clear message."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from debrief.services import container
from debrief.services.container import build_services, open_history
from debrief.settings import Settings
from tests.fakes import FakeModelSource
from tests.reliability.bulk_import import reflection_text
from tests.reliability.conftest import FIGURES
from tests.reliability.doubles import APP, alerts
from tests.stub_openai_server import stub_openai_server

# Both tests start a subprocess (the import, or a second Debrief holding the data directory).
pytestmark = pytest.mark.integration
ROOT = Path(__file__).parents[2]
TOTAL, BATCH = 1000, 50


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.bulk_import", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
    )


def kill_when(process: subprocess.Popen[str], wanted: str) -> list[str]:
    """Read the script's lines until `wanted`, then SIGKILL it; returns every line it printed."""
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line.strip())
        if line.strip() == wanted:
            process.send_signal(signal.SIGKILL)
            FIGURES["processes killed with kill -9"] += 1
            break
    process.wait(timeout=30)
    lines += process.stdout.read().split()
    assert process.returncode == -signal.SIGKILL, f"the import ended by itself: {lines[-3:]}"
    return lines


@pytest.mark.parametrize(
    ("where", "pause_in", "kill_at", "expected"),
    [
        ("inside a transaction", "6", "in transaction", 300),
        ("while the index catches up", "-1", "committed 350", 350),
    ],
    ids=["inside a transaction", "while the index catches up"],
)
def test_kill_9_during_a_bulk_import(
    tmp_path: Path, where: str, pause_in: str, kill_at: str, expected: int
) -> None:
    data_dir = tmp_path / "data"
    started = time.perf_counter()
    lines = kill_when(
        start("import", str(data_dir), str(TOTAL), str(BATCH), env={"PAUSE_IN_BATCH": pause_in}),
        kill_at,
    )
    committed = max(int(line.split()[1]) for line in lines if line.startswith("committed"))
    assert committed == expected

    # Restart: the lock of the killed process is gone, SQLite recovers from its WAL.
    settings = Settings(data_dir=data_dir)
    opened = open_history(settings)  # kept: the checks below look at the index itself
    services = build_services(settings, llm=FakeModelSource(), opened=opened)
    try:
        store, history = opened.history.store, opened.history
        with sqlite3.connect(f"file:{store.path}?mode=ro", uri=True) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        counts = services.data.counts()
        # Exactly the committed batches: nothing half-written, nothing committed lost.
        assert counts["reflections"] == counts["interviews"] == committed
        assert counts["reflections"] % BATCH == 0
        assert store.revision == 2 * committed  # every indexed row bumped it once
        # The index agrees with the database (or was rebuilt from it, and the user is told).
        assert history.index.revision == store.revision
        assert history.index.count() == committed
        if services.notices:
            assert "rebuilt" in services.notices[0] or "brought up to date" in services.notices[0]
        # Queries work and point at records that exist.
        hits = history.search(reflection_text(123), k=3)
        assert hits and hits[0].text.endswith(reflection_text(123))
        ids = {r.id for r in store.list_reflections()}
        assert all(hit.citation.record_id in ids for hit in hits)
        assert services.ask.cause_counts()[1] == committed
        notice = services.notices[0] if services.notices else "index was current"
    finally:
        services.close()
    took = time.perf_counter() - started
    print(f"kill -9 {where}: {committed} of {TOTAL} kept; {notice}; {took:.1f} s")


@pytest.fixture
def app_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app as a user starts it (services built from the environment) on `data_dir`."""
    data_dir = tmp_path / "shared"
    with stub_openai_server() as (url, _state):
        monkeypatch.setenv("DEBRIEF_DATA_DIR", str(data_dir))
        monkeypatch.setenv("DEBRIEF_LLM_PROVIDER", "openai_compatible")
        monkeypatch.setenv("DEBRIEF_LLM_BASE_URL", url)
        monkeypatch.setenv("DEBRIEF_LLM_MODEL", "stub-model")
        monkeypatch.setattr(container, "_built", None)
        yield data_dir
        container.forget_app_services()


def test_a_second_app_on_the_same_data_is_refused(app_on: Path) -> None:
    holder = start("hold", str(app_on))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        app = AppTest.from_file(APP, default_timeout=30).run()
        assert not app.exception, app.exception
        assert f"Another Debrief is already using {app_on}." in alerts(app)
        assert "Close the other window" in alerts(app)
        assert not app.get("selectbox")  # stopped before any page
        FIGURES["second app instances refused"] += 1
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    # The first one crashed: its lock went with it, and the app starts.
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Debrief" and not app.error
