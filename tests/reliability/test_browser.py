"""In a real browser (Debian's Chromium via Playwright) against `streamlit run app.py`:

- the server listens on 127.0.0.1 only;
- model output with <script>, <img onerror=…> and Markdown images is shown as text, nothing is
  fetched and nothing runs;
- two browser sessions at once see only their own unsaved form; saved data is shared.

The model is a stub OpenAI-compatible server in this process (no model is loaded).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from debrief.services.container import build_services
from debrief.services.interview_file import read_interview_file
from debrief.settings import Settings
from tests.app_server import running_app
from tests.fakes import FakeModelSource
from tests.integration.test_browser import CHROMIUM, CHROMIUM_FLAGS
from tests.integration.test_streamlit_server import listening_addresses
from tests.reliability.doubles import EXAMPLES, is_loopback, stub_reply
from tests.reliability.test_output_rendering import MD_IMG, NOTE, PAYLOAD
from tests.stub_openai_server import stub_openai_server

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
TITLE_ATTACK = f"{MD_IMG} Northwind press page"


def payload_reply(request: dict[str, Any]) -> str:
    """Every answer carries the payload: a note's fields, a diagnosis, free text."""
    name = request.get("response_format", {}).get("json_schema", {}).get("name")
    if name == "ThankYouNote":
        wanted = request["response_format"]["json_schema"]["schema"]["properties"]
        return json.dumps({k: v for k, v in NOTE.items() if k in wanted})
    if name == "ReflectionProposal":
        return json.dumps(
            {"cause_tags": ["unprepared_question"], "diagnosis": f"You froze. {PAYLOAD}"}
        )
    if name:
        return stub_reply(request)
    return f"Dear Maria, thank you. {PAYLOAD}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """`streamlit run app.py` as a user starts it, on data holding one interview with research
    whose title is a Markdown image."""
    data_dir = tmp_path_factory.mktemp("browser-reliability")
    services = build_services(Settings(data_dir=data_dir), llm=FakeModelSource())
    try:
        interview_id = services.interviews.add_from_spec(
            read_interview_file(EXAMPLES / "software_two_interviewers.yaml")
        )
        services.interviews.add_pasted_research(
            interview_id, f"{TITLE_ATTACK}\nNorthwind ships freight."
        )
    finally:
        services.close()
    env = {
        "DEBRIEF_DATA_DIR": str(data_dir),
        "DEBRIEF_LLM_PROVIDER": "openai_compatible",
        "DEBRIEF_LLM_MODEL": "stub-model",
        "DEBRIEF_LLM_MAX_RETRIES": "0",
    }
    with (
        stub_openai_server(responder=payload_reply) as (url, _state),
        running_app({**env, "DEBRIEF_LLM_BASE_URL": url}) as (port, _process),
    ):
        yield f"http://127.0.0.1:{port}/", port


@pytest.fixture(scope="module")
def browser(server: tuple[str, int]) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Watched:
    """A page in its own browser context (its own Streamlit session), with every request kept."""

    def __init__(self, browser: Any, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(url)
        self.page.get_by_text("Debrief", exact=True).first.wait_for()

    def outside(self) -> list[str]:
        """Requests for anything not on this machine (data: URLs never leave the page)."""
        return [
            u
            for u in self.requests
            if not u.startswith("data:") and not is_loopback(urlparse(u).hostname or "")
        ]

    def settle(self) -> None:
        """Wait for the rerun the last interaction started (typing before it ends is lost)."""
        self.page.wait_for_timeout(200)
        self.page.wait_for_function(
            """() => {
                const state = document.querySelector('[data-testid="stApp"]')
                    ?.getAttribute("data-test-script-state");
                return state && state !== "running" && state !== "rerunRequested";
            }""",
            timeout=60_000,
        )

    def type(self, label: str, text: str, *, first: bool = False) -> None:
        """Fill a field and leave it; typed again if a late rerun redrew it empty (on a loaded
        machine the rerun of the last click can start after `settle` has returned)."""
        for _ in range(3):
            field = self.page.get_by_label(label)
            field = field.first if first else field
            field.fill(text)
            field.press("Tab")
            self.settle()
            self.page.wait_for_timeout(300)
            self.settle()
            if field.input_value() == text:
                return
        raise AssertionError(f"{label!r} did not keep {text!r}")

    def ran_script(self) -> bool:
        return bool(self.page.evaluate("() => window.__pwned !== undefined"))

    def go(self, link: str) -> None:
        # The sidebar's link: the Start page links the next steps by the same names.
        self.page.get_by_test_id("stSidebar").get_by_role("link", name=link).click()
        self.page.get_by_role("heading", name=link).first.wait_for()
        self.settle()

    def close(self) -> None:
        self.context.close()


def test_the_app_listens_on_loopback_only(server: tuple[str, int]) -> None:
    _, port = server
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else


def test_a_page_load_fetches_nothing_from_outside(browser: Any, server: tuple[str, int]) -> None:
    tab = Watched(browser, server[0])
    try:
        tab.go("Patterns")
        tab.page.wait_for_timeout(300)
        assert tab.outside() == []
    finally:
        tab.close()


def test_model_output_is_shown_as_text_and_nothing_is_fetched(
    browser: Any, server: tuple[str, int]
) -> None:
    from playwright.sync_api import expect

    tab = Watched(browser, server[0])
    try:
        tab.page.get_by_text("A quick one-off draft", exact=False).click()  # its expander
        tab.page.get_by_label("What should I draft?").fill("Thank Maria")
        tab.page.get_by_role("button", name="Draft it").click()
        expect(tab.page.get_by_text(PAYLOAD, exact=False).first).to_be_visible()
        tab.go("Reflect")
        # The diagnosis and the reframe ask no model: they quote the user's own words, so the
        # markup goes in there, and must come out as text.
        tab.page.get_by_label("Were you caught unprepared by a question? Which one?").fill(
            f"The backfill question, I froze: {PAYLOAD}"
        )
        tab.page.get_by_role("button", name="Suggest causes").click()
        expect(tab.page.get_by_text("backfill question", exact=False).first).to_be_visible()
        tab.page.get_by_role("button", name="Save reflection").click()
        expect(tab.page.get_by_text("The one thing to work on", exact=False).first).to_be_visible()
        tab.page.wait_for_timeout(500)  # let any image load start
        assert tab.outside() == [] and not tab.ran_script()
    finally:
        tab.close()


def test_notes_with_markup_fetch_nothing(browser: Any, server: tuple[str, int]) -> None:
    from playwright.sync_api import expect

    tab = Watched(browser, server[0])
    try:
        tab.go("Thank-you notes")
        tab.page.get_by_role("button", name="Draft all notes").click()
        expect(tab.page.get_by_label("Note", exact=True)).to_have_count(2)
        tab.page.wait_for_timeout(500)
        assert not tab.ran_script()
        assert tab.outside() == []
    finally:
        tab.close()


def test_a_research_title_with_markup_fetches_nothing(
    browser: Any, server: tuple[str, int]
) -> None:
    tab = Watched(browser, server[0])
    try:
        tab.go("Interview")
        tab.page.get_by_text("Northwind press page").first.wait_for()
        tab.page.wait_for_timeout(500)
        assert not tab.ran_script()
        assert tab.outside() == []
    finally:
        tab.close()


def test_two_sessions_see_only_their_own_unsaved_form(
    browser: Any, server: tuple[str, int]
) -> None:
    from playwright.sync_api import expect

    alice, bob = Watched(browser, server[0]), Watched(browser, server[0])
    try:
        for tab, company in ((alice, "Alpha Unsaved Ltd"), (bob, "Beta Unsaved Ltd")):
            tab.go("Interview")
            tab.page.get_by_text("Start a new interview").click()
            tab.settle()
            # The new form is drawn when its Company field is empty: typed into before that,
            # the text went into the open interview's form and was lost (one CI run).
            expect(tab.page.get_by_label("Company *")).to_have_value("")
            tab.type("Company *", company)
        alice.type("Role *", "Analyst")
        alice.type("Name *", "Ann Lee", first=True)
        alice.page.get_by_role("button", name="Save interview").click()
        expect(alice.page.get_by_text("Saved. Next:", exact=False)).to_be_visible()
        # Bob carries on typing (a rerun of his session): his form is still his own...
        bob.type("Role *", "Courier")
        expect(bob.page.get_by_label("Company *")).to_have_value("Beta Unsaved Ltd")
        expect(bob.page.get_by_label("Name *").first).to_have_value("")
        # ...and Alice's saved interview is in his list: saved data is the one user's.
        # Typed into, the list shows only what matches: it is virtualised, and on a loaded
        # machine a click during a rerun can close it again (a CI run once saw no option).
        bob.settle()
        box = bob.page.get_by_test_id("stSidebar").get_by_role("combobox")
        box.click()
        box.press_sequentially("Alpha Unsaved")
        expect(
            bob.page.get_by_role("option", name="Alpha Unsaved Ltd · Analyst", exact=False)
        ).to_be_visible()
        bob.page.keyboard.press("Escape")
        expect(alice.page.get_by_label("Company *")).to_have_value("Alpha Unsaved Ltd")
        assert "Beta Unsaved Ltd" not in alice.page.content()
        assert "Courier" not in alice.page.content()
    finally:
        alice.close()
        bob.close()
