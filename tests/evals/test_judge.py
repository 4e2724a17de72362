"""evals.judge: the optional model-graded rubric, off by default and cached like generations."""

from __future__ import annotations

from pathlib import Path

import pytest

from debrief.settings import Settings
from evals.run import execute
from tests.evals.scripted import ScriptedSource, run_config


def test_the_judge_is_optional_and_cached(
    case_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    plain = execute(run_config(case_dir, tmp_path), settings, ScriptedSource())
    assert "judge" not in plain.metrics_present()
    source = ScriptedSource()
    judged = execute(run_config(case_dir, tmp_path, judge=True), settings, source)
    assert source.model.calls == ["judge"] * 6  # 3 notes x 2 versions; generations cached
    judge = judged.runs[0].means()["judge"]
    assert judge is not None and judge.mean == pytest.approx((3 + 3 + 4 + 2) / 16)
    again = ScriptedSource()
    execute(run_config(case_dir, tmp_path, judge=True), settings, again)
    assert again.model.calls == []
