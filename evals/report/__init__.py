"""Reports of a run: Markdown (for the README and reviews), JSON (for tools) and HTML.

`contents` holds what every format says; `as_markdown` (also the terminal summary), `as_html` and
`as_json` each format it one way, and import only `contents`, never each other. Drafts are model
output and therefore untrusted: in Markdown they sit in fences longer than any backtick run they
contain, in HTML every one is escaped.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from evals.report.as_html import html_report
from evals.report.as_json import to_json
from evals.report.as_markdown import fence, markdown, note_diff, print_summary
from evals.results import RunResult

__all__ = [
    "fence",
    "html_report",
    "markdown",
    "note_diff",
    "print_summary",
    "to_json",
    "write_reports",
]


def write_reports(result: RunResult, root: Path) -> Path:
    """report.md, report.html and report.json in a new timestamped folder; returns the folder."""
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
