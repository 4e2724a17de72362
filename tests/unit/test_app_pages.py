"""Every page through AppTest, and the whole flow, with a fake model where services are built."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from debrief.records.models import Reflection
from debrief.services.container import Services, build_services, use_services
from debrief.settings import load_settings
from tests.fakes import FakeChatModel, FakeModelSource

APP = str(Path(__file__).parents[2] / "app.py")
PAGES = ["interview", "notes", "reflect", "ask", "plan", "patterns", "settings"]

# Maria's own line about the conversation: the one sentence the shipped version asks the model for.
TAKEAWAY = "I'd replay the events into a consumer keyed by invoice id"
REWRITE = "I'd replay the events into a consumer keyed by invoice id."


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


def _messages(app: AppTest) -> list[str]:
    """The field-level messages the Interview page draws (red Markdown under a widget)."""
    return [m.value.replace("\\", "") for m in app.markdown if m.value.startswith(":red[")]


def test_the_interview_form_validates_and_keeps_what_was_typed(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, _ = services
    app = open_page("interview")
    app.text_input(key="iv_role").input("Backend Engineer").run()
    app.button(key="save_interview").click().run()
    assert not app.exception, app.exception
    messages = _messages(app)
    assert any("Company is required." in m for m in messages)
    assert any("Name is required." in m for m in messages)  # the interviewer has no name
    assert not any("Role" in m for m in messages)  # the role was given
    assert not any("String should" in m for m in messages + [e.value for e in app.error])
    assert any("Nothing was saved yet: 2 fields" in e.value for e in app.error)
    assert app.text_input(key="iv_role").value == "Backend Engineer"
    assert built.interviews.all() == []


def test_a_field_message_goes_once_the_field_is_filled(
    services: tuple[Services, FakeChatModel],
) -> None:
    app = open_page("interview")
    app.button(key="save_interview").click().run()
    assert any("Company is required." in m for m in _messages(app))
    app.text_input(key="iv_company").input("Northwind").run()
    messages = _messages(app)
    assert not any("Company" in m for m in messages)
    assert any("Role is required." in m for m in messages)


@pytest.mark.parametrize(
    ("fill", "expected"),
    [
        ({"iv_stage": "x" * 101}, "Stage: too long, at most 100 characters."),
        ({"second_name": "Maria Chen"}, "Another interviewer is called Maria Chen"),
        ({"stumble": ""}, "Write the question you stumbled on, or remove this part."),
    ],
    ids=["too-long", "same-name", "empty-stumble"],
)
def test_field_messages_are_in_plain_words(
    services: tuple[Services, FakeChatModel], fill: dict[str, str], expected: str
) -> None:
    app = open_page("interview")
    app.text_input(key="iv_role").input("Backend Engineer").run()
    first = next(t.key for t in app.text_input if t.key and t.key.endswith("_name"))
    app.text_input(key=first).input("Maria Chen").run()
    app.text_input(key="iv_company").input("Northwind").run()
    if "iv_stage" in fill:
        app.text_input(key="iv_stage").input(fill["iv_stage"]).run()
    if "second_name" in fill:
        app.button(key="add_person").click().run()
        second = [t.key for t in app.text_input if t.key and t.key.endswith("_name")][1]
        app.text_input(key=second).input(fill["second_name"]).run()
    if "stumble" in fill:
        app.button(key="add_stumble").click().run()
    app.button(key="save_interview").click().run()
    assert not app.exception, app.exception
    assert any(expected in m for m in _messages(app)), _messages(app)


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
    app.text_area(key=f"{uid}_takeaways").input(TAKEAWAY).run()
    app.button(key="save_interview").click().run()
    assert not app.exception, app.exception


def test_a_jotted_line_of_your_own_words_asks_for_a_sentence(
    services: tuple[Services, FakeChatModel],
) -> None:
    """A line the note could only paste in ("90 covers Sat, …") gets a hint under the field;
    a line that is a sentence gets none, and the hint never blocks saving."""
    app = open_page("interview")
    name_key = next(t.key for t in app.text_input if t.key and t.key.endswith("_name"))
    uid = name_key.removesuffix("_name")
    app.text_area(key=f"{uid}_takeaways").input(
        "90 covers Sat, 7-course tasting Thu-Fri\nthe bypass should open in autumn 2028"
    ).run()
    hints = [c.value for c in app.caption if "note to" in c.value]
    assert len(hints) == 1 and "90 covers Sat" in hints[0], hints
    app.text_area(key=f"{uid}_takeaways").input("the bypass should open in autumn 2028").run()
    assert not [c.value for c in app.caption if "note to" in c.value]


def test_the_whole_flow(services: tuple[Services, FakeChatModel]) -> None:
    built, model = services
    app = open_page("interview")
    create_interview(app)
    (interview,) = built.interviews.all()
    assert interview.id is not None
    assert interview.company == "Northwind" and [
        p.name for p in built.interviews.people(interview.id)
    ] == ["Maria Chen"]

    model.enqueue(REWRITE)
    app.switch_page("app_pages/notes.py").run()
    app.button(key="draft_all").click().run()
    assert not app.exception, app.exception
    assert [d is not None for d in built.notes.overview(interview.id).latest.values()] == [True]
    body = next(t for t in app.text_area if t.key and t.key.startswith("body_"))
    assert (body.value or "").startswith("Dear Maria,") and "Kafka" in (body.value or "")
    assert REWRITE in (body.value or "")
    assert any("coverage" in m.value for m in app.markdown)

    app.switch_page("app_pages/reflect.py").run()
    app.text_area(key="rf_unprepared_question").input("The backfill question.").run()
    app.button(key="rf_suggest").click().run()  # no model: rules read the answers
    assert app.button_group(key="rf_tags").value == ["unprepared_question"]
    assert any("you wrote: “The backfill question”" in t.value for t in app.text)
    app.button(key="rf_save").click().run()
    assert not app.exception, app.exception
    assert built.reflection.get(interview.id) is not None
    assert any("The one thing to work on is a question" in t.value for t in app.text)

    # A pattern question is counted and quoted by code: the model is not asked.
    asked = len(model.requests)
    app.switch_page("app_pages/ask.py").run()
    app.chat_input(key="ask_input").set_value("Why do my interviews go badly?").run()
    assert not app.exception, app.exception
    assert any("a question caught you unprepared" in t.value and "[1]" in t.value for t in app.text)
    assert any(e.label.startswith("[1] Reflection — Northwind") for e in app.expander)
    assert len(model.requests) == asked

    app.switch_page("app_pages/plan.py").run()
    app.button(key="plan_make").click().run()
    assert not app.exception, app.exception
    current = built.plan.view(interview.id)
    assert current is not None
    assert current.plan.steps[0].action.startswith("Write a 60-second answer to")
    # A card per step: the cause by its readable name, "done when" in full, no raw tag.
    captions = [t.value for t in app.text]
    assert any("For: A question caught you out" in c for c in captions), captions
    assert any(current.plan.steps[0].done_when in c for c in captions)
    assert not any("unprepared_question" in c for c in captions)

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
    assert len(built.interviews.all()) == 1


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


def _drafted_interview(built: Services, model: FakeChatModel) -> tuple[AppTest, int]:
    app = open_page("interview")
    create_interview(app)
    (interview,) = built.interviews.all()
    assert interview.id is not None
    model.enqueue(REWRITE)
    app.switch_page("app_pages/notes.py").run()
    app.button(key="draft_all").click().run()
    assert not app.exception, app.exception
    return app, interview.id


def test_an_edited_note_gets_the_checks_of_its_new_text(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, model = services
    app, interview_id = _drafted_interview(built, model)
    (drafted,) = built.notes.overview(interview_id).latest.values()
    assert drafted is not None
    coverage = {c.key: c for c in drafted.checks}["coverage"]
    body = next(t for t in app.text_area if t.key and t.key.startswith("body_"))
    # The user drops both facts discussed with Maria: the saved checks must say so.
    body.input("Dear Maria,\n\nThank you for your time yesterday.\n\nBest,\nSam").run()
    app.button(key=f"save_{drafted.id}").click().run()
    assert not app.exception, app.exception
    (edited,) = built.notes.overview(interview_id).latest.values()
    assert edited is not None and edited.version == 2
    assert edited.body.startswith("Dear Maria,\n\nThank you for your time yesterday.")
    new_coverage = {c.key: c for c in edited.checks}["coverage"]
    assert new_coverage.score < coverage.score and not new_coverage.passed
    assert any("Missing" in c.value for c in app.caption)


def test_an_edited_plan_is_checked_like_a_drafted_one(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, model = services
    app, interview_id = _drafted_interview(built, model)
    app.switch_page("app_pages/reflect.py").run()
    app.text_area(key="rf_unprepared_question").input("The backfill question.").run()
    app.button_group(key="rf_tags").set_value(["unprepared_question"]).run()
    app.button(key="rf_save").click().run()
    app.switch_page("app_pages/plan.py").run()
    app.button(key="plan_make").click().run()
    assert not app.exception, app.exception
    drafted = built.plan.view(interview_id)
    assert drafted is not None
    assert drafted.check.passed, drafted.check.comment
    # Saving an edit goes through the plan check: a finish line that is a feeling fails it.
    edited = [s.model_copy(update={"done_when": "I feel ready"}) for s in drafted.plan.steps]
    result = built.plan.save_edited(interview_id, edited)
    assert not result.check.passed
    app.switch_page("app_pages/plan.py").run()
    assert any(result.check.comment[:20] in w.value.replace("\\", "") for w in app.warning)


def test_research_can_be_added_before_notes_and_the_box_empties(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, _ = services
    app = open_page("interview")
    assert any("Save the interview first" in c.value for c in app.caption)
    create_interview(app)
    assert any("company at the bottom of this page" in s.value for s in app.success)
    app.text_area(key="res_text").input("Northwind moves billing to Kafka this year.").run()
    app.button(key="res_add_paste").click().run()
    assert not app.exception, app.exception
    assert app.text_area(key="res_text").value == ""
    assert any("Added" in s.value for s in app.success)
    (interview,) = built.interviews.all()
    assert interview.id is not None
    assert len(built.interviews.details(interview.id).research) == 1


def test_the_start_page_says_what_to_do_and_loads_the_example(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, _ = services
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    assert not app.exception, app.exception
    assert any("Next:" in c.value for c in app.caption)  # the first step is the next one
    app.button(key="load_example").click().run()
    assert not app.exception, app.exception
    (example,) = built.interviews.all()
    assert example.id is not None and "example" in example.stage
    assert [p.name for p in built.interviews.people(example.id)] == ["Maria Chen", "Dev Patel"]
    # The user lands on the interview they just loaded, told what it is and what comes next.
    assert app.text_input(key="iv_company").value == example.company
    assert any("example interview" in s.value for s in app.success)


def test_the_example_was_held_two_hours_ago_and_its_next_interview_is_ahead(
    services: tuple[Services, FakeChatModel],
) -> None:
    from datetime import datetime

    built, _ = services
    now = datetime(2026, 12, 2, 15, 40)
    interview_id = built.interviews.add_example(now)
    interview = built.interviews.get(interview_id)
    assert interview.held_at == datetime(2026, 12, 2, 13, 0)
    assert interview.next_interview_at is not None and interview.next_interview_at > now


REPAIR = (
    "Replay the events into an idempotent consumer keyed by invoice id and reconcile totals "
    "against the ledger before switching over."
)


def test_regenerating_a_note_keeps_the_count_and_the_research_warning(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, model = services
    interview_id = built.interviews.add_example()  # its research hides an instruction
    model.enqueue(REPAIR, REPAIR)
    app = open_page("notes")
    app.button(key="draft_all").click().run()
    assert not app.exception, app.exception
    assert any("looked like instructions" in w.value for w in app.warning)
    maria = built.interviews.people(interview_id)[0]
    draft = built.notes.overview(interview_id).latest[maria.id or 0]
    assert draft is not None
    assert draft.subject == "Thank you — Senior Backend Engineer interview"
    assert any("version 1" in c.value for c in app.caption)

    model.enqueue(REPAIR)
    app.button(key=f"regen_{draft.id}").click().run()
    assert not app.exception, app.exception
    assert any("looked like instructions" in w.value for w in app.warning)
    assert any("Status: drafted · version 2" in c.value for c in app.caption)


def test_the_note_asks_for_the_address_it_is_sent_to(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, model = services
    interview_id = built.interviews.add_example()
    model.enqueue(REPAIR, REPAIR)
    app = open_page("notes")
    app.button(key="draft_all").click().run()
    maria = built.interviews.people(interview_id)[0]
    assert maria.email is None
    app.text_input(key=f"to_{maria.id}").input("maria.chen@").run()
    assert any("not an e-mail address" in m.value for m in app.markdown)
    assert built.interviews.people(interview_id)[0].email is None
    app.text_input(key=f"to_{maria.id}").input("maria.chen@northwind.example").run()
    assert not app.exception, app.exception
    assert built.interviews.people(interview_id)[0].email == "maria.chen@northwind.example"
    assert any(
        "To: Maria Chen <maria.chen@northwind.example>" in c.value.replace("\\", "")
        for c in app.caption
    )


def test_settings_counts_read_as_words_and_are_fresh_after_delete_everything(
    isolated_environment: Path,
) -> None:
    from debrief.services.container import app_services, forget_app_services

    # The app's own services (no override): "Delete everything" drops and rebuilds them.
    try:
        built = app_services()
        built.interviews.add_example()
        app = AppTest.from_file(APP, default_timeout=30)
        app.run()
        app.switch_page("app_pages/settings.py").run()
        counts = next(c.value for c in app.caption if "interview" in c.value)
        assert "1 interview, 2 interviewers, 1 stumble" in counts
        app.text_input(key="delete_confirm").input("DELETE").run()
        app.button(key="delete_all").click().run()
        assert not app.exception, app.exception
        assert any(s.value.startswith("Deleted:") for s in app.success)
        assert any(c.value == "Nothing stored." for c in app.caption)
    finally:
        forget_app_services()


def test_a_saved_reflection_is_shown_again_after_another_page(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, _model = services
    interview_id = built.interviews.add_example()
    app = open_page("reflect")
    app.text_area(key="rf_unprepared_question").input("The backfill question.").run()
    app.button_group(key="rf_tags").set_value(["unprepared_question"]).run()
    app.button(key="rf_save").click().run()
    assert built.reflection.get(interview_id) is not None
    app.switch_page("app_pages/patterns.py").run()
    app.switch_page("app_pages/reflect.py").run()
    assert not app.exception, app.exception
    assert app.text_area(key="rf_unprepared_question").value == "The backfill question."
    assert app.button_group(key="rf_tags").value == ["unprepared_question"]


def test_the_reflection_starts_from_the_stumbles_of_the_interview_page(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, _model = services
    interview_id = built.interviews.add_example()
    app = open_page("reflect")
    assert not app.exception, app.exception
    question = "How would you backfill six months of events without double-charging customers?"
    assert app.text_area(key="rf_unprepared_question").value == question
    assert any("Filled in from the question you stumbled on" in c.value for c in app.caption)
    app.button(key="rf_suggest").click().run()  # the stumble's "what I said" is read too
    assert app.button_group(key="rf_tags").value == ["unprepared_question"]
    assert any("you talked about batch jobs and lost the thread" in t.value for t in app.text)
    # Once a reflection is saved, the page shows what was saved, not the stumbles again.
    built.reflection.save(Reflection(interview_id=interview_id, rapport="Warm."))
    again = open_page("reflect")
    assert again.text_area(key="rf_unprepared_question").value == ""
    assert not any("Filled in from" in c.value for c in again.caption)


def test_the_plan_page_asks_for_a_reflection_only_when_there_is_none(
    services: tuple[Services, FakeChatModel],
) -> None:
    built, _ = services
    interview_id = built.interviews.add_example()
    app = open_page("plan")
    assert any("Save a reflection first" in i.value for i in app.info)
    built.reflection.save(Reflection(interview_id=interview_id, cause_tags=["rapport"]))
    app.switch_page("app_pages/plan.py").run()
    assert not app.exception, app.exception
    assert [i.value for i in app.info if "reflection first" in i.value] == []
    assert any("No plan yet" in i.value for i in app.info)


def test_the_start_page_shows_the_model_being_assembled_and_loaded() -> None:
    from debrief.llm.connection import Preparation
    from tests.fakes import FakeModelSource

    class Preparing(FakeModelSource):
        """A model still on its way: the stage and fraction the real preparation reports."""

        stage = Preparation(stage="Assembling the model (107 of 1065 MB)", fraction=0.1)

        def prepare_in_background(self, retry: bool = False) -> Preparation:
            return self.stage

    source = Preparing(ready=False)
    built = build_services(load_settings(), llm=source)
    with use_services(built):
        app = AppTest.from_file(APP, default_timeout=30)
        app.run()
        assert not app.exception, app.exception
        (bar,) = app.get("progress")
        assert "Assembling the model (107 of 1065 MB)" in bar.proto.text
        source.stage = Preparation(stage="Loading the model gemma-3-270m", fraction=None)
        app.run()
        assert any("Loading the model gemma" in m.value for m in app.markdown)
        assert any("assembled and checked" in m.value for m in app.markdown)
    built.close()
