"""A small OpenAI-compatible HTTP server on 127.0.0.1 for tests of a custom endpoint.

Besides answering, it can misbehave on purpose (`faults`): error statuses, a request that hangs,
a stream cut half-way or stopped at the token limit, an error that echoes the caller's API key.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], str]
"""Chooses the reply text for one chat request (e.g. by its `response_format`)."""

FAULTS = ("ok", "hang", "cut", "length", "echo_key", "not_json")
"""Fault modes, plus "status:<code>" (e.g. "status:500", "status:429")."""


class StubState:
    def __init__(
        self,
        reply: str,
        models: list[str],
        faults: Sequence[str] = (),
        fault: str = "ok",
        responder: Responder | None = None,
        hang_s: float = 30.0,
    ) -> None:
        self.reply = reply
        self.models = models
        self.requests: list[dict[str, Any]] = []
        self.auth_headers: list[str | None] = []
        self.faults = list(faults)  # one per chat request, in order; then `fault`
        self.fault = fault
        self.responder = responder
        self.hang_s = hang_s
        self.served: list[str] = []  # the fault mode each chat request met
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    def next_fault(self) -> str:
        with self._lock:
            mode = self.faults.pop(0) if self.faults else self.fault
            self.served.append(mode)
            return mode

    def reply_for(self, request: dict[str, Any]) -> str:
        return self.responder(request) if self.responder is not None else self.reply


def _chunk(piece: str | None, finish_reason: str | None) -> str:
    delta = {"content": piece} if piece is not None else {}
    chunk = {
        "id": "s1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
    return f"data: {json.dumps(chunk)}\n\n"


def _handler(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            return

        def _json(
            self, status: int, payload: object, headers: dict[str, str] | None = None
        ) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
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
            try:
                self._answer(request, state.next_fault())
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up first (its timeout): nothing to answer

        def _answer(self, request: dict[str, Any], mode: str) -> None:
            # Tell the SDK to retry at once, so retry tests stay fast.
            quick_retry = {"retry-after-ms": "10"}
            if mode.startswith("status:"):
                status = int(mode.partition(":")[2])
                message = f"stub fault: HTTP {status}"
                self._json(status, {"error": {"message": message}}, quick_retry)
                return
            if mode == "echo_key":  # a gateway that quotes the credentials it rejected
                message = f"upstream failed for key {self.headers.get('Authorization')}"
                self._json(500, {"error": {"message": message}}, quick_retry)
                return
            if mode == "hang":
                state.stopping.wait(state.hang_s)
                return
            if mode == "not_json":
                body = b"<html>a login page</html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            reply = state.reply_for(request)
            if mode in ("cut", "length"):
                reply = reply[: len(reply) // 2]
            finish = "length" if mode == "length" else "stop"
            if not request.get("stream"):
                answer = {"role": "assistant", "content": reply}
                choice = {"index": 0, "finish_reason": finish, "message": answer}
                payload = {
                    "id": "s1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": request["model"],
                    "choices": [choice],
                }
                self._json(200, payload)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            words = reply.split(" ")
            for index, word in enumerate(words):
                piece = word if index == len(words) - 1 else word + " "
                self.wfile.write(_chunk(piece, None).encode())
            self.wfile.flush()
            if mode == "cut":  # the connection drops: no finish_reason, no [DONE]
                return
            self.wfile.write((_chunk(None, finish) + "data: [DONE]\n\n").encode())

    return Handler


@contextmanager
def stub_openai_server(
    reply: str = "Hello from the stub.",
    models: tuple[str, ...] = ("stub-model",),
    port: int = 0,
    *,
    faults: Sequence[str] = (),
    fault: str = "ok",
    responder: Responder | None = None,
    hang_s: float = 30.0,
) -> Iterator[tuple[str, StubState]]:
    """Serve on a free loopback port; yields (base_url ending in /v1, state).

    `faults` are applied to the chat requests in order, then `fault` to every later one.
    """
    state = StubState(reply, list(models), faults, fault, responder, hang_s)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        state.stopping.set()
        server.shutdown()
        server.server_close()
