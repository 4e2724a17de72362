"""The first hour, as a newcomer lives it, in Debian's Chromium at 1400 x 1000.

A fresh data directory (the app assembles the fast test model itself, with its progress on
the Start page) → the example interview → the notes → a reflection → a plan, then Ask and
Patterns. A screenshot per page goes to tests/artifacts/first-hour/; the README's come from it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app_server import running_app
from tests.integration.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS

pytestmark = pytest.mark.integration
SHOTS = ARTIFACTS / "first-hour"
WAIT_MS = 300_000  # the slowest step (assembling and loading the model) on a busy 2-core machine


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[str]:
    env = {
        "DEBRIEF_DATA_DIR": str(tmp_path / "fresh-data"),  # nothing in it: not even the model
        "DEBRIEF_EMBEDDED_MODEL": "gemma-3-270m",
        "DEBRIEF_CONTEXT_SIZE": "2048",
    }
    with running_app(env) as (port, _process):
        yield f"http://127.0.0.1:{port}/"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_first_hour(fresh_app: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        try:
            _walk(page, expect, fresh_app)
        finally:
            page.screenshot(path=str(SHOTS / "last.png"), full_page=True)
            browser.close()
    print(f"first hour in the browser: {time.monotonic() - started:.1f} s")
    shots = sorted(p.name for p in SHOTS.glob("*.png"))
    assert shots[1:8] == [
        "1-start.png",
        "2-interview.png",
        "3-notes.png",
        "4-reflect.png",
        "5-plan.png",
        "6-ask.png",
        "7-patterns.png",
    ]


def _shot(page: Any, name: str) -> None:
    page.wait_for_timeout(1500)  # let the run finish drawing, charts too (not a speed check)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _walk(page: Any, expect: Any, url: str) -> None:
    page.goto(url)
    # Start: what Debrief does, the model's progress, what comes next.
    expect(page.get_by_text("After an interview that went badly")).to_be_visible()
    expect(page.get_by_text("What to do next")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Assembling the model|Loading the model|Ready: embedded"))
    ).to_be_visible()
    page.screenshot(path=str(SHOTS / "0-start-preparing.png"), full_page=True)
    expect(page.get_by_text("Ready: embedded llama.cpp")).to_be_visible()
    _shot(page, "1-start")

    # The example interview, opened where it can be read.
    page.get_by_role("button", name="Try it with an example interview").click()
    expect(page.get_by_text("This is an example interview")).to_be_visible()
    expect(page.get_by_label("Company *")).to_have_value("Northwind Logistics")
    _shot(page, "2-interview")

    # Notes: one per interviewer; the research warning; the To: question.
    page.get_by_role("link", name="Next: the thank-you notes").click()
    page.get_by_role("button", name="Draft all notes").click()
    notes = page.get_by_label("Note", exact=True)
    expect(notes).to_have_count(2)
    expect(page.get_by_text("looked like instructions to an AI")).to_be_visible()
    expect(page.get_by_label("Subject").first).to_have_value(
        "Thank you — Senior Backend Engineer interview"
    )
    expect(page.get_by_role("textbox", name="Maria Chen's e-mail address")).to_be_visible()
    assert notes.nth(0).input_value().startswith("Dear Maria,")
    _shot(page, "3-notes")

    # Reflect: an answer, a cause (one click on a pill), save; the reframe follows.
    page.get_by_role("link", name="Reflect").click()
    first_question = page.get_by_role("textbox").first
    first_question.fill("The backfill question: I had no plan for replaying six months of events.")
    page.get_by_role("button", name="unprepared question").click()
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text("Here is a different way to look at it")).to_be_visible()
    expect(page.get_by_text("Writing…")).to_have_count(0)  # the reframe is in
    _shot(page, "4-reflect")

    # Plan: dated steps up to the next interview, written by code from the reflection; a card
    # per step shows its "done when" in full.
    page.get_by_role("link", name="Plan").click()
    page.get_by_role("button", name="Make a plan").click()
    expect(page.get_by_text("Done when:", exact=False).first).to_be_visible()
    _shot(page, "5-plan")

    # Ask and Patterns: the charts with one interview.
    page.get_by_role("link", name="Ask").click()
    expect(page.get_by_text("Causes across 1 reflection")).to_be_visible()
    _shot(page, "6-ask")
    page.get_by_role("link", name="Patterns").click()
    expect(page.get_by_text("Causes across interviews, by month")).to_be_visible()
    _shot(page, "7-patterns")
