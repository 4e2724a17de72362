"""The HTML report: one self-contained file, no script, no external asset.

Every piece of text that came from a case or a model goes through `html.escape`, and a
Content-Security-Policy forbids scripts and remote loads even if something slipped through.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

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
from evals.results import Comparison, RunResult

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;
vertical-align:top}th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
pre.draft{white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace;margin:0;max-width:36em}
.fail{color:#a40000}.pass{color:#2a7a2a}.gate-fail{background:#fde8e8;padding:.5em}
.gate-pass{background:#e8f6e8;padding:.5em}ul.checks{margin:.4em 0 0;padding-left:1.2em;
font-size:12px}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_COLOURS = ("#3b6fb6", "#9a9a9a", "#c07a2c")


def _chart(result: RunResult) -> str:
    """Horizontal bars of each paired delta with its 95% interval as a whisker."""
    if not result.comparisons:
        return "<p>No comparison: only one version ran.</p>"
    metrics = [
        m for m in result.metrics_present() if any(c.get(m) is not None for c in result.comparisons)
    ]
    per_row, gap, label_w, plot_w, top = 16, 10, 170, 480, 24
    bounds = [
        abs(value)
        for comparison in result.comparisons
        for metric in metrics
        if (found := comparison.get(metric)) is not None
        for value in (found.delta.low, found.delta.high)
    ]
    scale = max(0.1, math.ceil(max(bounds, default=0.1) * 10) / 10)
    group = per_row * len(result.comparisons) + gap
    height = top + group * len(metrics) + 10
    zero = label_w + plot_w / 2

    def x(value: float) -> float:
        return zero + value / scale * (plot_w / 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 20}" '
        f'height="{height}" role="img" aria-label="per-metric deltas">',
        f'<line x1="{zero}" y1="{top - 6}" x2="{zero}" y2="{height - 6}" stroke="#444"/>',
        f'<text x="{x(-scale)}" y="14" font-size="11">-{scale:.1f}</text>',
        f'<text x="{zero - 4}" y="14" font-size="11">0</text>',
        f'<text x="{x(scale) - 22}" y="14" font-size="11">+{scale:.1f}</text>',
    ]
    for row, metric in enumerate(metrics):
        y0 = top + row * group
        parts.append(
            f'<text x="0" y="{y0 + per_row * len(result.comparisons) / 2 + 4}" '
            f'font-size="12">{escape(metric_label(metric))}</text>'
        )
        for index, comparison in enumerate(result.comparisons):
            parts += _bar(comparison, metric, y0 + index * per_row, x, _COLOURS[index % 3])
    parts.append("</svg>")
    legend = " ".join(
        f'<span style="color:{_COLOURS[i % 3]}">■</span> '
        f"{escape(short(c.candidate))} - {escape(short(c.baseline))}"
        for i, c in enumerate(result.comparisons)
    )
    return "\n".join(parts) + f"<p>{legend}; whiskers: 95% paired bootstrap interval.</p>"


def _bar(
    comparison: Comparison, metric: str, y: float, x: Callable[[float], float], colour: str
) -> list[str]:
    found = comparison.get(metric)
    if found is None:
        return []
    delta = found.delta
    left, right = sorted((x(0.0), x(delta.mean)))
    mid = y + 6
    return [
        f'<rect x="{left:.1f}" y="{y + 1}" width="{max(right - left, 1):.1f}" height="11" '
        f'fill="{colour}"><title>{escape(fmt_delta(delta))}</title></rect>',
        f'<line x1="{x(delta.low):.1f}" y1="{mid}" x2="{x(delta.high):.1f}" y2="{mid}" '
        'stroke="#000" stroke-width="1"/>',
    ]


def _means_table(result: RunResult) -> str:
    means = {run.label: run.means() for run in result.runs}
    head = [escape(run.label) for run in result.runs]
    head += [
        f"{escape(short(c.candidate))} - {escape(short(c.baseline))}" for c in result.comparisons
    ]
    rows = ["<table><tr><th>metric</th>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for metric in result.metrics_present():
        cells = [fmt_interval(means[run.label][metric]) for run in result.runs]
        cells += [fmt_delta(delta_of(c, metric)) for c in result.comparisons]
        rows.append(
            f"<tr><td>{escape(metric_label(metric))}</td>"
            + "".join(f'<td class="num">{escape(cell)}</td>' for cell in cells)
            + "</tr>"
        )
    return "\n".join(rows) + "</table>"


def _case_table(result: RunResult) -> str:
    baseline = result.reference_run()
    head = "".join(
        f"<th>{'Δ ' if baseline else ''}{escape(metric_label(m))}</th>" for m in CASE_COLUMNS
    )
    rows = [f"<table><tr><th>case</th><th>about</th><th>notes</th>{head}</tr>"]
    for case in result.cases:
        mine = result.candidate.score_for(case.case_id)
        theirs = baseline.score_for(case.case_id) if baseline else None
        cells = "".join(
            '<td class="num">'
            + escape(case_cell(mine.value(m), theirs.value(m) if theirs else None, bool(theirs)))
            + "</td>"
            for m in CASE_COLUMNS
        )
        rows.append(
            f'<tr><td><a href="#case-{escape(case.case_id)}">{escape(case.case_id)}</a></td>'
            f'<td>{escape(case.about)}</td><td class="num">{len(mine.notes)}</td>{cells}</tr>'
        )
    return "\n".join(rows) + "</table>"


def _checks_list(result: RunResult, label: str, case_id: str, name: str) -> str:
    _, note = note_text(result.run_for(label), case_id, name)
    if note is None:
        return ""
    items = []
    for check in (*note.checks, *([note.judge] if note.judge else [])):
        css = "pass" if check.passed else "fail"
        items.append(
            f'<li class="{css}">{escape(check.key)} {check.score:.2f}: {escape(check.comment)}</li>'
        )
    return '<ul class="checks">' + "".join(items) + "</ul>"


def _drafts(result: RunResult) -> str:
    """Side by side: one column per version, one row per interviewer."""
    labels = [run.label for run in result.runs]
    parts = []
    for case in result.cases:
        parts.append(f'<h3 id="case-{escape(case.case_id)}">{escape(case.case_id)}</h3>')
        if case.about:
            parts.append(f"<p><em>{escape(case.about)}</em></p>")
        header = "".join(f"<th>{escape(label)}</th>" for label in labels)
        rows = [f"<table><tr><th>interviewer</th>{header}</tr>"]
        for name in case.interviewer_names:
            cells = []
            for label in labels:
                text, _ = note_text(result.run_for(label), case.case_id, name)
                cells.append(
                    f'<td><pre class="draft">{escape(text)}</pre>'
                    f"{_checks_list(result, label, case.case_id, name)}</td>"
                )
            rows.append(f"<tr><th>{escape(name)}</th>{''.join(cells)}</tr>")
        parts.append("\n".join(rows) + "</table>")
    return "\n".join(parts)


def html_report(result: RunResult) -> str:
    gate_css = "gate-fail" if result.regression else "gate-pass"
    facts = "".join(f"<li>{escape(line)}</li>" for line in facts_lines(result))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<title>Eval report: {escape(title(result))}</title><style>{_STYLE}</style></head>
<body>
<h1>Eval report: {escape(title(result))}</h1>
<ul class="{gate_css}">{facts}</ul>
<h2>Per-metric means over cases (95% bootstrap interval)</h2>
{_means_table(result)}
<h2>Per-metric deltas</h2>
{_chart(result)}
<h2>Per case</h2>
{_case_table(result)}
<h2>Drafts, side by side</h2>
{_drafts(result)}
</body></html>
"""
