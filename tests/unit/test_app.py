"""The real Streamlit script driven by AppTest, with fakes injected where services are built."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from debrief.errors import LLMUnreachableError
from debrief.services import container
from debrief.services.container import build_services, use_services
from debrief.settings import load_settings
from tests.conftest import free_port
from tests.fakes import FakeChatModel, FakeModelSource

APP = str(Path(__file__).parents[2] / "app.py")


@pytest.fixture
def source() -> Iterator[FakeModelSource]:
    fake = FakeModelSource(FakeChatModel())
    with use_services(build_services(load_settings(), llm=fake)):
        yield fake


def run_app() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    assert not app.exception, app.exception
    return app


def test_start_page_says_the_model_is_ready(source: FakeModelSource) -> None:
    app = run_app()
    assert app.title[0].value == "Debrief"
    assert "Ready: fake model for tests" in app.success[0].value
    assert app.text_area(key="quick_request").value == ""


def test_a_draft_is_streamed_and_shown_as_plain_text(source: FakeModelSource) -> None:
    source.model.enqueue("Dear Maria, thank you for the Kafka talk. <script>alert(1)</script>")
    app = run_app()
    app.text_area(key="quick_request").input("Thank Maria for the Kafka talk").run()
    app.button(key="quick_submit").click().run()
    assert not app.exception
    assert (
        app.code[0].value == "Dear Maria, thank you for the Kafka talk. <script>alert(1)</script>"
    )
    assert app.code[0].language is None or app.code[0].language == "plaintext"
    assert source.model.requests[0][-1].content == "Thank Maria for the Kafka talk"
    assert not app.markdown or all("<script>" not in m.value for m in app.markdown)


def test_an_empty_request_gets_a_message_and_no_model_call(source: FakeModelSource) -> None:
    app = run_app()
    app.text_area(key="quick_request").input("   ").run()
    app.button(key="quick_submit").click().run()
    assert "Write what you would like drafted first." in app.error[0].value.replace("\\", "")
    assert source.model.requests == []


def test_an_llm_failure_is_explained_and_the_request_kept(source: FakeModelSource) -> None:
    source.model.enqueue(
        LLMUnreachableError("Cannot reach the LLM endpoint at http://x/v1.", hint="Start it.")
    )
    app = run_app()
    app.text_area(key="quick_request").input("Thank Ana").run()
    app.button(key="quick_submit").click().run()
    assert not app.exception
    assert "Cannot reach the LLM endpoint at http://x/v1." in app.error[0].value.replace("\\", "")
    assert app.info[0].value.replace("\\", "") == "Start it."
    assert app.text_area(key="quick_request").value == "Thank Ana"
    assert not app.code


def test_a_cut_stream_is_marked_incomplete(source: FakeModelSource) -> None:
    source.model.enqueue("one two three four five")
    source.model.cut_after = 2
    app = run_app()
    app.text_area(key="quick_request").input("Thank Ana").run()
    app.button(key="quick_submit").click().run()
    assert "stopped half-way" in app.warning[0].value
    assert app.code[0].value == "one two "


def test_a_model_that_fails_to_load_is_explained(source: FakeModelSource) -> None:
    source.ready = False
    source.failure = LLMUnreachableError("The model could not be loaded.", hint="Run doctor.")
    app = run_app()
    assert "The model could not be loaded." in app.error[0].value.replace("\\", "")
    assert app.button(key="retry_prepare")


def test_invalid_configuration_is_shown_instead_of_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container, "_built", None)
    monkeypatch.setenv("DEBRIEF_LLM_PROVIDER", "openai_compatible")
    app = run_app()
    assert "The configuration is not valid" in app.error[0].value.replace("\\", "")
    assert "DEBRIEF_LLM_BASE_URL" in app.error[0].value.replace("\\", "")


def wait_for_preparation(services: container.Services) -> None:
    preparation = services.llm.prepare_in_background()
    deadline = time.monotonic() + 20
    while not (preparation.done or preparation.error) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_an_unreachable_custom_endpoint_is_named_on_the_start_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    monkeypatch.setenv("DEBRIEF_LLM_TIMEOUT_S", "2")
    monkeypatch.setenv("DEBRIEF_LLM_MAX_RETRIES", "0")
    settings = load_settings(llm_provider="openai_compatible", llm_base_url=url, llm_model="m")
    with use_services(build_services(settings)) as services:
        wait_for_preparation(services)
        app = run_app()
    assert f"Cannot reach the LLM endpoint at {url}." in app.error[0].value.replace("\\", "")
    assert "DEBRIEF_LLM_BASE_URL" in app.info[0].value.replace("\\", "")
    assert app.button(key="retry_prepare")
