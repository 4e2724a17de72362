"""What a run produced: scores per version, means with intervals, paired comparisons, the gate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from evals.cache import CaseGeneration
from evals.cases import EvalCase
from evals.gate import GateFinding
from evals.model_choice import ModelIdentity
from evals.scoring import METRIC_KEYS, CaseScore
from evals.stats import Interval, PairedComparison, bootstrap_mean, paired_bootstrap
from evals.variants import PromptVariant


@dataclass(frozen=True)
class VariantRun:
    """One prompt version over every case."""

    variant: PromptVariant
    scores: tuple[CaseScore, ...]
    generations: tuple[CaseGeneration, ...]
    generated_notes: int  # written by the model in this run (the rest came from the cache)

    @property
    def label(self) -> str:
        return self.variant.label

    def case_values(self, metric: str) -> list[float | None]:
        return [score.value(metric) for score in self.scores]

    def means(self) -> dict[str, Interval | None]:
        """Per-metric mean over cases, with a bootstrap interval."""
        return {
            metric: bootstrap_mean([v for v in self.case_values(metric) if v is not None])
            for metric in METRIC_KEYS
        }

    def score_for(self, case_id: str) -> CaseScore:
        return next(score for score in self.scores if score.case_id == case_id)

    def generation_for(self, case_id: str) -> CaseGeneration:
        return next(gen for gen in self.generations if gen.key.case_id == case_id)


@dataclass(frozen=True)
class Comparison:
    """candidate - baseline, metric by metric, paired over cases."""

    candidate: str
    baseline: str
    metrics: tuple[PairedComparison, ...]

    def get(self, metric: str) -> PairedComparison | None:
        return next((m for m in self.metrics if m.metric == metric), None)


def compare(candidate: VariantRun, baseline: VariantRun) -> Comparison:
    found = (
        paired_bootstrap(metric, candidate.case_values(metric), baseline.case_values(metric))
        for metric in METRIC_KEYS
    )
    return Comparison(candidate.label, baseline.label, tuple(c for c in found if c is not None))


@dataclass(frozen=True)
class Timing:
    wall_s: float
    generation_s: float  # model time spent in this run
    generated_notes: int
    cached_notes: int


@dataclass(frozen=True)
class RunResult:
    """Everything the reports show and the exit code depends on."""

    started_at: str
    model: ModelIdentity
    cases: tuple[EvalCase, ...]
    runs: tuple[VariantRun, ...]  # the candidate first, then the baseline, then naive
    comparisons: tuple[Comparison, ...]  # the candidate against each other version
    findings: tuple[GateFinding, ...]
    baseline: str | None  # the version the gate compares against (None: no gate)
    timing: Timing
    judge: str = ""  # the judge model's label when the rubric ran
    stale: tuple[str, ...] = field(default_factory=tuple)  # "case (version)" replayed as stale

    @property
    def candidate(self) -> VariantRun:
        return self.runs[0]

    @property
    def regression(self) -> bool:
        return bool(self.findings)

    @property
    def gated(self) -> bool:
        return self.baseline is not None

    def reference_run(self) -> VariantRun | None:
        """What per-case tables and diffs compare the candidate with: the baseline, else naive."""
        if self.baseline is not None:
            return self.run_for(self.baseline)
        return self.runs[1] if len(self.runs) > 1 else None

    def comparison_with(self, label: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.baseline == label), None)

    def run_for(self, label: str) -> VariantRun:
        return next(run for run in self.runs if run.label == label)

    def metrics_present(self) -> list[str]:
        """Metrics with a value in at least one version (the judge only when it ran)."""
        return [
            metric
            for metric in METRIC_KEYS
            if any(value is not None for run in self.runs for value in run.case_values(metric))
        ]


def comparisons_for(runs: Sequence[VariantRun]) -> tuple[Comparison, ...]:
    """The candidate against every other version (baseline first, naive last)."""
    candidate, *others = runs
    return tuple(compare(candidate, other) for other in others)
