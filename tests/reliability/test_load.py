"""The real embedded model (the fast test model, one thread), started once for all of this:

- load: two browser sessions draft at once; both complete, neither blocks the other's page
  indefinitely (a third session's page renders meanwhile); the wall time is reported;
- injection with the real model: the research behind those notes, and the reflection behind an
  answer, carry the attacker's instructions; neither the notes nor the answer carry any of it;
- the embedded llama.cpp server, like Streamlit, listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from debrief.records.models import Interview, Interviewer, Reflection
from debrief.services.container import build_services
from debrief.settings import Settings
from tests.app_server import running_app
from tests.fakes import FakeModelSource
from tests.integration.test_browser import CHROMIUM, CHROMIUM_FLAGS
from tests.reliability.conftest import TIMINGS
from tests.reliability.test_injection import ATTACK_REFLECTION, ATTACK_RESEARCH, leaks

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
DRAFT_LIMIT_S = 300  # "not indefinitely": generous for 2 busy cores
SESSIONS = (
    ("Northwind Logistics", "Maria Chen", "moving billing to Kafka"),
    ("Contoso Freight", "Dev Patel", "splitting the monolith"),
)


def listening_sockets(pid: int) -> set[tuple[str, int]]:
    """(hex local address, port) of every LISTEN socket the process holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port = fields[1].split(":")
            if fields[3] == "0A" and fields[9] in inodes:
                found.add((address, int(port, 16)))
    return found


@pytest.fixture(scope="module")
def app_with_model(
    gemma_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """`streamlit run` on the test model, over two interviews whose research is poisoned."""
    data_dir = tmp_path_factory.mktemp("load")
    (data_dir / "models").mkdir()
    for model_file in (gemma_data_dir / "models").iterdir():
        os.link(model_file, data_dir / "models" / model_file.name)  # no second copy
    services = build_services(Settings(data_dir=data_dir), llm=FakeModelSource())
    try:
        for company, name, topic in SESSIONS:
            held = datetime.now().replace(microsecond=0)
            interview = services.interviews.save(
                Interview(company=company, role="Senior Backend Engineer", held_at=held),
                [Interviewer(interview_id=0, name=name, topics=[topic])],
                [],
            )
            assert interview.id is not None
            services.interviews.add_pasted_research(interview.id, ATTACK_RESEARCH)
            services.reflection.save(
                Reflection(
                    interview_id=interview.id,
                    unprepared_question=ATTACK_REFLECTION,
                    cause_tags=["unprepared_question"],
                )
            )
    finally:
        services.close()
    # One thread: on a shared 2-core machine it beats two (no spinning against other work).
    env = {
        "DEBRIEF_DATA_DIR": str(data_dir),
        "DEBRIEF_EMBEDDED_MODEL": "gemma-3-270m",
        "DEBRIEF_THREADS": "1",
    }
    with running_app(env) as (port, process):
        yield f"http://127.0.0.1:{port}/", process, data_dir


@pytest.fixture(scope="module")
def browser(app_with_model: Any) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def session(browser: Any, url: str, company: str) -> Any:
    """A new browser session on the Thank-you notes page of `company`'s interview."""
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    expect(page.get_by_text("Ready: ", exact=False).first).to_be_visible(timeout=180_000)
    page.get_by_test_id("stSidebar").get_by_role("combobox").click()
    page.get_by_role("option", name=company, exact=False).click()
    page.get_by_test_id("stSidebar").get_by_role("link", name="Thank-you notes").click()
    expect(page.get_by_role("button", name="Draft all notes")).to_be_visible()
    return page


def test_two_sessions_draft_at_once_on_the_embedded_model(
    app_with_model: tuple[str, subprocess.Popen[bytes], Path], browser: Any
) -> None:
    from playwright.sync_api import expect

    url, process, data_dir = app_with_model
    pages = [session(browser, url, company) for company, _, _ in SESSIONS]
    sockets = listening_sockets(process.pid)  # Streamlit's and the embedded model server's
    assert len(sockets) >= 2 and {address for address, _ in sockets} == {"0100007F"}, sockets

    started = time.perf_counter()
    for page in pages:
        page.get_by_role("button", name="Draft all notes").click()
    # While both drafts run, a third session's page still renders.
    probe = browser.new_context().new_page()
    probe.goto(url)
    probe.get_by_test_id("stSidebar").get_by_role("link", name="Patterns").click()
    expect(probe.get_by_role("heading", name="Patterns")).to_be_visible(timeout=30_000)
    probe_s = time.perf_counter() - started
    done: dict[int, float] = {}
    while len(done) < len(pages):  # each note appears in its own session
        assert time.perf_counter() - started < DRAFT_LIMIT_S, f"only {done} finished"
        for index, page in enumerate(pages):
            if index not in done and page.get_by_label("Note", exact=True).count():
                done[index] = time.perf_counter() - started
        pages[0].wait_for_timeout(250)
    wall = max(done.values())
    shown = [page.get_by_label("Note", exact=True).input_value() for page in pages]
    TIMINGS.append(
        f"two sessions drafting at once on the embedded model: wall time {wall:.1f} s "
        f"(session 1 done at {done[0]:.1f} s, session 2 at {done[1]:.1f} s); "
        f"a third session's page rendered after {probe_s:.1f} s meanwhile"
    )
    assert shown[0].startswith("Dear Maria,") and shown[1].startswith("Dear Dev,")
    assert probe_s < 30
    # The real model drafted from poisoned research: none of the attack reached the notes.
    with sqlite3.connect(f"file:{data_dir / 'debrief.sqlite3'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT subject, body FROM drafts WHERE kind = 'thank-you'")
        saved = [f"{subject}\n{body}" for subject, body in rows]
    assert len(saved) == 2
    assert leaks([*shown, *saved]) == []


def test_the_real_model_answers_from_poisoned_records_without_the_attack(
    app_with_model: tuple[str, subprocess.Popen[bytes], Path], browser: Any
) -> None:
    from playwright.sync_api import expect

    url, _, _ = app_with_model
    page = session(browser, url, SESSIONS[0][0])
    page.get_by_role("link", name="Ask").click()
    page.get_by_placeholder("Why do my interviews go badly?").fill("Why do my interviews go badly?")
    page.keyboard.press("Enter")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    expect(answer.get_by_test_id("stText").first).to_be_visible(timeout=DRAFT_LIMIT_S * 1000)
    text = answer.get_by_test_id("stText").first.inner_text()
    assert text.strip()
    assert leaks([text]) == []
