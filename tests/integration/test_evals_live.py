"""The eval runner live on the default 1.5B model: one case, v1 and the naive floor, then cached."""

from __future__ import annotations

from pathlib import Path

import pytest

from debrief.settings import Settings
from evals.run import RunConfig, execute
from evals.run_options import CASES_DIR
from evals.variants import parse_variant

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CASE = CASES_DIR / "software_junior_frontend_one.yaml"  # one interviewer: two notes in all


def test_one_case_is_drafted_scored_and_then_only_rescored(
    shared_data_dir: Path, tmp_path: Path
) -> None:
    settings = Settings(data_dir=shared_data_dir, context_size=4096)
    config = RunConfig(
        candidate=parse_variant("thank_you_note@v1"),
        baseline=None,
        cases=str(CASE),
        cache_dir=tmp_path / "cache",
        report_dir=None,
    )
    cold = execute(config, settings)
    assert cold.timing.generated_notes == 2 and cold.timing.cached_notes == 0
    v1, naive = cold.runs
    (note,) = v1.generations[0].notes
    assert not note.error and note.body.startswith("Hi Ben,")  # tone: brief
    assert note.body.rstrip().endswith("Priya Nair")
    (floor,) = naive.generations[0].notes
    assert "Ben" in floor.body
    for run in cold.runs:
        for metric, interval in run.means().items():
            if interval is not None:
                assert 0.0 <= interval.mean <= 1.0, metric
    assert cold.model.file_sha256 and cold.model.endpoint == "embedded"

    cached = execute(config, settings)
    assert cached.timing.generated_notes == 0 and cached.timing.cached_notes == 2
    assert cached.runs[0].means() == v1.means()
    assert cached.timing.wall_s < cold.timing.wall_s / 2
