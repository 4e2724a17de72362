"""bench/results.md holds one section per benchmark; each script replaces only its own.

Also what every benchmark's scratch data directory needs: the model already assembled.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from debrief.llm.model_files import PACKAGED_MODELS, models_dir
from debrief.settings import default_data_dir

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


def reuse_assembled_model(data_dir: Path, model: str) -> None:
    """Hard-link the user's assembled `model` into a scratch `data_dir` (no 1 GB copy), if any."""
    source = models_dir(Path(os.environ.get("DEBRIEF_DATA_DIR") or default_data_dir()))
    target = models_dir(data_dir)
    target.mkdir(parents=True, exist_ok=True)
    for existing in source.glob(PACKAGED_MODELS[model].file_name + "*"):
        os.link(existing, target / existing.name)
