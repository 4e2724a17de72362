"""The cause tagger replayed on the labelled reflections: a change that loses accuracy fails.

Floors sit slightly below the figures measured when the rules were final (dev: every tag right;
test, read once: micro precision 0.88, recall 0.81; macro 0.89 / 0.79).
"""

from __future__ import annotations

import pytest

from debrief.records.models import Reflection, Stumble
from debrief.services.causes import answered_fine, evidence_for, find_causes
from evals.__main__ import main
from evals.diagnosis import load_split, score

FLOORS = {
    # split: (micro precision, micro recall, macro precision, macro recall)
    "dev": (0.95, 0.95, 0.95, 0.95),
    "test": (0.85, 0.78, 0.86, 0.76),
}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_tagger_keeps_its_measured_accuracy(split: str) -> None:
    items = load_split(split)  # type: ignore[arg-type]
    assert len(items) == {"dev": 42, "test": 30}[split]
    result = score(items)
    micro = result.micro
    floors = FLOORS[split]
    assert micro.precision is not None and micro.recall is not None
    measured = (micro.precision, micro.recall, result.macro_precision, result.macro_recall)
    assert all(m >= f for m, f in zip(measured, floors, strict=True)), (measured, floors)


def test_the_command_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagnosis", "--split", "dev"]) == 0
    out = capsys.readouterr().out
    assert "| micro | 62 |" in out and "| unprepared_question |" in out


def _reflection(**answers: str) -> Reflection:
    return Reflection(interview_id=1, **answers)


@pytest.mark.parametrize(
    ("answers", "stumbles", "expected"),
    [
        ({"rapport": "good, she was friendly", "company_knowledge": "fine"}, [], []),
        ({"unprepared_question": "not really"}, [], []),
        ({"company_knowledge": "not really, didn't look them up"}, [], ["company_research"]),
        (
            {"free_text": "my whole story fell apart when they asked why I want to leave"},
            [],
            ["narrative"],
        ),
        (
            {"work_history": "they asked what i'd do with a live cable, didnt know what to say"},
            [],
            ["unprepared_question"],
        ),
        ({"rapport": "a bit cold, but that's just how she is"}, [], []),
        ({"free_text": "train was cancelled, got there 20 mins late"}, [], ["logistics"]),
        (
            {},
            [("Why did you leave Kestrel?", "Said it wasn't the right fit and stopped.")],
            ["unprepared_question", "work_history"],
        ),
        (
            {"unprepared_question": "no, I knew it was coming"},
            [("Tell me about yourself.", "Rambled for six minutes.")],
            [],
        ),
        ({"free_text": "the typing test, I froze and got 28 wpm"}, [], ["other"]),
    ],
    ids=[
        "said fine",
        "a denial",
        "not really, to the company question",
        "story in free text",
        "question in the history field",
        "manner put down to the interviewer",
        "a late train",
        "stumbles only",
        "stumble expected",
        "a test is other",
    ],
)
def test_rules_on_hand_written_cases(
    answers: dict[str, str], stumbles: list[tuple[str, str]], expected: list[str]
) -> None:
    records = [Stumble(interview_id=1, question=q, what_i_said=s) for q, s in stumbles]
    assert [e.tag for e in find_causes(_reflection(**answers), records)] == expected


def test_the_evidence_is_the_users_own_words() -> None:
    reflection = _reflection(
        unprepared_question="the coastline one. didnt expect it",
        rapport="fine, friendly enough",
    )
    stumble = Stumble(
        interview_id=1,
        question="Why did you leave Coastline?",
        what_i_said="Rambled about my manager.",
        what_i_wish="The role went night-only.",
    )
    found = evidence_for("unprepared_question", reflection, [stumble])
    assert found is not None
    assert found.words == "the coastline one. didnt expect it"
    assert (found.question, found.wish) == (
        "Why did you leave Coastline?",
        "The role went night-only.",
    )
    assert answered_fine(reflection) == [("rapport", "fine, friendly enough")]
