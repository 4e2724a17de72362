"""Bad input, table-driven, through the app: each gets a clear message, nothing crashes, and
nothing already saved is lost (the saved interview and its research are compared row by row)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from debrief import intake
from debrief.errors import InputError
from debrief.services.container import Services, build_services, use_services
from debrief.services.interview_file import read_interview_file
from debrief.settings import Settings
from rag.index import RetrievalIndex
from tests.fakes import FakeChatModel, FakeModelSource
from tests.reliability.conftest import FIGURES
from tests.reliability.doubles import EXAMPLES, alerts, as_shown, open_page

KB = 1024
BIG = ("Northwind moves freight across Europe. " * 6000)[: 200 * KB]  # a 200 KB paste
Act = Callable[[AppTest], None]


@dataclass(frozen=True)
class Bad:
    name: str
    act: Act
    message: str  # shown as an error, warning, info or success
    typed: dict[str, Any] = field(default_factory=dict)  # widget key -> value still shown after
    saves: int = 0  # interviews this input may add (0: refused)


def typed(**values: Any) -> Act:
    """Fill the new-interview form (`person1_<field>`: the first interviewer), then save."""

    def act(app: AppTest) -> None:
        app.toggle(key="iv_new").set_value(True).run()
        if values.get("iv_has_next"):  # the second date field appears once this is ticked
            app.checkbox(key="iv_has_next").check().run()
        uid = next(k.key for k in app.text_input if k.key and k.key.endswith("_name"))
        for key, value in values.items():
            key = key.replace("person1", uid.removesuffix("_name"))
            if key in ("iv_date", "iv_next"):
                app.date_input(key=key).set_value(value)
            elif key.endswith(("_notes", "_topics", "_questions")):
                app.text_area(key=key).set_value(value)
            elif key != "iv_has_next":
                app.text_input(key=key).set_value(value)
        app.run()
        app.button(key="save_interview").click().run()

    return act


def add_people(count: int, names: Callable[[int], str]) -> Act:
    def act(app: AppTest) -> None:
        app.toggle(key="iv_new").set_value(True).run()
        app.text_input(key="iv_company").set_value(f"Initech {count}")
        app.text_input(key="iv_role").set_value("Analyst")
        for _ in range(count - 1):
            app.button(key="add_person").click().run()
        uids = [k.key for k in app.text_input if k.key and k.key.endswith("_name")]
        for n, key in enumerate(uids, start=1):
            app.text_input(key=key).set_value(names(n))
        app.run()
        app.button(key="save_interview").click().run()

    return act


def research(tab: str, value: Any) -> Act:
    def act(app: AppTest) -> None:
        if tab == "paste":
            app.text_area(key="res_text").input(value).run()
            app.button(key="res_add_paste").click().run()
        elif tab == "file":
            app.file_uploader(key="res_file").set_value(value).run()
            app.button(key="res_add_file").click().run()
        else:
            app.text_input(key="res_url").input(value).run()
            app.button(key="res_add_url").click().run()

    return act


# -- a web server that is slow, or sends 5 MB -------------------------------------------------------


class _Site(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        try:
            if self.path == "/slow":
                time.sleep(3)
            body = b"<html><body>" + b"x" * (5 * KB * KB) + b"</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if self.path != "/big-undeclared":
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


TODAY = date.today()
PERSIAN = "می‌خواهم"  # "I want": the zero-width non-joiner is part of the spelling
CODER = "👩‍💻"  # woman technologist: two emoji joined by a zero-width joiner
PDF_BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16  # an image, renamed
PDF_DAMAGED = b"%PDF-1.7\n" + bytes(range(256)) * 8  # the signature, then nothing readable

CASES = [
    Bad("empty fields", typed(), "Company is required."),
    Bad(
        "whitespace-only fields",
        typed(iv_company="   ", iv_role="\t", person1_name="  "),
        "Name is required.",
        {"iv_company": "   "},
    ),
    Bad(
        "a 200 KB paste in the notes",
        typed(iv_company="Globex", iv_role="Analyst", person1_name="Ann Lee", iv_notes=BIG),
        "Notes: too long, at most 20,000 characters.",
        {"iv_company": "Globex"},
    ),
    Bad(
        "a 200 KB paste in a topic",
        typed(iv_company="Globex", iv_role="Analyst", person1_name="Ann Lee", person1_topics=BIG),
        "Topics, line 1: too long",
        {"iv_company": "Globex"},
    ),
    Bad(
        "duplicate interviewer names",
        add_people(2, lambda n: ["Maria Chen", "maria chen "][n - 1]),
        "Another interviewer is called",
    ),
    Bad(
        "the next interview before this one",
        typed(
            iv_company="Globex",
            iv_role="Analyst",
            person1_name="Ann Lee",
            iv_has_next=True,
            iv_next=TODAY - timedelta(days=3),
        ),
        "The next interview must be after this one.",
    ),
    Bad(
        "a date in the future",
        typed(
            iv_company="Globex",
            iv_role="Analyst",
            person1_name="Ann Lee",
            iv_date=TODAY + timedelta(days=40),
        ),
        "future",
    ),
    Bad(
        "a date years back",
        typed(
            iv_company="Globex",
            iv_role="Analyst",
            person1_name="Ann Lee",
            iv_date=TODAY - timedelta(days=9 * 365),
        ),
        "Saved.",
        saves=1,
    ),
    Bad(
        "RTL text and emoji",
        typed(
            iv_company=f"شركة الشمال {CODER}",
            iv_role="מהנדסת 🚚",
            person1_name=f"مریم {PERSIAN}",
            person1_topics=f"{PERSIAN} 🚚",
        ),
        "Saved.",
        saves=1,
    ),
    Bad(
        "template syntax",
        typed(iv_company="Acme {x}", iv_role="{{role}}", person1_name="{user.__class__}"),
        "Saved.",
        saves=1,
    ),
    Bad("20 interviewers", add_people(20, lambda n: f"Person {n:02d}"), "Saved.", saves=1),
    Bad("an empty paste", research("paste", ""), "has no text"),
    Bad(
        "a whitespace-only paste",
        research("paste", " \n\t \u200b "),
        "has no text",
        {"res_text": " \n\t \u200b "},
    ),
    Bad("a 200 KB paste", research("paste", BIG), "the limit is 100,000", {"res_text": BIG}),
    Bad(
        "a binary file renamed .pdf",
        research("file", ("report.pdf", PDF_BINARY, "application/pdf")),
        "is not a PDF",
    ),
    Bad(
        "a damaged PDF",
        research("file", ("report.pdf", PDF_DAMAGED, "application/pdf")),
        "damaged or unreadable PDF",
    ),
    Bad("an empty file", research("file", ("notes.txt", b"", "text/plain")), "it is empty"),
    Bad(
        "a binary file renamed .txt",
        research("file", ("notes.txt", PDF_BINARY, "text/plain")),
        "does not look like a text file",
    ),
    Bad(
        "a link that is not http",
        research("url", "file:///etc/passwd"),
        "only http and https links",
    ),
    Bad("a javascript: link", research("url", "javascript:alert(1)"), "only http and https links"),
]
URL_CASES = [
    ("a URL that times out", "/slow", "did not answer within 1 s"),
    ("a URL that returns 5 MB", "/big", "larger than 2 MB"),
    ("a URL that returns 5 MB without saying so", "/big-undeclared", "larger than 2 MB"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """One data directory for the whole table (built once: the cases only add to it)."""
    services = build_services(
        Settings(data_dir=tmp_path_factory.mktemp("bad-input")),
        llm=FakeModelSource(FakeChatModel()),
    )
    interview_id = services.interviews.add_from_spec(
        read_interview_file(EXAMPLES / "software_two_interviewers.yaml")
    )
    services.interviews.add_pasted_research(
        interview_id, "Northwind notes\nNorthwind ships freight."
    )
    with use_services(services):
        yield services
    services.close()


@pytest.fixture
def saved(world: Services) -> tuple[Services, dict[str, Any]]:
    """The services and a snapshot of everything saved before this case."""
    return world, snapshot(world)


def snapshot(services: Services) -> dict[str, Any]:
    """Every table's rows, as the export has them."""
    tables: dict[str, Any] = json.loads(services.data.export_json())["tables"]
    return tables


def run_case(services: Services, before: dict[str, Any], case: Bad) -> AppTest:
    FIGURES["bad inputs tried"] += 1
    app = open_page("interview")
    case.act(app)
    assert not app.exception, app.exception
    assert case.message in alerts(app), f"{case.name}: {alerts(app)!r}"
    for key, value in case.typed.items():
        assert app.session_state[key] == value, f"{case.name}: {key} was not kept"
    after = snapshot(services)
    FIGURES["saved data checked intact after a fault or bad input"] += 1
    for table, rows in before.items():  # nothing already saved is lost or changed
        assert after[table][: len(rows)] == rows, f"{case.name}: {table} changed"
    assert len(after["interviews"]) == len(before["interviews"]) + case.saves
    assert len(after["company_research"]) == len(before["company_research"])
    return app


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_in_the_app(
    saved: tuple[Services, dict[str, Any]], case: Bad, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, before = saved
    if case.name == "a 200 KB paste in a topic":
        # Were the length limit (BUG-8) lost, the topic would be saved and embedded (20 s on 2
        # busy cores); skip the embedding: what is checked is that nothing is saved.
        monkeypatch.setattr(RetrievalIndex, "replace_documents", lambda *a, **k: 0)
    app = run_case(services, before, case)
    new = max(services.interviews.all(), key=lambda i: i.id or 0)
    if case.name == "RTL text and emoji":
        (person,) = services.interviews.people(new.id or 0)
        assert new.company == f"شركة الشمال {CODER}" and person.name == f"مریم {PERSIAN}"
        assert person.topics == [f"{PERSIAN} 🚚"]
    if case.name == "template syntax":
        assert (new.company, new.role) == ("Acme {x}", "{{role}}")
    if case.name == "20 interviewers":
        assert app.button(key="add_person").disabled  # a 21st cannot be added
        assert len(services.interviews.people(new.id or 0)) == 20
        notes = open_page("notes", app)
        assert [t.label for t in notes.tabs] == [f"Person {n:02d}" for n in range(1, 21)]
    if case.name == "a date years back":
        notes = open_page("notes", app)
        assert "More than 24 hours have passed" in as_shown(
            " ".join(c.value for c in notes.caption)
        )


@pytest.mark.parametrize(("name", "path", "message"), URL_CASES, ids=[c[0] for c in URL_CASES])
def test_bad_links_in_the_app(
    saved: tuple[Services, dict[str, Any]],
    site: str,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    path: str,
    message: str,
) -> None:
    services, before = saved
    # The page fetches with the default 10 s timeout; 1 s keeps this test short (same code path).
    monkeypatch.setattr(
        intake, "research_from_url", partial(intake.research_from_url, timeout_s=1.0)
    )
    started = time.perf_counter()
    run_case(
        services, before, Bad(name, research("url", site + path), message, {"res_url": site + path})
    )
    assert time.perf_counter() - started < 8


@pytest.mark.parametrize(
    ("held_at", "message"),
    [
        ("2026-02-30 14:00", "held_at"),
        ("last Tuesday", "held_at"),
        ("2026-02-30", "date"),
        ("2026-13-01 14:00:00", "date"),
    ],
    ids=["30 February", "not a date", "30 February as a YAML date", "month 13 as a YAML timestamp"],
)
def test_invalid_dates_in_an_interview_file(tmp_path: Path, held_at: str, message: str) -> None:
    text = (EXAMPLES / "nursing_one_interviewer.yaml").read_text(encoding="utf-8")
    lines = [
        f"held_at: {held_at}" if line.startswith("held_at:") else line for line in text.splitlines()
    ]
    FIGURES["bad inputs tried"] += 1
    path = tmp_path / "interview.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_interview_file(path)
    assert str(path) in caught.value.message and message in caught.value.message


def test_two_interviews_alike_stay_apart(saved: tuple[Services, dict[str, Any]]) -> None:
    services, _ = saved
    FIGURES["bad inputs tried"] += 1
    from datetime import datetime

    from debrief.records.models import Interview

    held = datetime.combine(TODAY, datetime.min.time()).replace(hour=9)
    first, second = (
        services.interviews.save(
            Interview(company="Umbrella", role="Chemist", held_at=held), [], []
        )
        for _ in range(2)
    )
    app = open_page("start")
    for chosen, other in ((second, first), (first, second)):
        app.selectbox(key="picker").select(chosen.id).run()
        assert app.session_state["selected_interview_id"] == chosen.id
        open_page("reflect", app)
        assert app.session_state["selected_interview_id"] == chosen.id, f"now on #{other.id}"


def test_an_unsaved_new_interview_survives_a_visit_to_another_page(
    saved: tuple[Services, dict[str, Any]],
) -> None:
    app = open_page("interview")
    app.toggle(key="iv_new").set_value(True).run()
    app.text_input(key="iv_company").input("Half-typed Ltd").run()
    open_page("patterns", app)
    open_page("interview", app)
    assert app.toggle(key="iv_new").value
    assert app.text_input(key="iv_company").value == "Half-typed Ltd"
