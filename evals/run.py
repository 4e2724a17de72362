"""`python -m evals run`: draft every case under two prompt versions (and the naive floor), score,
compare, write reports and set the exit code.

Exit codes: 0 no regression, 1 regression (the gate failed), 2 error (bad arguments or case
files, no model, a replay without a stored generation, anything unexpected).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from debrief.checks.types import CheckResult
from debrief.errors import DebriefError, InputError
from debrief.llm.connection import ChatModelSource, LLMConnection
from debrief.settings import Settings
from evals.cache import GenerationCache
from evals.cases import EvalCase, load_cases
from evals.gate import GateConfig, evaluate_gate, load_gate, with_overrides
from evals.generate import (
    CaseWorkspace,
    NoteCallback,
    Outcome,
    case_workspace,
    generation_key,
)
from evals.judge import NoteJudge
from evals.model_choice import ModelIdentity, model_identity, settings_for_model
from evals.progress import ProgressBar
from evals.report import print_summary, write_reports
from evals.results import RunResult, Timing, VariantRun, comparisons_for
from evals.run_options import DEFAULT_CASES, REPORTS_DIR
from evals.scoring import CaseScore, score_case
from evals.variants import (
    PromptVariant,
    latest_variant,
    naive_variant,
    parse_variant,
    previous_variant,
)

EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class RunConfig:
    """A run, as decided from the command line."""

    candidate: PromptVariant
    baseline: PromptVariant | None
    naive: bool = True
    model: str | None = None
    cases: str = DEFAULT_CASES
    limit: int | None = None
    cache_dir: Path | None = None
    offline: bool = False
    judge: bool = False
    judge_model: str | None = None
    gate: GateConfig = field(default_factory=GateConfig)
    report_dir: Path | None = REPORTS_DIR

    def variants(self) -> list[PromptVariant]:
        chosen = [self.candidate]
        if self.baseline is not None:
            chosen.append(self.baseline)
        if self.naive:
            chosen.append(naive_variant())
        unique: dict[str, PromptVariant] = {}
        for variant in chosen:
            unique.setdefault(variant.label, variant)
        return list(unique.values())


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """Validate the arguments into a `RunConfig` (errors are `InputError`s)."""
    candidate = parse_variant(args.prompt) if args.prompt else latest_variant()
    if args.baseline is None:
        baseline = previous_variant(candidate)
    elif args.baseline.strip().lower() == "none":
        baseline = None
    else:
        baseline = parse_variant(args.baseline)
    if baseline is not None and baseline.label == candidate.label:
        raise InputError(f"The baseline is the candidate itself ({candidate.label}).")
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1.")
    gate = GateConfig() if args.no_gate else with_overrides(load_gate(args.gate), args.max_drop)
    return RunConfig(
        candidate=candidate,
        baseline=baseline,
        naive=not args.no_naive,
        model=args.model,
        cases=args.cases,
        limit=args.limit,
        cache_dir=args.cache_dir,
        offline=args.offline,
        judge=args.judge,
        judge_model=args.judge_model,
        gate=gate,
        report_dir=None if args.no_report else args.report_dir,
    )


class _Judging:
    """The judge, built only when the rubric is on (it may name another endpoint)."""

    def __init__(
        self, config: RunConfig, llm: ChatModelSource, identity: ModelIdentity, cache_dir: Path
    ) -> None:
        self.label = ""
        self.judge: NoteJudge | None = None
        if not config.judge:
            return
        cache = GenerationCache(cache_dir)
        if config.judge_model:
            settings = settings_for_model(config.judge_model)
            llm, identity = LLMConnection(settings), model_identity(settings, cache_dir)
        self.judge = NoteJudge(llm, identity, cache)
        self.label = identity.label

    def verdicts(self, workspace: CaseWorkspace, outcome: Outcome) -> dict[str, CheckResult]:
        if self.judge is None:
            return {}
        inputs = {note.name: note.inputs for note in workspace.notes}
        return {
            note.interviewer: self.judge.judge(note.body, inputs[note.interviewer])
            for note in outcome.generation.notes
            if not note.error
        }


@dataclass
class _Collected:
    """What one prompt version produced, case after case."""

    scores: list[CaseScore] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def variant_run(self, variant: PromptVariant) -> VariantRun:
        return VariantRun(
            variant=variant,
            scores=tuple(self.scores),
            generations=tuple(o.generation for o in self.outcomes),
            generated_notes=sum(len(o.generation.notes) for o in self.outcomes if not o.cached),
        )


@dataclass
class _Drafting:
    """Everything shared by the cases of one run: the model, its identity, the cache, the bar."""

    settings: Settings
    llm: ChatModelSource
    identity: ModelIdentity
    cache: GenerationCache
    variants: Sequence[PromptVariant]
    judging: _Judging
    bar: ProgressBar
    collected: dict[str, _Collected] = field(default_factory=dict)

    def run_case(self, case: EvalCase) -> None:
        """Every version's notes for one case, scored while its workspace is open."""
        with case_workspace(case, self.settings, self.llm) as workspace:
            for variant in self.variants:
                self.bar.mark()
                progress = _advance(self.bar, f"{case.case_id} · {variant.label}")
                outcome = workspace.obtain(variant, self.identity, self.cache, progress)
                verdicts = self.judging.verdicts(workspace, outcome)
                score = score_case(
                    case, workspace.notes, outcome.generation, verdicts, outcome.stale
                )
                collected = self.collected.setdefault(variant.label, _Collected())
                collected.scores.append(score)
                collected.outcomes.append(outcome)

    def outcomes(self) -> list[Outcome]:
        return [o for c in self.collected.values() for o in c.outcomes]


def execute(
    config: RunConfig, settings: Settings | None = None, llm: ChatModelSource | None = None
) -> RunResult:
    """Generate (or load) every case under every version, then score and compare.

    `settings` and `llm` replace the configured ones (tests pass a fake model).
    """
    started = time.perf_counter()
    started_at = datetime.now().astimezone().isoformat(timespec="seconds")
    settings = settings or settings_for_model(config.model)
    cache_dir = config.cache_dir or settings.data_dir / "eval-cache"
    identity = model_identity(settings, cache_dir)
    cases = load_cases(config.cases, config.limit)
    variants = config.variants()
    llm = llm or LLMConnection(settings)  # lazy: a fully cached run never starts the model
    cache = GenerationCache(cache_dir, read_only=config.offline)
    drafting = _Drafting(
        settings=settings,
        llm=llm,
        identity=identity,
        cache=cache,
        variants=variants,
        judging=_Judging(config, llm, identity, cache_dir),
        bar=ProgressBar(
            sum(len(case.interviewer_names) for case in cases) * len(variants),
            to_write=_notes_to_write(cases, variants, identity, cache),
        ),
    )
    try:
        for case in cases:
            drafting.run_case(case)
    finally:
        drafting.bar.close()
    runs = tuple(drafting.collected[v.label].variant_run(v) for v in variants)
    return _result(config, drafting, cases, runs, started_at, time.perf_counter() - started)


def _notes_to_write(
    cases: Sequence[EvalCase],
    variants: Sequence[PromptVariant],
    identity: ModelIdentity,
    cache: GenerationCache,
) -> int:
    """Notes without a stored generation: what the time estimate is about."""
    return sum(
        len(case.interviewer_names)
        for case in cases
        for variant in variants
        if cache.load(generation_key(case, variant, identity)) is None
    )


def _result(
    config: RunConfig,
    drafting: _Drafting,
    cases: Sequence[EvalCase],
    runs: tuple[VariantRun, ...],
    started_at: str,
    wall_s: float,
) -> RunResult:
    """Compare the candidate with every other version and apply the gate to its baseline."""
    comparisons = comparisons_for(runs) if len(runs) > 1 else ()
    wanted = config.baseline.label if config.baseline is not None else None
    gated = next((c for c in comparisons if c.baseline == wanted), None)
    findings = []
    if gated is not None:
        means = {key: value for key, value in runs[0].means().items() if value is not None}
        findings = evaluate_gate(config.gate, gated.metrics, means)
    outcomes = drafting.outcomes()
    return RunResult(
        started_at=started_at,
        model=drafting.identity,
        cases=tuple(cases),
        runs=runs,
        comparisons=comparisons,
        findings=tuple(findings),
        baseline=gated.baseline if gated is not None else None,
        timing=Timing(
            wall_s=wall_s,
            generation_s=sum(o.generation.seconds for o in outcomes if not o.cached),
            generated_notes=sum(len(o.generation.notes) for o in outcomes if not o.cached),
            cached_notes=sum(len(o.generation.notes) for o in outcomes if o.cached),
        ),
        judge=drafting.judging.label,
        stale=tuple(
            f"{o.generation.key.case_id} ({o.generation.key.prompt})" for o in outcomes if o.stale
        ),
    )


def _advance(bar: ProgressBar, prefix: str) -> NoteCallback:
    """The progress callback for one case and version."""

    def advance(name: str, generated: bool) -> None:
        bar.advance(f"{prefix} · {name}", generated)

    return advance


def exit_code(result: RunResult) -> int:
    return EXIT_REGRESSION if result.regression else EXIT_OK


def run_command(args: argparse.Namespace) -> int:
    """The `run` subcommand: every failure becomes a message and exit code 2."""
    try:
        config = config_from_args(args)
        result = execute(config)
        written = write_reports(result, config.report_dir) if config.report_dir else None
    except DebriefError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\ninterrupted: generations finished so far are cached", file=sys.stderr)
        return EXIT_ERROR
    except Exception:
        # Exit 1 must only ever mean "regression": a crash is an error like any other.
        traceback.print_exc()
        return EXIT_ERROR
    print_summary(result, sys.stdout)
    if written is not None:
        print(f"\nReports: {written / 'report.md'} (also .html, .json)")
    if result.stale:
        print(
            f"warning: {len(result.stale)} stored generations were made from differently "
            "rendered prompts (re-record them): " + ", ".join(result.stale),
            file=sys.stderr,
        )
    return exit_code(result)
