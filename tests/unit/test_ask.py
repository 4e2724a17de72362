"""Ask: pattern and cause questions answered by code from the records; open questions by the
model, kept only where a record supports each sentence. A real store and index, a fake model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from debrief.checks.answers import CitedRecord, answer_defects, sentences, to_second_person
from debrief.services.ask import NOTHING_FOUND, AskService
from debrief.services.container import build_services, open_history
from debrief.services.evidence import read_question
from debrief.settings import Settings
from evals.histories import History, RecordRef, store_history
from tests.fakes import FakeChatModel, FakeModelSource

HISTORY = """
interviews:
  - key: bright
    company: Brightwater Energy
    role: Data Analyst
    held_at: 2026-09-24 10:00
    interviewers:
      - name: Dana Price
        title: Analytics Lead
        topics: [dashboards for field crews]
        questions: ["Where do you see yourself in five years?"]
    stumbles:
      - interviewer: Dana Price
        question: Where do you see yourself in five years?
        what_i_said: I said I wanted a change and trailed off.
        what_i_wish: Leading the analytics for a grid operator's outage planning.
    reflection:
      unprepared_question: the five year question, I had nothing ready
      rapport: rapport was good, Dana laughed at my joke
      narrative_stall: I couldn't explain why I left teaching for data
      cause_tags: [unprepared_question, narrative]
  - key: harbour
    company: Harbour Freight Co
    role: Operations Analyst
    held_at: 2026-10-12 14:00
    format: on-site
    interviewers:
      - name: Tom Reyes
        title: Ops Manager
        topics: [route planning, SQL reporting]
    stumbles:
      - question: Why are you leaving your current job?
        what_i_said: I complained about my manager.
        what_i_wish: I want to work closer to operations decisions.
    reflection:
      unprepared_question: why am I leaving, I went negative
      company_knowledge: fine, knew their routes
      narrative_stall: the story from teaching to data fell apart again. and I took the career break
        as a sabbatical, which sounded odd
      cause_tags: [unprepared_question, narrative]
  - key: quill
    company: Quill Labs
    role: Junior Data Scientist
    held_at: 2026-11-03 09:00
    interviewers:
      - name: Ana Ruiz
        title: Head of Data
        topics: [A/B testing]
    reflection:
      work_history: I mixed up the dates of my two teaching posts
      free_text: camera froze for five minutes
      cause_tags: [work_history, logistics]
  - key: lumen
    company: Lumen Payments
    role: Analyst
    held_at: 2026-11-20 09:00
    interviewers:
      - name: Sam Okoro
        title: Data Lead
    stumbles:
      - question: How would you size an A/B test?
"""


@pytest.fixture
def asked(tmp_path: Path) -> Iterator[tuple[AskService, FakeChatModel, dict[str, RecordRef]]]:
    model = FakeChatModel()
    settings = Settings(data_dir=tmp_path / "data")
    opened = open_history(settings)
    services = build_services(settings, llm=FakeModelSource(model), opened=opened)
    refs, _ids = store_history(History.model_validate(yaml.safe_load(HISTORY)), opened.history)
    yield services.ask, model, refs
    services.close()


def _cited_refs(answer_sources: object, refs: dict[str, RecordRef]) -> list[str]:
    by_record = {record: ref for ref, record in refs.items()}
    return [
        by_record[(s.hit.citation.kind, s.hit.citation.record_id)]
        for s in answer_sources  # type: ignore[attr-defined]
    ]


def test_a_pattern_question_is_counted_and_quoted_by_code(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, refs = asked
    answer = ask.ask("Why do my interviews go badly?")
    assert model.requests == [] and not answer.used_model
    text = answer.text
    assert text.startswith(
        "A question caught you unprepared in 2 of the 3 interviews you reflected on: "
    )
    assert "at Brightwater Energy, “Where do you see yourself in five years?” [1]" in text
    assert "Your career story stalled in 2 of the 3 interviews you reflected on" in text
    assert "you wrote “I couldn't explain why I left teaching for data”" in text
    # The interview without a reflection still shows its stumble.
    assert "not reflected on yet: at Lumen Payments, “How would you size an A/B test?”" in text
    # Two causes tie for the most interviews: both are named, not one called "the most frequent".
    assert text.endswith(
        "Start with the questions that caught you out (they come up as often as your career "
        "story): the Plan page turns them into dated steps."
    )
    cited = _cited_refs(answer.sources, refs)
    assert cited[:2] == ["bright/stumble/1", "bright/reflection"]
    assert set(answer.cited) == set(range(1, len(answer.sources) + 1))
    assert answer.sources[0].hit.citation.title == (
        "Stumble — Brightwater Energy, 24 Sep 2026: “Where do you see yourself in five years?”"
    )
    assert answer_defects(text, _records(answer), _names()) == []


def test_a_cause_question_lists_only_that_cause_everywhere(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, refs = asked
    answer = ask.ask("Which questions catch me out?")
    assert model.requests == []
    assert "Where do you see yourself in five years?" in answer.text
    assert "Why are you leaving your current job?" in answer.text
    assert "career story" not in answer.text and "Quill" not in answer.text
    assert {"bright/stumble/1", "harbour/stumble/1"} <= set(_cited_refs(answer.sources, refs))


def test_a_question_about_one_interview_keeps_to_it(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, refs = asked
    answer = ask.ask("What went wrong at Quill?")
    assert model.requests == []
    # No "you ticked 2 causes [1]": the cited reflection shows the user's words, not the ticks.
    assert answer.text.startswith("At Quill Labs (3 Nov 2026), your work history tripped you up")
    assert "I mixed up the dates of my two teaching posts" in answer.text
    assert "Brightwater" not in answer.text and "Harbour" not in answer.text
    assert _cited_refs(answer.sources, refs) == ["quill/reflection"]


def test_an_open_answer_keeps_only_supported_sentences_cited_by_code(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, refs = asked
    model.enqueue(
        "I said I wanted a change and trailed off [9]. "
        "You struggle to stay organised in every interview [1]. "
        "The candidate wished to talk about leading analytics for outage planning. "
        "I said I wanted a change and trailed off."
    )
    answer = ask.ask("Tell me what Dana made of my five-year answer.")
    assert answer.used_model
    first, second = sentences(answer.text)
    assert first.startswith("You said I wanted a change and trailed off [") is False
    assert first.startswith("You said you wanted a change and trailed off [")
    assert second.startswith("You wished to talk about leading analytics for outage planning [")
    assert "organised" not in answer.text  # no record says it
    first_source = next(s for s in answer.sources if s.number == answer.cited[0])
    assert _cited_refs([first_source], refs) == ["bright/stumble/1"]
    prompt = model.requests[0][0].content
    assert "## Interview at Brightwater Energy for Data Analyst, 24 Sep 2026" in prompt
    assert "interviewer #" not in prompt


def test_a_sentence_that_names_another_interview_is_left_out(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, _refs = asked
    model.enqueue("At Harbour Freight you said you wanted a change and trailed off.")
    answer = ask.ask("Tell me what Dana made of my five-year answer.")
    assert "Harbour" not in answer.text
    # Nothing the model wrote stood: the user's own closest words, not a guess.
    assert answer.text.startswith(
        "Your records do not answer that directly; the closest things you wrote: at Brightwater"
    )
    assert "the five year question, I had nothing ready" in answer.text


def test_what_the_user_said_is_read_from_the_stumble_not_asked_of_the_model(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, refs = asked
    answer = ask.ask("What did I say when Dana asked about five years?")
    assert model.requests == []
    assert answer.text.startswith(
        "In your words: “I said I wanted a change and trailed off” [1]. You wish you had said "
        "“Leading the analytics for a grid operator's outage planning” [1]."
    )
    assert _cited_refs(answer.sources, refs)[0] == "bright/stumble/1"


def test_a_format_question_compares_that_format_with_the_others(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, refs = asked
    answer = ask.ask("Do my video interviews go worse?")
    assert model.requests == [] and not answer.used_model
    text = answer.text
    assert text.startswith(
        "3 of your 4 interviews were video interviews: Brightwater Energy, Quill Labs and "
        "Lumen Payments."
    )
    assert "Logistics got in the way in 1 of your 2 video interviews: at Quill Labs" in text
    assert (
        "In the other interview you reflected on: the questions that caught you out in 1 [" in text
    )
    assert (
        "More often in your video interviews than in the others: your work history (1 of 2, "
        "against 0 of 1); logistics (1 of 2, against 0 of 1)."
    ) in text
    assert "harbour/reflection" in _cited_refs(answer.sources, refs)
    # The count of formats and the comparison come from the interview list, which no record
    # holds to cite; every sentence that quotes the user cites its record.
    uncited = [d.sentence for d in answer_defects(text, _records(answer), _names())]
    assert [s[:20] for s in uncited] == ["3 of your 4 intervie", "More often in your v"]


def test_a_subject_is_found_under_the_users_own_word_for_it(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, refs = asked
    answer = ask.ask("How have I explained my gap?")
    assert model.requests == []
    assert "and I took the career break as a sabbatical" in answer.text
    assert _cited_refs(answer.sources, refs) == ["harbour/reflection"]


def test_a_subject_in_one_interview_comes_with_what_went_wrong_there(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, _refs = asked
    answer = ask.ask("How did the five year question go at Brightwater?")
    assert model.requests == []
    assert answer.text.startswith("About that, your records say: at Brightwater Energy, ")
    # The question it names is quoted once; the cause it does not name is added.
    assert answer.text.count("Where do you see yourself in five years?") == 1
    assert answer.text.endswith(
        "What went wrong there, in your words: your career story (you wrote “I couldn't explain "
        "why I left teaching for data” [1])."
    )


def test_when_the_records_do_not_say_the_answer_says_so(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, _refs = asked
    model.enqueue("NOT IN RECORDS")
    answer = ask.ask("Did my salary expectations put them off?")
    assert answer.text.startswith("Your saved records do not say anything about that")
    assert answer.cited == ()


def test_with_nothing_saved_nothing_is_asked(tmp_path: Path) -> None:
    model = FakeChatModel()
    services = build_services(Settings(data_dir=tmp_path / "d"), llm=FakeModelSource(model))
    try:
        answer = services.ask.ask("Why do my interviews go badly?")
    finally:
        services.close()
    assert answer.text == NOTHING_FOUND and model.requests == []


@pytest.mark.parametrize(
    ("question", "kind", "causes", "named"),
    [
        ("Why do my interviews go badly?", "pattern", (), 0),
        ("What keeps going wrong?", "pattern", (), 0),
        ("Is there a pattern in my interviews?", "pattern", (), 0),
        ("Which questions catch me out?", "cause", ("unprepared_question",), 0),
        ("Where does my story fall apart?", "cause", ("narrative",), 0),
        ("What went wrong at Brightwater?", "pattern", (), 1),
        ("What did I say when Dana asked about five years?", "reported", (), 1),
        ("Tell me what Dana made of my five-year answer.", "open", (), 1),
        ("What did I know about the company before?", "cause", ("company_research",), 0),
        ("Do my phone interviews go worse?", "format", (), 0),
        ("Did my face-to-face interviews go better?", "format", (), 0),
        ("What did I say in the phone call with Dana?", "reported", (), 1),
        ("What did Dana think of my dashboards?", "open", (), 1),
    ],
)
def test_questions_are_read_by_code(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
    question: str,
    kind: str,
    causes: tuple[str, ...],
    named: int,
) -> None:
    from debrief.records.models import Interview

    interviews = [
        Interview(id=1, company="Brightwater Energy", role="Analyst", held_at="2026-09-24T10:00")
    ]
    reading = read_question(question, interviews, {1: ["Brightwater Energy", "Dana Price"]})
    assert (reading.kind, reading.causes, len(reading.interview_ids)) == (kind, causes, named)


def test_sentences_do_not_end_inside_a_quotation() -> None:
    text = "At X, “Why now? Why us?” [1]; at Y, “Where next?” [2]. You also noted one [3]. Go."
    assert sentences(text) == [
        "At X, “Why now? Why us?” [1]; at Y, “Where next?” [2].",
        "You also noted one [3].",
        "Go.",
    ]


def test_the_users_voice_is_turned_to_them_but_their_quotes_are_not() -> None:
    assert to_second_person("I said “I was ready” to my manager.") == (
        "You said “I was ready” to your manager."
    )


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("You froze on the five-year question [1].", []),
        ("The candidate froze on the five-year question [1].", ["third_person"]),
        ("I struggle to stay organised in interviews [1].", ["first_person", "unsupported"]),
        ("You froze on the five-year question at Quill Labs [1].", ["mixed_interviews"]),
        ("You froze on the five-year question.", ["uncited"]),
        (
            "You froze on the five-year question [1]. You froze on the five-year question [1].",
            ["repeated"],
        ),
        ("Start with the five-year question: the Plan page turns it into steps.", []),
    ],
)
def test_answer_defects(text: str, kinds: list[str]) -> None:
    records = [CitedRecord(1, "Question I stumbled on: the five-year question; I froze.", 1)]
    names = {1: ["Brightwater Energy"], 2: ["Quill Labs"]}
    assert [d.kind for d in answer_defects(text, records, names)] == kinds


def _records(answer: object) -> list[CitedRecord]:
    return [
        CitedRecord(s.number, s.hit.text, s.hit.citation.interview_id)
        for s in answer.sources  # type: ignore[attr-defined]
    ]


def _names() -> dict[int, list[str]]:
    return {}


def test_how_an_interviewer_came_across_is_quoted_not_judged(
    asked: tuple[AskService, FakeChatModel, dict[str, RecordRef]],
) -> None:
    ask, model, refs = asked
    answer = ask.ask("Was the Analytics Lead at Brightwater just not interested in me?")
    assert model.requests == []
    assert answer.text == (
        "About Dana Price at Brightwater Energy, your records say: “rapport was good, Dana "
        "laughed at my joke” [1]."
    )
    assert _cited_refs(answer.sources, refs) == ["bright/reflection"]
    by_name = ask.ask("Did Tom Reyes like me?")
    assert by_name.text == (
        "Your records do not say how Tom Reyes at Harbour Freight Co came across."
    )
