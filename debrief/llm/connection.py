"""From settings to a ready chat model: the embedded server or a configured endpoint."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from pydantic import BaseModel

from debrief.errors import DebriefError, LLMBadResponseError
from debrief.llm.client import LLMClient
from debrief.llm.embedded import EmbeddedConfig, get_embedded_server, running_embedded_server
from debrief.llm.model_files import ProgressCallback, no_progress
from debrief.llm.types import ChatMessage, ChatResult, Sampling, StreamStats
from debrief.settings import Settings

SchemaT = TypeVar("SchemaT", bound=BaseModel)
log = logging.getLogger(__name__)


class ChatModel(Protocol):
    """What services need from a model. `LLMClient` implements it; tests use a fake."""

    model_id: str

    def chat(self, messages: Sequence[ChatMessage], sampling: Sampling = ...) -> ChatResult: ...

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        sampling: Sampling = ...,
        stats: StreamStats | None = None,
        json_schema: type[BaseModel] | None = None,
    ) -> Iterator[str]: ...

    def structured(
        self, messages: Sequence[ChatMessage], schema: type[SchemaT], sampling: Sampling = ...
    ) -> SchemaT: ...


@dataclass
class Preparation:
    """Progress of getting the model ready in the background (shared by every session)."""

    stage: str = "Waiting to start"
    fraction: float | None = None
    done: bool = False
    error: DebriefError | None = None

    def report(self, stage: str, fraction: float | None) -> None:
        self.stage, self.fraction = stage, fraction


class ChatModelSource(Protocol):
    """Hands out the chat model, preparing it first when needed (what services depend on)."""

    def describe(self) -> str: ...

    def is_ready(self) -> bool: ...

    def get(self, progress: ProgressCallback = no_progress) -> ChatModel: ...

    def prepare_in_background(self, retry: bool = False) -> Preparation: ...


def embedded_config(settings: Settings) -> EmbeddedConfig:
    return EmbeddedConfig(
        data_dir=settings.data_dir,
        embedded_model=settings.embedded_model,
        model_path=settings.model_path,
        context_size=settings.context_size,
        threads=settings.threads,
    )


class LLMConnection:
    """The configured endpoint. For `embedded`, the first `get()` assembles and loads the model."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: LLMClient | None = None
        self._lock = threading.Lock()
        self._preparation: Preparation | None = None
        self._endpoint_answered = False

    def describe(self) -> str:
        s = self.settings
        if s.llm_provider == "embedded":
            model = s.model_path.name if s.model_path else s.embedded_model
            return f"embedded llama.cpp ({model})"
        return f"{s.llm_base_url} ({s.llm_model})"

    def is_ready(self) -> bool:
        if self.settings.llm_provider == "embedded":
            return running_embedded_server(embedded_config(self.settings)) is not None
        return self._endpoint_answered

    def prepare_in_background(self, retry: bool = False) -> Preparation:
        """Start getting the model ready on a thread, once; after a failure only on `retry`."""
        with self._lock:
            current = self._preparation
            if current is not None and (current.error is None or not retry):
                return current
            preparation = self._preparation = Preparation()
        if self.is_ready():
            preparation.done = True
            return preparation

        def work() -> None:
            try:
                client = self.get(preparation.report)
                if self.settings.llm_provider != "embedded":
                    preparation.report(f"Contacting {client.base_url}", None)
                    self.probe(client)
            except DebriefError as exc:
                preparation.error = exc
            except Exception as exc:  # a thread must report, not vanish
                log.exception("preparing the model failed")
                preparation.error = DebriefError(f"Preparing the model failed: {exc}")
            else:
                preparation.done = True

        threading.Thread(target=work, name="debrief-model-prep", daemon=True).start()
        return preparation

    def probe(self, client: LLMClient) -> None:
        """Check that a custom endpoint answers at all (a cheap GET of its model list)."""
        # An error status (e.g. no /models route) still means the server answered.
        with contextlib.suppress(LLMBadResponseError):
            client.list_models()
        self._endpoint_answered = True

    def get(self, progress: ProgressCallback = no_progress) -> LLMClient:
        with self._lock:
            if self._client is None:
                self._client = self._build(progress)
            return self._client

    def _build(self, progress: ProgressCallback) -> LLMClient:
        s = self.settings
        if s.llm_provider == "embedded":
            server = get_embedded_server(embedded_config(s), progress)
            return LLMClient(
                base_url=server.base_url,
                model=server.model_id,
                timeout_s=s.llm_timeout_s,
                # Retrying a local server that is busy generating only queues more work.
                max_retries=0,
                use_env_proxies=False,
            )
        assert s.llm_base_url is not None and s.llm_model is not None  # the settings checked
        return LLMClient(
            base_url=s.llm_base_url,
            model=s.llm_model,
            api_key=s.llm_api_key.get_secret_value() if s.llm_api_key else None,
            timeout_s=s.llm_timeout_s,
            max_retries=s.llm_max_retries,
        )
