"""Model output with <script>, <img onerror=…> or Markdown images is shown as text, never rendered.

Streamlit renders Markdown (images included) in st.markdown, captions, alerts and in the labels of
widgets, expanders and tabs. The model's words may only appear in plain-text elements (st.text,
st.code, the value of a text area). The browser test (test_browser.py) checks nothing is fetched.
"""

from __future__ import annotations

import json
from datetime import date

from debrief.services.container import Services
from debrief.services.interview_file import read_interview_file
from tests.fakes import FakeChatModel
from tests.reliability.conftest import FIGURES
from tests.reliability.doubles import EXAMPLES, markdown_surfaces, open_page, plain_text

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
MD_IMG = "![p](http://attacker.example/p.png)"
PAYLOAD = f"Thanks again {MD_IMG} {IMG} {SCRIPT}"
MARKERS = ("attacker.example", "<script", "onerror", "<img", "![")

NOTE = {
    "subject": f"Kafka billing {SCRIPT}",
    # Short generic sentences: the checks quote them in their comments.
    "opening": f"Thank you for your time {MD_IMG}.",
    "details": [f"I enjoyed our talk about moving billing to Kafka streams {IMG}."],
    "repair": f"On the backfill question: replay into an idempotent consumer {SCRIPT}.",
    "closing": f"Thanks again {MD_IMG} {SCRIPT}",
}


def assert_no_markup_rendered(surfaces: list[tuple[str, str]]) -> None:
    """None of the Markdown-rendered texts holds the payload's markup."""
    FIGURES["Markdown-rendered texts checked for markup"] += len(surfaces)
    found = [f"{kind}: {text}" for kind, text in surfaces if any(m in text for m in MARKERS)]
    assert not found, "rendered as Markdown:\n" + "\n".join(found)


def example(services: Services) -> int:
    return services.interviews.add_from_spec(
        read_interview_file(EXAMPLES / "software_two_interviewers.yaml")
    )


def test_a_quick_draft_is_shown_as_text(fake_services: tuple[Services, FakeChatModel]) -> None:
    _, model = fake_services
    model.enqueue(PAYLOAD)
    app = open_page("start")
    app.text_area(key="quick_request").input("Thank Maria").run()
    app.button(key="quick_submit").click().run()
    assert not app.exception, app.exception
    assert PAYLOAD in plain_text(app)
    assert_no_markup_rendered(markdown_surfaces(app))


def test_a_diagnosis_and_a_reframe_are_shown_as_text(
    fake_services: tuple[Services, FakeChatModel],
) -> None:
    services, _model = fake_services
    services.interviews.add_from_spec(
        read_interview_file(EXAMPLES / "software_two_interviewers.yaml").model_copy(
            update={"stumbles": []}
        )
    )
    app = open_page("reflect")
    # Both quote the user's words: markup typed in an answer comes back as text.
    app.text_area(key="rf_unprepared_question").input(f"I froze. {PAYLOAD}").run()
    app.button(key="rf_suggest").click().run()
    app.button(key="rf_save").click().run()
    assert not app.exception, app.exception
    shown = [t.value for t in app.text]
    assert any(f"A question caught you out; you wrote: “I froze. {PAYLOAD}”" in t for t in shown)
    # The reframe reads stored records as untrusted text: the markup is taken out, not shown.
    fix = "The one thing to work on is a question that caught you out; you wrote: “I froze. Thanks"
    assert any(fix in t and "<script>" not in t for t in shown)
    assert_no_markup_rendered(markdown_surfaces(app))


def test_an_answer_is_shown_as_text(fake_services: tuple[Services, FakeChatModel]) -> None:
    services, model = fake_services
    example(services)
    model.enqueue(f"You stalled on the backfill question [1]. {PAYLOAD}")
    app = open_page("ask")
    app.chat_input(key="ask_input").set_value("Why do my interviews go badly?").run()
    assert not app.exception, app.exception
    # A pattern question is answered by code from the records; the model's markup never shows.
    shown = plain_text(app)
    assert "Why do my interviews go badly?" in shown
    assert "attacker.example" not in shown and "__pwned" not in shown
    assert_no_markup_rendered(markdown_surfaces(app))


def test_plan_steps_are_shown_as_cells(fake_services: tuple[Services, FakeChatModel]) -> None:
    services, _ = fake_services
    interview_id = example(services)
    from debrief.records.models import Reflection

    services.reflection.save(
        Reflection(interview_id=interview_id, unprepared_question="Backfill.", cause_tags=["other"])
    )
    from debrief.records.models import PlanStep

    # Steps are written by code now; markup can only arrive through an edit (or an import),
    # and is then shown as text on the step cards and in the table.
    services.plan.save_edited(
        interview_id,
        [
            PlanStep(
                action=f"Rehearse {n} {SCRIPT}",
                done_when=f"Recorded {MD_IMG}",
                cause="other",
                due_date=date.today(),
            )
            for n in range(3)
        ],
    )
    app = open_page("plan")
    assert not app.exception, app.exception
    assert any(SCRIPT in t.value for t in app.text)  # shown, as text
    # The flag warnings quote the planted span escaped (as_text); the step cards stay plain.
    assert_no_markup_rendered([s for s in markdown_surfaces(app) if s[0] != "warning"])


def test_notes_and_their_checks_are_shown_as_text(
    fake_services: tuple[Services, FakeChatModel],
) -> None:
    services, model = fake_services
    interview_id = example(services)
    # The shipped version writes the candidate's own lines into the note: markup typed there
    # (or pasted from elsewhere) is shown as text, like any model output.
    maria = services.interviews.people(interview_id)[0]
    line = f"I'd add a runbook {MD_IMG} {IMG} {SCRIPT}"
    services.interviews.save(
        services.interviews.get(interview_id),
        [
            maria.model_copy(update={"takeaways": [line]}),
            *services.interviews.people(interview_id)[1:],
        ],
        [],
    )
    model.enqueue(f"Thank you for your time {MD_IMG}.", json.dumps(NOTE))  # both refused
    app = open_page("notes")
    app.button(key="draft_all").click().run()
    assert not app.exception, app.exception
    assert MD_IMG in plain_text(app)
    assert "Thank you for your time ![p]" not in plain_text(app)  # a refused rewrite is not used
    assert_no_markup_rendered(markdown_surfaces(app))


def test_research_titles_are_shown_as_text(fake_services: tuple[Services, FakeChatModel]) -> None:
    services, model = fake_services
    interview_id = example(services)
    app = open_page("interview")
    app.text_area(key="res_text").input(f"{MD_IMG} Northwind notes\nNorthwind ships freight.").run()
    app.button(key="res_add_paste").click().run()
    assert not app.exception, app.exception
    assert len(services.interviews.details(interview_id).research) == 2
    surfaces = markdown_surfaces(app)
    model.enqueue("Northwind ships freight [1] [2] [3].")
    app = open_page("ask", app)
    app.chat_input(key="ask_input").set_value("What does Northwind ship?").run()
    assert not app.exception, app.exception
    assert_no_markup_rendered(surfaces + markdown_surfaces(app))
