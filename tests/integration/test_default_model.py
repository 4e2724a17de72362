"""The default 1.5B model end to end: assembled from its packages, loaded, answering."""

from __future__ import annotations

from pathlib import Path

import pytest

from debrief.llm.connection import LLMConnection
from debrief.llm.types import ChatMessage, Sampling
from debrief.services.container import build_services
from debrief.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_the_default_model_answers_a_short_question(shared_data_dir: Path) -> None:
    settings = Settings(data_dir=shared_data_dir, context_size=2048)
    client = LLMConnection(settings).get()
    result = client.chat(
        [ChatMessage("user", "What is the capital of France? Answer with one word.")],
        Sampling(max_tokens=8),
    )
    assert "paris" in result.text.lower()
    assert result.finish_reason == "stop"


def test_the_quick_draft_uses_the_facts_given(shared_data_dir: Path) -> None:
    settings = Settings(data_dir=shared_data_dir, context_size=2048)
    services = build_services(settings)
    try:
        draft = "".join(
            services.quick_draft.stream(
                "Two sentences thanking Maria Chen for our talk about moving billing to Kafka."
            )
        )
    finally:
        services.close()  # the data directory is shared with the other model tests
    assert "Kafka" in draft
    assert 5 <= len(draft.split()) <= 120
