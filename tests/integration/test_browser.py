"""End to end in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run`.

Creates an interview with two interviewers and drafts both notes with the fast embedded test
model; the notes must render and differ. A screenshot is saved to tests/artifacts/.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app_server import running_app

pytestmark = pytest.mark.integration
ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


@pytest.fixture
def app_url(shared_data_dir: Path, tmp_path: Path) -> Iterator[str]:
    data_dir = tmp_path / "browser-data"
    models = data_dir / "models"
    models.mkdir(parents=True)
    for model in (shared_data_dir / "models").glob("gemma-3-270m*"):
        os.link(model, models / model.name)  # reuse the assembled test model, no second copy
    env = {"DEBRIEF_DATA_DIR": str(data_dir), "DEBRIEF_EMBEDDED_MODEL": "gemma-3-270m"}
    with running_app(env) as (port, _process):
        yield f"http://127.0.0.1:{port}/"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_two_notes_are_drafted_and_differ(app_url: str, gemma_client: object) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=120_000)
    started = time.monotonic()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1100})
        page.set_default_timeout(120_000)
        page.goto(app_url)
        try:
            _flow(page, expect)
        finally:
            page.screenshot(path=str(ARTIFACTS / "notes-page.png"), full_page=True)
            browser.close()
    print(f"browser end-to-end test: {time.monotonic() - started:.1f} s")
    assert (ARTIFACTS / "notes-page.png").stat().st_size > 10_000


def _flow(page: Any, expect: Any) -> None:
    expect(page.get_by_text("Ready: embedded llama.cpp")).to_be_visible()

    sidebar = page.get_by_test_id("stSidebar")  # the Start page links its next steps too
    sidebar.get_by_role("link", name="Interview").click()
    page.get_by_label("Company *").fill("Northwind Logistics")
    page.get_by_label("Role *").fill("Senior Backend Engineer")
    page.get_by_label("Name *").first.fill("Maria Chen")
    page.get_by_label("Topics you discussed (one per line)").first.fill("moving billing to Kafka")
    page.get_by_role("button", name="Add an interviewer").click()
    expect(page.get_by_label("Name *")).to_have_count(2)
    page.get_by_label("Name *").nth(1).fill("Dev Patel")
    page.get_by_label("Topics you discussed (one per line)").nth(1).fill("splitting the monolith")
    page.get_by_label("Topics you discussed (one per line)").nth(1).press("Tab")
    page.get_by_role("button", name="Save interview").click()
    expect(page.get_by_text("Saved. Next: add what you know about the company")).to_be_visible()

    sidebar.get_by_role("link", name="Thank-you notes").click()
    page.get_by_role("button", name="Draft all notes").click()
    notes = page.get_by_label("Note", exact=True)
    expect(notes).to_have_count(2, timeout=300_000)
    first = notes.nth(0).input_value()
    page.get_by_role("tab", name="Dev Patel").click()
    second = notes.nth(1).input_value()
    assert first.startswith("Dear Maria,") and second.startswith("Dear Dev,")
    assert first != second
    page.get_by_role("tab", name="Maria Chen").click()
