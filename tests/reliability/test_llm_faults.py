"""LLM faults against a stub OpenAI-compatible server started in the test.

Endpoint down, a timeout, 429 then success, repeated 500s, a stream cut half-way (and an answer
stopped at the token limit). Whatever happens, what the user typed is kept, a partial draft is
marked incomplete and never saved as final, and the records stay consistent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from debrief.records.models import Draft, Reflection
from debrief.services.container import Services, build_services, use_services
from debrief.services.interview_file import read_interview_file
from tests.conftest import free_port
from tests.reliability.conftest import FIGURES, services_on_stub, stub_settings
from tests.reliability.doubles import (
    EXAMPLES,
    alerts,
    assert_records_consistent,
    open_page,
    plain_text,
    stub_reply,
)
from tests.stub_openai_server import StubState


@dataclass(frozen=True)
class Fault:
    name: str
    faults: tuple[str, ...] = ()  # per chat request, in order
    fault: str = "ok"  # for every later request
    retries: int = 0
    timeout_s: float = 5.0
    down: bool = False  # nothing listens at the endpoint
    message: str = ""  # what the user is told ("" = the draft succeeds)


DOWN = Fault("endpoint down", down=True, message="Cannot reach the LLM endpoint at")
TIMEOUT = Fault("timeout", faults=("hang",), timeout_s=1.0, message="did not answer within 1 s")
RATE_LIMITED = Fault("429 then success", faults=("status:429",), retries=2)
SERVER_ERRORS = Fault("repeated 500s", fault="status:500", retries=2, message="HTTP 500")
CUT = Fault("stream cut half-way", faults=("cut",), message="stopped half-way")
FAULTS = [DOWN, TIMEOUT, RATE_LIMITED, SERVER_ERRORS, CUT]


@contextmanager
def services_with(fault: Fault) -> Iterator[tuple[Services, StubState]]:
    """Services on a healthy stub; `arm` (below) makes it misbehave from then on."""
    with services_on_stub(
        timeout_s=fault.timeout_s, max_retries=fault.retries, responder=stub_reply
    ) as (services, state):
        if not fault.down:
            yield services, state
            return
        dead = stub_settings(f"http://127.0.0.1:{free_port()}/v1", fault.timeout_s, fault.retries)
        services.close()
        FIGURES["LLM faults injected: endpoint down"] += 1
        down = build_services(dead)
        try:
            with use_services(down):
                yield down, state
        finally:
            down.close()


def arm(state: StubState, fault: Fault) -> None:
    state.faults, state.fault = list(fault.faults), fault.fault


def interview(services: Services) -> int:
    return services.interviews.add_from_spec(
        read_interview_file(EXAMPLES / "software_two_interviewers.yaml")
    )


def thank_you_notes(services: Services, interview_id: int) -> list[Draft]:
    """Each interviewer's latest note, in the order of the interviewers."""
    latest = services.notes.overview(interview_id).latest.values()
    return [draft for draft in latest if draft is not None]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_drafting_notes(fault: Fault) -> None:
    with services_with(fault) as (services, state):
        interview_id = interview(services)
        counts = services.data.counts()
        app = open_page("notes")
        app.text_input(key="note_name").input("Sam Rivera").run()
        app.slider(key="note_words").set_value(120).run()
        arm(state, fault)
        started = time.perf_counter()
        app.button(key="draft_all").click().run()
        took = time.perf_counter() - started
        assert not app.exception, app.exception
        # What the user typed is kept.
        assert app.text_input(key="note_name").value == "Sam Rivera"
        assert app.slider(key="note_words").value == 120
        drafts = thank_you_notes(services, interview_id)
        if not fault.message:
            assert len(drafts) == 2 and state.served[0] == "status:429"
            assert all(d.body.rstrip().endswith("Sam Rivera") for d in drafts)
            assert_records_consistent(services, counts | {"drafts": 2})
            return
        assert fault.message in alerts(app)
        if fault is CUT:  # Maria's note broke off; Dev's, drafted next, is whole
            (dev,) = drafts
            assert "Maria Chen" in alerts(app) and "not saved" in alerts(app)
            assert dev.interviewer_id == services.interviews.people(interview_id)[1].id
            assert dev.body.rstrip().endswith("Sam Rivera")
            assert_records_consistent(services, counts | {"drafts": 1})
        else:
            assert drafts == []
            assert_records_consistent(services, counts)
        if fault is SERVER_ERRORS:
            assert state.served == ["status:500"] * 3  # one request and two retries
        if fault is TIMEOUT:
            assert took < 5, f"a 1 s timeout took {took:.1f} s"


def test_a_failed_regeneration_keeps_the_saved_note() -> None:
    with services_with(CUT) as (services, state):
        interview_id = interview(services)
        app = open_page("notes")
        app.button(key="draft_all").click().run()
        maria, _dev = thank_you_notes(services, interview_id)
        services.notes.revise(maria.id or 0, maria.subject, maria.body + "\nP.S. My own edit.")
        counts = services.data.counts()
        app.run()
        arm(state, CUT)
        app.button(key=f"regen_{maria.id}").click().run()
        assert not app.exception, app.exception
        kept, _dev = thank_you_notes(services, interview_id)
        assert kept.id == maria.id and kept.subject == maria.subject
        assert kept.body.endswith("P.S. My own edit.") and kept.version == 2
        assert len(services.notes.versions(maria.id or 0)) == 1
        assert_records_consistent(services, counts)


def test_a_failed_regeneration_says_so() -> None:
    with services_with(CUT) as (services, state):
        interview_id = interview(services)
        app = open_page("notes")
        app.button(key="draft_all").click().run()
        maria = thank_you_notes(services, interview_id)[0]
        arm(state, CUT)
        app.button(key=f"regen_{maria.id}").click().run()
        assert "stopped half-way" in alerts(app)


@pytest.mark.parametrize("fault", [DOWN, TIMEOUT, SERVER_ERRORS, CUT], ids=lambda f: f.name)
def test_a_quick_draft(fault: Fault) -> None:
    with services_with(fault) as (_services, state):
        app = open_page("start")
        app.text_area(key="quick_request").input("Thank Maria for the Kafka talk").run()
        arm(state, fault)
        app.button(key="quick_submit").click().run()
        assert not app.exception, app.exception
        assert app.text_area(key="quick_request").value == "Thank Maria for the Kafka talk"
        assert fault.message in alerts(app) or fault is CUT
        if fault is CUT:
            assert "incomplete" in alerts(app)
            whole = stub_reply({})
            assert app.code[0].value == whole[: len(whole) // 2]  # what arrived, marked
        else:
            assert not app.code


@pytest.mark.parametrize("fault", [TIMEOUT, SERVER_ERRORS], ids=lambda f: f.name)
def test_a_reflection_is_saved_and_reframed_when_the_model_fails(fault: Fault) -> None:
    with services_with(fault) as (services, state):
        interview_id = interview(services)
        app = open_page("reflect")
        app.text_area(key="rf_unprepared_question").input("The backfill question.").run()
        app.slider(key="rf_confidence").set_value(2).run()
        arm(state, fault)
        app.button(key="rf_save").click().run()
        assert not app.exception, app.exception
        assert fault.message not in alerts(app)  # the model only rephrases; code's text stands
        saved = services.reflection.get(interview_id)
        assert saved is not None and saved.unprepared_question == "The backfill question."
        assert app.text_area(key="rf_unprepared_question").value == "The backfill question."
        assert any("The one thing to work on" in t.value for t in app.text)
        assert services.data.counts()["drafts"] == 1  # the reframe, in the code's sentences
        assert_records_consistent(services)


@pytest.mark.parametrize(
    "fault",
    [
        SERVER_ERRORS,
        Fault("an answer that is not JSON", fault="not_json", message="is not a chat completion"),
    ],
    ids=lambda f: f.name,
)
def test_a_failed_new_plan_keeps_the_old_one(fault: Fault) -> None:
    with services_with(fault) as (services, state):
        interview_id = interview(services)
        services.reflection.save(
            Reflection(
                interview_id=interview_id,
                unprepared_question="Backfill.",
                cause_tags=["unprepared_question"],
            )
        )
        app = open_page("plan")
        app.button(key="plan_make").click().run()
        old = services.plan.view(interview_id)
        assert old is not None and old.plan.steps
        counts = services.data.counts()
        arm(state, fault)
        # The plan is written by code from the reflection: a model fault cannot touch it.
        app.button(key="plan_make").click().run()
        assert not app.exception, app.exception
        assert fault.message not in alerts(app)
        kept = services.plan.view(interview_id)
        assert kept is not None and kept.plan.steps
        del counts


def test_a_cut_answer_is_marked_and_not_kept_as_an_answer() -> None:
    with services_with(CUT) as (services, state):
        interview(services)
        app = open_page("ask")
        arm(state, CUT)
        app.chat_input(key="ask_input").set_value("Why do my interviews go badly?").run()
        assert not app.exception, app.exception
        assert "stopped half-way" in alerts(app) and "incomplete" in alerts(app)
        assert app.session_state["ask_history"] == []


def test_a_question_that_fails_is_kept() -> None:
    with services_with(SERVER_ERRORS) as (services, state):
        interview(services)
        app = open_page("ask")
        arm(state, SERVER_ERRORS)
        app.chat_input(key="ask_input").set_value("Why do my interviews go badly?").run()
        assert "HTTP 500" in alerts(app)
        app.run()  # any later interaction
        assert "Why do my interviews go badly?" in plain_text(app) + str(
            app.chat_input(key="ask_input").value
        )


@pytest.mark.parametrize(
    "responder",
    [None, lambda request: "Dear Maria, thank you for the Kafka talk."],
    ids=["stopped at the token limit", "a server that ignores the schema"],
)
def test_a_reply_that_is_not_a_sentence_leaves_the_candidates_own_words(responder: Any) -> None:
    """Cut at the token limit, or ignoring the request: the note keeps the user's clarification."""
    fault = Fault("length", faults=("length",) if responder is None else ())
    with services_with(fault) as (services, state):
        interview_id = interview(services)
        counts = services.data.counts()
        app = open_page("notes")
        arm(state, fault)
        if responder is not None:
            state.responder = responder
        app.button(key="draft_all").click().run()
        assert not app.exception, app.exception
        maria = services.interviews.people(interview_id)[0]
        saved = services.notes.overview(interview_id).latest[maria.id or 0]
        assert saved is not None
        assert "idempotent consumer keyed by invoice id" in saved.body  # her own words
        assert_records_consistent(services, counts | {"drafts": 2})
