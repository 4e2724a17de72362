"""The arguments of `python -m evals answers` (kept apart so the parser imports no services)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_answers_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--retrieval", action="store_true", help="measure gold recall only")
    parser.add_argument("--generate", type=Path, help="answer every question into this YAML file")
    parser.add_argument(
        "--folder", type=Path, default=None, help="read the histories from this folder instead"
    )
    parser.add_argument(
        "--detectors",
        choices=("dev", "test", "fresh", "all"),
        help="measure the answer checks against the answers labelled by reading, on one split",
    )
    parser.add_argument("--only", help="only the histories whose name contains this")
