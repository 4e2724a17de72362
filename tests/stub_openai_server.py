"""A small OpenAI-compatible HTTP server on 127.0.0.1 for tests of a custom endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class StubState:
    def __init__(self, reply: str, models: list[str]) -> None:
        self.reply = reply
        self.models = models
        self.requests: list[dict[str, Any]] = []
        self.auth_headers: list[str | None] = []


def _handler(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            return

        def _json(self, status: int, payload: object) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            state.auth_headers.append(self.headers.get("Authorization"))
            if self.path == "/v1/models":
                data = [
                    {"id": m, "object": "model", "created": 0, "owned_by": "stub"}
                    for m in state.models
                ]
                self._json(200, {"object": "list", "data": data})
            else:
                self._json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            state.auth_headers.append(self.headers.get("Authorization"))
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length))
            state.requests.append(request)
            if self.path != "/v1/chat/completions":
                self._json(404, {"error": {"message": "not found"}})
                return
            if not request.get("stream"):
                self._json(
                    200,
                    {
                        "id": "s1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": request["model"],
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": state.reply},
                            }
                        ],
                    },
                )
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            words = state.reply.split(" ")
            for index, word in enumerate(words):
                piece = word if index == len(words) - 1 else word + " "
                chunk = {
                    "id": "s1",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "m",
                    "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
                }
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            done = {
                "id": "s1",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "m",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            }
            self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())

    return Handler


@contextmanager
def stub_openai_server(
    reply: str = "Hello from the stub.", models: tuple[str, ...] = ("stub-model",), port: int = 0
) -> Iterator[tuple[str, StubState]]:
    """Serve on a free loopback port; yields (base_url ending in /v1, state)."""
    state = StubState(reply, list(models))
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()
