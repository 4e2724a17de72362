"""Plan, ask, reflection and reframe services with a fake model over a real store and index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from debrief.errors import DebriefError, InputError
from debrief.records.models import Interview, Interviewer, Reflection, Stumble
from debrief.services.ask import NOTHING_FOUND, AskService, cited_numbers
from debrief.services.container import open_history
from debrief.services.history import HistoryService
from debrief.services.plan import PlanService, due_dates
from debrief.services.reflection import ReflectionService
from debrief.services.reframe import ReframeService
from debrief.settings import Settings
from tests.fakes import FakeChatModel, FakeModelSource
from tests.unit.test_retrieval import load_corpus


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[HistoryService, FakeChatModel, FakeModelSource]]:
    model = FakeChatModel()
    with open_history(Settings(data_dir=tmp_path)) as opened:
        yield opened.history, model, FakeModelSource(model)


# -- plan -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "today", "next_interview", "expected"),
    [
        (
            3,
            date(2026, 11, 19),
            date(2026, 11, 26),
            [date(2026, 11, 20), date(2026, 11, 22), date(2026, 11, 24)],
        ),
        (3, date(2026, 11, 19), date(2026, 11, 20), [date(2026, 11, 20)] * 3),
        (
            4,
            date(2026, 11, 19),
            None,
            [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23), date(2026, 11, 25)],
        ),
        (
            3,
            date(2026, 11, 19),
            date(2026, 11, 1),
            [date(2026, 11, 20), date(2026, 11, 22), date(2026, 11, 24)],
        ),
    ],
    ids=["a week away", "tomorrow", "no next interview", "next date already past"],
)
def test_due_dates_are_computed_between_the_interviews(
    count: int, today: date, next_interview: date | None, expected: list[date]
) -> None:
    dates = due_dates(
        count, today=today, interview_day=date(2026, 11, 18), next_interview=next_interview
    )
    assert dates == expected
    assert dates == sorted(dates) and all(d > date(2026, 11, 18) for d in dates)


def test_a_plan_is_made_from_the_reflection_with_dates_from_code(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, _ = world
    interview = history.add_interview(
        Interview(
            company="Northwind",
            role="Engineer",
            held_at=datetime(2026, 11, 18, 14),
            next_interview_at=datetime(2026, 11, 26, 10),
        )
    )
    assert interview.id is not None
    history.add_stumble(
        Stumble(interview_id=interview.id, question="How would you backfill the events?")
    )
    history.save_reflection(
        Reflection(
            interview_id=interview.id,
            narrative_stall="Why I left payments.",
            cause_tags=["narrative", "unprepared_question"],
        )
    )
    result = PlanService(history).make_plan(interview.id, today=date(2026, 11, 19))
    steps = result.plan.steps
    assert [s.due_date for s in steps] == [
        date(2026, 11, 20),
        date(2026, 11, 21),
        date(2026, 11, 23),
        date(2026, 11, 24),
    ]
    assert [s.cause for s in steps[:2]] == ["narrative", "unprepared_question"]
    assert (
        "Why I left payments" in steps[0].action and "Engineer role at Northwind" in steps[0].action
    )
    assert steps[1].action == "Write a 60-second answer to “How would you backfill the events?”"
    assert model.requests == []  # no model writes a step
    assert history.store.get_plan(interview.id) == result.plan
    assert result.check.key == "plan_concreteness" and result.check.passed, result.check.comment


def test_a_plan_needs_a_reflection(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, _ = world
    interview = history.add_interview(
        Interview(company="A", role="B", held_at=datetime(2026, 1, 1))
    )
    with pytest.raises(InputError, match="no reflection"):
        PlanService(history).make_plan(interview.id or 0)
    assert model.requests == []


# -- ask --------------------------------------------------------------------------------------


def test_a_pattern_answer_cites_records_and_counts_from_code(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, source = world
    load_corpus(history)
    answer = AskService(source, history).ask("Why do my interviews go badly?")
    assert not answer.used_model and model.requests == []  # counted and quoted by code
    assert answer.cited == tuple(range(1, len(answer.sources) + 1))
    first = answer.source(1)
    stored = {d.key: d for d in history.documents()}[
        f"{first.citation.kind}:{first.citation.record_id}"
    ]
    assert first.text == stored.text
    assert "in 2 of your 4 interviews" in answer.text
    assert answer.cause_counts == {
        "unprepared_question": 2,
        "work_history": 1,
        "rapport": 1,
        "company_research": 1,
        "narrative": 1,
        "logistics": 1,
    }
    assert answer.interviews_counted == 4


def test_with_nothing_stored_it_says_so_and_invents_nothing(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, source = world
    answer = AskService(source, history).ask("Why do my interviews go badly?")
    assert answer.text == NOTHING_FOUND and not answer.used_model and answer.sources == ()
    assert model.requests == []


def test_an_empty_question_is_refused(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, _model, source = world
    with pytest.raises(InputError):
        AskService(source, history).ask("   ")


@pytest.mark.parametrize(
    ("text", "available", "expected"),
    [
        ("a [1] b [2] c [1]", 3, (1, 2)),
        ("[0] [4] [3]", 3, (3,)),
        ("no citations", 2, ()),
        ("[12]", 12, (12,)),
    ],
)
def test_cited_numbers(text: str, available: int, expected: tuple[int, ...]) -> None:
    assert cited_numbers(text, available) == expected


# -- reflection and reframe -------------------------------------------------------------------


def test_causes_and_the_diagnosis_come_from_the_users_own_words(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, _source = world
    proposal = ReflectionService(history).propose(
        Reflection(
            interview_id=1,
            rapport="Good, the panel was friendly.",
            company_knowledge="I did not know about their new lab.",
            free_text="I froze on the question about the lab budget.",
        )
    )
    # rapport "good" is not a cause; the company answer and the question that froze them are.
    assert proposal.cause_tags == ("unprepared_question", "company_research")
    assert proposal.diagnosis == (
        "A question caught you out; you wrote: “I froze on the question about the lab budget”. "
        "You also named knowing the company."
    )
    assert model.requests == []  # no model is asked
    with pytest.raises(InputError):
        ReflectionService(history).propose(Reflection(interview_id=1))


def test_the_diagnosis_starts_from_the_stumble_and_what_the_user_wishes_they_had_said(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, _model, _source = world
    interview = history.add_interview(
        Interview(company="Harbour Freight", role="Shift Lead", held_at=datetime(2026, 11, 20, 10))
    )
    assert interview.id is not None
    history.add_stumble(
        Stumble(
            interview_id=interview.id,
            question="Why did you leave Coastline?",
            what_i_said="I rambled about my manager.",
            what_i_wish="The role went night-only and I asked for days.",
        )
    )
    service = ReflectionService(history)
    proposal = service.propose(Reflection(interview_id=interview.id))  # no answers: the stumble
    assert proposal.cause_tags == ("unprepared_question", "work_history")
    assert proposal.diagnosis == (
        "The question that caught you out was “Why did you leave Coastline?”: you rambled about "
        "your manager. You already know the answer you wish you had given: “The role went "
        "night-only and I asked for days”."
    )
    prefill = service.stumble_prefill(interview.id)
    assert prefill is not None and prefill.text == "Why did you leave Coastline?"
    assert service.stumble_prefill(interview.id + 1) is None  # an interview with no stumbles


def test_no_cause_named_says_so_instead_of_guessing(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, _model, _source = world
    proposal = ReflectionService(history).propose(
        Reflection(interview_id=1, rapport="great", free_text="dunno. just felt off")
    )
    assert proposal.cause_tags == ()
    assert proposal.diagnosis.startswith("Your answers do not name anything that went wrong")


def _reframe_world(history: HistoryService) -> int:
    """Two earlier interviews (rapport went wrong in both), then this one."""
    for day, tags in ((1, ["rapport", "company_research"]), (8, ["rapport"])):
        earlier = history.add_interview(
            Interview(company="Acme", role="Analyst", held_at=datetime(2026, 10, day, 9))
        )
        assert earlier.id is not None
        history.save_reflection(Reflection(interview_id=earlier.id, cause_tags=tags, confidence=2))
    this = history.add_interview(
        Interview(
            company="Coastline Freight",
            role="Data Analyst",
            stage="second round",
            held_at=datetime(2026, 11, 18, 10),
        )
    )
    assert this.id is not None
    history.add_stumble(
        Stumble(
            interview_id=this.id,
            question="Why did you leave Coastline?",
            what_i_said="I rambled about my manager.",
            what_i_wish="I wanted to own a reporting product end to end.",
        )
    )
    history.save_reflection(
        Reflection(
            interview_id=this.id,
            unprepared_question="Why I left Coastline; I rambled.",
            company_knowledge="Fine, I had read their annual report.",
            cause_tags=["unprepared_question"],
            confidence=3,
        )
    )
    return this.id


def test_the_reframe_is_built_from_facts_code_picks_from_the_records(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, source = world
    interview_id = _reframe_world(history)
    service = ReframeService(source, history)
    assert service.evidence(interview_id) == [
        "Rapport with the interviewers tripped you up in 2 earlier interviews; you did not name "
        "it this time.",
        "Your research on the company held up, in your words: “Fine, I had read their annual "
        "report”.",
        "The one thing to work on is the question “Why did you leave Coastline?”: you rambled "
        "about your manager.",
        "You now have a better answer ready: “I wanted to own a reporting product end to end”.",
    ]
    reframe = service.reframe(interview_id)
    assert reframe.text == " ".join(reframe.evidence) and reframe.rephrased == 0
    assert model.requests == []  # the app's reframe asks no model
    assert reframe.draft_id is not None
    draft = history.store.get_draft(reframe.draft_id)
    assert draft.kind.value == "reframe" and draft.model_id == "template"


def test_a_model_sentence_is_kept_only_when_it_passes_its_check(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, source = world
    interview_id = _reframe_world(history)
    service = ReframeService(source, history, rephrase=True)
    written = service.evidence(interview_id)
    model.enqueue(
        json.dumps(
            {
                "sentences": [
                    # kept: the same fact, second person
                    "Rapport tripped you up in 2 earlier interviews, and this time you did not "
                    "name it.",
                    # dropped: a letter to the company
                    "Thank you for the interview; your research on the company held up.",
                    # dropped: a promise
                    "You'll definitely get it next time, the Coastline question aside.",
                    # dropped: a new number
                    "You now have a better answer ready, in 30 seconds: owning a reporting "
                    "product end to end.",
                ]
            }
        )
    )
    reframe = service.reframe(interview_id)
    assert reframe.rephrased == 1
    assert reframe.text == " ".join(
        [
            "Rapport tripped you up in 2 earlier interviews, and this time you did not name it.",
            *written[1:],
        ]
    )
    assert "1. Rapport with the interviewers" in model.requests[0][-1].content
    assert history.store.get_draft(reframe.draft_id or 0).model_id == "fake-model"


def test_the_reframe_names_what_to_fix_even_without_words_for_it(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, source = world
    interview = history.add_interview(
        Interview(company="Acme", role="Analyst", held_at=datetime(2026, 10, 1, 9))
    )
    assert interview.id is not None
    history.save_reflection(Reflection(interview_id=interview.id, cause_tags=["logistics"]))
    model.enqueue(DebriefError("no model"))  # with rephrasing on, a failing model changes nothing
    text = ReframeService(source, history, rephrase=True).reframe(interview.id).text
    assert text == (
        "You got an interview for the Analyst role at Acme. "
        "The one thing to work on is the arrangements on the day."
    )


def test_a_kept_cause_is_never_said_to_have_gone_fine(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, _model, source = world
    interview = history.add_interview(
        Interview(company="Eastmoor Fire", role="Firefighter", held_at=datetime(2026, 10, 1, 9))
    )
    assert interview.id is not None
    history.add_interviewer(
        Interviewer(
            interview_id=interview.id,
            name="Jo Lang",
            rapport_notes="Warm at first, shorter with me later",
        )
    )
    history.save_reflection(
        Reflection(
            interview_id=interview.id,
            # Starts like a denial ("I'd prepped…"), but the user kept the cause.
            unprepared_question="the behaviour one. id prepped teamwork, not this",
            cause_tags=["unprepared_question"],
        )
    )
    text = ReframeService(source, history).reframe(interview.id).text
    assert "No question caught you out" not in text
    assert "Warm at first" not in text  # a note that turns cold is no thing that went well


def test_unrelated_records_are_not_passed_off_as_an_answer(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, source = world
    from debrief.records.models import CompanyResearch

    history.add_research(
        CompanyResearch(
            title="Recipes", source="pasted", text="The recipe needs two cups of flour."
        )
    )
    answer = AskService(source, history).ask("Why do my interviews go badly?")
    assert not answer.used_model and answer.text == NOTHING_FOUND
    assert model.requests == []


def test_an_answer_that_says_it_went_well_names_no_cause() -> None:
    from debrief.services.causes import find_causes

    reflection = Reflection(
        interview_id=1,
        work_history="the gap went well this time! I said I cared for mum for three years",
        rapport="wonderful",
    )
    assert find_causes(reflection) == []
    slipped = Reflection(interview_id=1, work_history="got my dates wrong for the gap")
    assert [e.tag for e in find_causes(slipped)] == ["work_history"]
