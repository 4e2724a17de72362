"""The Ask answers people read are the answers the app gives.

Most Ask answers are written by code, so they are the same on every run. This test writes
them again for every question of the eval histories (no model is asked). Each one must be, word
for word, the answer the readers labelled in the latest round. If the code changes an answer, this
test fails until the new answers are generated and read again (`evals/README.md`, "Grounded
answers"). The figure on the readers' labels can only be quoted when it describes the shipped
code. The share of answers with no defect in that round is held too.
"""

from __future__ import annotations

from typing import Any

from debrief.settings import Settings
from evals.answers import labelled_answers
from evals.histories import load_histories, workspace
from evals.no_model import NoModel

LATEST = "r10"
# The latest round's answers with no defect, read by people (dev 30/30, test 18/19, fresh 17/25;
# the fresh split's blind figure was 8/25 in r6: docs/experiments/2026-12-grounded-answers.md).
MIN_NO_DEFECT = {"dev": 0.95, "test": 0.90, "fresh": 0.65}


def _latest(split: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (entry["history"], entry["question"]): entry
        for entry in labelled_answers(split)
        if entry["version"] == LATEST
    }


def test_every_code_written_answer_is_the_one_people_read() -> None:
    read = _latest("dev") | _latest("test") | _latest("fresh")
    changed: list[str] = []
    written = 0
    for name, history in load_histories().items():
        with workspace(history, Settings(), NoModel("code answers ask no model")) as space:
            for item in history.questions:
                prepared = space.services.ask.prepare(item.question)
                if prepared.answer is None:
                    continue  # the model answers this one: its words vary from run to run
                written += 1
                entry = read.get((name, item.question))
                if entry is None or entry["answer"] != prepared.answer.text:
                    changed.append(f"{name}: {item.question}")
    assert written >= 30
    assert not changed, (
        f"{len(changed)} code-written answers differ from the ones read in round {LATEST}; "
        f"generate them and have them read again: {changed}"
    )


def test_the_latest_round_keeps_its_share_of_answers_with_no_defect() -> None:
    for split, floor in MIN_NO_DEFECT.items():
        entries = list(_latest(split).values())
        assert entries, split
        share = sum(bool(e["no_defect"]) for e in entries) / len(entries)
        assert share >= floor, (split, share)
