"""A plain progress bar on stderr (no dependency): notes done, cached, elapsed and remaining.

On a terminal it redraws one line; in a log (CI) it prints a line per generated note instead,
because carriage returns make logs unreadable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 24


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class ProgressBar:
    """Counts notes; the time estimate uses generated notes only (cached ones cost nothing)."""

    def __init__(
        self, total: int, stream: TextIO | None = None, to_write: int | None = None
    ) -> None:
        """`to_write`: how many notes the model is expected to write (the rest are cached)."""
        self.total = max(total, 1)
        self.to_write = total if to_write is None else to_write
        self.done = 0
        self.cached = 0
        self._stream = stream or sys.stderr
        self._live = self._stream.isatty()
        self._started = time.perf_counter()
        self._generation_s = 0.0
        self._last = self._started

    def advance(self, label: str, generated: bool) -> None:
        """One more note; `label` says which (case, version, interviewer)."""
        now = time.perf_counter()
        self.done += 1
        if generated:
            self._generation_s += now - self._last
        else:
            self.cached += 1
        self._last = now
        if self._live:
            self._stream.write("\r" + self.line(label)[:150].ljust(150))
            self._stream.flush()
        elif generated:
            self._stream.write(self.line(label) + "\n")
            self._stream.flush()

    def mark(self) -> None:
        """Restart the clock for the next note (time spent scoring or loading is not model time)."""
        self._last = time.perf_counter()

    def line(self, label: str) -> str:
        filled = int(_WIDTH * self.done / self.total)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        generated = self.done - self.cached
        elapsed = time.perf_counter() - self._started
        eta = ""
        left = self.to_write - generated
        if generated and left > 0:
            eta = f", ~{_clock(self._generation_s / generated * left)} left"
        return (
            f"[{bar}] {self.done}/{self.total} notes ({self.cached} cached), "
            f"{_clock(elapsed)}{eta}  {label}"
        )

    def close(self) -> None:
        if self._live:
            self._stream.write("\n")
            self._stream.flush()
