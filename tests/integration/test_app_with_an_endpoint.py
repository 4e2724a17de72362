"""The app against a stub OpenAI-compatible server on loopback (a real HTTP server in a thread)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from debrief.services import container
from debrief.services.container import Services, build_services, use_services
from debrief.settings import load_settings
from tests.fakes import FakeChatModel, FakeModelSource
from tests.stub_openai_server import stub_openai_server
from tests.unit.test_app import APP, run_app, wait_for_preparation
from tests.unit.test_app_pages import open_page

pytestmark = pytest.mark.integration


@pytest.fixture
def services() -> Iterator[tuple[Services, FakeChatModel]]:
    model = FakeChatModel()
    built = build_services(load_settings(), llm=FakeModelSource(model))
    with use_services(built):
        yield built, model
    built.close()


def test_a_working_custom_endpoint_is_ready_and_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    with stub_openai_server(reply="Dear Ana, thank you.") as (url, state):
        settings = load_settings(llm_provider="openai_compatible", llm_base_url=url, llm_model="m")
        with use_services(build_services(settings)) as services:
            wait_for_preparation(services)
            app = run_app()
            assert f"Ready: {url} (m)." in app.success[0].value
            app.text_area(key="quick_request").input("Thank Ana").run()
            app.button(key="quick_submit").click().run()
    assert app.code[0].value == "Dear Ana, thank you."
    assert state.requests[-1]["model"] == "m"


def test_an_api_key_from_streamlit_secrets_is_used_and_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    canary = "sk-canary-secrets-31"
    with stub_openai_server(reply="Hello.") as (url, state):
        monkeypatch.setattr(container, "_built", None)
        monkeypatch.setenv("DEBRIEF_LLM_PROVIDER", "openai_compatible")
        monkeypatch.setenv("DEBRIEF_LLM_BASE_URL", url)
        monkeypatch.setenv("DEBRIEF_LLM_MODEL", "m")
        app = AppTest.from_file(APP, default_timeout=30)
        app.secrets["DEBRIEF_LLM_API_KEY"] = canary
        app.run()
        services = container.app_services()
        key = services.settings.llm_api_key
        assert key is not None and key.get_secret_value() == canary
        wait_for_preparation(services)
        app.run()
        app.text_area(key="quick_request").input("Say hello").run()
        app.button(key="quick_submit").click().run()
    assert f"Bearer {canary}" in state.auth_headers
    shown = " ".join(str(element.value) for element in app.main if hasattr(element, "value"))
    assert "Hello." in shown and canary not in shown


def test_settings_can_test_another_endpoint_without_showing_the_key(
    services: tuple[Services, FakeChatModel],
) -> None:
    from tests.stub_openai_server import stub_openai_server

    canary = "sk-canary-settings-77"
    with stub_openai_server(reply="ready") as (url, state):
        app = open_page("settings")
        app.text_input(key="try_url").input(url).run()
        app.text_input(key="try_model").input("stub-model").run()
        app.text_input(key="try_key").input(canary).run()
        app.button(key="try_doctor").click().run()
    assert not app.exception, app.exception
    assert any("round trip" in s.value for s in app.success)
    assert f"Bearer {canary}" in state.auth_headers
    shown = [str(getattr(e, "value", "")) for e in app.main if getattr(e, "key", None) != "try_key"]
    assert not any(canary in text for text in shown)
