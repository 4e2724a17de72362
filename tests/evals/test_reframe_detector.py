"""The reframe defect detector replayed on the labelled reframes: a change that loses accuracy
fails. Floors sit slightly below the figures measured when the rules were final, with the 62
code-built reframes an independent reader labelled on 2026-12-08 added (dev micro precision
0.94, recall 0.76, 'no defect' agreement 0.96; test 0.81 / 0.62 / 0.91). Before those labels the
figures were dev 0.94 / 0.84 and test 0.81 / 0.76: the new ones hold more claims only a reading
finds ("no question caught you out" beside one that did)."""

from __future__ import annotations

import pytest

from debrief.checks.reframe import find_reframe_defects, piece_problems
from evals.__main__ import main
from evals.reframes import load_labelled, score

FLOORS = {"dev": (0.90, 0.72, 0.93), "test": (0.78, 0.58, 0.88)}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_detector_keeps_its_measured_accuracy(split: str) -> None:
    rows = load_labelled(split)
    assert len(rows) >= 20
    result = score(rows)
    tp = sum(s.tp for s in result.per_class)
    fp = sum(s.fp for s in result.per_class)
    fn = sum(s.fn for s in result.per_class)
    measured = (tp / (tp + fp), tp / (tp + fn), result.ok_agreement)
    assert all(m >= f for m, f in zip(measured, FLOORS[split], strict=True)), measured


def test_the_labelled_spans_are_in_the_texts() -> None:
    rows = load_labelled("all")
    assert len(rows) >= 30 and {r.source for r in rows} >= {"old_model", "new_template"}
    for row in rows:
        assert row.ok == (not row.defects)
        assert all(d.span in row.text for d in row.defects), row.id


def test_the_command_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reframes", "--split", "test"]) == 0
    assert "| letter_form |" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thank you for your interview with Acme. You did well.", {"letter_form"}),
        ("I arrived late. The one thing to work on is the bus.", {"wrong_person"}),
        ("You'll definitely get the next one; you reached the final.", {"false_reassurance"}),
        (
            "You reached the final at Initech. The one thing to work on is the gap.",
            {"unsupported_claim"},
        ),
        (
            "You reached the final at Acme. The one thing to work on is your story; you wrote: "
            "“I rambled”.",
            set(),
        ),
    ],
    ids=["letter", "first person", "promise", "a name not in the records", "ok"],
)
def test_each_class_on_a_hand_written_reframe(text: str, expected: set[str]) -> None:
    found = {d.key for d in find_reframe_defects(text, ["Acme", "final", "the gap", "bus"])}
    assert found - {"missing_pair"} == expected


def test_a_rephrased_piece_must_keep_the_fact() -> None:
    template = "The one thing to work on is the question “Why Kafka?”: you guessed."
    assert piece_problems("Work on the question “Why Kafka?”, where you guessed.", template) == []
    assert "drops the fact's words" in piece_problems("You did great overall.", template)
