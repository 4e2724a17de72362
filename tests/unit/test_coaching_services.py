"""Plan, ask, reflection and reframe services with a fake model over a real store and index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from debrief.errors import InputError
from debrief.records.models import CauseTag, Interview, Reflection, Stumble
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


def test_reflection_proposes_tags_from_the_fixed_list(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, source = world
    model.enqueue(
        json.dumps(
            {
                "cause_tags": ["rapport", "rapport", "company_research"],
                "diagnosis": "You never connected with the panel, and you did not know about the new lab.",
            }
        )
    )
    proposal = ReflectionService(source, history).propose(
        Reflection(interview_id=1, rapport="Cold panel.", company_knowledge="Missed the new lab.")
    )
    assert proposal.cause_tags == ("rapport", "company_research")
    assert "Cold panel." in model.requests[0][-1].content
    with pytest.raises(InputError):
        ReflectionService(source, history).propose(Reflection(interview_id=1))


def test_the_reframe_stands_on_the_users_own_records(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, model, source = world
    keys = load_corpus(history)
    northwind = int(keys["interview:northwind"])
    history.add_stumble(
        Stumble(
            interview_id=northwind, question="Why Kafka?", what_i_wish="Because replay is cheap."
        )
    )
    model.enqueue("You now have a clear answer on replay; rapport was not the problem this time.")
    service = ReframeService(source, history)
    evidence = service.evidence(northwind)
    assert any("clear answer to 'Why Kafka?'" in fact for fact in evidence)
    assert any(
        "Rapport with the interviewers went wrong in 1 earlier interview(s)" in fact
        for fact in evidence
    )
    reframe = service.reframe(northwind)
    assert reframe.draft_id is not None
    assert "clear answer" in model.requests[0][-1].content
    assert history.store.get_draft(reframe.draft_id).kind.value == "reframe"


def test_the_reframe_evidence_lists_earlier_causes_in_a_fixed_order(
    world: tuple[HistoryService, FakeChatModel, FakeModelSource],
) -> None:
    history, _model, source = world
    tags: list[list[CauseTag]] = [["other", "rapport", "narrative", "logistics"], []]
    ids = []
    for day, interview_tags in enumerate(tags, start=1):
        saved = history.add_interview(
            Interview(company="Acme", role="Analyst", held_at=datetime(2026, 10, day, 9))
        )
        assert saved.id is not None
        history.save_reflection(Reflection(interview_id=saved.id, cause_tags=interview_tags))
        ids.append(saved.id)
    evidence = ReframeService(source, history).evidence(ids[-1])
    causes = [fact.split(" went wrong")[0] for fact in evidence if "went wrong" in fact]
    # CAUSE_TAGS order, never the order of a set (which changes from one process to the next).
    assert causes == [
        "Rapport with the interviewers",
        "The career story",
        "Logistics",
        "Other things",
    ]


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
