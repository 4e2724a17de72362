"""bench/results.md holds one section per benchmark; each script replaces only its own."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).with_name("results.md")


def write_section(output: Path, heading: str, section: str) -> None:
    """Replace the section starting with `## {heading}` (or append it), keeping the others."""
    existing = output.read_text() if output.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\b.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    output.write_text(updated.rstrip("\n") + "\n")
