"""The options of `python -m evals run` and the paths they default to.

Kept apart from `evals.run` so that building the command line (and `python -m evals
specificity`) does not import the services, the index and the model client.
"""

from __future__ import annotations

import argparse
from pathlib import Path

EVALS_DIR = Path(__file__).parent
CASES_DIR = EVALS_DIR / "cases"
DEFAULT_CASES = str(CASES_DIR / "*.yaml")
DEFAULT_GATE_FILE = EVALS_DIR / "gate.yaml"
REPORTS_DIR = EVALS_DIR / "reports"
RECORDED_DIR = EVALS_DIR / "recorded"
COMMON_EXPECTATIONS = EVALS_DIR / "common_expectations.yaml"


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `python -m evals run`."""
    parser.add_argument(
        "--prompt", help="candidate version, e.g. thank_you_note@v2 (default: the newest)"
    )
    parser.add_argument(
        "--baseline",
        help="version to compare against, or 'none' (default: the one before the candidate)",
    )
    parser.add_argument(
        "--no-naive", action="store_true", help="leave out the built-in one-line 'naive' floor"
    )
    parser.add_argument(
        "--model",
        help="packaged model key, a .gguf path or MODEL_ID@BASE_URL (default: DEBRIEF_* settings)",
    )
    parser.add_argument("--cases", default=DEFAULT_CASES, help="glob of case files")
    parser.add_argument("--limit", type=int, help="only the first N cases (sorted by name)")
    parser.add_argument(
        "--cache-dir", type=Path, help="generation cache (default: <data dir>/eval-cache)"
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never call a model: score stored generations only (a missing one is an error)",
    )
    parser.add_argument("--judge", action="store_true", help="also run the LLM-judge rubric")
    parser.add_argument("--judge-model", help="model for the judge, as --model (default: --model)")
    parser.add_argument(
        "--gate", type=Path, default=DEFAULT_GATE_FILE, help="thresholds file (YAML)"
    )
    parser.add_argument(
        "--max-drop",
        action="append",
        default=[],
        metavar="METRIC=X",
        help="override one gate threshold for this run (repeatable)",
    )
    parser.add_argument("--no-gate", action="store_true", help="report only; never exit 1")
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=REPORTS_DIR,
        help="reports go to <dir>/<timestamp>/ (default: evals/reports)",
    )
    parser.add_argument("--no-report", action="store_true", help="print the summary only")
