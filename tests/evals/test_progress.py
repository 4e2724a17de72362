"""evals.progress: the progress bar, as logged when stdout is not a terminal."""

from __future__ import annotations

import io

from evals.progress import ProgressBar


def test_the_progress_bar_logs_generated_notes_when_not_a_terminal() -> None:
    out = io.StringIO()
    bar = ProgressBar(4, out, to_write=2)
    bar.advance("case · v1 · Ann", generated=False)
    bar.advance("case · v1 · Bob", generated=True)
    bar.advance("case · v2 · Cy", generated=True)
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "2/4 notes (1 cached)" in lines[0] and "Bob" in lines[0]
    assert "left" in lines[0] and "left" not in lines[1]  # nothing left to write
