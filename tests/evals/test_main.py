"""`python -m evals run` (evals.__main__): every error exits 2 with a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.__main__ import main as evals_main
from evals.run import EXIT_ERROR


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--prompt", "thank_you_note@v42"],
        ["run", "--cases", "/nonexistent/*.yaml"],
        ["run", "--max-drop", "nonsense"],
        ["run", "--limit", "0"],
        ["run", "--prompt", "v1", "--baseline", "thank_you_note@v1"],
    ],
)
def test_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert evals_main(argv) == EXIT_ERROR
    assert capsys.readouterr().err.startswith("error:")


def test_a_replay_without_recordings_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["run", "--offline", "--cache-dir", str(tmp_path), "--limit", "1", "--no-report"]
    assert evals_main(argv) == EXIT_ERROR
    assert "No stored generation" in capsys.readouterr().err
