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
from evals.scores import ClassScore, class_scores, micro, score_row

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
class DetectorScore:
    per_class: tuple[ClassScore, ...]
    ok_agreement: float  # share of reframes where "no defect found" == the reader's "ok"
    mistakes: tuple[str, ...]


def score(rows: list[LabelledReframe]) -> DetectorScore:
    agree = 0
    mistakes = []
    pairs = []
    for row in rows:
        gold = {d.key for d in row.defects}
        found = {d.key for d in find_reframe_defects(row.text, row.facts)}
        agree += (not found) == row.ok
        pairs.append((gold, found))
        if gold != found:
            mistakes.append(f"{row.id}: labelled {sorted(gold)}, found {sorted(found)}")
    per_class = class_scores(REFRAME_DEFECTS, pairs)
    return DetectorScore(per_class, agree / len(rows) if rows else 1.0, tuple(mistakes))


def render(result: DetectorScore, split: str, n: int, show: bool) -> str:
    lines = [
        f"Reframe detector on the {split} split ({n} labelled reframes)",
        "",
        "| class | labelled | tp | fp | fn | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [score_row(s) for s in (*result.per_class, micro(result.per_class))]
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
