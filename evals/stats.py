"""Means with bootstrap confidence intervals, and paired comparisons of two prompt versions.

Cases are the unit of resampling: the notes of one interview share research, a model state and
the candidate's voice, so treating them as independent would make intervals look too tight.
The comparison is paired (the same cases under both versions), which cancels out how hard
each case is and leaves the effect of the prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

RESAMPLES = 2000
CONFIDENCE = 0.95
SEED = 20261118  # fixed: the same scores always give the same intervals


@dataclass(frozen=True)
class Interval:
    """A mean and its bootstrap confidence interval."""

    mean: float
    low: float
    high: float
    n: int

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class PairedComparison:
    """candidate - baseline on one metric, over the cases both have a value for."""

    metric: str
    candidate: Interval
    baseline: Interval
    delta: Interval


def _indices(n: int, resamples: int, seed: int) -> npt.NDArray[np.intp]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(resamples, n))


def _interval(
    values: npt.NDArray[np.float64], indices: npt.NDArray[np.intp], confidence: float
) -> Interval:
    means = values[indices].mean(axis=1)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(values.mean()), float(low), float(high), int(values.size))


def bootstrap_mean(
    values: Sequence[float],
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = SEED,
) -> Interval | None:
    """The mean with a percentile-bootstrap interval; None when there are no values."""
    if not values:
        return None
    array = np.asarray(values, dtype=np.float64)
    return _interval(array, _indices(array.size, resamples, seed), confidence)


def paired_bootstrap(
    metric: str,
    candidate: Sequence[float | None],
    baseline: Sequence[float | None],
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = SEED,
) -> PairedComparison | None:
    """Resample the cases both versions have a value for, with the same draws for both sides."""
    if len(candidate) != len(baseline):
        raise ValueError("paired samples must have the same length")
    pairs = [
        (c, b) for c, b in zip(candidate, baseline, strict=True) if c is not None and b is not None
    ]
    if not pairs:
        return None
    cand = np.asarray([c for c, _ in pairs], dtype=np.float64)
    base = np.asarray([b for _, b in pairs], dtype=np.float64)
    indices = _indices(len(pairs), resamples, seed)
    return PairedComparison(
        metric=metric,
        candidate=_interval(cand, indices, confidence),
        baseline=_interval(base, indices, confidence),
        delta=_interval(cand - base, indices, confidence),
    )
