"""What every report says, whatever its format: header facts, formatted figures, table cells
and the text of each draft. The Markdown, console and HTML reports are all built from these.
"""

from __future__ import annotations

from debrief.services.exports import note_text as as_plain_text
from evals.results import Comparison, RunResult, VariantRun
from evals.scoring import METRICS, NoteScore
from evals.stats import Interval

_BY_KEY = {metric.key: metric for metric in METRICS}
# The per-case table keeps to the metrics a reader scans first.
CASE_COLUMNS = ("coverage", "must_reference", "grounding", "genericness", "length", "all_pass")


def fmt_interval(interval: Interval | None) -> str:
    if interval is None:
        return "-"
    return f"{interval.mean:.2f} [{interval.low:.2f}, {interval.high:.2f}]"


def fmt_delta(interval: Interval | None) -> str:
    if interval is None:
        return "-"
    mark = " *" if interval.excludes_zero() else ""
    return f"{interval.mean:+.2f} [{interval.low:+.2f}, {interval.high:+.2f}]{mark}"


def fmt_seconds(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{seconds:.1f} s"


def short(label: str) -> str:
    """`thank_you_note@v2` -> `v2` for column headers."""
    return label.rsplit("@", 1)[-1]


def metric_label(key: str) -> str:
    return _BY_KEY[key].label


def title(result: RunResult) -> str:
    if result.baseline is not None:
        return f"{result.candidate.label} vs {result.baseline}"
    return result.candidate.label


def gate_line(result: RunResult) -> str:
    if not result.gated:
        return "not applied (no baseline)"
    if not result.findings:
        return "passed"
    return "REGRESSION: " + "; ".join(f"{f.metric} {f.reason}" for f in result.findings)


def facts_lines(result: RunResult) -> list[str]:
    """The run's header facts, one bullet each."""
    timing = result.timing
    notes = sum(len(case.interviewer_names) for case in result.cases)
    lines = [
        f"Run: {result.started_at}; {len(result.cases)} cases, {notes} notes per version",
        f"Model: {result.model.label}",
        f"Time: {fmt_seconds(timing.wall_s)} wall; {timing.generated_notes} notes generated "
        f"({fmt_seconds(timing.generation_s)} of model time), {timing.cached_notes} from the cache",
        f"Judge: {result.judge or 'off'}",
        f"Gate: {gate_line(result)}",
    ]
    if result.stale:
        lines.append(
            f"Stale generations (rendered prompt changed since): {', '.join(result.stale)}"
        )
    return lines


def delta_of(comparison: Comparison, metric: str) -> Interval | None:
    found = comparison.get(metric)
    return found.delta if found else None


def case_cell(value: float | None, other: float | None, paired: bool) -> str:
    if value is None or (paired and other is None):
        return "-"
    if not paired:
        return f"{value:.2f}"
    assert other is not None
    delta = value - other
    return "·" if abs(delta) < 0.005 else f"{delta:+.2f}"


def note_text(run: VariantRun, case_id: str, name: str) -> tuple[str, NoteScore | None]:
    score = run.score_for(case_id)
    note = next((n for n in score.notes if n.interviewer == name), None)
    generation = run.generation_for(case_id)
    raw = next((n for n in generation.notes if n.interviewer == name), None)
    if raw is None:
        return "", note
    text = as_plain_text(raw.subject, raw.body)
    return (text if not raw.error else f"(no draft: {raw.error})"), note
