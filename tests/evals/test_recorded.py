"""The scorer end to end on the committed recorded generations (evals/recorded), as CI runs it.

No model: every run here is `--offline`, so a recording that no longer matches its prompt file
(a prompt edited without re-recording) is a replay miss and fails these tests with exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.__main__ import main as evals_main
from evals.cases import load_cases
from evals.run import EXIT_OK, EXIT_REGRESSION
from evals.run_options import RECORDED_DIR


def _recorded_versions() -> list[str]:
    return sorted({p.name.split("-")[0] for p in RECORDED_DIR.rglob("*.json")})


RECORDED_VERSIONS = {
    "thank_you_note@v1",
    "thank_you_note@v2",
    "thank_you_note@v3",
    "thank_you_note@v4",
    "naive",
}


def test_the_recorded_generations_cover_every_case() -> None:
    assert set(_recorded_versions()) >= RECORDED_VERSIONS
    for case in load_cases():
        recorded = {p.name.split("-")[0] for p in (RECORDED_DIR / case.case_id).glob("*.json")}
        assert recorded >= RECORDED_VERSIONS, case.case_id


def test_the_scorer_runs_end_to_end_on_the_recorded_generations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["run", "--offline", "--cache-dir", str(RECORDED_DIR), "--prompt", "v1"]
    argv += ["--baseline", "none", "--report-dir", str(tmp_path)]
    code = evals_main(argv)
    out, err = capsys.readouterr()
    assert code in (EXIT_OK, EXIT_REGRESSION), err
    assert "from the cache" in out and "| coverage |" in out
    (folder,) = tmp_path.iterdir()
    payload = json.loads((folder / "report.json").read_text())
    assert payload["timing"]["generated_notes"] == 0
    assert len(payload["cases"]) == len(load_cases())
    notes = [n for v in payload["versions"] for c in v["cases"] for n in c["notes"]]
    assert notes and all(n["body"] or n["error"] for n in notes)
    assert all(check["key"] for n in notes for check in n["checks"])
    # The naive floor (its request now read from prompts/) still finds its recordings.
    assert [v["label"] for v in payload["versions"]] == ["thank_you_note@v1", "naive"]
    assert not [stale for stale in payload["stale"] if "(naive)" in stale]


def test_the_offline_scorer_compares_two_recorded_versions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["run", "--offline", "--cache-dir", str(RECORDED_DIR), "--prompt", "v2"]
    argv += ["--baseline", "v1", "--no-naive", "--report-dir", str(tmp_path)]
    code = evals_main(argv)
    out, err = capsys.readouterr()
    assert code in (EXIT_OK, EXIT_REGRESSION), out + err  # whichever way the gate goes
    (folder,) = tmp_path.iterdir()
    report = (folder / "report.md").read_text()
    assert report.startswith("# Eval report: thank_you_note@v2 vs thank_you_note@v1")
    assert "| metric | v2 | v1 | v2 - v1 |" in report
    payload = json.loads((folder / "report.json").read_text())
    assert [v["label"] for v in payload["versions"]] == ["thank_you_note@v2", "thank_you_note@v1"]
    assert [(c["candidate"], c["baseline"]) for c in payload["comparisons"]] == [
        ("thank_you_note@v2", "thank_you_note@v1")
    ]
    gate = payload["gate"]
    assert gate["applied"] and gate["regression"] == bool(gate["findings"])
    assert (code == EXIT_REGRESSION) == gate["regression"]
    assert payload["timing"]["generated_notes"] == 0 and payload["stale"] == []


def test_the_shipped_version_passes_the_gate_on_its_recordings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The gate's floors (min_mean) hold the shipped version, offline, in every CI run."""
    from debrief.services.notes import SHIPPED_PROMPT_VERSION

    argv = ["run", "--offline", "--cache-dir", str(RECORDED_DIR)]
    argv += ["--prompt", f"v{SHIPPED_PROMPT_VERSION}", "--baseline", "v1", "--no-naive"]
    code = evals_main([*argv, "--report-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, out + err
    payload = json.loads(next(tmp_path.iterdir()).joinpath("report.json").read_text())
    assert payload["timing"]["generated_notes"] == 0 and payload["stale"] == []
