"""The reframe defect detector measured against reframes labelled by reading.

`evals/grounded/reframes/labelled.jsonl`: reframes of the scenarios in `scenarios.yaml`, from
the model-written reframe of main (`old_model`) and the code-built one (`new_template`, plus
`new_model` when the model's wording was tried), each labelled with its defect classes and the
span that shows each (evals/LABELLING.md, "Reframes"). The split was fixed before the detector
was tuned: odd scenario numbers dev, even test. `python -m evals reframes [--split dev|test]`
prints, per class, labelled positives, true and false positives, false negatives, precision and
recall, and how often "no defect found" agrees with the reader's "ok".
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from debrief.checks.reframe import REFRAME_DEFECTS, find_reframe_defects

LABELLED = Path(__file__).parent / "grounded" / "reframes" / "labelled.jsonl"


class LabelledDefect(BaseModel):
    key: str
    span: str


class LabelledReframe(BaseModel):
    id: str
    scenario: str
    source: str
    split: str
    text: str
    facts: list[str]
    defects: list[LabelledDefect]
    ok: bool


def load_labelled(split: str = "all", path: Path = LABELLED) -> list[LabelledReframe]:
    rows = [
        LabelledReframe.model_validate(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [r for r in rows if split == "all" or r.split == split]


@dataclass(frozen=True)
class ClassScore:
    key: str
    positives: int
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(frozen=True)
class DetectorScore:
    per_class: tuple[ClassScore, ...]
    ok_agreement: float  # share of reframes where "no defect found" == the reader's "ok"
    mistakes: tuple[str, ...]


def score(rows: list[LabelledReframe]) -> DetectorScore:
    counts = {key: [0, 0, 0, 0] for key in REFRAME_DEFECTS}
    agree = 0
    mistakes = []
    for row in rows:
        gold = {d.key for d in row.defects}
        found = {d.key for d in find_reframe_defects(row.text, row.facts)}
        agree += (not found) == row.ok
        for key in REFRAME_DEFECTS:
            c = counts[key]
            c[0] += key in gold
            c[1] += key in gold and key in found
            c[2] += key in found and key not in gold
            c[3] += key in gold and key not in found
        if gold != found:
            mistakes.append(f"{row.id}: labelled {sorted(gold)}, found {sorted(found)}")
    per_class = tuple(ClassScore(key, *counts[key]) for key in REFRAME_DEFECTS)
    return DetectorScore(per_class, agree / len(rows) if rows else 1.0, tuple(mistakes))


def render(result: DetectorScore, split: str, n: int, show: bool) -> str:
    lines = [
        f"Reframe detector on the {split} split ({n} labelled reframes)",
        "",
        "| class | labelled | tp | fp | fn | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in result.per_class:
        lines.append(
            f"| {s.key} | {s.positives} | {s.tp} | {s.fp} | {s.fn} | {s.precision:.2f} "
            f"| {s.recall:.2f} |"
        )
    tp = sum(s.tp for s in result.per_class)
    fp = sum(s.fp for s in result.per_class)
    fn = sum(s.fn for s in result.per_class)
    micro_p = tp / (tp + fp) if tp + fp else 1.0
    micro_r = tp / (tp + fn) if tp + fn else 1.0
    lines.append(f"| micro | {tp + fn} | {tp} | {fp} | {fn} | {micro_p:.2f} | {micro_r:.2f} |")
    lines.append(f"\n'no defect found' agrees with the reader's 'ok': {result.ok_agreement:.2f}")
    if show:
        lines += ["", *result.mistakes]
    return "\n".join(lines)


def add_reframe_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--misses", action="store_true", help="list the disagreements")


def run_reframes(args: argparse.Namespace) -> int:
    rows = load_labelled(args.split)
    print(render(score(rows), args.split, len(rows), args.misses))
    return 0
