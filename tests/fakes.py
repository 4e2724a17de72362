"""Hand-written test doubles (unit tests only): a chat model with canned replies."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

from debrief.errors import DebriefError, LLMStreamIncompleteError
from debrief.llm.connection import Preparation
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import DEFAULT_SAMPLING, ChatMessage, ChatResult, Sampling, StreamStats

SchemaT = TypeVar("SchemaT", bound=BaseModel)
ModelT = TypeVar("ModelT")


@dataclass
class FakeChatModel:
    """Replies with queued texts (or raises queued errors) and records every request."""

    model_id: str = "fake-model"
    replies: list[str | DebriefError] = field(default_factory=list)
    requests: list[list[ChatMessage]] = field(default_factory=list)
    cut_after: int | None = None  # stream: stop after this many pieces, as a dropped stream
    schemas: list[type[BaseModel] | None] = field(default_factory=list)

    def enqueue(self, *replies: str | DebriefError) -> FakeChatModel:
        self.replies.extend(replies)
        return self

    def _next(self, messages: Sequence[ChatMessage]) -> str:
        self.requests.append(list(messages))
        if not self.replies:
            raise AssertionError("FakeChatModel: no reply queued")
        reply = self.replies.pop(0)
        if isinstance(reply, DebriefError):
            raise reply
        return reply

    def chat(
        self, messages: Sequence[ChatMessage], sampling: Sampling = DEFAULT_SAMPLING
    ) -> ChatResult:
        text = self._next(messages)
        return ChatResult(text, self.model_id, "stop", None, len(text.split()), 0.0)

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        sampling: Sampling = DEFAULT_SAMPLING,
        stats: StreamStats | None = None,
        json_schema: type[BaseModel] | None = None,
    ) -> Iterator[str]:
        text = self._next(messages)
        self.schemas.append(json_schema)
        pieces = [word + " " for word in text.split(" ")]
        pieces[-1] = pieces[-1].rstrip(" ")
        sent: list[str] = []
        for index, piece in enumerate(pieces):
            if self.cut_after is not None and index == self.cut_after:
                raise LLMStreamIncompleteError("stream cut", partial="".join(sent))
            sent.append(piece)
            yield piece
        if stats is not None:
            stats.finish_reason = "stop"

    def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        sampling: Sampling = DEFAULT_SAMPLING,
    ) -> SchemaT:
        self.schemas.append(schema)
        return schema.model_validate_json(self._next(messages))


@dataclass
class ModelSource(Generic[ModelT]):
    """A ChatModelSource handing out one given model; ready unless told otherwise."""

    model: ModelT
    ready: bool = True
    failure: DebriefError | None = None

    def describe(self) -> str:
        return "fake model for tests"

    def is_ready(self) -> bool:
        return self.ready

    def get(self, progress: ProgressCallback = no_progress) -> ModelT:
        if self.failure is not None:
            raise self.failure
        return self.model

    def prepare_in_background(self, retry: bool = False) -> Preparation:
        preparation = Preparation()
        if self.failure is not None:
            preparation.error = self.failure
        else:
            preparation.done = self.ready
        return preparation


@dataclass
class FakeModelSource(ModelSource[FakeChatModel]):
    """A ChatModelSource that is always ready and hands out one FakeChatModel."""

    model: FakeChatModel = field(default_factory=FakeChatModel)
