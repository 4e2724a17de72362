"""What only a second process can show: the data directory's lock, and a command's real output."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from debrief.records.store import RecordStore

pytestmark = pytest.mark.integration
ROOT = Path(__file__).parents[2]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordStore]:
    with RecordStore(tmp_path / "data") as opened:
        yield opened


def test_a_second_process_is_refused_with_a_clear_message(store: RecordStore) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom debrief.records.store import RecordStore\n"
        "from debrief.errors import DebriefError\n"
        "try:\n    RecordStore(Path(sys.argv[1]))\nexcept DebriefError as e:\n"
        "    print(e.message); sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(store.data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert f"Another Debrief is already using {store.data_dir}" in result.stdout


def test_cli_scores_one_line_per_input_line() -> None:
    stdin = "Great movie!\n\nKeanu Reeves fights through a Berlin nightclub in a 10-minute take.\n"
    completed = subprocess.run(
        [sys.executable, "-m", "evals", "specificity"],
        input=stdin.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    lines = completed.stdout.decode("utf-8").splitlines()
    assert len(lines) == 3
    scores = [float(line) for line in lines]
    assert scores[1] == 0.0
    assert scores[2] > scores[0] > scores[1]
    assert completed.stderr == b""
