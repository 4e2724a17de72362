from __future__ import annotations

from pathlib import Path

import pytest

from debrief.errors import ConfigurationError
from debrief.settings import Settings, load_settings


def test_defaults_select_the_embedded_model(isolated_environment: Path) -> None:
    settings = load_settings()
    assert settings.llm_provider == "embedded"
    assert settings.embedded_model == "qwen2.5-coder-1.5b"
    assert settings.data_dir == isolated_environment
    assert settings.threads >= 1
    assert settings.llm_api_key is None


def test_default_data_dir_is_per_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEBRIEF_DATA_DIR")
    assert "debrief" in str(Settings().data_dir)


def test_reads_every_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "DEBRIEF_LLM_PROVIDER": "openai_compatible",
        "DEBRIEF_LLM_BASE_URL": "http://127.0.0.1:11434/v1/",
        "DEBRIEF_LLM_MODEL": "llama3.1:8b",
        "DEBRIEF_LLM_API_KEY": "sk-test",
        "DEBRIEF_LLM_TIMEOUT_S": "7.5",
        "DEBRIEF_LLM_MAX_RETRIES": "4",
        "DEBRIEF_EMBEDDED_MODEL": "gemma-3-270m",
        "DEBRIEF_MODEL_PATH": "~/models/x.gguf",
        "DEBRIEF_THREADS": "3",
        "DEBRIEF_CONTEXT_SIZE": "8192",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s = load_settings()
    assert s.llm_base_url == "http://127.0.0.1:11434/v1"  # trailing slash dropped
    assert s.llm_model == "llama3.1:8b"
    assert s.llm_api_key is not None and s.llm_api_key.get_secret_value() == "sk-test"
    assert (s.llm_timeout_s, s.llm_max_retries, s.threads, s.context_size) == (7.5, 4, 3, 8192)
    assert s.embedded_model == "gemma-3-270m"
    assert s.model_path == Path("~/models/x.gguf").expanduser()


def test_openai_api_key_is_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fallback")
    key = load_settings().llm_api_key
    assert key is not None and key.get_secret_value() == "sk-fallback"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"DEBRIEF_LLM_PROVIDER": "openai_compatible"},
            "DEBRIEF_LLM_BASE_URL and DEBRIEF_LLM_MODEL",
        ),
        (
            {"DEBRIEF_LLM_PROVIDER": "openai_compatible", "DEBRIEF_LLM_BASE_URL": "http://x/v1"},
            "DEBRIEF_LLM_MODEL",
        ),
        ({"DEBRIEF_LLM_BASE_URL": "localhost:8080"}, "DEBRIEF_LLM_BASE_URL"),
        ({"DEBRIEF_LLM_PROVIDER": "ollama"}, "DEBRIEF_LLM_PROVIDER"),
        ({"DEBRIEF_LLM_TIMEOUT_S": "0"}, "DEBRIEF_LLM_TIMEOUT_S"),
        ({"DEBRIEF_THREADS": "many"}, "DEBRIEF_THREADS"),
        ({"DEBRIEF_EMBEDDED_MODEL": "gpt-5"}, "DEBRIEF_EMBEDDED_MODEL"),
    ],
)
def test_invalid_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert expected in caught.value.message
    assert caught.value.hint


def test_the_api_key_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    canary = "sk-canary-5f1d2e"
    monkeypatch.setenv("DEBRIEF_LLM_API_KEY", canary)
    settings = load_settings()
    shown = [repr(settings), str(settings), str(settings.public_view())]
    assert all(canary not in text for text in shown)
    assert settings.public_view()["llm_api_key"] == "set (hidden)"


def test_an_invalid_setting_does_not_echo_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    canary = "sk-canary-99"
    monkeypatch.setenv("DEBRIEF_LLM_API_KEY", canary)
    monkeypatch.setenv("DEBRIEF_LLM_PROVIDER", "openai_compatible")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert canary not in str(caught.value)
