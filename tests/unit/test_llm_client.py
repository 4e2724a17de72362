"""The client through the real openai SDK, over an httpx transport of our own (no network)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from pydantic import BaseModel

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
from debrief.llm.client import LLMClient
from debrief.llm.types import ChatMessage, Sampling, StreamStats

BASE = "http://llm.test/v1"
HELLO = [ChatMessage("user", "hello")]
Handler = Callable[[httpx.Request], httpx.Response]


def completion(text: str, finish: str = "stop") -> dict[str, object]:
    return {
        "id": "c1",
        "object": "chat.completion",
        "created": 0,
        "model": "served-model",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
    }


def sse(pieces: list[str], finish: str | None = "stop") -> bytes:
    events = []
    for piece in pieces:
        chunk = {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
        }
        events.append(f"data: {json.dumps(chunk)}\n\n")
    if finish:
        last = {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": {}, "finish_reason": finish}],
        }
        events.append(f"data: {json.dumps(last)}\n\n")
        events.append("data: [DONE]\n\n")
    return "".join(events).encode()


class Recorder:
    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(response, Exception):
            raise response
        return response

    def body(self, index: int = -1) -> dict[str, object]:
        return json.loads(self.requests[index].content)  # type: ignore[no-any-return]


def client_for(handler: Handler, *, retries: int = 0, api_key: str | None = None) -> LLMClient:
    return LLMClient(
        base_url=BASE,
        model="my-model",
        api_key=api_key,
        timeout_s=3,
        max_retries=retries,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )


def test_chat_sends_a_deterministic_request_and_reads_the_answer() -> None:
    recorder = Recorder(httpx.Response(200, json=completion("Thanks, Maria.")))
    result = client_for(recorder, api_key="sk-abc").chat(
        HELLO, Sampling(max_tokens=20, stop=("\n\n",))
    )
    assert result.text == "Thanks, Maria."
    assert (result.model, result.finish_reason, result.prompt_tokens, result.completion_tokens) == (
        "served-model",
        "stop",
        5,
        2,
    )
    body = recorder.body()
    assert body["model"] == "my-model"
    assert body["messages"] == [{"role": "user", "content": "hello"}]
    assert (body["temperature"], body["seed"], body["max_tokens"], body["stop"]) == (
        0.0,
        7,
        20,
        ["\n\n"],
    )
    assert recorder.requests[0].url == httpx.URL(BASE + "/chat/completions")
    assert recorder.requests[0].headers["authorization"] == "Bearer sk-abc"


def test_the_key_is_not_in_the_clients_repr() -> None:
    client = client_for(Recorder(httpx.Response(200, json=completion("x"))), api_key="sk-secret-1")
    assert "sk-secret-1" not in repr(client)


def test_stream_yields_pieces_and_fills_stats() -> None:
    recorder = Recorder(
        httpx.Response(
            200, content=sse(["Dear ", "Maria", ","]), headers={"content-type": "text/event-stream"}
        )
    )
    stats = StreamStats()
    pieces = list(client_for(recorder).stream_chat(HELLO, stats=stats))
    assert pieces == ["Dear ", "Maria", ","]
    assert recorder.body()["stream"] is True
    assert stats.finish_reason == "stop" and stats.chunks == 3
    assert stats.first_token_s is not None and stats.total_s is not None


def test_a_stream_that_ends_without_finishing_is_incomplete() -> None:
    recorder = Recorder(
        httpx.Response(
            200,
            content=sse(["Dear ", "Mar"], finish=None),
            headers={"content-type": "text/event-stream"},
        )
    )
    received: list[str] = []
    with pytest.raises(LLMStreamIncompleteError) as caught:
        received.extend(client_for(recorder).stream_chat(HELLO))
    assert caught.value.partial == "Dear Mar"
    assert received == ["Dear ", "Mar"]


class Verdict(BaseModel):
    answer: str
    confidence: int


def test_structured_output_sends_the_schema_and_validates() -> None:
    recorder = Recorder(httpx.Response(200, json=completion('{"answer": "yes", "confidence": 4}')))
    verdict = client_for(recorder).structured(HELLO, Verdict)
    assert verdict == Verdict(answer="yes", confidence=4)
    response_format = recorder.body()["response_format"]
    assert isinstance(response_format, dict)
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["schema"] == Verdict.model_json_schema()


@pytest.mark.parametrize(
    "raw", ['{"answer": "yes"}', "not json", '{"answer": 1, "confidence": "x"}']
)
def test_structured_output_that_does_not_validate_is_a_typed_error(raw: str) -> None:
    recorder = Recorder(httpx.Response(200, json=completion(raw)))
    with pytest.raises(LLMOutputInvalidError) as caught:
        client_for(recorder).structured(HELLO, Verdict)
    assert caught.value.raw == raw
    # Said in words; the schema's name and pydantic's field errors are for the log.
    assert caught.value.message == "The model's answer was cut off or not in the form asked for."


ERROR_CASES: list[tuple[str, httpx.Response | Exception, type[LLMError], str]] = [
    ("refused", httpx.ConnectError("connection refused"), LLMUnreachableError, "Cannot reach"),
    ("timeout", httpx.ReadTimeout("slow"), LLMTimeoutError, "within 3 s"),
    (
        "429",
        httpx.Response(429, json={"error": {"message": "slow down"}}),
        LLMRateLimitedError,
        "429",
    ),
    (
        "401",
        httpx.Response(401, json={"error": {"message": "bad key"}}),
        LLMAuthError,
        "rejected the API key",
    ),
    (
        "404",
        httpx.Response(404, json={"error": {"message": "no model"}}),
        LLMBadResponseError,
        "my-model",
    ),
    (
        "500",
        httpx.Response(500, json={"error": {"message": "boom"}}),
        LLMBadResponseError,
        "HTTP 500",
    ),
    (
        "html",
        httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"}),
        LLMBadResponseError,
        BASE,
    ),
]


@pytest.mark.parametrize(
    ("case", "response", "error", "text"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES]
)
def test_sdk_errors_become_typed_errors_naming_the_endpoint(
    case: str, response: httpx.Response | Exception, error: type[LLMError], text: str
) -> None:
    client = client_for(Recorder(response))
    with pytest.raises(error) as caught:
        client.chat(HELLO)
    assert text in caught.value.message
    assert BASE in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize(
    ("case", "response", "error", "text"), ERROR_CASES[:6], ids=[c[0] for c in ERROR_CASES[:6]]
)
def test_stream_errors_before_the_first_piece_are_typed_too(
    case: str, response: httpx.Response | Exception, error: type[LLMError], text: str
) -> None:
    with pytest.raises(error):
        list(client_for(Recorder(response)).stream_chat(HELLO))


def test_a_stream_broken_mid_way_keeps_what_arrived() -> None:
    class Broken(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield sse(["Dear ", "Maria"], finish=None)
            raise httpx.ReadError("connection reset")

    recorder = Recorder(
        httpx.Response(200, stream=Broken(), headers={"content-type": "text/event-stream"})
    )
    with pytest.raises(LLMStreamIncompleteError) as caught:
        list(client_for(recorder).stream_chat(HELLO))
    assert caught.value.partial == "Dear Maria"


def test_rate_limits_are_retried_then_succeed() -> None:
    recorder = Recorder(
        httpx.Response(429, json={"error": {"message": "wait"}}, headers={"retry-after-ms": "1"}),
        httpx.Response(200, json=completion("fine")),
    )
    assert client_for(recorder, retries=2).chat(HELLO).text == "fine"
    assert len(recorder.requests) == 2


def test_list_models() -> None:
    recorder = Recorder(
        httpx.Response(
            200,
            json={
                "object": "list",
                "data": [{"id": "a", "object": "model", "created": 0, "owned_by": "x"}],
            },
        )
    )
    assert client_for(recorder).list_models() == ["a"]
