"""Cause tags measured against reflections labelled by hand (evals/grounded/reflections/).

`python -m evals diagnosis [--split dev|test] [--misses]` runs the rule-based tagger
(debrief/services/causes.py) over one split and prints, per tag, labelled positives, true and
false positives, false negatives, precision and recall, then the micro and macro averages.
The labelling rules: evals/grounded/LABELLING.md. Tune on dev; test is read only to report.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from debrief.errors import InputError
from debrief.records.models import CAUSE_TAGS, CauseTag, Reflection, Stumble
from debrief.services.causes import find_causes
from evals.scores import ClassScore, class_scores, micro, score_row

ROOT = Path(__file__).parent / "grounded" / "reflections"
Split = Literal["dev", "test"]


class LabelledStumble(BaseModel):
    question: str
    what_i_said: str = ""
    what_i_wish: str = ""


class LabelledAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unprepared_question: str = ""
    work_history: str = ""
    rapport: str = ""
    company_knowledge: str = ""
    narrative_stall: str = ""
    free_text: str = ""
    confidence: int = 3


class LabelledReflection(BaseModel):
    """One item of the labelled files: what the candidate typed, and the tags a coach gave."""

    id: str
    role: str
    company: str
    stumbles: list[LabelledStumble] = Field(default_factory=list)
    reflection: LabelledAnswers
    gold_tags: list[CauseTag]
    why: str = ""

    def as_records(self) -> tuple[Reflection, list[Stumble]]:
        answers = self.reflection.model_dump()
        reflection = Reflection(interview_id=1, **answers)
        stumbles = [Stumble(interview_id=1, **s.model_dump()) for s in self.stumbles]
        return reflection, stumbles


def load_split(split: Split, root: Path = ROOT) -> list[LabelledReflection]:
    """The labelled reflections of one split."""
    path = root / f"{split}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: {exc}") from None
    return [LabelledReflection.model_validate(item) for item in data]


@dataclass(frozen=True)
class DiagnosisScore:
    per_tag: tuple[ClassScore, ...]
    misses: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # id, gold, predicted

    @property
    def micro(self) -> ClassScore:
        return micro(self.per_tag)

    @property
    def macro_precision(self) -> float:
        scored = [s.precision for s in self.per_tag if s.precision is not None]
        return sum(scored) / len(scored) if scored else 1.0

    @property
    def macro_recall(self) -> float:
        scored = [s.recall for s in self.per_tag if s.recall is not None]
        return sum(scored) / len(scored) if scored else 1.0


def predicted_tags(item: LabelledReflection) -> tuple[CauseTag, ...]:
    reflection, stumbles = item.as_records()
    return tuple(e.tag for e in find_causes(reflection, stumbles))


def score(items: Sequence[LabelledReflection]) -> DiagnosisScore:
    """Per-tag counts of the tagger's tags against the gold tags."""
    misses = []
    pairs = []
    for item in items:
        gold = set(item.gold_tags)
        got = set(predicted_tags(item))
        pairs.append((gold, got))
        if gold != got:
            order = CAUSE_TAGS.index
            misses.append((item.id, tuple(sorted(gold, key=order)), tuple(sorted(got, key=order))))
    return DiagnosisScore(class_scores(CAUSE_TAGS, pairs), tuple(misses))


def render(result: DiagnosisScore, split: str, items: int, show_misses: bool) -> str:
    rows = [
        f"Cause tags on the {split} split ({items} labelled reflections)",
        "",
        "| tag | gold | tp | fp | fn | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows += [score_row(s) for s in (*result.per_tag, result.micro)]
    rows.append(f"| macro | | | | | {result.macro_precision:.2f} | {result.macro_recall:.2f} |")
    rows.append(f"\nexact tag set: {items - len(result.misses)} of {items}")
    if show_misses:
        for item_id, gold, got in result.misses:
            rows.append(f"{item_id}: gold {list(gold)}, tagged {list(got)}")
    return "\n".join(rows)


def add_diagnosis_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--misses", action="store_true", help="list the items tagged wrongly")


def run_diagnosis(args: argparse.Namespace) -> int:
    try:
        items = load_split(args.split)
    except (InputError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    print(render(score(items), args.split, len(items), args.misses))
    return 0


__all__ = ["LabelledReflection", "load_split", "predicted_tags", "score"]
