"""Reports of a run: Markdown (for the README and reviews), JSON (for tools) and HTML.

Drafts are model output and therefore untrusted: in Markdown they sit in fences longer than any
backtick run they contain, in HTML every one is escaped (see `evals/report_html.py`).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

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


def means_table(result: RunResult) -> list[str]:
    """Per-metric means per version, then the paired deltas of the candidate."""
    means = {run.label: run.means() for run in result.runs}
    head = [short(run.label) for run in result.runs]
    head += [f"{short(c.candidate)} - {short(c.baseline)}" for c in result.comparisons]
    rows = ["| metric | " + " | ".join(head) + " |", "|---" + "|---:" * len(head) + "|"]
    for metric in result.metrics_present():
        cells = [fmt_interval(means[run.label][metric]) for run in result.runs]
        cells += [fmt_delta(delta_of(c, metric)) for c in result.comparisons]
        rows.append(f"| {metric_label(metric)} | " + " | ".join(cells) + " |")
    return rows


def delta_of(comparison: Comparison, metric: str) -> Interval | None:
    found = comparison.get(metric)
    return found.delta if found else None


def case_table(result: RunResult) -> list[str]:
    """Per case: candidate - baseline (or the candidate alone) on the main metrics."""
    candidate = result.candidate
    baseline = result.reference_run()
    heading = "Δ " if baseline else ""
    head = [f"{heading}{metric_label(m)}" for m in CASE_COLUMNS]
    rows = [
        "| case | notes | " + " | ".join(head) + " |",
        "|---|---:" + "|---:" * len(head) + "|",
    ]
    for case in result.cases:
        mine = candidate.score_for(case.case_id)
        theirs = baseline.score_for(case.case_id) if baseline else None
        cells = []
        for metric in CASE_COLUMNS:
            value = mine.value(metric)
            other = theirs.value(metric) if theirs else None
            cells.append(case_cell(value, other, baseline is not None))
        rows.append(f"| {case.case_id} | {len(mine.notes)} | " + " | ".join(cells) + " |")
    return rows


def case_cell(value: float | None, other: float | None, paired: bool) -> str:
    if value is None or (paired and other is None):
        return "-"
    if not paired:
        return f"{value:.2f}"
    assert other is not None
    delta = value - other
    return "·" if abs(delta) < 0.005 else f"{delta:+.2f}"


def sentences(text: str) -> list[str]:
    """One sentence per line, so a diff shows which sentences changed."""
    pieces = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [piece.strip() for piece in pieces if piece.strip()]


def note_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    lines = difflib.unified_diff(
        sentences(old), sentences(new), old_label, new_label, lineterm="", n=20
    )
    return "\n".join(list(lines)[2:])  # the ---/+++ header repeats the column labels


def fence(text: str, info: str = "") -> str:
    """A code fence no backtick run in `text` can close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def failed_checks(note: NoteScore) -> str:
    failed = [c for c in note.checks if not c.passed]
    if note.judge is not None:
        failed += [] if note.judge.passed else [note.judge]
    return "; ".join(f"{c.key}: {c.comment}" for c in failed) or "all checks pass"


def note_text(run: VariantRun, case_id: str, name: str) -> tuple[str, NoteScore | None]:
    score = run.score_for(case_id)
    note = next((n for n in score.notes if n.interviewer == name), None)
    generation = run.generation_for(case_id)
    raw = next((n for n in generation.notes if n.interviewer == name), None)
    if raw is None:
        return "", note
    text = f"Subject: {raw.subject}\n\n{raw.body}" if raw.subject else raw.body
    return (text if not raw.error else f"(no draft: {raw.error})"), note


def drafts_section(result: RunResult) -> list[str]:
    """Per case and interviewer: the candidate's draft as a diff against the baseline's."""
    candidate = result.candidate
    baseline = result.reference_run()
    lines: list[str] = []
    for case in result.cases:
        lines += ["", f"### {case.case_id}", ""]
        if case.about:
            lines += [f"_{case.about}_", ""]
        for name in case.interviewer_names:
            new, new_score = note_text(candidate, case.case_id, name)
            lines += [
                f"**{name}** — {short(candidate.label)}: "
                f"{failed_checks(new_score) if new_score else '-'}"
            ]
            if baseline is None:
                lines += ["", fence(new), ""]
                continue
            old, old_score = note_text(baseline, case.case_id, name)
            lines += [f"{short(baseline.label)}: {failed_checks(old_score) if old_score else '-'}"]
            diff = note_diff(old, new, short(baseline.label), short(candidate.label))
            lines += ["", fence(diff or "(identical)", "diff"), ""]
    return lines


def markdown(result: RunResult) -> str:
    present = result.metrics_present()
    lines = [f"# Eval report: {title(result)}", ""]
    lines += [f"- {line}" for line in facts_lines(result)]
    lines += [
        "",
        "## Per-metric means over cases",
        "",
        "Mean of per-case values (a case's value is the mean over its notes), with a 95% "
        "bootstrap interval over cases; deltas are paired (same cases, same resamples); "
        "`*` marks an interval that excludes zero. Higher is better everywhere.",
        "",
        *means_table(result),
        "",
        *[f"- **{m.label}**: {m.description}" for m in METRICS if m.key in present],
        "",
        "## Per case",
        "",
        *case_table(result),
        "",
        "## Drafts",
        *drafts_section(result),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _interval_json(interval: Interval | None) -> dict[str, float | int] | None:
    return asdict(interval) if interval else None


def _run_json(run: VariantRun) -> dict[str, Any]:
    cases = []
    for score, generation in zip(run.scores, run.generations, strict=True):
        raw = {note.interviewer: note for note in generation.notes}
        cases.append(
            {
                "case": score.case_id,
                "stale": score.stale,
                "values": score.values(),
                "distinctness": asdict(score.distinctness) | {"evidence": None},
                "notes": [
                    {
                        "interviewer": note.interviewer,
                        "subject": raw[note.interviewer].subject,
                        "body": raw[note.interviewer].body,
                        "repaired": raw[note.interviewer].repaired,
                        "seconds": round(raw[note.interviewer].seconds, 2),
                        "error": note.error,
                        "words": note.words,
                        "checks": [
                            {
                                "key": c.key,
                                "score": c.score,
                                "passed": c.passed,
                                "comment": c.comment,
                            }
                            for c in (*note.checks, *([note.judge] if note.judge else []))
                        ],
                    }
                    for note in score.notes
                ],
            }
        )
    return {
        "label": run.label,
        "prompt_hash": run.variant.prompt_hash,
        "revision_hash": run.variant.revision_hash,
        "generated_notes": run.generated_notes,
        "means": {key: _interval_json(value) for key, value in run.means().items()},
        "cases": cases,
    }


def to_json(result: RunResult) -> dict[str, Any]:
    return {
        "started_at": result.started_at,
        "model": result.model.as_dict(),
        "judge": result.judge or None,
        "cases": [
            {
                "id": case.case_id,
                "about": case.about,
                "content_hash": case.content_hash,
                "interviewers": list(case.interviewer_names),
            }
            for case in result.cases
        ],
        "versions": [_run_json(run) for run in result.runs],
        "comparisons": [
            {
                "candidate": c.candidate,
                "baseline": c.baseline,
                "metrics": {
                    m.metric: {
                        "candidate": asdict(m.candidate),
                        "baseline": asdict(m.baseline),
                        "delta": asdict(m.delta),
                    }
                    for m in c.metrics
                },
            }
            for c in result.comparisons
        ],
        "gate": {
            "applied": result.gated,
            "regression": result.regression,
            "findings": [asdict(f) for f in result.findings],
        },
        "timing": asdict(result.timing),
        "stale": list(result.stale),
    }


def write_reports(result: RunResult, root: Path) -> Path:
    """report.md, report.html and report.json in a new timestamped folder; returns the folder."""
    from evals.report_html import html_report  # the HTML module is big; load it only here

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = root / stamp
    suffix = 1
    while folder.exists():  # two runs in one second must not overwrite each other
        suffix += 1
        folder = root / f"{stamp}-{suffix}"
    folder.mkdir(parents=True)
    (folder / "report.md").write_text(markdown(result), encoding="utf-8")
    (folder / "report.html").write_text(html_report(result), encoding="utf-8")
    payload = json.dumps(to_json(result), indent=1, ensure_ascii=False)
    (folder / "report.json").write_text(payload + "\n", encoding="utf-8")
    return folder


def print_summary(result: RunResult, out: TextIO) -> None:
    """The header facts and the means table, for the terminal."""
    out.write(f"\n{title(result)}\n")
    for line in facts_lines(result):
        out.write(f"  {line}\n")
    out.write("\n" + "\n".join(means_table(result)) + "\n")
