"""`python -m evals specificity`: one sentence per stdin line in, one score per line out."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from debrief.checks.specificity import sentence_specificity


def score_lines(lines: Iterable[str]) -> Iterator[str]:
    """One formatted score per input line; an empty line scores the minimum so counts match."""
    for line in lines:
        sentence = line.rstrip("\r\n")
        yield f"{sentence_specificity(sentence):.4f}"


def run_specificity(stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Score every line of `stdin` (UTF-8) to `stdout`; a closed pipe ends the run quietly."""
    # Only "\n" ends a line: a stray "\r" or U+2028 inside a sentence must not shift the rows.
    source = stdin or io.TextIOWrapper(
        sys.stdin.buffer, encoding="utf-8", errors="replace", newline="\n"
    )
    sink = stdout or sys.stdout
    try:
        for score in score_lines(source):
            sink.write(score + "\n")
        sink.flush()
    except BrokenPipeError:
        # The reader (e.g. `head`) has gone; point stdout at devnull so the exit flush is silent.
        if stdout is None:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
    return 0
