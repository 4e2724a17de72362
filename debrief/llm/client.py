"""The one module that talks to an OpenAI-compatible endpoint (the only importer of `openai`).

The same code serves the embedded llama.cpp server, OpenAI, Ollama, vLLM and LM Studio: only the
base URL, key and model id differ. SDK errors become the typed errors in `debrief.errors`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx
import httpx2
import openai
from pydantic import BaseModel, ValidationError

from debrief.errors import (
    LLMAuthError,
    LLMBadResponseError,
    LLMError,
    LLMOutputInvalidError,
    LLMRateLimitedError,
    LLMStreamIncompleteError,
    LLMTimeoutError,
    LLMUnreachableError,
)
from debrief.llm.types import DEFAULT_SAMPLING, ChatMessage, ChatResult, Sampling, StreamStats

SchemaT = TypeVar("SchemaT", bound=BaseModel)
_CHECK_URL_HINT = "Check that DEBRIEF_LLM_BASE_URL points at an OpenAI-compatible API (often …/v1)."

log = logging.getLogger(__name__)


class LLMClient:
    """Chat, streamed chat and schema-constrained output against one endpoint and model."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        max_retries: int = 2,
        http_client: Any = None,
        use_env_proxies: bool = True,
    ) -> None:
        """`http_client` replaces the SDK's HTTP client (tests pass one with a mock transport).

        `use_env_proxies=False` ignores HTTP(S)_PROXY: a loopback server must never be proxied.
        """
        self.base_url = base_url.rstrip("/")
        self.model_id = model
        self._sdk = openai.OpenAI(
            base_url=self.base_url,
            # Local servers need no key, but the SDK insists on a non-empty one.
            api_key=api_key or "no-key-needed",
            timeout=timeout_s,
            max_retries=max_retries,
            http_client=http_client or openai.DefaultHttpxClient(trust_env=use_env_proxies),
        )
        self._timeout_s = timeout_s
        self._secret = api_key or None

    def __repr__(self) -> str:  # never include the key
        return f"LLMClient(base_url={self.base_url!r}, model={self.model_id!r})"

    def chat(
        self, messages: Sequence[ChatMessage], sampling: Sampling = DEFAULT_SAMPLING
    ) -> ChatResult:
        """One complete answer."""
        started = time.perf_counter()
        with self._mapped_errors():
            response = self._sdk.chat.completions.create(
                **self._request(messages, sampling), stream=False
            )
        return self._result(response, time.perf_counter() - started)

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        sampling: Sampling = DEFAULT_SAMPLING,
        stats: StreamStats | None = None,
        json_schema: type[BaseModel] | None = None,
    ) -> Iterator[str]:
        """Yield the answer piece by piece (constrained to `json_schema` when given).

        Raises `LLMStreamIncompleteError` (with the text so far) when the stream ends before the
        model says it has finished, so a cut-off draft is never mistaken for a whole one.
        """
        stats = stats if stats is not None else StreamStats()
        parts: list[str] = []
        with self._mapped_errors(partial=parts):
            extra: dict[str, Any] = {}
            if json_schema is not None:
                extra["response_format"] = _response_format(json_schema)
            stream = self._sdk.chat.completions.create(
                **self._request(messages, sampling), **extra, stream=True
            )
            try:
                for chunk in stream:
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    piece = choice.delta.content if choice.delta else None
                    if piece:
                        if stats.first_token_s is None:
                            stats.first_token_s = time.perf_counter() - stats.started
                        stats.chunks += 1
                        parts.append(piece)
                        yield piece
                    if choice.finish_reason:
                        stats.finish_reason = choice.finish_reason
            finally:
                stream.close()
        stats.total_s = time.perf_counter() - stats.started
        if stats.finish_reason is None:
            raise LLMStreamIncompleteError(
                f"The answer from {self.base_url} stopped half-way.",
                partial="".join(parts),
                hint="What arrived is kept but marked incomplete; try again.",
            )

    def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        sampling: Sampling = DEFAULT_SAMPLING,
    ) -> SchemaT:
        """An answer constrained to `schema` (JSON schema via `response_format`), validated."""
        response_format = _response_format(schema)
        started = time.perf_counter()
        with self._mapped_errors():
            response = self._sdk.chat.completions.create(
                **self._request(messages, sampling),
                response_format=response_format,
                stream=False,
            )
        result = self._result(response, time.perf_counter() - started)
        try:
            return schema.model_validate_json(result.text)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}"
                for err in exc.errors()
            )
            # The field-by-field problems are for a maintainer's log, not for the page.
            log.info("reply does not match %s: %s", schema.__name__, problems)
            raise LLMOutputInvalidError(
                "The model's answer was cut off or not in the form asked for.",
                raw=result.text,
                hint="Try again; if it keeps happening, the model may not support JSON schemas.",
            ) from None

    def list_models(self) -> list[str]:
        """Model ids the endpoint serves (a cheap health probe for any OpenAI-compatible server)."""
        with self._mapped_errors():
            return [model.id for model in self._sdk.models.list()]

    def _request(self, messages: Sequence[ChatMessage], sampling: Sampling) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model_id,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": sampling.max_tokens,
            "temperature": sampling.temperature,
        }
        if sampling.seed is not None:
            request["seed"] = sampling.seed
        if sampling.stop:
            request["stop"] = list(sampling.stop)
        return request

    def _result(self, response: Any, seconds: float) -> ChatResult:
        try:
            choice = response.choices[0]
            text = choice.message.content or ""
        except (AttributeError, IndexError, TypeError):
            raise LLMBadResponseError(
                f"{self.base_url} answered with something that is not a chat completion.",
                hint=_CHECK_URL_HINT,
            ) from None
        usage = getattr(response, "usage", None)
        return ChatResult(
            text=text,
            model=str(getattr(response, "model", None) or self.model_id),
            finish_reason=choice.finish_reason,
            prompt_tokens=getattr(usage, "prompt_tokens", None),
            completion_tokens=getattr(usage, "completion_tokens", None),
            seconds=seconds,
        )

    @contextmanager
    def _mapped_errors(self, partial: list[str] | None = None) -> Iterator[None]:
        """Turn SDK and transport errors into `debrief.errors` types."""
        try:
            yield
        except LLMError:
            raise
        except Exception as exc:
            error = _map_error(exc, self.base_url, self.model_id, self._timeout_s, partial)
            if self._secret and self._secret in f"{error} {exc!r} {exc}":
                # An endpoint quoted the key back: never show it, nor keep it in the chain.
                error.message = error.message.replace(self._secret, "[redacted]")
                error.args = (error.message,)
                raise error from None
            raise error from exc


def _response_format(schema: type[BaseModel]) -> Any:
    return {
        "type": "json_schema",
        "json_schema": {
            "name": schema.__name__,
            "schema": schema.model_json_schema(),
            "strict": True,
        },
    }


# The SDK speaks httpx2 (openai 3.x); a test transport may be legacy httpx. Accept both.
_TIMEOUTS = (openai.APITimeoutError, httpx.TimeoutException, httpx2.TimeoutException)
_TRANSPORT = (openai.APIConnectionError, httpx.TransportError, httpx2.TransportError)


def _map_error(
    exc: Exception, url: str, model: str, timeout_s: float, partial: list[str] | None
) -> LLMError:
    if partial:
        return LLMStreamIncompleteError(
            f"The answer from {url} broke off half-way ({type(exc).__name__}).",
            partial="".join(partial),
            hint="What arrived is kept but marked incomplete; try again.",
        )
    if isinstance(exc, _TIMEOUTS):
        return LLMTimeoutError(
            f"{url} did not answer within {timeout_s:g} s.",
            hint="The model may be busy or too slow: try again, or raise DEBRIEF_LLM_TIMEOUT_S.",
        )
    if isinstance(exc, _TRANSPORT):
        return LLMUnreachableError(
            f"Cannot reach the LLM endpoint at {url}.",
            hint="Check that the server is running and that DEBRIEF_LLM_BASE_URL is right "
            "(it usually ends in /v1), or unset DEBRIEF_LLM_PROVIDER to use the embedded model.",
        )
    if isinstance(exc, openai.RateLimitError):
        return LLMRateLimitedError(
            f"{url} says too many requests (429).",
            hint="Wait a minute and try again, or check the quota of your account.",
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMAuthError(
            f"{url} rejected the API key ({exc.status_code}).",
            hint="Check DEBRIEF_LLM_API_KEY (or OPENAI_API_KEY).",
        )
    if isinstance(exc, openai.NotFoundError):
        return LLMBadResponseError(
            f"{url} answered 404 for model '{model}'.",
            hint="Check DEBRIEF_LLM_MODEL and that DEBRIEF_LLM_BASE_URL ends in /v1.",
        )
    if isinstance(exc, openai.APIStatusError):
        return LLMBadResponseError(
            f"{url} answered with HTTP {exc.status_code}: {_short(exc.message)}",
            hint="Try again; if it persists, run `python -m debrief doctor`.",
        )
    if isinstance(exc, openai.APIError | ValueError):
        return LLMBadResponseError(
            f"{url} sent an answer that could not be read ({_short(str(exc))}).",
            hint=_CHECK_URL_HINT,
        )
    return LLMBadResponseError(
        f"Unexpected error talking to {url}: {type(exc).__name__}.",
        hint="Run `python -m debrief doctor` to see which check fails.",
    )


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
