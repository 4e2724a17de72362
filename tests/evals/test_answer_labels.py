"""The Ask answer checks replayed on the answers labelled by reading (evals/grounded/answers/).

The floors in evals/answer_floors.yaml come from the dev split the checks were tuned on; a change
that makes a class find less of what readers found, or find what they did not, fails here.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from debrief.checks.answers import KINDS
from evals.answers import labelled_answers, measure_detectors
from evals.histories import load_histories

FLOORS = Path(__file__).parents[2] / "evals" / "answer_floors.yaml"


def test_every_labelled_answer_is_labelled_and_known() -> None:
    histories = load_histories()
    for entry in labelled_answers("all"):
        assert entry["history"] in histories, entry["id"]
        assert isinstance(entry["no_defect"], bool), entry["id"]
        kinds = {label["kind"] for label in entry["labels"]}
        assert kinds <= set(KINDS), entry["id"]
        assert entry["no_defect"] == (not entry["labels"] and not entry["answer_classes"])


def test_no_check_loses_accuracy_on_the_dev_split() -> None:
    floors = yaml.safe_load(FLOORS.read_text(encoding="utf-8"))
    report = measure_detectors(labelled_answers("dev"), load_histories())
    below = []
    for score in report.scores:
        floor = floors["classes"].get(score.key, {})
        if score.precision is not None and score.precision < floor.get("precision", 0.0):
            below.append(f"{score.key}: precision {score.precision:.2f} < {floor}")
        if score.recall is not None and score.recall < floor.get("recall", 0.0):
            below.append(f"{score.key}: recall {score.recall:.2f} < {floor}")
    assert not below, below
    assert report.agreement >= floors["agreement"]
