"""evals.report: the Markdown, HTML and JSON reports carry every section and escape drafts."""

from __future__ import annotations

import json
from pathlib import Path

from debrief.settings import Settings
from evals.report import fence, html_report, markdown, note_diff, to_json, write_reports
from evals.run import execute
from evals.variants import naive_variant
from tests.evals.scripted import ScriptedModel, ScriptedSource, run_config


def test_reports_escape_drafts_and_carry_every_section(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    evil = ' <script>alert("x")</script> ``` <img src=x onerror=alert(1)>'
    source = ScriptedSource(ScriptedModel(payload=evil))
    config = run_config(case_dir, tmp_path, baseline=naive_variant(), naive=False)
    result = execute(config, settings, source)
    html = html_report(result)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html
    assert "<svg" in html and "Content-Security-Policy" in html
    text = markdown(result)
    assert "## Per-metric means over cases" in text and "| coverage |" in text
    assert "````diff" in text  # a fence longer than the draft's own ``` run
    folder = write_reports(result, tmp_path / "reports")
    assert {p.name for p in folder.iterdir()} == {"report.md", "report.html", "report.json"}
    payload = json.loads((folder / "report.json").read_text())
    assert payload["gate"]["applied"] and payload["comparisons"][0]["baseline"] == "naive"
    assert payload["versions"][0]["cases"][0]["notes"][0]["checks"][0]["key"] == "coverage"
    assert to_json(result)["timing"]["generated_notes"] == 6


def test_fences_and_diffs() -> None:
    assert fence("a ``` b").startswith("````\n")
    diff = note_diff("One. Two. Three.", "One. Deux. Three.", "v1", "v2")
    assert "-Two." in diff and "+Deux." in diff and " One." in diff
