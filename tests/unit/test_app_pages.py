"""Every page through AppTest, and the whole flow, with a fake model where services are built."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from debrief.services.container import Services, build_services, use_services
from debrief.settings import load_settings
from tests.fakes import FakeChatModel, FakeModelSource

APP = str(Path(__file__).parents[2] / "app.py")
PAGES = ["interview", "notes", "reflect", "ask", "plan", "patterns", "settings"]

NOTE = {
    "subject": "Kafka billing migration",
    "opening": "Thank you for walking me through moving billing to Kafka streams.",
    "details": ["Your question about backfilling events without double-charging stayed with me."],
    "closing": "I would bring careful migration work to the Backend Engineer role at Northwind.",
}


@pytest.fixture
def services() -> Iterator[tuple[Services, FakeChatModel]]:
    model = FakeChatModel()
    built = build_services(load_settings(), llm=FakeModelSource(model))
    with use_services(built):
        yield built, model
    built.close()


def open_page(page: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_no_data(
    services: tuple[Services, FakeChatModel], page: str
) -> None:
    app = open_page(page)
    assert app.title[0].value


def test_the_interview_form_validates_and_keeps_what_was_typed(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, _ = services
    app = open_page("interview")
    app.text_input(key="iv_role").input("Backend Engineer").run()
    app.button(key="save_interview").click().run()
    assert any("Company" in e.value for e in app.error)
    assert any("Interviewer 1" in e.value for e in app.error)  # no name
    assert app.text_input(key="iv_role").value == "Backend Engineer"
    assert built.history.store.list_interviews() == []


def create_interview(app: AppTest) -> None:
    app.text_input(key="iv_company").input("Northwind").run()
    app.text_input(key="iv_role").input("Backend Engineer").run()
    name_key = next(t.key for t in app.text_input if t.key and t.key.endswith("_name"))
    uid = name_key.removesuffix("_name")
    app.text_input(key=name_key).input("Maria Chen").run()
    app.text_area(key=f"{uid}_topics").input("moving billing to Kafka streams").run()
    app.text_area(key=f"{uid}_questions").input(
        "How would you backfill events without double-charging?"
    ).run()
    app.button(key="save_interview").click().run()
    assert not app.exception, app.exception


def test_the_whole_flow(services: tuple[Services, FakeChatModel]) -> None:
    built, model = services
    store = built.history.store
    app = open_page("interview")
    create_interview(app)
    (interview,) = store.list_interviews()
    assert interview.company == "Northwind" and [
        p.name for p in store.list_interviewers(interview.id)
    ] == ["Maria Chen"]

    model.enqueue(json.dumps(NOTE))
    app.switch_page("app_pages/notes.py").run()
    app.button(key="draft_all").click().run()
    assert not app.exception, app.exception
    assert len(store.list_drafts(interview.id or 0)) == 1
    body = next(t for t in app.text_area if t.key and t.key.startswith("body_"))
    assert (body.value or "").startswith("Dear Maria,") and "Kafka" in (body.value or "")
    assert any("coverage" in m.value for m in app.markdown)

    model.enqueue(
        json.dumps(
            {
                "cause_tags": ["unprepared_question"],
                "diagnosis": "The backfill question caught you without a plan.",
            }
        ),
        "You now have a clear answer ready for the backfill question.",
    )
    app.switch_page("app_pages/reflect.py").run()
    app.text_area(key="rf_unprepared_question").input("The backfill question.").run()
    app.button(key="rf_suggest").click().run()
    assert app.multiselect(key="rf_tags").value == ["unprepared_question"]
    app.button(key="rf_save").click().run()
    assert not app.exception, app.exception
    assert store.get_reflection(interview.id or 0) is not None
    assert any("clear answer ready" in t.value for t in app.text)

    model.enqueue("The backfill question caught you unprepared [1].")
    app.switch_page("app_pages/ask.py").run()
    app.chat_input(key="ask_input").set_value("Why do my interviews go badly?").run()
    assert not app.exception, app.exception
    assert any("caught you unprepared [1]" in t.value for t in app.text)
    assert any(e.label.startswith("[1]") for e in app.expander)

    steps = [
        {
            "action": "Write a one-page backfill design",
            "done_when": "One page written",
            "cause": "unprepared_question",
        },
        {
            "action": "Rehearse the backfill answer aloud",
            "done_when": "Recorded twice under 2 minutes",
            "cause": "unprepared_question",
        },
        {
            "action": "Do a mock system design interview",
            "done_when": "1 mock done with notes",
            "cause": "unprepared_question",
        },
    ]
    model.enqueue(json.dumps({"steps": steps}))
    app.switch_page("app_pages/plan.py").run()
    app.button(key="plan_make").click().run()
    assert not app.exception, app.exception
    plan = store.get_plan(interview.id or 0)
    assert plan is not None and [s.action for s in plan.steps] == [s["action"] for s in steps]

    app.switch_page("app_pages/patterns.py").run()
    assert not app.exception, app.exception
    app.switch_page("app_pages/settings.py").run()
    assert not app.exception and app.get("download_button")


def test_an_llm_failure_on_the_notes_page_keeps_the_interview(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, model = services
    from debrief.errors import LLMUnreachableError

    app = open_page("interview")
    create_interview(app)
    model.enqueue(
        LLMUnreachableError("Cannot reach the LLM endpoint at http://x/v1.", hint="Start it.")
    )
    app.switch_page("app_pages/notes.py").run()
    app.button(key="draft_all").click().run()
    assert not app.exception
    assert any("Cannot reach" in e.value for e in app.error)
    assert len(built.history.store.list_interviews()) == 1


def test_adding_an_interviewer_keeps_the_first_one(
    services: tuple[Services, FakeChatModel],
) -> None:
    app = open_page("interview")
    first = next(t.key for t in app.text_input if t.key and t.key.endswith("_name"))
    app.text_input(key=first).input("Maria Chen").run()
    app.button(key="add_person").click().run()
    assert not app.exception, app.exception
    names = [t for t in app.text_input if t.key and t.key.endswith("_name")]
    assert [t.value for t in names] == ["Maria Chen", ""]
    app.button(key="add_person").click().run()
    assert len([t for t in app.text_input if t.key and t.key.endswith("_name")]) == 3


def test_an_unsaved_form_survives_a_visit_to_another_page(
    services: tuple[Services, FakeChatModel],
) -> None:
    app = open_page("interview")
    app.text_input(key="iv_company").input("Northwind").run()
    name_key = next(t.key for t in app.text_input if t.key and t.key.endswith("_name"))
    app.text_input(key=name_key).input("Maria Chen").run()
    app.switch_page("app_pages/patterns.py").run()
    app.switch_page("app_pages/interview.py").run()
    assert not app.exception, app.exception
    assert app.text_input(key="iv_company").value == "Northwind"
    assert app.text_input(key=name_key).value == "Maria Chen"


def test_settings_can_test_another_endpoint_without_showing_the_key(
    services: tuple[Services, FakeChatModel],
) -> None:
    from tests.stub_openai_server import stub_openai_server

    canary = "sk-canary-settings-77"
    with stub_openai_server(reply="ready") as (url, state):
        app = open_page("settings")
        app.text_input(key="try_url").input(url).run()
        app.text_input(key="try_model").input("stub-model").run()
        app.text_input(key="try_key").input(canary).run()
        app.button(key="try_doctor").click().run()
    assert not app.exception, app.exception
    assert any("round trip" in s.value for s in app.success)
    assert f"Bearer {canary}" in state.auth_headers
    shown = [str(getattr(e, "value", "")) for e in app.main if getattr(e, "key", None) != "try_key"]
    assert not any(canary in text for text in shown)
