"""evals.stats: bootstrap intervals, paired over the same cases."""

from __future__ import annotations

import pytest

from evals.stats import bootstrap_mean, paired_bootstrap


def test_paired_bootstrap_sees_a_consistent_shift() -> None:
    baseline = [0.2, 0.5, 0.9, 0.4, 0.6, 0.3, 0.7, 0.8]
    candidate = [b + 0.1 for b in baseline]
    result = paired_bootstrap("coverage", candidate, baseline)
    assert result is not None
    # Unpaired, the spread between cases would swamp the shift; paired, it is exact.
    assert result.delta.mean == pytest.approx(0.1)
    assert result.delta.low == pytest.approx(0.1) and result.delta.high == pytest.approx(0.1)
    assert result.candidate.low < result.candidate.mean < result.candidate.high


def test_paired_bootstrap_is_seeded_and_skips_missing_pairs() -> None:
    a = [0.1, 0.9, None, 0.4, 0.7]
    b = [0.3, 0.5, 0.8, None, 0.2]
    first, second = paired_bootstrap("m", a, b), paired_bootstrap("m", a, b)
    assert first == second and first is not None and first.delta.n == 3
    assert first.delta.low <= first.delta.mean <= first.delta.high
    assert paired_bootstrap("m", [None], [0.1]) is None
    assert bootstrap_mean([]) is None
