from __future__ import annotations

import time

import pytest

from debrief.cli import main
from tests.conftest import free_port
from tests.stub_openai_server import stub_openai_server

pytestmark = pytest.mark.integration  # a stub OpenAI server on loopback


def use_endpoint(monkeypatch: pytest.MonkeyPatch, url: str, model: str = "stub-model") -> None:
    monkeypatch.setenv("DEBRIEF_LLM_PROVIDER", "openai_compatible")
    monkeypatch.setenv("DEBRIEF_LLM_BASE_URL", url)
    monkeypatch.setenv("DEBRIEF_LLM_MODEL", model)


def test_doctor_is_healthy_against_a_working_endpoint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    canary = "sk-canary-doctor-7"
    with stub_openai_server(reply="ready") as (url, state):
        use_endpoint(monkeypatch, url)
        monkeypatch.setenv("DEBRIEF_LLM_API_KEY", canary)
        assert main(["doctor"]) == 0
    out = capsys.readouterr()
    assert "Healthy." in out.out
    assert "ok   endpoint" in out.out and "ok   round trip" in out.out
    assert "'ready'" in out.out and "first token after" in out.out
    assert canary not in out.out + out.err
    assert f"Bearer {canary}" in state.auth_headers  # the key is used, only never shown


def test_doctor_names_an_unreachable_endpoint_within_the_timeout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    use_endpoint(monkeypatch, url)
    monkeypatch.setenv("DEBRIEF_LLM_TIMEOUT_S", "2")
    monkeypatch.setenv("DEBRIEF_LLM_MAX_RETRIES", "0")
    started = time.monotonic()
    assert main(["doctor"]) == 1
    assert time.monotonic() - started < 10
    out = capsys.readouterr().out
    assert f"FAIL endpoint: Cannot reach the LLM endpoint at {url}" in out
    assert "what to do:" in out and "DEBRIEF_LLM_BASE_URL" in out
    assert "round trip" not in out  # stops at the first failure


def test_doctor_warns_when_the_model_is_not_served(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with stub_openai_server(models=("llama3.1:8b",)) as (url, _state):
        use_endpoint(monkeypatch, url, model="mistral")
        main(["doctor"])
    assert "(not mistral)" in capsys.readouterr().out


def test_doctor_names_a_wrong_model_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    monkeypatch.setenv("DEBRIEF_MODEL_PATH", "/no/such/model.gguf")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL model file: No model file at /no/such/model.gguf" in out


def test_invalid_configuration_exits_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEBRIEF_LLM_PROVIDER", "openai_compatible")
    assert main(["doctor"]) == 2
    err = capsys.readouterr().err
    assert "error: The configuration is not valid" in err and "DEBRIEF_LLM_BASE_URL" in err


def test_chat_streams_from_a_custom_endpoint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with stub_openai_server(reply="Dear Maria, thanks for the Kafka talk.") as (url, state):
        use_endpoint(monkeypatch, url)
        assert main(["chat", "Thank", "Maria"]) == 0
    assert capsys.readouterr().out == "Dear Maria, thanks for the Kafka talk.\n"
    assert state.requests[0]["stream"] is True
    assert state.requests[0]["messages"][-1] == {"role": "user", "content": "Thank Maria"}


def test_chat_refuses_an_empty_request(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with stub_openai_server() as (url, state):
        use_endpoint(monkeypatch, url)
        assert main(["chat", "  "]) == 2
    assert "Write what you would like drafted" in capsys.readouterr().err
    assert state.requests == []


def test_prepare_with_a_custom_endpoint_has_nothing_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_endpoint(monkeypatch, "http://127.0.0.1:9/v1")
    assert main(["prepare"]) == 0
    assert "no embedded model to prepare" in capsys.readouterr().out
