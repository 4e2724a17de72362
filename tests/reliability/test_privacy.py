"""Privacy: nothing leaves the machine, the app listens on loopback, the API key stays secret,
and "Delete everything" deletes everything.

(Loopback-only listening and two browser sessions are in test_browser.py.)
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from debrief.errors import DebriefError
from debrief.services.interview_file import read_interview_file
from debrief.services.notes import NoteOptions
from tests.reliability.conftest import services_on_stub
from tests.reliability.doubles import (
    APP,
    EXAMPLES,
    network_guard,
    open_page,
    rendered_bytes,
    stub_reply,
)
from tests.reliability.full_flow import CANARY_KEY, app_environment, run_full_flow

ROOT = Path(__file__).parents[2]
# The key's unique tail: found even where the key is shown Markdown-escaped (sk\-canary\-…).
CANARY = CANARY_KEY.rsplit("-", 1)[1].encode()


def test_the_full_flow_connects_only_to_this_machine_and_never_shows_the_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)  # the SDK, httpx and Streamlit log everything they do
    started = time.perf_counter()
    with network_guard() as attempts:
        record = run_full_flow(tmp_path / "data")
    took = time.perf_counter() - started
    outside = [
        (what, where)
        for what, where in attempts
        if not where.startswith(("127.0.0.1", "localhost", "::1"))
    ]
    assert outside == [], f"non-loopback network use: {outside}"
    # The guard saw the app's real traffic to the model (it is watching the right calls).
    # (The diagnosis, the reframe, the plan and a pattern question in Ask are written by code
    # and ask no model: 4 connects, was 8.)
    assert sum(what == "connect" for what, _ in attempts) >= 4
    stub = record.stub
    # Quick draft, the notes' one sentence of the candidate's own (the other note needs no
    # model), answer, plan, the round trip.
    assert stub is not None and len(stub.requests) >= 2  # notes and quick draft; the rest is code
    # "Delete everything" at the end of the flow left nothing behind.
    assert record.deleted, record.messages
    assert not (tmp_path / "data").exists()
    assert f"Bearer {CANARY_KEY}" in stub.auth_headers  # the key was used...
    # ...and is nowhere else: not in any page, download, log line or console output.
    assert len(record.pages) == len(record.steps) == 12
    assert not [
        step for step, page in zip(record.steps, record.pages, strict=True) if CANARY in page
    ]
    exports = [d for d in record.downloads if b'"format": "debrief-export"' in d]
    assert exports and len(record.downloads) >= 4  # JSON export, .eml, .ics, .md
    assert not [d[:80] for d in record.downloads if CANARY in d]
    assert not [r.getMessage()[:80] for r in caplog.records if CANARY.decode() in r.getMessage()]
    out, err = capfd.readouterr()
    assert CANARY.decode() not in out + err
    print(
        f"full flow: {len(record.steps)} steps, {len(attempts)} network calls (all loopback), {took:.1f} s"
    )


def _strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    probe = subprocess.run(
        ["strace", "-qq", "-e", "trace=none", "true"], capture_output=True, check=False
    )
    return probe.returncode == 0


_INET = re.compile(
    r'sa_family=AF_INET6?, sin6?_port=htons\((\d+)\).*?(?:inet_addr|inet_pton\(AF_INET6?),? ?\(?"([^"]+)"'
)


@pytest.mark.integration
@pytest.mark.skipif(not _strace_works(), reason="strace is not installed or not permitted here")
def test_the_full_flow_under_strace_connects_only_to_this_machine(tmp_path: Path) -> None:
    """Catches what a Python-level guard cannot: native code (onnxruntime, chromadb, sqlite)."""
    trace = tmp_path / "trace.txt"
    started = time.perf_counter()
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=connect,sendto,sendmsg",
            "-o",
            str(trace),
            sys.executable,
            "-m",
            "tests.reliability.full_flow",
            str(tmp_path / "data"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    took = time.perf_counter() - started
    assert result.returncode == 0 and "flow ok" in result.stdout, result.stderr[-2000:]
    calls = [line for line in trace.read_text().splitlines() if "AF_INET" in line]
    addresses = [(m[2], int(m[1])) for line in calls if (m := _INET.search(line))]
    assert len(addresses) == len(calls), [c for c in calls if not _INET.search(c)][:3]
    outside = [a for a in addresses if not (a[0].startswith("127.") or a[0] == "::1")]
    dns = [a for a in addresses if a[1] == 53]
    assert outside == [] and dns == [], f"outside: {outside[:5]}, DNS: {dns[:5]}"
    assert len(addresses) >= 4  # the trace did see the app talk to the model
    print(f"strace: {len(addresses)} inet calls, all loopback, no DNS; flow {took:.1f} s")


# -- the API key in errors ------------------------------------------------------------------------


def _error_texts(exc: BaseException) -> str:
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])


@pytest.mark.parametrize(
    "fault",
    [
        "status:401",
        "status:429",
        "status:500",
        "hang",
        "cut",
        "not_json",
        "echo_key",
    ],
)
def test_the_key_is_in_no_error_message_page_or_traceback(fault: str) -> None:
    with services_on_stub(api_key=CANARY_KEY, timeout_s=0.5, responder=stub_reply, fault=fault) as (
        services,
        stub,
    ):
        interview_id = services.interviews.add_from_spec(
            read_interview_file(EXAMPLES / "software_two_interviewers.yaml")
        )
        errors: list[BaseException] = []
        for attempt in (
            lambda: list(services.quick_draft.stream("Thank Maria")),
            lambda: services.notes.draft_all(interview_id, NoteOptions()),
            lambda: services.ask.ask("Why do my interviews go badly?"),
        ):
            try:
                attempt()
            except DebriefError as exc:
                errors.append(exc)
        assert len(errors) == 3, errors  # every call failed, with a typed error
        assert all(f"Bearer {CANARY_KEY}" == h for h in stub.auth_headers if h)
        assert not [e for e in errors if CANARY.decode() in _error_texts(e)]
        app = open_page("notes")
        app.button(key="draft_all").click().run()
        assert not app.exception and (app.error or app.warning)
        assert CANARY not in rendered_bytes(app)


# -- delete everything ----------------------------------------------------------------------------


def test_delete_everything_from_the_settings_page(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with app_environment(data_dir):
        app = AppTest.from_file(APP, default_timeout=30).run()
        open_page("interview", app)
        app.text_input(key="iv_company").input("Canary-Corp-4471").run()
        app.text_input(key="iv_role").input("Engineer").run()
        name = next(t.key for t in app.text_input if t.key and t.key.endswith("_name"))
        app.text_input(key=name).input("Maria Chen").run()
        app.button(key="save_interview").click().run()
        open_page("settings", app)
        app.text_input(key="delete_confirm").input("DELETE").run()
        app.button(key="delete_all").click().run()
        assert not app.exception, app.exception
        assert any("Deleted:" in s.value for s in app.success), [e.value for e in app.error]
        leftovers = [
            p for p in data_dir.rglob("*") if p.is_file() and b"Canary-Corp-4471" in p.read_bytes()
        ]
        assert not data_dir.exists() or leftovers == []
        # The app carries on, empty (a new session: this one's state was cleared).
        fresh = open_page("interview", AppTest.from_file(APP, default_timeout=30).run())
        assert not fresh.error and not [b for b in fresh.selectbox if b.key == "picker"]
