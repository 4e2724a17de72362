"""The whole flow through the real app: create, draft, reflect, ask, plan, export, delete.

Used in-process by test_privacy.py (with `socket` guarded) and, as
`python -m tests.reliability.full_flow DATA_DIR`, in a process run under strace. The model is a
stub OpenAI-compatible server on 127.0.0.1, reached over real HTTP with a canary API key.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from debrief.services import container
from tests.reliability.doubles import APP, open_page, rendered_bytes, stub_reply
from tests.stub_openai_server import StubState, stub_openai_server

CANARY_KEY = "sk-canary-7f3e9d1c2b4a"


@dataclass
class FlowRecord:
    """What the flow showed and offered: every page's protos and every download's bytes."""

    pages: list[bytes] = field(default_factory=list)
    downloads: list[bytes] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    stub: StubState | None = None
    deleted: bool = False  # "Delete everything" reported success
    messages: list[str] = field(default_factory=list)  # what the last page said


@contextmanager
def app_environment(data_dir: Path) -> Iterator[StubState]:
    """Environment for an app whose services are built as a user's are (from DEBRIEF_*)."""
    names = [
        "DEBRIEF_DATA_DIR",
        "DEBRIEF_LLM_PROVIDER",
        "DEBRIEF_LLM_BASE_URL",
        "DEBRIEF_LLM_MODEL",
        "DEBRIEF_LLM_API_KEY",
        "DEBRIEF_LLM_MAX_RETRIES",
    ]
    saved = {name: os.environ.get(name) for name in names}
    with stub_openai_server(responder=stub_reply) as (url, state):
        os.environ.update(
            DEBRIEF_DATA_DIR=str(data_dir),
            DEBRIEF_LLM_PROVIDER="openai_compatible",
            DEBRIEF_LLM_BASE_URL=url,
            DEBRIEF_LLM_MODEL="stub-model",
            DEBRIEF_LLM_API_KEY=CANARY_KEY,
            DEBRIEF_LLM_MAX_RETRIES="0",
        )
        container.forget_app_services()
        try:
            yield state
        finally:
            container.forget_app_services()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


@contextmanager
def recording_downloads(record: FlowRecord) -> Iterator[None]:
    original = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self: Any, path_or_data: str | bytes, *args: Any, **kwargs: Any) -> str:
        if isinstance(path_or_data, bytes):
            record.downloads.append(path_or_data)
        return original(self, path_or_data, *args, **kwargs)

    MemoryMediaFileStorage.load_and_get_id = load_and_get_id  # type: ignore[method-assign]
    try:
        yield
    finally:
        MemoryMediaFileStorage.load_and_get_id = original  # type: ignore[method-assign]


def _step(app: AppTest, record: FlowRecord, name: str) -> None:
    assert not app.exception, f"{name}: {app.exception}"
    record.pages.append(rendered_bytes(app))
    record.steps.append(name)


def run_full_flow(data_dir: Path) -> FlowRecord:
    """Drive every page once; returns what was rendered and offered for download."""
    record = FlowRecord()
    with app_environment(data_dir) as stub, recording_downloads(record):
        record.stub = stub
        app = AppTest.from_file(APP, default_timeout=30).run()
        _step(app, record, "start")
        app.text_area(key="quick_request").input("Thank Maria for the Kafka talk").run()
        app.button(key="quick_submit").click().run()
        _step(app, record, "quick draft")

        open_page("interview", app)
        app.text_input(key="iv_company").input("Northwind Logistics").run()
        app.text_input(key="iv_role").input("Senior Backend Engineer").run()
        app.button(key="add_person").click().run()
        names = [t.key for t in app.text_input if t.key and t.key.endswith("_name")]
        people = [("Maria Chen", "moving billing to Kafka"), ("Dev Patel", "contract tests")]
        for key, (name, topic) in zip(names, people, strict=True):
            app.text_input(key=key).input(name)
            app.text_area(key=key.replace("_name", "_topics")).input(topic)
        app.run()
        app.button(key="save_interview").click().run()
        _step(app, record, "create")
        app.text_area(key="res_text").input("Northwind notes\nNorthwind ships freight.").run()
        app.button(key="res_add_paste").click().run()
        _step(app, record, "research")

        open_page("notes", app)
        app.button(key="draft_all").click().run()
        _step(app, record, "draft")
        sent = next(b for b in app.button if b.key and b.key.startswith("sent_"))
        sent.click().run()
        _step(app, record, "mark as sent")

        open_page("reflect", app)
        app.text_area(key="rf_unprepared_question").input("The backfill question.").run()
        app.button(key="rf_suggest").click().run()
        app.button(key="rf_save").click().run()
        _step(app, record, "reflect")

        open_page("ask", app)
        app.chat_input(key="ask_input").set_value("Why do my interviews go badly?").run()
        _step(app, record, "ask")

        open_page("plan", app)
        app.button(key="plan_make").click().run()
        _step(app, record, "plan")
        open_page("patterns", app)
        _step(app, record, "patterns")

        open_page("settings", app)
        app.button(key="doctor").click().run()
        _step(app, record, "export and test connection")
        app.text_input(key="delete_confirm").input("DELETE").run()
        app.button(key="delete_all").click().run()
        _step(app, record, "delete")
        record.deleted = any("Deleted:" in s.value for s in app.success)
        record.messages = [str(e.value) for e in [*app.success, *app.error]]
    return record


if __name__ == "__main__":
    done = run_full_flow(Path(sys.argv[1]))
    print("flow ok:", ", ".join(done.steps), "| deleted:", done.deleted, flush=True)
