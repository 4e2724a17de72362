"""Test doubles and probes shared by the reliability tests.

`EchoChatModel` is the worst model imaginable for injection: it copies what it is shown into
its answer. If an attacker's string reaches a prompt, it reaches the output; so a clean output
proves the code, not the model's good manners, kept the string out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from streamlit.testing.v1 import AppTest

from debrief.llm.types import DEFAULT_SAMPLING, ChatMessage, ChatResult, Sampling, StreamStats
from debrief.services.container import Services, open_history
from tests.fakes import ModelSource

SchemaT = TypeVar("SchemaT", bound=BaseModel)

# A fence opens and closes on lines of their own (the system prompt also names them in a sentence).
_FENCED = re.compile(
    r"^<(research|passages|notes|evidence|answers)>\n(.*?)\n</\1>$", re.DOTALL | re.MULTILINE
)


def fenced_sections(messages: Sequence[ChatMessage]) -> list[tuple[str, str]]:
    """(fence name, text) of every data section fenced in the prompt."""
    return [(m[1], m[2]) for msg in messages for m in _FENCED.finditer(msg.content)]


def _pack(text: str, caps: list[int]) -> list[str]:
    """Split `text` into pieces no longer than each cap in turn, breaking between words."""
    pieces: list[str] = []
    words = text.split()
    for cap in caps:
        piece = ""
        while words and len(piece) + len(words[0]) + 1 <= cap:
            piece = f"{piece} {words.pop(0)}".strip()
        if not piece and words:  # one word longer than the cap: cut it
            piece, words[0] = words[0][:cap], words[0][cap:]
        pieces.append(piece)
    if words:
        raise AssertionError(f"the echo does not fit the schema ({len(' '.join(words))} left)")
    return pieces


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref:
        resolved: dict[str, Any] = schema["$defs"][ref.rsplit("/", 1)[1]]
        return resolved
    return node


def _slots(schema: dict[str, Any], node: dict[str, Any], path: tuple[Any, ...]) -> Iterator[Any]:
    """(path, min, max) for every free-text string the schema allows, in order."""
    node = _resolve(schema, node)
    if node.get("type") == "object":
        for name, child in node["properties"].items():
            yield from _slots(schema, child, (*path, name))
    elif node.get("type") == "array":
        count = int(node.get("maxItems", 1))
        for index in range(count):
            yield from _slots(schema, node["items"], (*path, index))
    elif node.get("type") == "string" and "enum" not in node:
        yield path, int(node.get("minLength", 0)), int(node.get("maxLength", 10_000))


def _build(
    schema: dict[str, Any],
    node: dict[str, Any],
    texts: dict[tuple[Any, ...], str],
    path: tuple[Any, ...],
) -> Any:
    node = _resolve(schema, node)
    if node.get("type") == "object":
        return {n: _build(schema, c, texts, (*path, n)) for n, c in node["properties"].items()}
    if node.get("type") == "array":
        count = int(node.get("maxItems", 1))
        return [_build(schema, node["items"], texts, (*path, i)) for i in range(count)]
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    return texts[path]


def echo_json(schema: type[BaseModel], text: str) -> str:
    """A JSON answer valid for `schema` whose free-text fields, read in order, hold `text`."""
    tree = schema.model_json_schema()
    slots = list(_slots(tree, tree, ()))
    pieces = _pack(text, [high for _, _, high in slots])
    texts = {
        path: piece + " ." * max(0, (low - len(piece) + 1) // 2)
        for (path, low, _), piece in zip(slots, pieces, strict=True)
    }
    return json.dumps(_build(tree, tree, texts, ()), ensure_ascii=False)


@dataclass
class EchoChatModel:
    """Answers with what it was shown: free text echoes the whole prompt; JSON echoes the data
    fenced in the prompt plus the user's message (all of it, or the test fails)."""

    model_id: str = "echo-model"
    requests: list[list[ChatMessage]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)

    def _whole(self, messages: Sequence[ChatMessage]) -> str:
        self.requests.append(list(messages))
        return "\n".join(m.content for m in messages)

    def _data(self, messages: Sequence[ChatMessage]) -> str:
        self.requests.append(list(messages))
        fenced = [text for _, text in fenced_sections(messages)]
        users = [m.content for m in messages if m.role == "user"]
        return "\n".join([*fenced, *users[-1:]])

    def chat(
        self, messages: Sequence[ChatMessage], sampling: Sampling = DEFAULT_SAMPLING
    ) -> ChatResult:
        text = self._whole(messages)
        self.answers.append(text)
        return ChatResult(text, self.model_id, "stop", None, None, 0.0)

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        sampling: Sampling = DEFAULT_SAMPLING,
        stats: StreamStats | None = None,
        json_schema: type[BaseModel] | None = None,
    ) -> Iterator[str]:
        if json_schema is None:
            text = self._whole(messages)
        else:
            text = echo_json(json_schema, self._data(messages))
        self.answers.append(text)
        for start in range(0, len(text), 40):
            yield text[start : start + 40]
        if stats is not None:
            stats.finish_reason = "stop"

    def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        sampling: Sampling = DEFAULT_SAMPLING,
    ) -> SchemaT:
        text = echo_json(schema, self._data(messages))
        self.answers.append(text)
        return schema.model_validate_json(text)


@dataclass
class EchoModelSource(ModelSource[EchoChatModel]):
    """A ChatModelSource handing out one EchoChatModel."""

    model: EchoChatModel = field(default_factory=EchoChatModel)


# -- what a page shows ----------------------------------------------------------------------------


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def page_nodes(app: AppTest) -> list[Any]:
    """Every element and block of the last run, main area and sidebar."""
    return list(_walk(app._tree))


_MARKDOWN_ELEMENTS = frozenset(
    {"markdown", "caption", "error", "warning", "info", "success", "toast", "exception"}
)
_MARKDOWN_FIELDS = frozenset({"label", "help"})


def _labels(message: Any) -> Iterator[str]:
    """Every string field named label or help in a proto message, however deeply nested."""
    for descriptor, value in message.ListFields():
        if descriptor.type == descriptor.TYPE_MESSAGE:
            items = value if descriptor.is_repeated else [value]
            for item in items:
                yield from _labels(item)
        elif descriptor.name in _MARKDOWN_FIELDS and isinstance(value, str):
            yield value


def markdown_surfaces(app: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of everything the browser renders as Markdown.

    Markdown (and captions) and alerts, plus the labels and help texts of widgets, expanders,
    tabs and metrics: Streamlit renders images and links in all of them. `st.text`, `st.code`
    and the values of inputs are shown as they are.
    """
    found: list[tuple[str, str]] = []
    for node in page_nodes(app):
        kind = str(getattr(node, "type", ""))
        proto = getattr(node, "proto", None)
        if kind in _MARKDOWN_ELEMENTS:
            found.append((kind, str(getattr(node, "value", ""))))
        if proto is not None and hasattr(proto, "ListFields"):
            found += [(kind, label) for label in _labels(proto)]
    return found


def plain_text(app: AppTest) -> str:
    """Everything shown as plain text: st.text, st.code and the values of text inputs/areas."""
    parts: list[str] = []
    for node in page_nodes(app):
        kind = str(getattr(node, "type", ""))
        if kind in ("text", "code", "text_input", "text_area"):
            parts.append(str(getattr(node, "value", "") or ""))
    return "\n".join(parts)


def rendered_bytes(app: AppTest) -> bytes:
    """The serialised protos of every element: everything the browser receives for the page."""
    out = []
    for node in page_nodes(app):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            out.append(proto.SerializeToString())
    return b"\n".join(out)


# -- driving the app ------------------------------------------------------------------------------

APP = str(Path(__file__).parents[2] / "app.py")
EXAMPLES = Path(__file__).parents[2] / "examples"


def open_page(page: str, app: AppTest | None = None) -> AppTest:
    """The real app (services from `use_services`), switched to `app_pages/<page>.py`."""
    if app is None:
        app = AppTest.from_file(APP, default_timeout=30)
        app.run()
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception
    return app


# -- replies a stub endpoint gives, by the JSON schema it was asked for ----------------------------

NOTE_FIELDS = {
    "subject": "Kafka billing migration",
    "opening": "Thank you for walking me through moving billing to Kafka streams.",
    "details": ["Your question about backfilling events without double-charging stayed with me."],
    "repair": "On the backfill: I would replay events into an idempotent consumer keyed by invoice id.",
    "closing": "I would bring careful migration work to the Senior Backend Engineer role at Northwind Logistics.",
}
PLAN_STEP = {
    "action": "Write a one-page backfill design with idempotent replay",
    "done_when": "One page written and read aloud in 2 minutes",
}


def stub_reply(request: dict[str, Any]) -> str:
    """A well-formed answer for whatever the app asked (a note, a proposal, a plan, free text)."""
    spec = request.get("response_format", {}).get("json_schema", {})
    name, schema = spec.get("name"), spec.get("schema", {})
    if name == "ThankYouNote":
        wanted = schema.get("properties", {})
        return json.dumps({k: v for k, v in NOTE_FIELDS.items() if k in wanted})
    if name == "ReflectionProposal":
        return json.dumps(
            {
                "cause_tags": ["unprepared_question"],
                "diagnosis": "The backfill question caught you without a worked example.",
            }
        )
    if name == "ActionPlanDraft":
        steps = schema["properties"]["steps"]
        count = int(steps["minItems"])
        allowed = schema["$defs"]["PlanStepDraft"]["properties"]["cause"]
        cause = allowed["const"] if "const" in allowed else allowed["enum"][0]
        return json.dumps({"steps": [PLAN_STEP | {"cause": cause}] * count})
    return "You froze on the backfill question [1]; rehearse it aloud twice before Friday."


def assert_records_consistent(services: Services, counts: dict[str, int] | None = None) -> None:
    """(When given) the row counts are as expected; then, with `services` closed, the data
    directory opens as the next start would: SQLite intact, every reference resolving, and the
    search index at the records' revision (nothing to rebuild).

    Closes `services`: call it last."""
    import sqlite3

    from tests.reliability.conftest import FIGURES

    FIGURES["saved data checked intact after a fault or bad input"] += 1
    if counts is not None:
        assert services.data.counts() == counts
    services.close()
    with open_history(services.settings) as reopened:
        path = reopened.history.store.path
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # open_history rebuilds an index that is behind the records, and says so.
        assert reopened.notice == "", f"the index was behind the records: {reopened.notice}"


# -- the network, watched ---------------------------------------------------------------------------

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    import ipaddress

    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@contextmanager
def network_guard() -> Iterator[list[tuple[str, str]]]:
    """Record every connect, datagram and name lookup made from Python; refuse (and record)
    any that is not for this machine. Yields the list of (what, where) attempts."""
    import socket

    attempts: list[tuple[str, str]] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_sendto, real_getaddrinfo = socket.socket.sendto, socket.getaddrinfo

    def check(what: str, family: int, address: Any) -> None:
        if family not in (socket.AF_INET, socket.AF_INET6):
            return  # a Unix socket never leaves the machine
        host = str(address[0])
        attempts.append((what, f"{host}:{address[1]}"))
        if not is_loopback(host):
            raise OSError(f"test guard: {what} to {host} refused")

    def connect(self: socket.socket, address: Any) -> None:
        check("connect", self.family, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check("connect", self.family, address)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        check("sendto", self.family, args[-1])
        return real_sendto(self, data, *args)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        attempts.append(("lookup", name))
        if not is_loopback(name):
            raise socket.gaierror(f"test guard: lookup of {name} refused")
        return real_getaddrinfo(host, *args, **kwargs)

    patched = {"connect": connect, "connect_ex": connect_ex, "sendto": sendto}
    originals = {"connect": real_connect, "connect_ex": real_connect_ex, "sendto": real_sendto}
    for name, function in patched.items():
        setattr(socket.socket, name, function)
    socket.getaddrinfo = getaddrinfo
    try:
        yield attempts
    finally:
        for name, function in originals.items():
            setattr(socket.socket, name, function)
        socket.getaddrinfo = real_getaddrinfo


def as_shown(text: str) -> str:
    """Text as the reader sees it: Markdown backslash-escapes removed (`\\.` shows as `.`)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def alerts(app: AppTest) -> str:
    """Every error, warning, info and success message of the page, and every message beside a
    field (shown in red under it), as shown."""
    fields = [m for m in app.markdown if str(m.value).startswith(":red[")]
    return "\n".join(
        as_shown(str(e.value)) for e in [*app.error, *app.warning, *app.info, *app.success, *fields]
    )
