"""The real embedded llama.cpp server with the fast 270M base model: plumbing, not quality."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel, Field

from debrief.llm.client import LLMClient
from debrief.llm.connection import LLMConnection, embedded_config
from debrief.llm.embedded import get_embedded_server
from debrief.llm.types import ChatMessage, Sampling, StreamStats
from debrief.services.doctor import run_doctor
from debrief.settings import Settings

pytestmark = pytest.mark.integration

PROMPT = [ChatMessage("user", "The capital of France is")]


def test_the_server_listens_on_loopback_and_is_healthy(gemma_client: LLMClient) -> None:
    assert gemma_client.base_url.startswith("http://127.0.0.1:")
    health = httpx.get(gemma_client.base_url.removesuffix("/v1") + "/health", trust_env=False)
    assert health.status_code == 200
    assert gemma_client.list_models() == ["gemma-3-270m"]


def test_one_server_per_process(gemma_settings: Settings, gemma_client: LLMClient) -> None:
    again = LLMConnection(gemma_settings).get()
    assert again.base_url == gemma_client.base_url
    assert get_embedded_server(embedded_config(gemma_settings)).base_url == gemma_client.base_url


def test_chat(gemma_client: LLMClient) -> None:
    result = gemma_client.chat(PROMPT, Sampling(max_tokens=8))
    assert result.text.strip()
    assert result.completion_tokens is not None and 0 < result.completion_tokens <= 8
    assert result.prompt_tokens is not None and result.prompt_tokens > 3
    assert result.finish_reason in {"stop", "length"}


def test_chat_is_deterministic_at_temperature_zero(gemma_client: LLMClient) -> None:
    first = gemma_client.chat(PROMPT, Sampling(max_tokens=12)).text
    assert gemma_client.chat(PROMPT, Sampling(max_tokens=12)).text == first


def test_streamed_chat_matches_the_full_answer(gemma_client: LLMClient) -> None:
    stats = StreamStats()
    pieces = list(gemma_client.stream_chat(PROMPT, Sampling(max_tokens=12), stats))
    assert len(pieces) > 1
    assert "".join(pieces) == gemma_client.chat(PROMPT, Sampling(max_tokens=12)).text
    assert stats.finish_reason in {"stop", "length"}
    assert stats.first_token_s is not None and stats.total_s is not None
    assert stats.first_token_s <= stats.total_s


class City(BaseModel):
    city: str = Field(max_length=30)
    country: str = Field(max_length=30)
    population_millions: int = Field(ge=0, le=100)


def test_json_schema_output_validates(gemma_client: LLMClient) -> None:
    city = gemma_client.structured(
        [ChatMessage("user", "Give the capital of France as JSON.")], City, Sampling(max_tokens=80)
    )
    assert isinstance(city, City)
    assert 0 <= city.population_millions <= 100


def test_doctor_reports_healthy(gemma_settings: Settings, gemma_client: LLMClient) -> None:
    report = run_doctor(gemma_settings)
    assert [c.name for c in report.checks] == ["model file", "endpoint", "round trip"]
    assert report.healthy, report.checks
    assert "sha256 verified" in report.checks[0].detail


def test_a_corrupted_model_file_is_reassembled_on_start(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, embedded_model="gemma-3-270m", context_size=1024)
    connection = LLMConnection(settings)
    path = tmp_path / "models" / "gemma-3-270m-q4_k_m.gguf"
    from debrief.llm.model_files import PACKAGED_MODELS, ensure_packaged_model

    ensure_packaged_model(PACKAGED_MODELS["gemma-3-270m"], tmp_path)
    with path.open("r+b") as handle:  # damage the tensor data, keep the header
        handle.truncate(path.stat().st_size // 2)
    client = connection.get()
    assert client.chat(PROMPT, Sampling(max_tokens=2)).text is not None
    assert path.stat().st_size > 200_000_000


def test_a_corrupt_custom_model_is_a_clear_error(tmp_path: Path, gemma_settings: Settings) -> None:
    from debrief.errors import ModelIntegrityError

    source = gemma_settings.data_dir / "models" / "gemma-3-270m-q4_k_m.gguf"
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(source.read_bytes()[:5_000_000])
    connection = LLMConnection(Settings(data_dir=tmp_path, model_path=broken, context_size=1024))
    with pytest.raises(ModelIntegrityError) as caught:
        connection.get()
    assert str(broken) in caught.value.message
    with pytest.raises(ModelIntegrityError):  # again: the same clear error, no crash loop
        connection.get()
