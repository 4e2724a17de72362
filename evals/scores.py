"""Precision and recall of a check against labels read by people, one class at a time.

Every measured check (note defects, answer defects, cause tags, reframe defects) counts the same
way: per class, the items a reader labelled with it, the items the check flagged rightly and
wrongly, and the labelled items it missed. A ratio with nothing to count is None ("n/a").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass


@dataclass(frozen=True)
class ClassScore:
    """One class as a classifier of items: is the class present?"""

    key: str
    positives: int  # items the reader labelled with the class
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None


def class_scores(
    keys: Sequence[str], pairs: Iterable[tuple[AbstractSet[str], AbstractSet[str]]]
) -> tuple[ClassScore, ...]:
    """Per class, counted over (labelled, found) pairs of class sets, one pair per item."""
    counts = {key: [0, 0, 0, 0] for key in keys}  # positives, tp, fp, fn
    for labelled, found in pairs:
        for key in keys:
            c = counts[key]
            c[0] += key in labelled
            c[1] += key in labelled and key in found
            c[2] += key in found and key not in labelled
            c[3] += key in labelled and key not in found
    return tuple(ClassScore(key, *counts[key]) for key in keys)


def micro(scores: Sequence[ClassScore], key: str = "micro") -> ClassScore:
    """All classes counted together."""
    return ClassScore(
        key,
        sum(s.positives for s in scores),
        sum(s.tp for s in scores),
        sum(s.fp for s in scores),
        sum(s.fn for s in scores),
    )


def ratio(value: float | None) -> str:
    """A precision or recall as printed: two decimals, or "n/a" when there was nothing to count."""
    return "n/a" if value is None else f"{value:.2f}"


def score_row(score: ClassScore) -> str:
    """One Markdown table row: | class | labelled | tp | fp | fn | precision | recall |."""
    return (
        f"| {score.key} | {score.positives} | {score.tp} | {score.fp} | {score.fn} "
        f"| {ratio(score.precision)} | {ratio(score.recall)} |"
    )
