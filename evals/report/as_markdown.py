"""The Markdown report (for the README and reviews) and the summary printed to the terminal.

Drafts are model output and therefore untrusted: they sit in fences longer than any backtick run
they contain.
"""

from __future__ import annotations

import difflib
import re
from typing import TextIO

from evals.report.contents import (
    CASE_COLUMNS,
    case_cell,
    delta_of,
    facts_lines,
    fmt_delta,
    fmt_interval,
    metric_label,
    note_text,
    short,
    title,
)
from evals.results import RunResult
from evals.scoring import METRICS, NoteScore


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


def print_summary(result: RunResult, out: TextIO) -> None:
    """The header facts and the means table, for the terminal."""
    out.write(f"\n{title(result)}\n")
    for line in facts_lines(result):
        out.write(f"  {line}\n")
    out.write("\n" + "\n".join(means_table(result)) + "\n")
