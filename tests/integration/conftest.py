"""Integration fixtures: the real llama.cpp server with the fast 270M model, once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from debrief.llm.client import LLMClient
from debrief.llm.connection import LLMConnection
from debrief.llm.embedded import stop_all_embedded_servers
from debrief.settings import Settings


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the session, so each model is assembled once."""
    return tmp_path_factory.mktemp("integration-data")


@pytest.fixture(scope="session")
def gemma_settings(shared_data_dir: Path) -> Settings:
    return Settings(data_dir=shared_data_dir, embedded_model="gemma-3-270m", context_size=2048)


@pytest.fixture(scope="session")
def gemma_client(gemma_settings: Settings) -> Iterator[LLMClient]:
    yield LLMConnection(gemma_settings).get()
    stop_all_embedded_servers()
