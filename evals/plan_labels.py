"""Replay the plan check over the plans labelled by reading (evals/grounded/plans/).

    python -m evals.plan_labels [dev|test]

Prints precision and recall per defect class (a step's class, or a plan's `same_day`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from debrief.checks.plan import PLAN_CLASSES, STEP_CLASSES, PlanStepInput, plan_defects

PLANS_DIR = Path(__file__).resolve().parent / "grounded" / "plans"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, labelled: bool, found: bool) -> None:
        if labelled and found:
            self.tp += 1
        elif found:
            self.fp += 1
        elif labelled:
            self.fn += 1
        else:
            self.tn += 1


def load_split(split: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(
        (PLANS_DIR / f"{split}.yaml").read_text(encoding="utf-8")
    )
    return loaded


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def score_split(split: str) -> dict[str, Score]:
    """Per class: the check's findings against the labels of every step and plan."""
    scores = {name: Score() for name in (*STEP_CLASSES, *PLAN_CLASSES)}
    for plan in load_split(split):
        steps = [
            PlanStepInput(s["action"], _day(s["due"]) or date.min, s["done_when"], s["cause"])
            for s in plan["steps"]
        ]
        interview = _day(plan["interview_date"])
        assert interview is not None
        found = plan_defects(
            steps,
            interview_date=interview,
            next_date=_day(plan["next_date"]),
            kept_causes=plan["kept"],
            made_on=_day(plan.get("made_on")),
        )
        for labelled_step, found_step in zip(plan["steps"], found.steps, strict=True):
            for name in STEP_CLASSES:
                scores[name].add(name in (labelled_step["defects"] or {}), name in found_step)
        for name in PLAN_CLASSES:
            scores[name].add(name in (plan["plan_defects"] or {}), name in found.plan)
    return scores


def main(argv: list[str] | None = None) -> int:
    split = (argv or sys.argv[1:] or ["dev"])[0]
    print(f"{'class':<20} {'tp':>3} {'fp':>3} {'fn':>3} {'tn':>4} {'precision':>9} {'recall':>6}")
    for name, s in score_split(split).items():
        counts = f"{s.tp:>3} {s.fp:>3} {s.fn:>3} {s.tn:>4}"
        print(f"{name:<20} {counts} {s.precision:>9.2f} {s.recall:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
