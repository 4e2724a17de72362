from __future__ import annotations

import time

import pytest

from debrief.llm.connection import LLMConnection, Preparation
from debrief.settings import load_settings
from tests.conftest import free_port
from tests.stub_openai_server import stub_openai_server

pytestmark = pytest.mark.integration  # a stub OpenAI server on loopback


def settle(preparation: Preparation) -> Preparation:
    deadline = time.monotonic() + 10
    while not (preparation.done or preparation.error) and time.monotonic() < deadline:
        time.sleep(0.02)
    return preparation


def remote(port: int) -> LLMConnection:
    return LLMConnection(
        load_settings(
            llm_provider="openai_compatible",
            llm_base_url=f"http://127.0.0.1:{port}/v1",
            llm_model="m",
            llm_timeout_s=2,
            llm_max_retries=0,
        )
    )


def test_a_failed_preparation_is_kept_until_the_user_retries() -> None:
    port = free_port()
    connection = remote(port)
    failed = settle(connection.prepare_in_background())
    assert failed.error is not None and f"127.0.0.1:{port}" in failed.error.message
    assert not connection.is_ready()
    with stub_openai_server(port=port):
        assert connection.prepare_in_background() is failed  # no silent retry loop
        retried = settle(connection.prepare_in_background(retry=True))
        assert retried.done and retried.error is None
        assert connection.is_ready()
        assert connection.prepare_in_background(retry=True) is retried  # nothing to retry


def test_an_endpoint_without_a_models_route_still_counts_as_answering() -> None:
    with stub_openai_server(models=()) as (url, state):
        connection = remote(int(url.split(":")[-1].split("/")[0]))
        state.models = []
        assert settle(connection.prepare_in_background()).done


def test_describe_names_the_endpoint_or_the_embedded_model(monkeypatch: pytest.MonkeyPatch) -> None:
    assert remote(9).describe() == "http://127.0.0.1:9/v1 (m)"
    assert LLMConnection(load_settings()).describe() == "embedded llama.cpp (qwen2.5-coder-1.5b)"
    assert not LLMConnection(load_settings()).is_ready()
