"""Plain types that cross the LLM boundary (importable without the openai SDK)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class Sampling:
    """Sampling parameters; deterministic by default so drafts and evals are repeatable."""

    max_tokens: int = 512
    temperature: float = 0.0
    seed: int | None = 7
    stop: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChatResult:
    text: str
    model: str
    finish_reason: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    seconds: float


@dataclass
class StreamStats:
    """Filled in while a stream runs: first-token latency, chunks, how it ended."""

    started: float = field(default_factory=time.perf_counter)
    first_token_s: float | None = None
    total_s: float | None = None
    chunks: int = 0
    finish_reason: str | None = None


DEFAULT_SAMPLING = Sampling()
