"""evals.run end to end with the scripted model: generate, cache, replay, compare, gate."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from debrief.errors import InputError
from debrief.settings import Settings
from evals.gate import load_gate
from evals.run import EXIT_ERROR, EXIT_OK, EXIT_REGRESSION, execute
from evals.variants import naive_variant, parse_variant
from tests.evals.scripted import RefusingSource, ScriptedSource, run_config


def test_a_run_generates_scores_and_then_only_rescores(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    source = ScriptedSource()
    config = run_config(case_dir, tmp_path)
    first = execute(config, settings, source)
    assert first.timing.generated_notes == 6 and first.timing.cached_notes == 0  # 3 notes x 2
    assert [run.label for run in first.runs] == ["thank_you_note@v1", "naive"]
    v1, naive = first.runs
    means = v1.means()
    assert means["coverage"] is not None and means["coverage"].mean > 0.6
    assert means["no_forbidden"] is not None and means["no_forbidden"].mean == 1.0
    assert naive.means()["no_forbidden"].mean == 0.0  # type: ignore[union-attr]
    assert means["distinctness"] is not None and means["distinctness"].n == 1  # 2+ notes only
    calls = len(source.model.calls)
    second = execute(config, settings, RefusingSource())
    assert second.timing.generated_notes == 0 and second.timing.cached_notes == 6
    assert second.runs[0].means() == first.runs[0].means()
    assert len(source.model.calls) == calls


def test_a_worse_candidate_is_a_regression(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    config = run_config(
        case_dir,
        tmp_path,
        candidate=naive_variant(),
        baseline=parse_variant("v1"),
        naive=False,
        gate=load_gate(),
    )
    result = execute(config, settings, ScriptedSource())
    assert result.gated and result.regression
    assert {f.metric for f in result.findings} >= {"no_forbidden"}
    no_floors = dataclasses.replace(load_gate(), min_mean={})
    better = execute(
        # Without the floors: the scripted notes are not meant to be sendable, only better.
        run_config(case_dir, tmp_path, baseline=naive_variant(), naive=False, gate=no_floors),
        settings,
        ScriptedSource(),
    )
    assert better.gated and not better.regression


def test_offline_replays_and_names_what_is_missing(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    with pytest.raises(InputError, match="No stored generation"):
        execute(run_config(case_dir, tmp_path, offline=True), settings, RefusingSource())
    execute(run_config(case_dir, tmp_path), settings, ScriptedSource())
    replay = execute(run_config(case_dir, tmp_path, offline=True), settings, RefusingSource())
    assert replay.timing.cached_notes == 6 and not replay.stale


def test_a_changed_rendering_regenerates_live_and_is_flagged_in_a_replay(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    execute(run_config(case_dir, tmp_path), settings, ScriptedSource())
    for path in (tmp_path / "cache").rglob("thank_you_note@v1-*.json"):
        data = json.loads(path.read_text())
        data["input_hash"] = "rendered-differently"
        path.write_text(json.dumps(data))
    replay = execute(run_config(case_dir, tmp_path, offline=True), settings, RefusingSource())
    assert len(replay.stale) == 2 and "(thank_you_note@v1)" in replay.stale[0]
    live = execute(run_config(case_dir, tmp_path), settings, ScriptedSource())
    assert live.timing.generated_notes == 3 and not live.stale  # only v1 was stale


def test_exit_codes_are_distinct() -> None:
    assert len({EXIT_OK, EXIT_REGRESSION, EXIT_ERROR}) == 3
